/** The small shared mechanisms: runs of items bounded by count and weight, and tasks kept in flight. */
import {describe, expect, it} from 'vitest';
import {chunks} from '../src/util/group.js';
import {InFlight} from '../src/util/in-flight.js';

describe('chunks', () => {
  it('cuts by count, and with a weight also by total weight; an item heavier than the bound is a run of its own', () => {
    expect(chunks([1, 2, 3, 4, 5], 2)).toEqual([[1, 2], [3, 4], [5]]);
    expect(chunks([1, 1, 5, 1, 9, 1], 10, (n) => n, 6)).toEqual([[1, 1], [5, 1], [9], [1]]);
    expect(chunks([], 3)).toEqual([]);
  });
});

describe('InFlight', () => {
  it('runs at most the limit at once, in order, and drains them all', async () => {
    const flight = new InFlight(2);
    let running = 0;
    let most = 0;
    const started: number[] = [];
    for (let i = 0; i < 6; i++) {
      await flight.run(async () => {
        started.push(i);
        most = Math.max(most, ++running);
        await new Promise((resolve) => setTimeout(resolve, 5 + (i % 3) * 5));
        running--;
      });
    }
    await flight.drain();
    expect(started).toEqual([0, 1, 2, 3, 4, 5]);
    expect(most).toBe(2);
    expect(running).toBe(0);
  });

  it('throws the first failure once everything started has settled, and starts nothing after it', async () => {
    const flight = new InFlight(2);
    const settled: number[] = [];
    const run = async () => {
      await flight.run(async () => {
        await new Promise((resolve) => setTimeout(resolve, 20));
        settled.push(0);
      });
      await flight.run(async () => {
        throw new Error('batch 1 failed');
      });
      await new Promise((resolve) => setTimeout(resolve, 1));
      await flight.run(async () => {
        settled.push(2);
      });
    };
    await expect(run()).rejects.toThrow('batch 1 failed');
    expect(settled).toEqual([0]);
    expect(() => new InFlight(0)).toThrow();
  });
});
