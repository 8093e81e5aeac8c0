import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import { tempDir } from '../helpers';

// scripts/test.sh (`npm test`) with stand-ins for tsc and jest that log their arguments: what is
// under test is which of them the script starts and how it exits, not the real compiler or runner
// (the real ones run in every whole `npm test`).
const script = path.join(__dirname, '..', '..', 'scripts', 'test.sh');

function run(args: string[], exits: { tsc?: number; jest?: number } = {}) {
  const dir = tempDir();
  const bin = path.join(dir, 'bin');
  fs.mkdirSync(bin);
  for (const tool of ['tsc', 'jest'] as const) {
    fs.writeFileSync(path.join(bin, tool), `#!/bin/sh\necho "$*" > "${path.join(dir, `${tool}.args`)}"\nexit ${exits[tool] ?? 0}\n`, { mode: 0o755 });
  }
  // A folder without ../shared/envtest beside it: the script unpacks nothing.
  const cwd = path.join(dir, 'checkout');
  fs.mkdirSync(cwd);
  const env = { ...process.env, PATH: `${bin}${path.delimiter}${process.env.PATH}`, KUBEBUILDER_ASSETS: '' };
  const result = spawnSync('sh', [script, ...args], { cwd, env, encoding: 'utf8' });
  const argsOf = (tool: string) => { const f = path.join(dir, `${tool}.args`); return fs.existsSync(f) ? fs.readFileSync(f, 'utf8').trim() : undefined; };
  return { status: result.status, stderr: result.stderr, tsc: argsOf('tsc'), jest: argsOf('jest') };
}

const skipped = (given: string) => `npm test: no type check, only jest (${given} was given); the whole npm test, npm run typecheck and CI check types`;

describe('npm test (scripts/test.sh)', () => {
  test.each([
    ['nothing', []],
    ['.ci/run\'s options', ['--json', '--outputFile=build/jest-results.json']],
    ['options whose values are separate arguments', ['--outputFile', 'build/out.json', '--maxWorkers', '1', '-w', '2', '--shard', '1/2']],
  ])('with %s, type checks the whole project beside jest', (_case, args) => {
    const r = run(args as string[]);
    expect(r.status).toBe(0);
    expect(r.tsc).toBe('--noEmit -p . --incremental --tsBuildInfoFile build/.tsbuildinfo-test');
    expect(r.jest).toBe(['--maxWorkers=100%', ...args as string[]].join(' '));
    expect(r.stderr).not.toContain('no type check');
  });

  test.each([
    ['a file', ['test/components/worker.test.ts'], 'test/components/worker.test.ts'],
    ['a folder after a boolean option', ['--verbose', 'test/validate'], 'test/validate'],
    ['a file after an option and its value', ['--maxWorkers', '1', 'test/deploy/workflow.test.ts'], 'test/deploy/workflow.test.ts'],
    ['a test name pattern', ['-t', 'worker'], '-t'],
    ['a path pattern with its value joined', ['--testPathPattern=components'], '--testPathPattern=components'],
  ])('given %s, runs jest alone and says so in one line', (_case, args, given) => {
    const r = run(args as string[]);
    expect(r.status).toBe(0);
    expect(r.tsc).toBeUndefined();
    expect(r.jest).toBe(['--maxWorkers=100%', ...args as string[]].join(' '));
    expect(r.stderr.trim().split('\n')).toEqual([skipped(given as string)]);
  });

  test('fails when the type check fails though the tests pass, and with the tests\' exit code when they fail', () => {
    const types = run([], { tsc: 2 });
    expect(types.status).toBe(2);
    expect(types.stderr).toContain('npm test: the type check failed (see above)');
    expect(run([], { jest: 1 }).status).toBe(1);
    expect(run(['test/components/worker.test.ts'], { jest: 1 }).status).toBe(1);
    // Given a file, a broken type check is not run, so it cannot fail the run.
    expect(run(['test/components/worker.test.ts'], { tsc: 2 }).status).toBe(0);
  });
});
