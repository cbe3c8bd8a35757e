/**
 * kubepath CNI profiles
 * =====================
 *
 * What the Kubernetes API leaves to the network plugin, as named presets (`--cni`).
 * The default, `generic`, reads the API text literally and matches netpol-analyzer,
 * whose reference outputs kubepath reproduces; `calico` and `cilium` follow what those
 * plugins document. docs/network.md explains each choice.
 */
export interface CniProfile {
  name: string;
  /** Whether an ipBlock also matches pod addresses (Calico: yes; Cilium: no, it classifies pods first). */
  ipBlockMatchesPods: boolean;
  /**
   * `pod`: a hostNetwork pod is selected and isolated like any pod (the API's option (i),
   * and netpol-analyzer). `node`: it is node traffic, outside NetworkPolicy: no selector
   * picks it, no policy isolates it, and it reaches every pod on its own node.
   */
  hostNetwork: 'pod' | 'node';
}

export const CNI_PROFILES: Readonly<Record<string, CniProfile>> = {
  generic: {name: 'generic', ipBlockMatchesPods: false, hostNetwork: 'pod'},
  calico: {name: 'calico', ipBlockMatchesPods: true, hostNetwork: 'node'},
  cilium: {name: 'cilium', ipBlockMatchesPods: false, hostNetwork: 'node'},
};

export const DEFAULT_PROFILE = CNI_PROFILES.generic!;
