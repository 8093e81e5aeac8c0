import * as fs from 'fs';
import * as path from 'path';

// Survivor entries for scripts/mutation-sample.js's tests, shared by its two test files (the
// default type check, the project's tsc, has a file of its own: it takes ~25 s, and the scripts
// room's mutation runs run every test of a file for each mutant).

export const ROOT = path.join(__dirname, '..', '..');
export const SCRIPT = path.join(ROOT, 'scripts', 'mutation-sample.js');
export const TARGET = path.join(ROOT, 'lib', 'plan', 'objects.ts');

/** A survivor entry at the first occurrence of `original` in lib/plan/objects.ts. */
export function entryAt(original: string, replacement: string, room = 'plan') {
  const lines = fs.readFileSync(TARGET, 'utf8').split('\n');
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
