import * as path from 'path';
import { OutputError, RECORD, synthStateDir, writeOutput } from '../../lib/program/output';
import { tempDir } from '../helpers';

// What the output tests (test/program/output*.test.ts) share.

/** Runs fn expecting an OutputError; returns its message. */
export function refusal(fn: () => unknown): string {
  try {
    fn();
  } catch (error) {
    expect(error).toBeInstanceOf(OutputError);
    return (error as Error).message;
  }
  throw new Error('expected an OutputError');
}

/** A dist/ the synth wrote once (a.yaml unless told): its parent, dist/, the state folder, the record file and the lock's path. */
export function firstOutput(files: Record<string, string> = { 'a.yaml': 'a: 1\n' }) {
  const parent = tempDir();
  const outdir = path.join(parent, 'dist');
  expect(writeOutput(outdir, new Map(Object.entries(files)))).toEqual([]);
  const state = synthStateDir(outdir);
  return { parent, outdir, state, recordFile: path.join(state, RECORD), lock: path.join(state, 'lock') };
}
