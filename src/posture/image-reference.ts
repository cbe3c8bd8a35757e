/**
 * What the image checks share: whether a trusted registry entry covers an image, and
 * one violation per container whose image reference (src/graph/image.ts) a check faults.
 */
import {parseImage, type ImageReference} from '../graph/image.js';
import {containersOf} from '../graph/pod-spec.js';
import type {PodInfo} from '../graph/model.js';
import type {Violation} from './rule.js';

/** Whether a trusted entry (`registry.acme.example`, `registry.acme.example/shop`, `docker.io/library`) covers the image. */
export function trustedBy(image: ImageReference, entry: string): boolean {
  const path = `${image.registry}/${image.repository}`;
  const prefix = entry.replace(/\/+$/, '');
  return path === prefix || path.startsWith(`${prefix}/`);
}

/**
 * One violation per container whose image `judge` faults: the three image checks
 * differ only in what they ask of the parsed reference.
 */
export function imageViolations(
  pod: PodInfo,
  judge: (image: ImageReference, written: string, fieldPath: string) => {note: string; fix: string} | undefined,
): Violation[] {
  return containersOf(pod).flatMap((ref) => {
    const written = ref.container.image;
    if (!written) return [];
    const fieldPath = `${ref.path}.image`;
    const fault = judge(parseImage(written), written, fieldPath);
    return fault ? [{evidence: {object: pod.source.object, field: fieldPath, value: written, note: fault.note}, fix: fault.fix}] : [];
  });
}
