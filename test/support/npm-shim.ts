import * as fs from 'fs';
import * as path from 'path';
import { buildSync } from 'esbuild';
import { tempDir } from '../helpers';

const ROOT = path.join(__dirname, '..', '..');

let shimDir: string | undefined;

/**
 * A folder holding an `npm` for PATH that runs `npm run open-preview|close-preview|plan -- ARGS`
 * as the launcher does (scripts/launch.js: the command's `run(args)`, bundled by esbuild), in the
 * caller's folder. Why not the real npm: the tests' checkouts are temporary folders without a
 * package.json (npm runs a script in the package's root), and the launcher's type check of the
 * whole project first would fail on other work in progress in this checkout. Any other npm
 * command exits 99, so a test cannot pass by skipping one. Built once per test file.
 */
export function npmShim(): string {
  if (shimDir) return shimDir;
  const dir = tempDir();
  const bundle = path.join(dir, 'commands.js');
  const entry = path.join(dir, 'entry.ts');
  const modules = { 'open-preview': 'open-preview-command', 'close-preview': 'close-preview-command', plan: 'plan-command' };
  fs.writeFileSync(entry, [
    ...Object.values(modules).map((file, i) => `import { run as run${i} } from ${JSON.stringify(path.join(ROOT, 'lib', 'program', file))};`),
    `const commands: Record<string, (args: string[]) => number> = { ${Object.keys(modules).map((name, i) => `${JSON.stringify(name)}: run${i}`).join(', ')} };`,
    'process.exitCode = commands[process.argv[2]](process.argv.slice(3));',
    '',
  ].join('\n'));
  buildSync({ entryPoints: [entry], bundle: true, platform: 'node', outfile: bundle, logLevel: 'silent' });
  const bin = path.join(dir, 'bin');
  fs.mkdirSync(bin);
  fs.writeFileSync(path.join(bin, 'npm'), `#!/bin/sh\nif [ "$1" = run ] && [ "$3" = -- ]; then command="$2"; shift 3; exec node ${JSON.stringify(bundle)} "$command" "$@"; fi\necho "npm shim: not a preview command: $*" >&2; exit 99\n`, { mode: 0o755 });
  shimDir = bin;
  return bin;
}

