import * as path from 'path';

// A rename that fails half way through replacing the files (EBUSY, as a busy file system gives
// it) cannot be caused from outside the process between the synth's own calls, so this file
// replaces fs.renameSync with one that fails for one chosen destination; everything else is the
// real file system. The same fault on a real synth, by strace: test/program/synth-faults.js.
let failing: { call: 'rename' | 'unlink'; path: string } | undefined;
const calls: string[] = [];
jest.mock('fs', () => {
  const real = jest.requireActual('fs');
  const busy = (syscall: string, from: string, to?: string) => Object.assign(new Error(`EBUSY: resource busy or locked, ${syscall}`), { code: 'EBUSY', syscall, path: from, dest: to });
  return {
    ...real,
    renameSync: (from: string, to: string) => {
      calls.push(`rename ${path.basename(String(to))}`);
      if (failing?.call === 'rename' && String(to) === failing.path) throw busy('rename', String(from), String(to));
      return real.renameSync(from, to);
    },
    unlinkSync: (file: string) => {
      calls.push(`unlink ${path.basename(String(file))}`);
      if (failing?.call === 'unlink' && String(file) === failing.path) throw busy('unlink', String(file));
      return real.unlinkSync(file);
    },
  };
});

import { OutputError, writeOutput } from '../../lib/program/output';
import { folderTree, tempDir } from '../helpers';


const output = (files: Record<string, string>) => new Map(Object.entries(files));

test.each([
  ['the rename of the third file', 'rename', 'c.yaml', /rename ".*\/dist\/\.c\.yaml\.synth-[^"]+" -> ".*\/dist\/c\.yaml" failed: EBUSY \(resource busy or locked\)$/, ['rename a.yaml', 'rename b.yaml']],
  ['the removal of a file the new output has not', 'unlink', 'gone.yaml', /unlink ".*\/dist\/gone\.yaml" failed: EBUSY \(resource busy or locked\)$/, ['rename a.yaml', 'rename b.yaml', 'rename c.yaml']],
] as const)('%s failing puts back every file it had changed, and the record', (_, call, name, error, undone) => {
  const parent = tempDir();
  const outdir = path.join(parent, 'dist');
  writeOutput(outdir, output({ 'a.yaml': 'a: 1\n', 'b.yaml': 'b: 1\n', 'gone.yaml': 'g: 1\n' }));
  const before = folderTree(parent);
  failing = { call, path: path.join(outdir, name) };
  calls.length = 0;
  let message = '';
  try {
    writeOutput(outdir, output({ 'a.yaml': 'a: 2\n', 'b.yaml': 'b: 2\n', 'c.yaml': 'c: 1\n' }));
  } catch (thrown) {
    expect(thrown).toBeInstanceOf(OutputError);
    message = (thrown as Error).message;
  } finally {
    failing = undefined;
  }
  expect(message).toMatch(/^cannot write ".*\/dist": /);
  expect(message).toMatch(error);
  // The fault hit after other files had been replaced: the rollback had those to undo.
  const failed = calls.indexOf(`${call} ${name}`);
  for (const step of undone) expect(calls.slice(0, failed)).toContain(step);
  expect(folderTree(parent)).toEqual(before);
  writeOutput(outdir, output({ 'a.yaml': 'a: 2\n', 'c.yaml': 'c: 1\n' }));
  expect(folderTree(outdir)).toEqual({ 'a.yaml': 'a: 2\n', 'c.yaml': 'c: 1\n' });
});
