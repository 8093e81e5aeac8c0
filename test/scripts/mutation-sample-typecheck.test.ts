import { spawnSync } from 'child_process';
import { tempDir } from '../helpers';
import { entryAt, home, listFileIn, script } from './sample-entries';

// scripts/mutation-sample.js's default type check, the project's tsc (~25 s), in a file of its own:
// mutation-sample.test.ts passes `--typecheck true` so that its runs stay quick.

test('the default type check is the project\'s tsc: a number made a string does not compile, and a number that stays one does', () => {
  const list = listFileIn(tempDir(), [entryAt('253', "'253'"), entryAt('253', '254')]);
  // No --typecheck: the default.
  const result = spawnSync(process.execPath, [script(), '--list', list, '--count', '2', '--command', 'exit 0'], { cwd: home(), encoding: 'utf8', env: { ...process.env, TMPDIR: tempDir() } });
  expect(result.stdout).toMatch(/^does not compile \(\d+ s\): plan lib\/plan\/objects.ts:\d+:\d+ StringLiteral -> "'253'" \(lib\/plan\/objects.ts\(\d+,\d+\): error TS\d+: /m);
  expect(result.stdout).toMatch(/^survived \(\d+ s\): plan lib\/plan\/objects.ts:\d+:\d+ StringLiteral -> "254"$/m);
  expect(result.status).toBe(0);
}, 120_000);
