/**
 * kubepath edge rule list
 * =======================
 *
 * Every attack-edge rule, listed explicitly: no import side effects, one place to
 * see what kubepath can conclude. Add a rule here together with its doc page and
 * fixtures.
 */
import {internetExposure} from './internet-exposure.js';
import {podNetworkReach} from './pod-network-reach.js';
import type {EdgeRule} from './rule.js';

export const RULES: readonly EdgeRule[] = [internetExposure, podNetworkReach];
