/**
 * kubepath ingress controllers
 * ============================
 *
 * Traffic through an Ingress or HTTPRoute reaches its backend from the controller's
 * or gateway's pods, so the backend's policies must admit those pods, not the client.
 * When the snapshot holds them, kubepath recognises them by the labels their
 * standard charts and Gateway API implementations set; without them, the controller
 * is an unknown source (as netpol-analyzer's `{ingress-controller}`).
 */
import type {ClusterModel, PodInfo} from '../../graph/model.js';

/** `app.kubernetes.io/name` (or `app`) values of widely used ingress controllers and gateways. */
const CONTROLLER_NAMES = new Set([
  'ingress-nginx',
  'nginx-ingress',
  'nginx-gateway-fabric',
  'traefik',
  'haproxy-ingress',
  'kubernetes-ingress',
  'contour',
  'envoy',
  'envoy-gateway',
  'kong',
  'emissary-ingress',
  'ambassador',
  'skipper-ingress',
  'istio-ingressgateway',
]);

/** Why a pod counts as an ingress controller or gateway, or undefined when it does not. */
export function controllerLabel(pod: PodInfo): string | undefined {
  const labels = pod.labels;
  if (labels['gateway.networking.k8s.io/gateway-name']) return 'gateway.networking.k8s.io/gateway-name';
  if (labels.istio === 'ingressgateway') return 'istio';
  for (const key of ['app.kubernetes.io/name', 'app']) {
    const name = labels[key];
    // Charts label their admission webhooks and jobs with the same name: only the controller serves traffic.
    const component = labels['app.kubernetes.io/component'];
    if (name && CONTROLLER_NAMES.has(name) && (component === undefined || component === 'controller' || component === 'proxy')) return key;
  }
  return undefined;
}

export function ingressControllerPods(model: ClusterModel): PodInfo[] {
  return model.pods.filter((pod) => controllerLabel(pod) !== undefined);
}
