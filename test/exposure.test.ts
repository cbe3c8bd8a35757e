/**
 * Internet exposure before NetworkPolicy (src/engines/network/exposure.ts): each way in,
 * positive and negative, with the exact evidence (object, field, pod ports) it reports.
 */
import {describe, expect, it} from 'vitest';
import {exposures} from '../src/engines/network/exposure.js';
import {compareStrings} from '../src/util/order.js';
import {loadYaml} from './helpers/load.js';

const doc = (text: string) => `${text.trim()}\n---\n`;
const pod = (namespace: string, name: string, labels: string, ports = '[]', extra = '') =>
  doc(
    `apiVersion: v1\nkind: Pod\nmetadata: {name: ${name}, namespace: ${namespace}, labels: {${labels}}}\nspec: {${extra}containers: [{name: app, ports: ${ports}}]}`,
  );
const service = (namespace: string, name: string, spec: string) =>
  doc(`apiVersion: v1\nkind: Service\nmetadata: {name: ${name}, namespace: ${namespace}}\nspec: ${spec}`);

/** Exposures as plain data, ports in CONN text. */
async function expose(yaml: string) {
  const {model} = await loadYaml(yaml);
  return exposures(model).map(({ports, ...rest}) => ({...rest, ports: ports.format()}));
}

const WEB_PODS =
  pod('shop', 'web-a', 'app: web', '[{name: https, containerPort: 8443}]') +
  pod('shop', 'web-b', 'app: web', '[{name: https, containerPort: 9443}]') +
  pod('shop', 'other', 'app: other', '[{name: https, containerPort: 7443}]');

describe('Services: LoadBalancer, NodePort, externalIPs', () => {
  it('LoadBalancer: a named targetPort resolves per pod, and the Service counts once (not also as NodePort)', async () => {
    const found = await expose(
      WEB_PODS +
        service('shop', 'web', '{type: LoadBalancer, selector: {app: web}, ports: [{port: 443, targetPort: https, nodePort: 31443}]}'),
    );
    expect(found).toEqual([
      {
        pod: 'pod:shop/web-a',
        way: 'LoadBalancer',
        ports: 'TCP 8443',
        via: 'Service/shop/web',
        field: 'spec.ports[0]',
        detail:
          'LoadBalancer port 443 -> targetPort https (TCP 8443); externalTrafficPolicy: Cluster (client source IP replaced by a node IP)',
        externalTrafficPolicy: 'Cluster',
        proxied: false,
      },
      {
        pod: 'pod:shop/web-b',
        way: 'LoadBalancer',
        ports: 'TCP 9443',
        via: 'Service/shop/web',
        field: 'spec.ports[0]',
        detail:
          'LoadBalancer port 443 -> targetPort https (TCP 9443); externalTrafficPolicy: Cluster (client source IP replaced by a node IP)',
        externalTrafficPolicy: 'Cluster',
        proxied: false,
      },
    ]);
  });

  it('LoadBalancer: names loadBalancerSourceRanges in the detail', async () => {
    const [found] = await expose(
      WEB_PODS +
        service(
          'shop',
          'web',
          '{type: LoadBalancer, selector: {app: web}, loadBalancerSourceRanges: [203.0.113.0/24], ports: [{port: 443, targetPort: 8443}]}',
        ),
    );
    expect(found!.detail).toBe(
      'LoadBalancer port 443 (loadBalancerSourceRanges 203.0.113.0/24) -> targetPort 8443 (TCP 8443); externalTrafficPolicy: Cluster (client source IP replaced by a node IP)',
    );
  });

  it('NodePort: each service port, targetPort defaulting to port, externalTrafficPolicy Local', async () => {
    const found = await expose(
      pod('shop', 'api', 'app: api', '[{name: dns, containerPort: 5353, protocol: UDP}]') +
        service(
          'shop',
          'api',
          '{type: NodePort, externalTrafficPolicy: Local, selector: {app: api}, ports: [{port: 8080, nodePort: 30080}, {port: 53, protocol: UDP, targetPort: dns}]}',
        ),
    );
    expect(found.map(({way, ports, field, externalTrafficPolicy, detail}) => ({way, ports, field, externalTrafficPolicy, detail}))).toEqual(
      [
        {
          way: 'NodePort',
          ports: 'TCP 8080',
          field: 'spec.ports[0]',
          externalTrafficPolicy: 'Local',
          detail: 'NodePort 30080 for port 8080 -> targetPort 8080 (TCP 8080); externalTrafficPolicy: Local (client source IP preserved)',
        },
        {
          way: 'NodePort',
          ports: 'UDP 5353',
          field: 'spec.ports[1]',
          externalTrafficPolicy: 'Local',
          detail:
            'NodePort (allocated at creation) for port 53 -> targetPort dns (UDP 5353); externalTrafficPolicy: Local (client source IP preserved)',
        },
      ],
    );
  });

  it('externalIPs on a ClusterIP Service expose it; on a LoadBalancer they are a second way in', async () => {
    const clusterIp = await expose(
      WEB_PODS + service('shop', 'web', '{selector: {app: web}, externalIPs: [198.51.100.7], ports: [{port: 443, targetPort: https}]}'),
    );
    expect(clusterIp.map((e) => [e.pod, e.way, e.ports, e.detail])).toEqual([
      [
        'pod:shop/web-a',
        'ExternalIP',
        'TCP 8443',
        'externalIPs 198.51.100.7 port 443 -> targetPort https (TCP 8443); externalTrafficPolicy: Cluster (client source IP replaced by a node IP)',
      ],
      [
        'pod:shop/web-b',
        'ExternalIP',
        'TCP 9443',
        'externalIPs 198.51.100.7 port 443 -> targetPort https (TCP 9443); externalTrafficPolicy: Cluster (client source IP replaced by a node IP)',
      ],
    ]);
    const both = await expose(
      pod('shop', 'web-a', 'app: web') +
        service('shop', 'web', '{type: LoadBalancer, selector: {app: web}, externalIPs: [198.51.100.7], ports: [{port: 80}]}'),
    );
    expect(both.map((e) => e.way)).toEqual(['ExternalIP', 'LoadBalancer']);
  });

  it('exposes nothing through a ClusterIP Service without externalIPs, an ExternalName Service, or a Service without a selector', async () => {
    expect(
      await expose(WEB_PODS + service('shop', 'web', '{type: ClusterIP, selector: {app: web}, ports: [{port: 443, targetPort: https}]}')),
    ).toEqual([]);
    expect(await expose(WEB_PODS + service('shop', 'web', '{selector: {app: web}, ports: [{port: 443}]}'))).toEqual([]);
    expect(
      await expose(
        WEB_PODS +
          service(
            'shop',
            'web',
            '{type: ExternalName, externalName: db.example.com, selector: {app: web}, externalIPs: [198.51.100.7], ports: [{port: 443}]}',
          ),
      ),
    ).toEqual([]);
    expect(await expose(WEB_PODS + service('shop', 'web', '{type: LoadBalancer, ports: [{port: 443, targetPort: https}]}'))).toEqual([]);
    expect(await expose(WEB_PODS + service('shop', 'web', '{type: LoadBalancer, selector: {}, ports: [{port: 443}]}'))).toEqual([]);
  });

  it('selects pods of its own namespace only', async () => {
    const found = await expose(
      pod('other', 'web-a', 'app: web') + service('shop', 'web', '{type: NodePort, selector: {app: web}, ports: [{port: 80}]}'),
    );
    expect(found).toEqual([]);
  });

  it('a named targetPort must match the port protocol too; an unknown name exposes nothing', async () => {
    const dnsPod = pod('shop', 'dns', 'app: dns', '[{name: dns, containerPort: 53}]');
    expect(
      await expose(
        dnsPod + service('shop', 'dns', '{type: LoadBalancer, selector: {app: dns}, ports: [{port: 53, protocol: UDP, targetPort: dns}]}'),
      ),
    ).toEqual([]);
    expect(
      await expose(dnsPod + service('shop', 'dns', '{type: LoadBalancer, selector: {app: dns}, ports: [{port: 53, targetPort: domain}]}')),
    ).toEqual([]);
    const tcp = await expose(
      dnsPod + service('shop', 'dns', '{type: LoadBalancer, selector: {app: dns}, ports: [{port: 53, protocol: TCP, targetPort: dns}]}'),
    );
    expect(tcp.map((e) => e.ports)).toEqual(['TCP 53']);
  });

  it('resolves a named targetPort on a sidecar (init container with restartPolicy: Always), not on a plain init container', async () => {
    const withInit = (restartPolicy: string) =>
      doc(`apiVersion: v1
kind: Pod
metadata: {name: web, namespace: shop, labels: {app: web}}
spec:
  initContainers: [{name: proxy, ${restartPolicy}ports: [{name: proxy, containerPort: 15001}]}]
  containers: [{name: app}]`) +
      service('shop', 'web', '{type: LoadBalancer, selector: {app: web}, ports: [{port: 80, targetPort: proxy}]}');
    expect((await expose(withInit('restartPolicy: Always, '))).map((e) => e.ports)).toEqual(['TCP 15001']);
    expect(await expose(withInit(''))).toEqual([]);
  });

  it('a representative pod of a workload is exposed like a pod, by its template labels and ports', async () => {
    const found = await expose(
      doc(`apiVersion: apps/v1
kind: Deployment
metadata: {name: web, namespace: shop}
spec:
  selector: {matchLabels: {app: web}}
  template:
    metadata: {labels: {app: web}}
    spec: {containers: [{name: app, ports: [{name: http, containerPort: 8080}]}]}`) +
        service('shop', 'web', '{type: LoadBalancer, selector: {app: web}, ports: [{port: 80, targetPort: http}]}'),
    );
    expect(found.map((e) => [e.pod, e.way, e.via, e.ports])).toEqual([['pod:shop/web', 'LoadBalancer', 'Service/shop/web', 'TCP 8080']]);
  });
});

const BACKEND =
  pod('shop', 'web-a', 'app: web', '[{name: http, containerPort: 8080}]') +
  service(
    'shop',
    'web',
    '{selector: {app: web}, ports: [{name: http, port: 80, targetPort: http}, {name: admin, port: 9000, targetPort: 9090}]}',
  );

describe('Ingress', () => {
  it('networking.k8s.io/v1: the default backend by port name and a path backend by port number, proxied', async () => {
    const found = await expose(
      BACKEND +
        doc(`apiVersion: networking.k8s.io/v1
kind: Ingress
metadata: {name: web, namespace: shop}
spec:
  defaultBackend: {service: {name: web, port: {name: http}}}
  rules:
  - host: shop.example.com
    http:
      paths:
      - {path: /, pathType: Prefix, backend: {service: {name: web, port: {number: 80}}}}
      - {path: /admin, pathType: Prefix, backend: {service: {name: web, port: {number: 9000}}}}
      - {path: /gone, pathType: Prefix, backend: {service: {name: missing, port: {number: 80}}}}
      - {path: /odd, pathType: Prefix, backend: {service: {name: web, port: {number: 81}}}}`),
    );
    expect(found).toEqual([
      {
        pod: 'pod:shop/web-a',
        way: 'Ingress',
        ports: 'TCP 8080',
        via: 'Ingress/shop/web',
        field: 'spec.defaultBackend',
        detail: 'Ingress default backend -> Service shop/web port 80 (http) -> targetPort http (TCP 8080)',
        proxied: true,
      },
      {
        pod: 'pod:shop/web-a',
        way: 'Ingress',
        ports: 'TCP 8080',
        via: 'Ingress/shop/web',
        field: 'spec.rules[0].http.paths[0].backend',
        detail: 'Ingress host shop.example.com path / -> Service shop/web port 80 (http) -> targetPort http (TCP 8080)',
        proxied: true,
      },
      {
        pod: 'pod:shop/web-a',
        way: 'Ingress',
        ports: 'TCP 9090',
        via: 'Ingress/shop/web',
        field: 'spec.rules[0].http.paths[1].backend',
        detail: 'Ingress host shop.example.com path /admin -> Service shop/web port 9000 (admin) -> targetPort 9090 (TCP 9090)',
        proxied: true,
      },
    ]);
  });

  it('legacy extensions/v1beta1: backend and paths with serviceName/servicePort, by number and by name', async () => {
    const found = await expose(
      BACKEND +
        doc(`apiVersion: extensions/v1beta1
kind: Ingress
metadata: {name: old, namespace: shop}
spec:
  backend: {serviceName: web, servicePort: 80}
  rules:
  - http:
      paths:
      - {path: /admin, backend: {serviceName: web, servicePort: admin}}`),
    );
    expect(found.map((e) => [e.way, e.via, e.field, e.ports, e.proxied])).toEqual([
      ['Ingress', 'Ingress/shop/old', 'spec.backend', 'TCP 8080', true],
      ['Ingress', 'Ingress/shop/old', 'spec.rules[0].http.paths[0].backend', 'TCP 9090', true],
    ]);
    expect(found[1]!.detail).toBe('Ingress host * path /admin -> Service shop/web port 9000 (admin) -> targetPort 9090 (TCP 9090)');
  });

  it('reaches only Services of its own namespace, and nothing behind an ExternalName Service', async () => {
    const ingress = (namespace: string) =>
      doc(
        `apiVersion: networking.k8s.io/v1\nkind: Ingress\nmetadata: {name: web, namespace: ${namespace}}\nspec: {defaultBackend: {service: {name: web, port: {number: 80}}}}`,
      );
    expect(await expose(BACKEND + ingress('elsewhere'))).toEqual([]);
    const external =
      pod('shop', 'web-a', 'app: web') +
      service('shop', 'web', '{type: ExternalName, externalName: web.example.com, selector: {app: web}, ports: [{port: 80}]}');
    expect(await expose(external + ingress('shop'))).toEqual([]);
  });
});

const route = (namespace: string, name: string, spec: string, apiVersion = 'gateway.networking.k8s.io/v1') =>
  doc(`apiVersion: ${apiVersion}\nkind: HTTPRoute\nmetadata: {name: ${name}, namespace: ${namespace}}\nspec:\n${spec}`);
const grant = (namespace: string, fromNamespace: string, to = '{group: "", kind: Service}') =>
  doc(`apiVersion: gateway.networking.k8s.io/v1beta1
kind: ReferenceGrant
metadata: {name: routes-from-${fromNamespace}, namespace: ${namespace}}
spec:
  from: [{group: gateway.networking.k8s.io, kind: HTTPRoute, namespace: ${fromNamespace}}]
  to: [${to}]`);
const CROSS_ROUTE = route(
  'edge',
  'shop',
  `  parentRefs: [{name: public, namespace: infra}]
  hostnames: [shop.example.com]
  rules:
  - backendRefs: [{name: web, namespace: shop, port: 80}]`,
);

describe('HTTPRoute', () => {
  it('a cross-namespace backendRef that a ReferenceGrant allows, proxied to the targetPort', async () => {
    const found = await expose(BACKEND + CROSS_ROUTE + grant('shop', 'edge'));
    expect(found).toEqual([
      {
        pod: 'pod:shop/web-a',
        way: 'HTTPRoute',
        ports: 'TCP 8080',
        via: 'HTTPRoute/edge/shop',
        field: 'spec.rules[0].backendRefs[0]',
        detail:
          'HTTPRoute on Gateway infra/public routes hosts shop.example.com (allowed by ReferenceGrant/shop/routes-from-edge) -> Service shop/web port 80 (http) -> targetPort http (TCP 8080)',
        proxied: true,
      },
    ]);
  });

  it('a cross-namespace backendRef without a matching ReferenceGrant reaches nothing', async () => {
    expect(await expose(BACKEND + CROSS_ROUTE)).toEqual([]);
    expect(await expose(BACKEND + CROSS_ROUTE + grant('shop', 'other'))).toEqual([]);
    expect(await expose(BACKEND + CROSS_ROUTE + grant('edge', 'edge'))).toEqual([]);
    expect(await expose(BACKEND + CROSS_ROUTE + grant('shop', 'edge', '{group: "", kind: Service, name: api}'))).toEqual([]);
    expect(
      (await expose(BACKEND + CROSS_ROUTE + grant('shop', 'edge', '{group: "", kind: Service, name: web}'))).map((e) => e.pod),
    ).toEqual(['pod:shop/web-a']);
  });

  it('v1beta1, same namespace by default; weight 0, other kinds, unknown ports and UDP-only ports reach nothing; mirrors do', async () => {
    const found = await expose(
      BACKEND +
        service('shop', 'dns', '{selector: {app: web}, ports: [{port: 53, protocol: UDP}]}') +
        route(
          'shop',
          'r',
          `  parentRefs: [{name: public}]
  rules:
  - backendRefs:
    - {name: web, port: 80, weight: 1}
    - {name: web, port: 9000, weight: 0}
    - {name: web, port: 81}
    - {name: dns, port: 53}
    - {name: web, port: 80, kind: ServiceImport, group: multicluster.x-k8s.io}
  - filters: [{type: RequestMirror, requestMirror: {backendRef: {name: web, port: 9000}}}]
    backendRefs: [{name: web}]`,
          'gateway.networking.k8s.io/v1beta1',
        ),
    );
    expect(found.map((e) => [e.field, e.ports, e.detail])).toEqual([
      [
        'spec.rules[0].backendRefs[0]',
        'TCP 8080',
        'HTTPRoute on Gateway shop/public routes hosts * -> Service shop/web port 80 (http) -> targetPort http (TCP 8080)',
      ],
      [
        'spec.rules[1].filters[0].requestMirror.backendRef',
        'TCP 9090',
        'HTTPRoute on Gateway shop/public mirrors requests for hosts * -> Service shop/web port 9000 (admin) -> targetPort 9090 (TCP 9090)',
      ],
    ]);
  });

  it('a route attached to no Gateway (no parentRefs, or a Service parent: mesh traffic) takes nothing from outside', async () => {
    const rules = `  rules:\n  - backendRefs: [{name: web, port: 80}]`;
    expect(await expose(BACKEND + route('shop', 'r', rules))).toEqual([]);
    expect(await expose(BACKEND + route('shop', 'r', `  parentRefs: [{group: "", kind: Service, name: web}]\n${rules}`))).toEqual([]);
  });

  it('the snapshot keeps Gateways, HTTPRoutes and ReferenceGrants instead of skipping them', async () => {
    const {snapshot} = await loadYaml(
      BACKEND +
        CROSS_ROUTE +
        grant('shop', 'edge') +
        doc(
          'apiVersion: gateway.networking.k8s.io/v1\nkind: Gateway\nmetadata: {name: public, namespace: infra}\nspec: {gatewayClassName: x, listeners: [{name: http, port: 80, protocol: HTTP}]}',
        ),
    );
    expect(snapshot.coverage.skipped).toEqual([]);
    const objects = snapshot.objects as unknown as Record<string, Array<{metadata: {name: string}}>>;
    expect([objects.gateways, objects.httpRoutes, objects.referenceGrants].map((list) => list!.map((o) => o.metadata.name))).toEqual([
      ['public'],
      ['shop'],
      ['routes-from-edge'],
    ]);
  });
});

describe('hostPort and hostNetwork', () => {
  it('hostPort: the containerPort with its protocol, on a regular container, quoting the hostPort; loopback host IPs and init containers do not count', async () => {
    const found = await expose(
      doc(`apiVersion: v1
kind: Pod
metadata: {name: agent, namespace: ops}
spec:
  initContainers: [{name: setup, ports: [{containerPort: 7000, hostPort: 7000}]}]
  containers:
  - name: plain
    ports: [{containerPort: 8080}]
  - name: agent
    ports:
    - {containerPort: 9100}
    - {containerPort: 8125, hostPort: 18125, protocol: UDP}
    - {containerPort: 6060, hostPort: 6060, hostIP: 127.0.0.1}
    - {containerPort: 9000, hostPort: 9000, hostIP: 10.0.0.5}`),
    );
    expect(found).toEqual([
      {
        pod: 'pod:ops/agent',
        way: 'HostPort',
        ports: 'UDP 8125',
        via: 'Pod/ops/agent',
        field: 'spec.containers[1].ports[1].hostPort',
        value: '18125',
        detail: 'hostPort 18125 of the node -> containerPort 8125 (UDP) of container agent',
        proxied: false,
      },
      {
        pod: 'pod:ops/agent',
        way: 'HostPort',
        ports: 'TCP 9000',
        via: 'Pod/ops/agent',
        field: 'spec.containers[1].ports[3].hostPort',
        value: '9000',
        detail: 'hostPort 9000 on 10.0.0.5 of the node -> containerPort 9000 (TCP) of container agent',
        proxied: false,
      },
    ]);
  });

  it("hostPort on a workload's representative pod points at the workload and its template", async () => {
    const found = await expose(
      doc(`apiVersion: apps/v1
kind: DaemonSet
metadata: {name: node-agent, namespace: ops}
spec:
  selector: {matchLabels: {app: agent}}
  template:
    metadata: {labels: {app: agent}}
    spec: {containers: [{name: agent, ports: [{containerPort: 9100, hostPort: 9100}]}]}`),
    );
    expect(found.map((e) => [e.pod, e.way, e.via, e.field, e.ports])).toEqual([
      ['pod:ops/node-agent', 'HostPort', 'DaemonSet/ops/node-agent', 'spec.template.spec.containers[0].ports[0].hostPort', 'TCP 9100'],
    ]);
  });

  it('hostNetwork: every declared port of every protocol, or all ports when none is declared', async () => {
    const declared = await expose(
      pod(
        'kube-system',
        'dns',
        'app: dns',
        '[{containerPort: 53, protocol: UDP}, {containerPort: 53}, {containerPort: 9153}]',
        'hostNetwork: true, ',
      ),
    );
    expect(declared).toEqual([
      {
        pod: 'pod:kube-system/dns',
        way: 'HostNetwork',
        ports: 'TCP 53,9153,UDP 53',
        via: 'Pod/kube-system/dns',
        field: 'spec.hostNetwork',
        value: 'true',
        detail: "hostNetwork: true: listens on the node's addresses; declared ports TCP 53,9153,UDP 53",
        proxied: false,
      },
    ]);
    const undeclared = await expose(pod('kube-system', 'proxy', 'app: proxy', '[]', 'hostNetwork: true, '));
    expect(undeclared.map((e) => [e.way, e.ports, e.detail])).toEqual([
      ['HostNetwork', 'All Connections', "hostNetwork: true: listens on the node's addresses; no ports declared, so any port may be open"],
    ]);
    expect(await expose(pod('kube-system', 'proxy', 'app: proxy', '[]', 'hostNetwork: false, '))).toEqual([]);
  });
});

describe('what is not an exposure, and the order', () => {
  it('an open pod with no way in (no policy, a ClusterIP Service) has no entries', async () => {
    expect(
      await expose(
        pod('shop', 'db', 'app: db', '[{containerPort: 5432}]') + service('shop', 'db', '{selector: {app: db}, ports: [{port: 5432}]}'),
      ),
    ).toEqual([]);
  });

  it('is sorted by pod, way, via and field, whatever the input order', async () => {
    const parts = [
      pod('shop', 'web-b', 'app: web', '[{name: http, containerPort: 8080, hostPort: 8080}]'),
      pod('shop', 'web-a', 'app: web', '[{name: http, containerPort: 8080}]', 'hostNetwork: true, '),
      service(
        'shop',
        'web',
        '{type: NodePort, selector: {app: web}, externalIPs: [198.51.100.7], ports: [{port: 80, targetPort: http}, {port: 81, targetPort: http}]}',
      ),
      service('shop', 'lb', '{type: LoadBalancer, selector: {app: web}, ports: [{port: 443, targetPort: http}]}'),
      doc(
        'apiVersion: networking.k8s.io/v1\nkind: Ingress\nmetadata: {name: web, namespace: shop}\nspec: {defaultBackend: {service: {name: web, port: {number: 80}}}}',
      ),
    ];
    const forward = await expose(parts.join(''));
    const backward = await expose([...parts].reverse().join(''));
    expect(backward).toEqual(forward);
    const keys = forward.map((e) => [e.pod, e.way, e.via, e.field].join(' '));
    expect(keys).toEqual(
      [...forward]
        .sort(
          (a, b) =>
            compareStrings(a.pod, b.pod) ||
            compareStrings(a.way, b.way) ||
            compareStrings(a.via, b.via) ||
            compareStrings(a.field, b.field),
        )
        .map((e) => [e.pod, e.way, e.via, e.field].join(' ')),
    );
    expect(keys).toEqual([
      'pod:shop/web-a ExternalIP Service/shop/web spec.ports[0]',
      'pod:shop/web-a ExternalIP Service/shop/web spec.ports[1]',
      'pod:shop/web-a HostNetwork Pod/shop/web-a spec.hostNetwork',
      'pod:shop/web-a Ingress Ingress/shop/web spec.defaultBackend',
      'pod:shop/web-a LoadBalancer Service/shop/lb spec.ports[0]',
      'pod:shop/web-a NodePort Service/shop/web spec.ports[0]',
      'pod:shop/web-a NodePort Service/shop/web spec.ports[1]',
      'pod:shop/web-b ExternalIP Service/shop/web spec.ports[0]',
      'pod:shop/web-b ExternalIP Service/shop/web spec.ports[1]',
      'pod:shop/web-b HostPort Pod/shop/web-b spec.containers[0].ports[0].hostPort',
      'pod:shop/web-b Ingress Ingress/shop/web spec.defaultBackend',
      'pod:shop/web-b LoadBalancer Service/shop/lb spec.ports[0]',
      'pod:shop/web-b NodePort Service/shop/web spec.ports[0]',
      'pod:shop/web-b NodePort Service/shop/web spec.ports[1]',
    ]);
  });
});
