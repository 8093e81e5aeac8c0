import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import { tempDir } from '../helpers';

// Survivor entries for scripts/mutation-sample.js's tests, shared by its two test files (the
// default type check, the project's tsc, has a file of its own: it takes ~25 s, and the scripts
// room's mutation runs run every test of a file for each mutant).

export const ROOT = path.join(__dirname, '..', '..');

let checkout: string | undefined;
/**
 * The checkout the script runs from: this one, where it is a git checkout of its own. Stryker's
 * sandbox is a copy of the project inside the checkout, and the script clones its checkout, which
 * git cannot do from a subfolder: there it is a clone of the checkout around the copy, with the
 * copy's scripts (the code under test) laid over it and its node_modules linked. Made once per
 * test file, in a temporary folder removed after it.
 */
export function home(): string {
  if (checkout !== undefined) return checkout;
  const top = spawnSync('git', ['rev-parse', '--show-toplevel'], { cwd: ROOT, encoding: 'utf8' }).stdout.trim();
  if (top !== '' && fs.realpathSync(top) === fs.realpathSync(ROOT)) return (checkout = ROOT);
  const clone = path.join(tempDir(), 'checkout');
  const cloned = spawnSync('git', ['clone', '--quiet', top, clone], { encoding: 'utf8' });
  if (cloned.status !== 0) throw new Error(`${ROOT} is no git checkout, and the one around it (${top || 'none'}) cannot be cloned: ${cloned.stderr}`);
  for (const file of fs.readdirSync(path.join(ROOT, 'scripts'))) fs.copyFileSync(path.join(ROOT, 'scripts', file), path.join(clone, 'scripts', file));
  fs.symlinkSync(fs.realpathSync(path.join(ROOT, 'node_modules')), path.join(clone, 'node_modules'), 'dir');
  return (checkout = clone);
}

/** scripts/mutation-sample.js of the checkout the tests run it from. */
export const script = () => path.join(home(), 'scripts', 'mutation-sample.js');
/** The file the tests' survivors mutate, in that checkout. */
export const target = () => path.join(home(), 'lib', 'plan', 'objects.ts');

/** A survivor entry at the first occurrence of `original` in lib/plan/objects.ts. */
export function entryAt(original: string, replacement: string, room = 'plan') {
  const lines = fs.readFileSync(target(), 'utf8').split('\n');
  const line = lines.findIndex((l) => l.includes(original));
  const column = lines[line].indexOf(original) + 1;
  return {
    room, file: 'lib/plan/objects.ts', mutator: 'StringLiteral', replacement, original,
    location: { start: { line: line + 1, column }, end: { line: line + 1, column: column + original.length } },
  };
}

/** A list file of `entries` in `dir`. */
export function listFileIn(dir: string, entries: unknown[]): string {
  const file = path.join(dir, 'list.json');
  fs.writeFileSync(file, JSON.stringify(entries));
  return file;
}
