/**
 * kubepath version output
 * =======================
 *
 * `analyze`'s cluster versions against upstream support (src/version): one line for
 * the control plane and one per kubelet version, as text and Markdown; JSON is the
 * analysis's own shape.
 */
import type {ClusterVersions} from '../version/cluster.js';
import type {SupportVerdict} from '../version/support.js';
import {PLAIN, type Palette} from './colour.js';
import {safe} from './escape.js';

/** What each support status is called (the report's page too); text shouts the end of life. */
export const SUPPORT_WORDS: Record<SupportVerdict['status'], string> = {
  'end-of-life': 'out of support',
  maintenance: 'maintenance only',
  supported: 'supported',
  unknown: 'not judged',
};

const statusWord = ({status}: SupportVerdict): string =>
  status === 'end-of-life' ? SUPPORT_WORDS[status].toUpperCase() : SUPPORT_WORDS[status];

/** The lines, without headings: `control plane v1.31.2 (the API server): OUT OF SUPPORT: ...`. */
function versionLines(versions: ClusterVersions, name: (text: string) => string): string[] {
  const lines: string[] = [];
  const {controlPlane} = versions;
  if (controlPlane)
    lines.push(
      `control plane ${name(controlPlane.version)} (${controlPlane.from}): ${statusWord(controlPlane.support)}: ${controlPlane.support.note}`,
    );
  else
    lines.push(
      'control plane: version unknown (the input does not say; give --kube-version to judge its support and the version-dependent edges)',
    );
  for (const kubelet of versions.kubelets) {
    const more = kubelet.nodes - kubelet.examples.length;
    const nodes = `${kubelet.nodes} node${kubelet.nodes === 1 ? '' : 's'}: ${kubelet.examples.map(name).join(', ')}${more > 0 ? ` and ${more} more` : ''}`;
    lines.push(`kubelet ${name(kubelet.version)} (${nodes}): ${statusWord(kubelet.support)}: ${kubelet.support.note}`);
  }
  return lines;
}

export function formatVersionsText(versions: ClusterVersions, palette: Palette = PLAIN): string {
  const asOf = versions.controlPlane?.support.asOf ?? versions.kubelets[0]?.support.asOf;
  return `\n${palette.heading('Cluster version:')}${asOf ? ` (upstream support as of ${asOf})` : ''}\n${versionLines(versions, safe)
    .map((line) => `  ${line}`)
    .join('\n')}\n`;
}

export function versionsMarkdown(versions: ClusterVersions, name: (text: string) => string): string {
  return `\n## Cluster version\n\n${versionLines(versions, name)
    .map((line) => `- ${line}`)
    .join('\n')}\n`;
}
