/**
 * Every posture rule, in the order findings list them: baseline, then restricted,
 * then hardening. Adding a rule means a file, a line here, fixtures in
 * test/fixtures/posture/<id>/ and a row in docs/posture.md.
 */
import {addedCapabilities} from './added-capabilities.js';
import {apparmorUnconfined} from './apparmor-unconfined.js';
import {capabilitiesNotDropped} from './capabilities-not-dropped.js';
import {defaultNamespace} from './default-namespace.js';
import {hostNamespaces} from './host-namespaces.js';
import {hostPath} from './host-path.js';
import {hostPorts} from './host-ports.js';
import {imageLatest} from './image-latest.js';
import {imageWithoutDigest} from './image-without-digest.js';
import {knownVulnerabilities} from './known-vulnerabilities.js';
import {privilegeEscalation} from './privilege-escalation.js';
import {privileged} from './privileged.js';
import {procMount} from './proc-mount.js';
import type {PostureRule} from './rule.js';
import {runAsRoot} from './run-as-root.js';
import {seccompMissing} from './seccomp-missing.js';
import {seccompUnconfined} from './seccomp-unconfined.js';
import {selinuxOptions} from './selinux-options.js';
import {sharedServiceAccount} from './shared-service-account.js';
import {unneededToken} from './unneeded-token.js';
import {untrustedRegistry} from './untrusted-registry.js';
import {volumeTypes} from './volume-types.js';
import {workloadDrift} from './workload-drift.js';
import {writableRootFilesystem} from './writable-root-filesystem.js';

export const POSTURE_RULES: readonly PostureRule[] = [
  privileged,
  hostNamespaces,
  hostPath,
  hostPorts,
  addedCapabilities,
  procMount,
  seccompUnconfined,
  apparmorUnconfined,
  selinuxOptions,
  runAsRoot,
  privilegeEscalation,
  capabilitiesNotDropped,
  seccompMissing,
  volumeTypes,
  writableRootFilesystem,
  imageLatest,
  imageWithoutDigest,
  untrustedRegistry,
  knownVulnerabilities,
  sharedServiceAccount,
  unneededToken,
  defaultNamespace,
  workloadDrift,
];
