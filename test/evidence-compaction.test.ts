/**
 * Evidence stays readable and small where one grant explains many things: items about
 * the same object, field and value are one, their notes joined after the beginning
 * they share (edge-collector.ts); a privileged-pod edge spells out a few admitting
 * namespaces and names every other binding with the namespaces it opens
 * (can-create-privileged-pod.ts), so fixes still see every binding.
 */
import {describe, expect, it} from 'vitest';
import {canCreatePrivilegedPod, ROUTES_SHOWN} from '../src/edges/can-create-privileged-pod.js';
import {createRuleContext} from '../src/engines/context.js';
import {compactEvidence, joinNotes} from '../src/edges/edge-collector.js';
import {RULES} from '../src/edges/index.js';
import {ruleEdges} from '../src/edges/rule.js';
import {fixesFor} from '../src/paths/fixes.js';
import {EXAMPLE} from './helpers/cli.js';
import {loadAll, loadYaml} from './helpers/load.js';

describe('joinNotes', () => {
  it('writes the shared beginning up to a ": " once, and each piece once, joined by " | "', () => {
    expect(joinNotes(['R holds X, which allows: create pods/exec: run', 'R holds X, which allows: create pods/attach: attach'])).toBe(
      'R holds X, which allows: create pods/exec: run | create pods/attach: attach',
    );
    // Joining a joined note again adds only its new pieces; a "; " inside a note stays its own.
    expect(joinNotes(['P: a | b', 'P: a', 'P: c; with a qualifier'])).toBe('P: a | b | c; with a qualifier');
    // No shared clause: the notes whole.
    expect(joinNotes(['patch pods', 'patch deployments'])).toBe('patch pods | patch deployments');
    // A note that would be left empty keeps its beginning.
    expect(joinNotes(['a: b', 'a: '])).toBe('a: b | a: ');
    expect(joinNotes(['only'])).toBe('only');
  });
});

describe('compactEvidence', () => {
  it('merges items about the same object, field and value, first occurrences in order; others untouched', () => {
    const binding = {object: 'ClusterRoleBinding/b', field: 'roleRef', value: 'ClusterRole/r'};
    const compacted = compactEvidence([
      {...binding, note: 'holds: get secrets'},
      {object: 'ClusterRole/r', field: 'rules[0]', value: 'verbs [get]', note: 'the rule that allows: get secrets'},
      {...binding, note: 'holds: list secrets'},
      {object: 'ClusterRole/r', field: 'rules[1]', value: 'verbs [list]', note: 'the rule that allows: list secrets'},
      {...binding, note: 'holds: get secrets'},
      {object: 'Namespace/a', value: 1},
      {object: 'Namespace/a', value: '1'},
    ]);
    expect(compacted).toEqual([
      {...binding, note: 'holds: get secrets | list secrets'},
      {object: 'ClusterRole/r', field: 'rules[0]', value: 'verbs [get]', note: 'the rule that allows: get secrets'},
      {object: 'ClusterRole/r', field: 'rules[1]', value: 'verbs [list]', note: 'the rule that allows: list secrets'},
      {object: 'Namespace/a', value: 1},
      {object: 'Namespace/a', value: '1'},
    ]);
  });

  it('leaves no per-identity edge of the example naming one object, field and value twice', async () => {
    const {model} = await loadAll([EXAMPLE]);
    const context = createRuleContext(model);
    let checked = 0;
    const listed = RULES.filter((rule) => rule.sources && rule.edgesFrom).flatMap((rule) =>
      rule.sources!(context).flatMap((source) => rule.edgesFrom!(context, source)),
    );
    for (const edge of listed) {
      const keys = edge.attributes.evidence.map((item) => `${item.object} ${item.field} ${String(item.value)}`);
      expect(new Set(keys).size, `${edge.source} -> ${edge.target} ${edge.attributes.type}`).toBe(keys.length);
      checked++;
    }
    expect(checked).toBeGreaterThan(1000);
  });
});

/** An account allowed to create pods in NAMESPACES namespaces, each through a RoleBinding of its own, one of them also through a second. */
function creatorIn(namespaces: number): string {
  const docs = ['apiVersion: v1\nkind: ServiceAccount\nmetadata: {name: maker, namespace: tools}'];
  docs.push(
    'apiVersion: rbac.authorization.k8s.io/v1\nkind: ClusterRole\nmetadata: {name: pod-maker}\nrules:\n- {apiGroups: [""], resources: [pods], verbs: [create]}',
  );
  for (let i = 0; i < namespaces; i++) {
    const ns = `team-${String(i).padStart(2, '0')}`;
    docs.push(`apiVersion: v1\nkind: Namespace\nmetadata: {name: ${ns}}`);
    docs.push(
      `apiVersion: rbac.authorization.k8s.io/v1\nkind: RoleBinding\nmetadata: {name: maker, namespace: ${ns}}\nroleRef: {apiGroup: rbac.authorization.k8s.io, kind: ClusterRole, name: pod-maker}\nsubjects: [{kind: ServiceAccount, name: maker, namespace: tools}]`,
    );
  }
  docs.push('apiVersion: v1\nkind: Namespace\nmetadata: {name: tools}');
  docs.push('apiVersion: v1\nkind: Node\nmetadata: {name: worker-1}');
  return `${docs.join('\n---\n')}\n`;
}

describe('CAN_CREATE_PRIVILEGED_POD evidence', () => {
  it(`spells out ${ROUTES_SHOWN} admitting namespaces and names every other binding with the namespaces it opens`, async () => {
    const {model} = await loadYaml(creatorIn(14));
    const edges = ruleEdges(canCreatePrivilegedPod, createRuleContext(model)).filter((edge) => edge.source === 'sa:tools/maker');
    expect(edges.map((edge) => edge.target).sort()).toEqual(['node:worker-1']);
    const {evidence, certainty} = edges[0]!.attributes;
    expect(certainty).toBe('definite');
    const admissions = evidence.filter((item) => item.object.startsWith('Namespace/'));
    expect(admissions.map((item) => item.object)).toEqual(['Namespace/team-00', 'Namespace/team-01', 'Namespace/team-02']);
    const bindings = evidence.filter((item) => item.field === 'roleRef');
    expect(new Set(bindings.map((item) => item.object)).size).toBe(14);
    const summary = bindings.find((item) => item.object === 'RoleBinding/team-13/maker')!;
    expect(summary.note).toBe('also a route in 1 more admitting namespace: team-13');
    // Many bindings, so deleting one cuts nothing: no fix names one.
    expect(fixesFor({from: 'sa:tools/maker', to: 'node:worker-1', attributes: edges[0]!.attributes})).toEqual([]);
    expect(JSON.stringify(evidence).length).toBeLessThan(8000);
  });

  it('with one binding in every namespace, names it once with the namespaces, and that binding is the fix', async () => {
    const text = creatorIn(0).replace(
      'apiVersion: v1\nkind: Namespace\nmetadata: {name: tools}',
      [
        ...Array.from({length: 30}, (_, i) => `apiVersion: v1\nkind: Namespace\nmetadata: {name: ns-${String(i).padStart(2, '0')}}`),
        'apiVersion: v1\nkind: Namespace\nmetadata: {name: tools}',
        'apiVersion: rbac.authorization.k8s.io/v1\nkind: ClusterRoleBinding\nmetadata: {name: maker-everywhere}\nroleRef: {apiGroup: rbac.authorization.k8s.io, kind: ClusterRole, name: pod-maker}\nsubjects: [{kind: ServiceAccount, name: maker, namespace: tools}]',
      ].join('\n---\n'),
    );
    const {model} = await loadYaml(text);
    const [edge] = ruleEdges(canCreatePrivilegedPod, createRuleContext(model)).filter((e) => e.source === 'sa:tools/maker');
    const bindings = edge!.attributes.evidence.filter((item) => item.field === 'roleRef');
    // One item for the binding (compacted): what it allows, then the namespaces beyond those spelled out.
    expect(bindings.map((item) => item.object)).toEqual(['ClusterRoleBinding/maker-everywhere']);
    expect(bindings[0]!.note).toMatch(
      /which allows: create pods: .* \| also a route in 28 more admitting namespaces: ns-03, ns-04, .*, ns-12 and 18 more$/,
    );
    expect(fixesFor({from: 'sa:tools/maker', to: 'node:worker-1', attributes: edge!.attributes}).map((fix) => fix.id)).toEqual([
      'delete:ClusterRoleBinding/maker-everywhere',
    ]);
  });
});
