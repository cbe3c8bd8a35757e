import {Args} from '@oclif/core';
import {analysisFlags, formatsOf, KubepathCommand, liveFlags, looksLikeInput, outputFlags, writeRendered} from '../cli/base.js';
import {containmentPlan, type ContainmentPlan} from '../contain/plan.js';
import {selectNodes} from '../graph/selector.js';
import {formatContainment} from '../output/contain.js';
import {jsonChunks} from '../output/json-stream.js';
import type {Renderers} from '../output/render.js';
import {UsageError} from '../snapshot/errors.js';
import type {PodInfo} from '../graph/model.js';
import {compareStrings} from '../util/order.js';

export const RENDERERS = {
  text: (plans) => formatContainment(plans),
  json: (plans) => jsonChunks({plans}),
} satisfies Renderers<readonly ContainmentPlan[]>;

export default class Contain extends KubepathCommand {
  static override summary = 'Print the native commands and manifests that contain a breached pod, without running them';
  static override description =
    "SEL is a finding id from analyze (its path's landing pod is contained), a pod or workload id, or a selector such as pod:shop/*. For each pod: keep the evidence, quarantine it on the network (a deny-all NetworkPolicy and the label it selects), stop its workload (scale to zero, suspend, or delete a bare pod), and delete the bindings that grant its service account. Each step says what it leaves open.";
  static override usage = `contain SEL INPUT... [-o ${formatsOf(RENDERERS)}]`;
  static override examples = [
    '<%= config.bin %> contain pod:shop/storefront-7d9c examples/multi-tenant',
    '<%= config.bin %> contain workload:ci/Deployment/docker-builder snapshot.json -o json',
  ];
  static override strict = false;
  static override args = {selector: Args.string({description: 'a finding id, pod or workload id, or selector', required: true})};
  static override flags = {
    ...outputFlags(RENDERERS, {default: 'text'}),
    ...analysisFlags,
    ...liveFlags,
  };

  async run(): Promise<void> {
    const {argv, flags} = await this.parse(Contain);
    const [selector, ...inputs] = argv as string[];
    if (inputs.length === 0 && selector !== undefined && looksLikeInput(selector)) {
      throw new UsageError(
        `SEL ${selector} looks like INPUT; with no INPUT kubepath would read the live cluster, so it stops here: contain SEL INPUT... names the pod or finding first`,
      );
    }
    this.checkOutput(flags['output-file'], inputs, flags);
    const {analysis} = await this.analyzed(inputs, flags);
    const {model, graph, findings, context} = analysis;
    const finding = findings.find((f) => f.id === selector);
    let pods: PodInfo[];
    if (finding) {
      const landing = [finding.path.source, ...finding.path.steps.map((step) => step.to)]
        .map((id) => model.podsById.get(id))
        .find((pod) => pod !== undefined);
      if (!landing)
        throw new UsageError(`finding ${selector}: its path holds no pod to contain (it starts from an identity); use its fixes`);
      pods = [landing];
    } else {
      const selected = new Set(selectNodes(graph, [selector!], 'SEL'));
      pods = model.pods.filter((pod) => selected.has(pod.id) || (pod.workload && selected.has(pod.workload.id)));
      // One plan per workload: its pods share the steps.
      const seen = new Set<string>();
      pods = pods.filter((pod) => {
        const key = pod.workload?.id ?? pod.id;
        if (seen.has(key)) return false;
        seen.add(key);
        return true;
      });
      if (pods.length === 0) throw new UsageError(`SEL ${selector} selects no pod or workload`);
    }
    const plans = pods.sort((a, b) => compareStrings(a.id, b.id)).map((pod) => containmentPlan(model, context.rbac, pod));
    await writeRendered(RENDERERS, flags, plans);
  }
}
