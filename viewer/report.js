/*
 * kubepath report viewer: draws the report's data (src/output/report-data.ts) with
 * cytoscape and dagre, left to right from entry point to crown jewel. Everything from the
 * cluster is put on the page as text (textContent, canvas labels), never as markup.
 * Tests drive it through the page and read `window.kubepathReport`.
 */
(function () {
  'use strict';
  const data = JSON.parse(document.getElementById('kubepath-data').textContent);
  const SHAPES = {
    Internet: 'diamond',
    EntryPoint: 'diamond',
    Pod: 'ellipse',
    ServiceAccount: 'round-rectangle',
    User: 'round-rectangle',
    Group: 'round-hexagon',
    Secret: 'round-tag',
    Node: 'rectangle',
    ClusterAdmin: 'star',
    Workload: 'round-triangle',
    Service: 'round-pentagon',
    Namespace: 'barrel',
  };
  const FAMILIES = {network: '#1a73e8', identity: '#188038', rbac: '#9334e6', escape: '#d93025'};
  const FAMILY_NAMES = data.familyNames;

  const nodesById = new Map(data.nodes.map((node) => [node.id, node]));
  const edgesById = new Map(data.edges.map((edge) => [edge.id, edge]));
  const pathEdges = new Set();
  for (const finding of data.findings) for (const path of finding.paths) for (const id of path) pathEdges.add(id);
  const drawnNodes = new Set();
  for (const id of pathEdges) {
    const edge = edgesById.get(id);
    drawnNodes.add(edge.source).add(edge.target);
  }

  function el(tag, text, className) {
    const element = document.createElement(tag);
    if (text !== undefined && text !== null) element.textContent = String(text);
    if (className) element.className = className;
    return element;
  }

  // Header: cluster, time, inputs, coverage gaps, counts.
  document.getElementById('cluster').textContent = data.meta.cluster;
  document.getElementById('meta').textContent =
    `${data.meta.mode} snapshot, ${data.meta.time}; ${data.meta.mode === 'live' ? 'read from the API server' : `${data.meta.inputs.length} input${data.meta.inputs.length === 1 ? '' : 's'}`}; ` +
    `graph of ${data.meta.graph.nodes} nodes and ${data.meta.graph.edges} edges; entry points: ${data.entryPoints.join(', ') || 'none'}; kubepath ${data.meta.version}`;
  // The Kubernetes versions against upstream support: what is out of support stands out.
  const versions = document.getElementById('versions');
  const STATUS = data.supportWords;
  const versionLine = (what, support) =>
    el('div', `${what}: ${STATUS[support.status]}: ${support.note}`, support.status === 'end-of-life' ? 'unsupported' : 'hint');
  const {controlPlane, kubelets} = data.versions;
  versions.append(
    controlPlane
      ? versionLine(`Kubernetes ${controlPlane.version} (${controlPlane.from})`, controlPlane.support)
      : el('div', 'Kubernetes version unknown: give --kube-version to judge its support and the version-dependent edges.', 'hint'),
  );
  for (const kubelet of kubelets)
    versions.append(versionLine(`kubelet ${kubelet.version} on ${kubelet.nodes} node${kubelet.nodes === 1 ? '' : 's'}`, kubelet.support));
  const gaps = document.getElementById('gaps');
  if (data.meta.coverageGaps.length === 0) gaps.append(el('span', 'Coverage: every kind the analysis reads was read.', 'hint'));
  else {
    gaps.append(el('strong', 'Coverage gaps (kinds kubepath could not read, and what that may change):'));
    const list = el('ul');
    for (const gap of data.meta.coverageGaps) list.append(el('li', `${gap.text} (${gap.message})`));
    gaps.append(list);
  }
  if (data.meta.skipped.length > 0) {
    gaps.append(
      el('div', `Not analyzed: ${data.meta.skipped.map((skip) => `${skip.count} ${skip.kind} (${skip.apiVersion})`).join(', ')}.`, 'hint'),
    );
  }
  const counts = document.getElementById('counts');
  for (const severity of data.severities) counts.append(el('span', `${data.counts[severity]} ${severity}`, `badge ${severity}`));

  // The graph: the nodes and edges on the reported paths.
  const label = (node) => (node.namespace ? `${node.name}\n${node.namespace}` : node.name);
  // A pod whose images a --vulns report says are exploitable is drawn with a red ring.
  const exploitable = (node) => (node.details.exploitableVulnerabilities || []).length > 0;
  const nodeElement = (node) => ({
    group: 'nodes',
    data: {
      id: node.id,
      label: label(node),
      kind: node.kind,
      shape: SHAPES[node.kind] || 'ellipse',
      namespace: node.namespace || '',
      exploitable: exploitable(node),
    },
  });
  const edgeElement = (edge) => ({
    group: 'edges',
    data: {
      id: edge.id,
      source: edge.source,
      target: edge.target,
      label: edge.type,
      type: edge.type,
      colour: FAMILIES[edge.family],
      certainty: edge.certainty,
    },
  });
  const elements = [];
  for (const id of drawnNodes) elements.push(nodeElement(nodesById.get(id)));
  for (const id of pathEdges) elements.push(edgeElement(edgesById.get(id)));

  const cy = cytoscape({
    container: document.getElementById('graph'),
    elements,
    style: [
      {
        selector: 'node',
        style: {
          shape: 'data(shape)',
          label: 'data(label)',
          'text-wrap': 'wrap',
          'font-size': 10,
          'text-valign': 'bottom',
          'text-margin-y': 4,
          'background-color': '#9aa0a6',
          width: 26,
          height: 26,
        },
      },
      {selector: 'node[kind = "Internet"], node[kind = "EntryPoint"]', style: {'background-color': '#202124'}},
      {selector: 'node[kind = "ClusterAdmin"], node[kind = "Secret"], node[kind = "Node"]', style: {'background-color': '#b3261e'}},
      {selector: 'node[?exploitable]', style: {'border-width': 3, 'border-color': '#d93025', 'border-style': 'double'}},
      {
        selector: 'edge',
        style: {
          width: 2,
          'line-color': 'data(colour)',
          'target-arrow-color': 'data(colour)',
          'target-arrow-shape': 'triangle',
          'curve-style': 'bezier',
          label: 'data(label)',
          'font-size': 8,
          'text-rotation': 'autorotate',
          color: '#5f6368',
        },
      },
      {selector: 'edge[certainty = "conditional"]', style: {'line-style': 'dashed'}},
      {selector: '.dimmed', style: {opacity: 0.12}},
      {selector: '.highlighted', style: {opacity: 1}},
      {selector: 'edge.highlighted', style: {width: 4}},
      {selector: 'node.match', style: {'border-width': 4, 'border-color': '#fbbc04'}},
      {selector: ':selected', style: {'border-width': 3, 'border-color': '#1a73e8'}},
      {selector: '.filtered', style: {display: 'none'}},
    ],
  });
  const layout = () => cy.layout({name: 'dagre', rankDir: 'LR', nodeSep: 18, rankSep: 90, animate: false, fit: true}).run();
  layout();

  // Legend: edge families and node shapes.
  const legend = document.getElementById('legend');
  legend.append(el('strong', 'Edges:'));
  for (const [family, colour] of Object.entries(FAMILIES)) {
    const swatch = el('span', undefined, 'swatch');
    swatch.style.background = colour;
    legend.append(swatch, document.createTextNode(FAMILY_NAMES[family]));
  }
  legend.append(document.createTextNode(' (dashed: conditional)'), el('br'), el('strong', 'Nodes:'));
  for (const [kind, shape] of Object.entries(SHAPES)) legend.append(el('span', `${kind}: ${shape}`, 'shape'));
  if ([...drawnNodes].some((id) => exploitable(nodesById.get(id))))
    legend.append(el('span', 'red double ring: known exploitable vulnerabilities (--vulns)', 'shape'));

  // Details panel.
  const details = document.getElementById('details');
  // Values as a reader writes them: lists joined, maps as key=value, text as is.
  function asText(value) {
    if (Array.isArray(value)) return value.map(asText).join(', ');
    if (value !== null && typeof value === 'object')
      return Object.entries(value)
        .map(([key, item]) => `${key}=${asText(item)}`)
        .join(', ');
    return String(value);
  }
  function table(rows) {
    const t = el('table');
    for (const [name, value] of rows) {
      if (value === undefined || value === null || value === '') continue;
      const tr = el('tr');
      tr.append(el('th', name), el('td', asText(value)));
      t.append(tr);
    }
    return t;
  }
  function showNode(id) {
    const node = nodesById.get(id);
    details.replaceChildren(el('h3', `${node.kind} ${node.name}`));
    details.append(table([['id', node.id], ['namespace', node.namespace], ...Object.entries(node.details)]));
    if (node.replicas) {
      details.append(el('h4', `Pods of this workload on the paths (${node.replicas.length})`));
      const list = el('ul');
      for (const pod of node.replicas) list.append(el('li', pod));
      details.append(list);
    }
    // The changes that remove the drawn edges at this node.
    const fixes = new Set();
    cy.getElementById(id)
      .connectedEdges()
      .forEach((edge) => {
        for (const fix of edgesById.get(edge.id()).fixes) fixes.add(fix);
      });
    details.append(el('h4', 'Fixes for the edges drawn at this node'));
    if (fixes.size === 0) details.append(el('p', 'None of them has a single change that removes it alone.', 'hint'));
    for (const fix of [...fixes].sort()) details.append(el('div', fix, 'fix'));
    const around = data.neighbours[id];
    if (around && around.edges.length > 0) {
      const button = el(
        'button',
        `Expand: ${around.edges.length} more attack edges${around.more ? ` (at least ${around.more} more not in this report)` : ''}`,
      );
      button.id = 'expand';
      button.type = 'button';
      button.addEventListener('click', () => expand(id));
      details.append(button);
    }
  }
  function showEdge(id) {
    const edge = edgesById.get(id);
    details.replaceChildren(el('h3', `${edge.type}`));
    details.append(
      table([
        ['from', edge.source],
        ['to', edge.target],
        ['technique', edge.technique],
        ['family', FAMILY_NAMES[edge.family]],
        ['certainty', edge.certainty],
        ['cost', String(edge.cost)],
        ['MITRE ATT&CK', edge.mitre],
        ...Object.entries(edge.details),
      ]),
    );
    details.append(el('h4', 'Evidence'));
    const evidence = el('table');
    evidence.className = 'evidence';
    const head = el('tr');
    head.append(el('th', 'object'), el('th', 'field'), el('th', 'value'), el('th', 'note'));
    evidence.append(head);
    for (const item of data.evidence[edge.evidence]) {
      const tr = el('tr');
      tr.append(
        el('td', item.object),
        el('td', item.field ?? ''),
        el('td', item.value === undefined ? '' : String(item.value)),
        el('td', item.note ?? ''),
      );
      evidence.append(tr);
    }
    details.append(evidence);
    details.append(el('h4', 'Fix'));
    if (edge.fixes.length === 0) details.append(el('p', "No single change removes this edge alone; see the path's fixes.", 'hint'));
    for (const fix of edge.fixes) details.append(el('div', fix, 'fix'));
  }
  cy.on('tap', 'node', (event) => showNode(event.target.id()));
  cy.on('tap', 'edge', (event) => showEdge(event.target.id()));

  // Expanding a node: its undrawn neighbours join the drawing.
  function expand(id) {
    const added = [];
    for (const edgeId of data.neighbours[id].edges) {
      const edge = edgesById.get(edgeId);
      if (!edge || cy.getElementById(edgeId).length > 0) continue;
      for (const end of [edge.source, edge.target])
        if (cy.getElementById(end).length === 0 && !added.some((e) => e.data.id === end)) added.push(nodeElement(nodesById.get(end)));
      added.push(edgeElement(edge));
    }
    cy.add(added);
    layout();
    applyFilters();
  }

  // Paths: clicking one highlights exactly its elements and dims the rest.
  const findingsList = document.getElementById('findings');
  let selected = null;
  function highlight(edgeIds) {
    const path = cy.collection();
    for (const id of edgeIds) {
      const edge = cy.getElementById(id);
      path.merge(edge).merge(edge.source()).merge(edge.target());
    }
    cy.elements().removeClass('highlighted').addClass('dimmed');
    path.removeClass('dimmed').addClass('highlighted');
    return path;
  }
  function clearHighlight() {
    cy.elements().removeClass('highlighted dimmed');
    if (selected) selected.classList.remove('selected');
    selected = null;
  }
  data.findings.forEach((finding, index) => {
    const item = el('li');
    if (finding.coverageGaps.length > 0) item.classList.add('uncertain');
    item.dataset.finding = String(index);
    item.append(el('span', finding.severity, `badge ${finding.severity}`), document.createTextNode(' '), el('span', finding.title));
    item.append(
      el(
        'div',
        `cost ${finding.cost}, ${finding.certainty}, ${finding.pathCount} path${finding.pathCount === 1 ? '' : 's'}; fix: ${finding.fixes.map((f) => f.action).join(' | ') || 'none single'}`,
        'cost',
      ),
    );
    for (const gap of finding.coverageGaps) item.append(el('div', `may not hold: ${gap.text}`, 'gap'));
    item.addEventListener('click', () => {
      if (selected) selected.classList.remove('selected');
      selected = item;
      item.classList.add('selected');
      highlight(finding.paths[0]);
      details.replaceChildren(el('h3', finding.title));
      details.append(
        table([
          ['severity', finding.severity],
          ['category', finding.category],
          ['cost', String(finding.cost)],
          ['certainty', finding.certainty],
          ['entry points', finding.entryPoints.join(', ')],
          ['paths found', String(finding.pathCount)],
          ['owner', finding.owner ? `team ${finding.owner.team} (${finding.owner.from})` : 'no team named'],
        ]),
      );
      details.append(el('h4', 'Steps'));
      const steps = el('ol');
      for (const id of finding.paths[0]) {
        const edge = edgesById.get(id);
        const step = el('li', `${edge.source} —${edge.type}→ ${edge.target}${id === finding.rootCause ? ' (root cause)' : ''}`);
        step.style.cursor = 'pointer';
        step.addEventListener('click', () => showEdge(id));
        steps.append(step);
      }
      details.append(steps);
      if (finding.coverageGaps.length > 0) {
        details.append(el('h4', 'May not hold: kubepath could not read'));
        for (const gap of finding.coverageGaps) details.append(el('div', gap.text, 'gap'));
      }
      details.append(el('h4', 'Fixes (paths of this finding each cuts)'));
      for (const fix of finding.fixes) details.append(el('div', `${fix.action} (cuts ${fix.paths})`, 'fix'));
    });
    findingsList.append(item);
  });
  if (data.findings.length === 0) findingsList.append(el('li', 'No entry point reaches a crown jewel: nothing to draw.', 'hint'));
  const choke = document.getElementById('chokepoints');
  for (const fix of data.chokePoints) choke.append(el('li', `cuts ${fix.paths} paths: ${fix.action}`));
  if (data.chokePoints.length === 0) choke.append(el('li', 'none'));

  // Posture: per team, each check broken with the workloads breaking it; a check's details on click.
  const posture = document.getElementById('posture');
  const LEVELS = data.postureLevels;
  for (const team of data.posture) {
    const block = el('details');
    block.dataset.team = team.team;
    block.append(
      el(
        'summary',
        `${team.team}: ${team.counts.baseline} baseline, ${team.counts.restricted} restricted, ${team.counts.hardening} hardening`,
      ),
    );
    const checks = el('ul');
    for (const check of team.checks) {
      const item = el('li', `[${LEVELS[check.level]}] ${check.title} (${check.subjects.length})`, `posture-check ${check.level}`);
      item.addEventListener('click', () => {
        details.replaceChildren(el('h3', `${check.title} (team ${team.team})`));
        details.append(
          table([
            ['level', LEVELS[check.level]],
            ['check', check.rule],
            ['why', check.why],
            ['fix, e.g.', check.fix],
          ]),
        );
        details.append(el('h4', `Workloads (${check.subjects.length})`));
        const list = el('ul');
        for (const subject of check.subjects) list.append(el('li', subject));
        details.append(list);
      });
      checks.append(item);
    }
    block.append(checks);
    posture.append(block);
  }
  if (data.posture.length === 0) posture.append(el('p', 'Every workload meets the restricted level and the hardening checks.', 'hint'));

  // Filters and search.
  const namespaceFilter = document.getElementById('filter-namespace');
  for (const namespace of [...new Set(data.nodes.map((node) => node.namespace).filter(Boolean))].sort()) {
    const option = el('option', namespace);
    option.value = namespace;
    namespaceFilter.append(option);
  }
  const typeBoxes = document.getElementById('filter-types');
  for (const type of [...new Set(data.edges.map((edge) => edge.type))].sort()) {
    const box = el('input');
    box.type = 'checkbox';
    box.checked = true;
    box.value = type;
    const wrap = el('label');
    wrap.append(box, document.createTextNode(type));
    typeBoxes.append(wrap);
  }
  const certaintyFilter = document.getElementById('filter-certainty');
  function applyFilters() {
    const namespace = namespaceFilter.value;
    const certainty = certaintyFilter.value;
    const types = new Set([...typeBoxes.querySelectorAll('input:checked')].map((box) => box.value));
    cy.batch(() => {
      cy.elements().removeClass('filtered');
      cy.edges().forEach((edge) => {
        if (!types.has(edge.data('type')) || (certainty && edge.data('certainty') !== certainty)) edge.addClass('filtered');
      });
      if (namespace) {
        // Nodes of other namespaces go, cluster-wide ones (no namespace) stay; edges follow their ends.
        cy.nodes().forEach((node) => {
          if (node.data('namespace') && node.data('namespace') !== namespace) node.addClass('filtered');
        });
        cy.edges().forEach((edge) => {
          if (edge.source().hasClass('filtered') || edge.target().hasClass('filtered')) edge.addClass('filtered');
        });
      }
    });
  }
  namespaceFilter.addEventListener('change', applyFilters);
  certaintyFilter.addEventListener('change', applyFilters);
  typeBoxes.addEventListener('change', applyFilters);
  document.getElementById('search').addEventListener('input', (event) => {
    const query = event.target.value.trim().toLowerCase();
    cy.nodes().removeClass('match');
    if (!query) return;
    const found = cy.nodes().filter((node) => {
      const info = nodesById.get(node.id());
      return [info.id, info.name, info.namespace || ''].some((text) => text.toLowerCase().includes(query));
    });
    found.addClass('match');
    if (found.length > 0) cy.animate({fit: {eles: found, padding: 80}, duration: 0});
  });
  document.getElementById('reset').addEventListener('click', () => {
    clearHighlight();
    namespaceFilter.value = '';
    certaintyFilter.value = '';
    for (const box of typeBoxes.querySelectorAll('input')) box.checked = true;
    applyFilters();
    cy.fit();
  });

  window.kubepathReport = {cy, data, highlight, expand, applyFilters};
})();
