/**
 * kubepath rule context
 * =====================
 *
 * What rules read (edge rules, and posture rules, whose context adds the user's
 * settings): the model, and the engines rules share, built lazily. A cluster without
 * network rules in play never pays for the network engine (nor one without RBAC rules
 * for the RBAC engine), and every rule that needs one gets the same one.
 */
import type {ClusterModel} from '../graph/model.js';
import {buildNetworkEngine, type NetworkEngine} from './network/engine.js';
import {DEFAULT_PROFILE, type CniProfile} from './network/profile.js';
import {buildRbacEngine, type RbacEngine} from './rbac/engine.js';

/** What rules read: the model, and the engines they share, each built once on first use. */
export interface RuleContext {
  model: ClusterModel;
  readonly network: NetworkEngine;
  readonly rbac: RbacEngine;
}

export interface ContextOptions {
  cni?: CniProfile;
}

export function createRuleContext(model: ClusterModel, options: ContextOptions = {}): RuleContext {
  let network: NetworkEngine | undefined;
  let rbac: RbacEngine | undefined;
  return {
    model,
    get network() {
      network ??= buildNetworkEngine(model, options.cni ?? DEFAULT_PROFILE);
      return network;
    },
    get rbac() {
      // With the bindings identities could write for themselves: edges they make possible say so in their evidence.
      rbac ??= buildRbacEngine(model, {escalations: true});
      return rbac;
    },
  };
}
