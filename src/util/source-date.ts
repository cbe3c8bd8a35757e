/**
 * SOURCE_DATE_EPOCH (reproducible-builds.org): when set, the time kubepath writes into
 * its outputs (a report's header, a snapshot's collection time), so that the same
 * input gives the same bytes.
 */
import {UsageError} from '../snapshot/errors.js';

/** The latest time a JavaScript Date holds, in seconds. */
const LAST_EPOCH_SECOND = 8.64e12;

/** SOURCE_DATE_EPOCH's time, or undefined when unset. */
export function sourceDateEpoch(env: NodeJS.ProcessEnv = process.env): Date | undefined {
  const epoch = env.SOURCE_DATE_EPOCH;
  if (epoch === undefined || epoch === '') return undefined;
  // Set means reproducible output is wanted: a value that cannot give it is an error, not a silent `now`.
  if (!/^\d+$/.test(epoch) || Number(epoch) > LAST_EPOCH_SECOND) {
    throw new UsageError(`SOURCE_DATE_EPOCH must be whole seconds since 1970 (0 to ${LAST_EPOCH_SECOND}), not ${JSON.stringify(epoch)}`);
  }
  return new Date(Number(epoch) * 1000);
}

/**
 * The time an analysis of a snapshot stands at (a report's header, the day versions'
 * support is judged on): SOURCE_DATE_EPOCH, else when the snapshot was collected, else
 * now. The same snapshot then gives the same bytes on any day.
 */
export function analysisTime(collectedAt: string | undefined): string {
  const collected = collectedAt !== undefined && !Number.isNaN(Date.parse(collectedAt)) ? collectedAt : undefined;
  return sourceDateEpoch()?.toISOString() ?? collected ?? new Date().toISOString();
}
