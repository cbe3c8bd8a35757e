/**
 * kubepath nesting bound
 * ======================
 *
 * How deeply values may nest, counting every mapping and sequence from the root. The
 * API server decodes up to 10,000 levels (the limit of apimachinery's util/json and of
 * encoding/json), but it decodes the kinds kubepath reads into typed structs, where
 * nothing nests deeper than about 20 levels; the deepest real manifests are CRDs that
 * embed a pod spec's schema (27 levels). JavaScript recursion gives out far below
 * 10,000 (the YAML library's near 700 levels, JSON.stringify's near 5,000), and every
 * object kubepath keeps is serialized, so deeper input is refused where it is read
 * (json.ts, yaml.ts) and where an object enters the snapshot (builder.ts, for the live
 * collector too).
 */
import {InputError} from './errors.js';

/** Levels a document may nest: lists and CRDs (skipped, but read) included. */
export const MAX_NESTING = 200;
/** Levels an object kubepath keeps may nest: a saved snapshot holds it three levels down, well within MAX_NESTING. */
export const MAX_OBJECT_NESTING = 100;

/** What is wrong with a value nested deeper than `levels`. */
export function tooDeepDetail(levels: number, throughAliases = false): string {
  return `nested more than ${levels} levels deep${throughAliases ? ' through aliases' : ''}, more than kubepath reads (Kubernetes objects nest about 20 levels)`;
}

export function tooDeep(file: string, line: number | undefined, throughAliases = false): InputError {
  return new InputError(file, line, tooDeepDetail(MAX_NESTING, throughAliases));
}

/**
 * The path at which `value`, itself inside `depth` mappings and sequences, nests more
 * than `levels` deep; with `findCycles`, 'cycle' when it contains itself (YAML aliases
 * can make it). The walk stops at the bound, so it cannot overflow the stack.
 */
export function nestingProblem(value: unknown, depth: number, levels: number): Array<string | number> | undefined;
export function nestingProblem(
  value: unknown,
  depth: number,
  levels: number,
  findCycles: true,
): Array<string | number> | 'cycle' | undefined;
export function nestingProblem(
  value: unknown,
  depth: number,
  levels: number,
  findCycles = false,
): Array<string | number> | 'cycle' | undefined {
  const open = findCycles ? new Set<object>() : undefined;
  const walk = (node: object, level: number): Array<string | number> | 'cycle' | undefined => {
    if (open?.has(node)) return 'cycle';
    open?.add(node);
    const keys = Array.isArray(node) ? undefined : Object.keys(node);
    const count = keys ? keys.length : (node as unknown[]).length;
    for (let i = 0; i < count; i++) {
      const key = keys ? keys[i]! : i;
      const child = (node as Record<string | number, unknown>)[key];
      if (typeof child !== 'object' || child === null) continue;
      if (level + 1 > levels) return [key];
      const found = walk(child, level + 1);
      if (found) return found === 'cycle' ? found : [key, ...found];
    }
    open?.delete(node);
    return undefined;
  };
  if (typeof value !== 'object' || value === null) return undefined;
  return depth + 1 > levels ? [] : walk(value, depth + 1);
}
