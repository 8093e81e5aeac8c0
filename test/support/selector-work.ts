import { selectorWork } from '../../lib/validate/network';

/**
 * The selector work (lib/validate/network.ts `selectorWork.steps`: selectors tried and index
 * entries visited) that `run` does. The tests bound work, not time: a count does not change with
 * the machine's load.
 */
export function selectorStepsOf(run: () => unknown): number {
  const before = selectorWork.steps;
  run();
  return selectorWork.steps - before;
}
