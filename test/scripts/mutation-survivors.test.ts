import * as fs from 'fs';
import * as path from 'path';

// docs/mutation-survivors.json names the survivors docs/mutation.md argues are equivalent, each with
// the code it replaces. Code that moves under an entry leaves it naming nothing (mutate:sample
// reports it "moved"): the list must describe this checkout, so a change that moves such code
// records the file's survivors again (`npm run mutate:sample -- --record ROOM`).
const ROOT = path.join(__dirname, '..', '..');

interface Entry {
  readonly room: string;
  readonly file: string;
  readonly location: { readonly start: { readonly line: number; readonly column: number }; readonly end: { readonly line: number; readonly column: number } };
  readonly mutator: string;
  readonly replacement: string;
  readonly original: string;
}

/** The text between Stryker's 1-based line and column positions. */
function textAt(source: string, location: Entry['location']): string {
  const lines = source.split('\n');
  const offset = (p: { line: number; column: number }) => lines.slice(0, p.line - 1).reduce((n, l) => n + l.length + 1, 0) + p.column - 1;
  return source.slice(offset(location.start), offset(location.end));
}

const entries: Entry[] = JSON.parse(fs.readFileSync(path.join(ROOT, 'docs', 'mutation-survivors.json'), 'utf8'));

test('the list names survivors', () => {
  expect(entries.length).toBeGreaterThan(0);
});

test.each(entries.map((e) => [`${e.file}:${e.location.start.line}:${e.location.start.column} ${e.mutator} -> ${JSON.stringify(e.replacement)}`, e] as const))(
  '%s: the code it replaces is still there',
  (_name, entry) => {
    const file = path.join(ROOT, entry.file);
    expect(fs.existsSync(file)).toBe(true);
    expect(textAt(fs.readFileSync(file, 'utf8'), entry.location)).toBe(entry.original);
  },
);
