/**
 * kubepath rule context
 * =====================
 *
 * The engines rules share, built lazily: a cluster without network rules in play
 * never pays for the network engine (nor one without RBAC rules for the RBAC
 * engine), and every rule that needs one gets the same one.
 */
import {buildNetworkEngine, type NetworkEngine} from '../engines/network/engine.js';
import {DEFAULT_PROFILE, type CniProfile} from '../engines/network/profile.js';
import {buildRbacEngine, type RbacEngine} from '../engines/rbac/engine.js';
import type {ClusterModel} from '../graph/model.js';
import type {RuleContext} from './rule.js';

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
