/**
 * kubepath edge rule list
 * =======================
 *
 * Every attack-edge rule, listed explicitly: no import side effects, one place to
 * see what kubepath can conclude. Add a rule here together with its doc page and
 * fixtures.
 */
import {internetExposure} from './internet-exposure.js';
import {memberOf} from './member-of.js';
import {anonymousAccess} from './anonymous-access.js';
import {podNetworkReach} from './pod-network-reach.js';
import {usesToken} from './uses-token.js';
import {mountsSecret} from './mounts-secret.js';
import {holdsToken} from './holds-token.js';
import {escapesTo} from './escapes-to.js';
import {stealsTokens} from './steals-tokens.js';
import {hosts} from './hosts.js';
import {controlPlane} from './control-plane.js';
import {isClusterAdmin} from './is-cluster-admin.js';
import {canReadSecret} from './can-read-secret.js';
import {canExec} from './can-exec.js';
import {canCreatePodAs} from './can-create-pod-as.js';
import {canCreatePrivilegedPod} from './can-create-privileged-pod.js';
import {canPatch} from './can-patch.js';
import {canMintToken} from './can-mint-token.js';
import {canImpersonate} from './can-impersonate.js';
import {canEscalate} from './can-escalate.js';
import {nodeCredentials} from './node-credentials.js';
import type {EdgeRule} from './rule.js';

export const RULES: readonly EdgeRule[] = [
  internetExposure,
  podNetworkReach,
  memberOf,
  anonymousAccess,
  usesToken,
  mountsSecret,
  holdsToken,
  escapesTo,
  stealsTokens,
  hosts,
  controlPlane,
  isClusterAdmin,
  canReadSecret,
  canExec,
  canCreatePodAs,
  canCreatePrivilegedPod,
  canPatch,
  canMintToken,
  canImpersonate,
  canEscalate,
  nodeCredentials,
];
