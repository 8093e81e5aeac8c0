import { spawn, spawnSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import { tempDir } from '../helpers';
import { entryAt, home, listFileIn, script, target } from './sample-entries';

// scripts/mutation-sample.js (npm run mutate:sample): applies named survivors one at a time to a
// copy of the checkout, runs a suite there, and says which the suite kills. Here the "suite" is a
// command that fails when it sees the mutant, so the runs are quick; the real one is jest.

const scratchRoot = tempDir();
let count = 0;
function scratch(): string {
  count += 1;
  const dir = path.join(scratchRoot, String(count));
  fs.mkdirSync(dir);
  return dir;
}

// The type check each mutant must pass first: `true` (every mutant compiles) unless a test names
// one, so that the runs stay quick; mutation-sample-typecheck.test.ts runs the real default, tsc.
function run(args: string[], tmp = scratch(), from = script()) {
  const typecheck = args.includes('--typecheck') || args.includes('--record') ? [] : ['--typecheck', 'true'];
  const result = spawnSync(process.execPath, [from, ...args, ...typecheck], { cwd: path.dirname(path.dirname(from)), encoding: 'utf8', env: { ...process.env, TMPDIR: tmp } });
  return { code: result.status, out: result.stdout, err: result.stderr, tmp };
}

function listFile(entries: unknown[]): string {
  return listFileIn(scratch(), entries);
}

// Fails (kills) when the copy's objects.ts holds the text; the checkout's copy is never asked.
const killsWhenItSees = (text: string) => `if grep -qF '${text}' lib/plan/objects.ts; then exit 1; else exit 0; fi`;

describe('npm run mutate:sample', () => {
  test('a survivor the suite catches is "killed", one it misses "survived", moved code "moved"; exit 1; the checkout and the temporary folder are left as they were', () => {
    const before = fs.readFileSync(target(), 'utf8');
    const caught = entryAt('253', '999');
    const missed = entryAt('253', '254');
    const moved = { ...entryAt('253', '1'), original: '252' };
    const { code, out, tmp } = run(['--list', listFile([caught, missed, moved]), '--count', '3', '--seed', '7', '--command', killsWhenItSees('MAX_NAME = 999')]);
    expect(code).toBe(1);
    const where = `lib/plan/objects.ts:${caught.location.start.line}:${caught.location.start.column}`;
    expect(out).toMatch(new RegExp(`^killed \\(\\d+ s\\): plan ${where} StringLiteral -> "999"$`, 'm'));
    expect(out).toMatch(new RegExp(`^survived \\(\\d+ s\\): plan ${where} StringLiteral -> "254"$`, 'm'));
    expect(out).toContain(`moved (the code is no longer there: record the room again): plan ${where} StringLiteral -> "1"`);
    expect(out).toContain('1 of 3 sampled survivors survive the suite; 0 do not compile (TypeScript refuses the mutant), 1 killed, 0 unsure (a test file that failed passed again, or failed without the mutant), 1 moved, 0 timed out (seed 7)');
    expect(fs.readFileSync(target(), 'utf8')).toBe(before);
    expect(fs.readdirSync(tmp)).toEqual([]);
  });

  test('every sampled survivor survives: exit 0; the same seed draws the same sample', () => {
    const entries = ['254', '255', '256', '257', '258', '259'].map((value) => entryAt('253', value));
    const list = listFile(entries);
    const first = run(['--list', list, '--count', '2', '--seed', '42', '--command', 'exit 0']);
    const again = run(['--list', list, '--count', '2', '--seed', '42', '--command', 'exit 0']);
    expect(first.code).toBe(0);
    const drawn = (out: string) => out.split('\n').filter((l) => l.startsWith('survived')).map((l) => l.replace(/\(\d+ s\)/, ''));
    expect(drawn(first.out)).toHaveLength(2);
    expect(drawn(again.out)).toEqual(drawn(first.out));
    expect(first.out).toContain('2 of 2 sampled survivors survive the suite; 0 do not compile (TypeScript refuses the mutant), 0 killed, 0 unsure (a test file that failed passed again, or failed without the mutant), 0 moved, 0 timed out (seed 42)');
  });

  test('the mutant is in the copy the command runs in, and the copy is a git checkout of this commit', () => {
    const head = spawnSync('git', ['rev-parse', 'HEAD'], { cwd: home(), encoding: 'utf8' }).stdout.trim();
    const command = `test "$(git rev-parse HEAD)" = "${head}" && grep -qF 'MAX_NAME = 254' lib/plan/objects.ts && test -d node_modules/jest && exit 0; exit 1`;
    const { code, out } = run(['--list', listFile([entryAt('253', '254')]), '--command', command]);
    expect(out).toContain('1 of 1 sampled survivors survive the suite');
    expect(code).toBe(0);
  });

  test('a kill names the test file jest reported failing, confirmed by that file alone: failing with the mutant, passing without', () => {
    const log = path.join(scratch(), 'runs.log');
    const command = `echo "[$MUTATION_SAMPLE_FILE]" >> ${log}; if grep -qF 'MAX_NAME = 999' lib/plan/objects.ts; then echo "FAIL test/plan/objects.test.ts (2.1 s)" >&2; exit 1; fi; exit 0`;
    const { code, out } = run(['--list', listFile([entryAt('253', '999')]), '--command', command]);
    expect(code).toBe(1);
    expect(out).toMatch(/^killed \(\d+ s\): plan lib\/plan\/objects.ts:\d+:\d+ StringLiteral -> "999" \(FAIL test\/plan\/objects.test.ts \(2.1 s\)\)$/m);
    // The whole suite, then the failing file with the mutant, then without it.
    expect(fs.readFileSync(log, 'utf8')).toBe('[]\n[test/plan/objects.test.ts]\n[test/plan/objects.test.ts]\n');
  });

  test('a test file that fails once and then passes makes the verdict "unsure", not a kill', () => {
    const count = path.join(scratch(), 'count');
    // Fails on its first run only, mutant or not: a test that failed by time.
    const command = `if [ -e ${count} ]; then exit 0; fi; touch ${count}; echo "FAIL test/deploy/workflow.test.ts (29.2 s)"; exit 1`;
    const { code, out } = run(['--list', listFile([entryAt('253', '999')]), '--command', command]);
    expect(code).toBe(1);
    expect(out).toMatch(/^unsure \(\d+ s\): plan lib\/plan\/objects.ts:\d+:\d+ StringLiteral -> "999" \(FAIL test\/deploy\/workflow.test.ts \(29.2 s\)\)$/m);
    expect(out).toContain('0 of 1 sampled survivors survive the suite; 0 do not compile (TypeScript refuses the mutant), 0 killed, 1 unsure');
  });

  test('a test file that fails without the mutant too makes the verdict "unsure"', () => {
    const { code, out } = run(['--list', listFile([entryAt('253', '999')]), '--command', 'echo "FAIL test/x.test.ts"; exit 1']);
    expect(code).toBe(1);
    expect(out).toMatch(/^unsure \(\d+ s\): /m);
  });

  test('a suite that runs past the time limit is stopped and counts as a timeout, exit 1', () => {
    const tmp = scratch();
    const started = Date.now();
    const result = spawnSync(process.execPath, [script(), '--list', listFile([entryAt('253', '999')]), '--command', 'sleep 30', '--typecheck', 'true'], {
      cwd: home(), encoding: 'utf8', env: { ...process.env, TMPDIR: tmp, MUTATION_SAMPLE_TIMEOUT_MS: '500' },
    });
    expect(result.status).toBe(1);
    expect(result.stdout).toMatch(/^timeout \(\d+ s\): plan lib\/plan\/objects.ts/m);
    // Well under the 30 s the suite would take: it was stopped.
    expect(Date.now() - started).toBeLessThan(25_000);
    expect(fs.readdirSync(tmp)).toEqual([]);
  });

  test('an interrupt stops the running suite and every process it started, removes the copy and exits 1', async () => {
    const tmp = scratch();
    // A sleep no other process runs: after the interrupt, none may be left.
    const marker = `sleep 47.${process.pid}`;
    const child = spawn(process.execPath, [script(), '--list', listFile([entryAt('253', '999')]), '--command', `${marker}; exit 0`, '--typecheck', 'true'], {
      cwd: home(), env: { ...process.env, TMPDIR: tmp },
    });
    let out = '';
    let err = '';
    let interrupted = 0;
    child.stdout.on('data', (chunk) => {
      out += chunk;
      if (out.includes('re-checking') && interrupted === 0) {
        interrupted = -1;
        setTimeout(() => {
          interrupted = Date.now();
          child.kill('SIGINT');
        }, 1_000);
      }
    });
    child.stderr.on('data', (chunk) => (err += chunk));
    const code = await new Promise<number | null>((resolve) => child.on('close', resolve));
    expect(code).toBe(1);
    // Long before the 47 s the suite would take.
    expect(Date.now() - interrupted).toBeLessThan(15_000);
    expect(err).toContain('mutate:sample: stopped by SIGINT; the checkout was not changed');
    expect(fs.readdirSync(tmp)).toEqual([]);
    expect(spawnSync('pgrep', ['-f', marker]).status).toBe(1);
  }, 60_000);

  test('a mutant the type check refuses "does not compile": the suite is not run for it, and it is no kill (exit 0)', () => {
    const log = path.join(scratch(), 'runs.log');
    const typecheck = `if grep -qF 'MAX_NAME = 777' lib/plan/objects.ts; then echo "lib/plan/objects.ts(33,7): error TS2322: Type 'string' is not assignable to type 'number'."; exit 2; fi; exit 0`;
    const list = listFile([entryAt('253', '777'), entryAt('253', '254')]);
    const { code, out } = run(['--list', list, '--count', '2', '--command', `echo suite >> ${log}; exit 0`, '--typecheck', typecheck]);
    expect(out).toMatch(/^does not compile \(\d+ s\): plan lib\/plan\/objects.ts:\d+:\d+ StringLiteral -> "777" \(lib\/plan\/objects.ts\(33,7\): error TS2322: Type 'string' is not assignable to type 'number'.\)$/m);
    expect(out).toMatch(/^survived \(\d+ s\): plan lib\/plan\/objects.ts:\d+:\d+ StringLiteral -> "254"$/m);
    expect(out).toContain('1 of 2 sampled survivors survive the suite; 1 do not compile (TypeScript refuses the mutant), 0 killed');
    // The suite ran once: for the mutant that compiles.
    expect(fs.readFileSync(log, 'utf8')).toBe('suite\n');
    expect(code).toBe(0);
  });

  test('a copy that fails the type check without any mutant: one line naming the error, exit 2, nothing sampled', () => {
    const typecheck = `echo "lib/program/x.ts(50,26): error TS2552: Cannot find name 'error'."; exit 2`;
    const tmp = scratch();
    const { code, out, err } = run(['--list', listFile([entryAt('253', '254')]), '--command', 'exit 0', '--typecheck', typecheck], tmp);
    expect(err).toBe("error: the checkout does not pass the type check without any mutant (lib/program/x.ts(50,26): error TS2552: Cannot find name 'error'.): fix that first; nothing was sampled\n");
    expect(out).not.toMatch(/^(survived|does not compile)/m);
    expect(code).toBe(2);
    expect(fs.readdirSync(tmp)).toEqual([]);
  });

  test('a checkout whose node_modules is a link (as in the copy this makes) is copied too: no stack trace, the suite runs', () => {
    const checkout = path.join(scratch(), 'checkout');
    expect(spawnSync('git', ['clone', '--quiet', home(), checkout]).status).toBe(0);
    // This checkout's script (perhaps not yet committed), and a .gitignore whose `node_modules/`
    // (a folder only) lets git list the link as a file to copy.
    for (const file of ['mutation-sample.js', 'mutation-config.js']) fs.copyFileSync(path.join(home(), 'scripts', file), path.join(checkout, 'scripts', file));
    fs.writeFileSync(path.join(checkout, '.gitignore'), 'node_modules/\n');
    fs.symlinkSync(path.join(home(), 'node_modules'), path.join(checkout, 'node_modules'), 'dir');
    expect(spawnSync('git', ['ls-files', '--others', '--exclude-standard'], { cwd: checkout, encoding: 'utf8' }).stdout).toContain('node_modules\n');
    const command = 'test -d node_modules/jest && exit 0; exit 1';
    const { code, out, err } = run(['--list', listFile([entryAt('253', '254')]), '--command', command], scratch(), path.join(checkout, 'scripts', 'mutation-sample.js'));
    expect(err).toBe('');
    expect(out).toContain('1 of 1 sampled survivors survive the suite');
    expect(code).toBe(0);
  });

  test('the copy can be read by other users, as a checkout can (the suite runs the validator as another user too)', () => {
    const { code, out } = run(['--list', listFile([entryAt('253', '254')]), '--command', 'test "$(stat -c %a ..)" = 755']);
    expect(out).toContain('1 of 1 sampled survivors survive the suite');
    expect(code).toBe(0);
  });

  test('--room draws from that room only', () => {
    const list = listFile([entryAt('253', '999', 'plan'), entryAt('253', '254', 'program')]);
    const { code, out } = run(['--list', list, '--room', 'program', '--count', '5', '--command', killsWhenItSees('MAX_NAME = 999')]);
    expect(code).toBe(0);
    expect(out).toContain('re-checking 1 of 1 named survivors');
    expect(out).toMatch(/^survived \(\d+ s\): program lib\/plan\/objects.ts:\d+:\d+ StringLiteral -> "254"$/m);
  });

  test('--record writes the survivors of a report with the code each replaces, keeping other rooms and the room\'s other files', () => {
    const source = 'const a = 1;\nconst b = "two";\n';
    const report = path.join(scratch(), 'plan.json');
    fs.writeFileSync(report, JSON.stringify({
      files: {
        'lib/plan/x.ts': {
          source,
          mutants: [
            { mutatorName: 'StringLiteral', replacement: '""', status: 'Survived', location: { start: { line: 2, column: 11 }, end: { line: 2, column: 16 } } },
            { mutatorName: 'ArithmeticOperator', replacement: '0', status: 'Killed', location: { start: { line: 1, column: 11 }, end: { line: 1, column: 12 } } },
            { mutatorName: 'NumberLiteral', replacement: '2', status: 'NoCoverage', location: { start: { line: 1, column: 11 }, end: { line: 1, column: 12 } } },
          ],
        },
      },
    }));
    const other = entryAt('253', '254', 'program');
    // A file of the room the report does not hold: its survivors stand (the room was run in parts).
    const otherFile = entryAt('253', '1', 'plan');
    // The report's file: its old survivors go, whatever they were (the one at line 1 is killed now).
    const stale = { ...otherFile, file: 'lib/plan/x.ts', location: { start: { line: 1, column: 11 }, end: { line: 1, column: 12 } }, replacement: '0', original: '1' };
    // A file no longer in the checkout: nothing could re-check it.
    const gone = { ...otherFile, file: 'lib/plan/gone.ts' };
    const list = listFile([other, stale, otherFile, gone]);
    const { code, out } = run(['--record', 'plan', '--report', report, '--list', list]);
    expect(code).toBe(0);
    expect(out).toContain('recorded 2 survivors of room plan');
    expect(JSON.parse(fs.readFileSync(list, 'utf8'))).toEqual([
      otherFile,
      { room: 'plan', file: 'lib/plan/x.ts', location: { start: { line: 1, column: 11 }, end: { line: 1, column: 12 } }, mutator: 'NumberLiteral', replacement: '2', original: '1' },
      { room: 'plan', file: 'lib/plan/x.ts', location: { start: { line: 2, column: 11 }, end: { line: 2, column: 16 } }, mutator: 'StringLiteral', replacement: '""', original: '"two"' },
      other,
    ]);
  });

  test('--record reads every --report given (a room run in parts), listing a mutant two reports hold once, with the last report\'s verdict', () => {
    const survivor = (line: number, replacement: string, status = 'Survived') => ({ mutatorName: 'StringLiteral', replacement, status, location: { start: { line, column: 11 }, end: { line, column: 14 } } });
    const part = (name: string, mutants: unknown[]) => {
      const file = path.join(scratch(), name);
      fs.writeFileSync(file, JSON.stringify({ files: { 'lib/program/y.ts': { source: 'const a = "a";\nconst b = "b";\n', mutants } } }));
      return file;
    };
    const first = part('first.json', [survivor(1, '""'), survivor(2, '"x"')]);
    const second = part('second.json', [survivor(2, '"x"'), survivor(2, '""'), survivor(1, '"y"')]);
    // A part run again with --force: the first report's survivor at line 1 is killed now.
    const third = part('third.json', [survivor(1, '""', 'Killed'), survivor(1, '"y"', 'NoCoverage')]);
    const list = listFile([]);
    const { code, out } = run(['--record', 'program', '--report', first, '--report', second, '--report', third, '--list', list]);
    expect(code).toBe(0);
    expect(out).toContain('recorded 3 survivors of room program');
    expect(JSON.parse(fs.readFileSync(list, 'utf8')).map((e: { location: { start: { line: number } }; replacement: string; original: string }) => [e.location.start.line, e.replacement, e.original]))
      .toEqual([[1, '"y"', '"a"'], [2, '""', '"b"'], [2, '"x"', '"b"']]);
  });

  test.each([
    [['--count', '0'], '--count takes a whole number of 1 or more'],
    [['--seed=-1'], '--seed takes a whole number of 0 or more'],
    [['--room', 'nowhere'], '--room takes one of components, plan, program, scripts, validate'],
    [['--record', 'nowhere'], '--record takes a room: one of components, plan, program, scripts, validate'],
    [['--bogus'], "Unknown option '--bogus'"],
    [['--list', '/nonexistent/list.json'], 'cannot read the list /nonexistent/list.json: ENOENT'],
  ])('%j is refused with one line and the usage, exit 2', (args, message) => {
    const { code, err, out } = run(args);
    expect(code).toBe(2);
    expect(err).toContain(message);
    expect(out).toBe('');
  });
});
