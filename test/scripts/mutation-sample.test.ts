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

/** `text` as a regular expression that matches it literally. */
const escaped = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

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

  test.each([['SIGINT', 47], ['SIGTERM', 48]] as const)('%s stops the running suite and every process it started, removes the copy and exits 1', async (signal, seconds) => {
    const tmp = scratch();
    // A sleep no other process runs: after the signal, none may be left.
    const marker = `sleep ${seconds}.${process.pid}`;
    const child = spawn(process.execPath, [script(), '--list', listFile([entryAt('253', '999')]), '--command', `${marker}; exit 0`, '--typecheck', 'true'], {
      cwd: home(), env: { ...process.env, TMPDIR: tmp },
    });
    let out = '';
    let err = '';
    let sentAt = 0;
    child.stdout.on('data', (chunk) => {
      out += chunk;
      if (out.includes('re-checking') && sentAt === 0) {
        sentAt = -1;
        setTimeout(() => {
          sentAt = Date.now();
          child.kill(signal);
        }, 1_000);
      }
    });
    child.stderr.on('data', (chunk) => (err += chunk));
    const [code, exitSignal] = await new Promise<[number | null, string | null]>((resolve) => child.on('close', (c, s) => resolve([c, s])));
    expect([code, exitSignal]).toEqual([1, null]);
    // Long before the suite's sleep would end.
    expect(Date.now() - sentAt).toBeLessThan(15_000);
    expect(err).toBe(`mutate:sample: stopped by ${signal}; the checkout was not changed\n`);
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

  test('a list or report that is no regular file (a named pipe) or is over 256 MiB is refused unread: one line, exit 2, no wait', () => {
    const dir = scratch();
    const pipe = path.join(dir, 'list.json');
    expect(spawnSync('mkfifo', [pipe]).status).toBe(0);
    const big = path.join(dir, 'big.json');
    fs.writeFileSync(big, '');
    fs.truncateSync(big, 256 * 1024 * 1024 + 1); // sparse: no disk, and never read
    for (const [args, file] of [[['--list', pipe], pipe], [['--list', big], big], [['--record', 'plan', '--report', pipe, '--list', big], pipe]] as const) {
      const result = spawnSync(process.execPath, [script(), ...args], { cwd: home(), encoding: 'utf8', timeout: 60_000 });
      const why = file === pipe ? 'not a regular file' : 'larger than 256 MiB, no list or report of this project';
      expect([result.status, result.stdout, result.stderr]).toEqual([2, '', `error: cannot read the ${args[0] === '--record' ? 'Stryker report' : 'list'} ${file}: ${why}\n`]);
    }
    // 256 MiB itself is read (and is no JSON: a file of zero bytes).
    fs.truncateSync(big, 256 * 1024 * 1024);
    const edge = spawnSync(process.execPath, [script(), '--list', big], { cwd: home(), encoding: 'utf8', timeout: 60_000 });
    expect(edge.status).toBe(2);
    expect(edge.stderr).toMatch(/^error: cannot read the list .*big\.json: .*JSON/);
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

describe('npm run mutate:sample: arguments, lists and --record', () => {
  const USAGE = 'usage: npm run mutate:sample -- [--count N] [--seed S] [--room ROOM] [--list FILE] [--command CMD] [--typecheck CMD]\n'
    + '       npm run mutate:sample -- --record ROOM [--report FILE]... [--list FILE]\n';


  /** A folder laid out as a checkout holding only the script (no git): its docs, reports and lib are `files`. */
  function bareCheckout(files: Record<string, string>): string {
    const dir = scratch();
    fs.mkdirSync(path.join(dir, 'scripts'));
    for (const file of ['mutation-sample.js', 'mutation-config.js']) fs.copyFileSync(path.join(home(), 'scripts', file), path.join(dir, 'scripts', file));
    for (const [file, text] of Object.entries(files)) {
      fs.mkdirSync(path.dirname(path.join(dir, file)), { recursive: true });
      fs.writeFileSync(path.join(dir, file), text);
    }
    return dir;
  }

  test.each([['--help'], ['-h']])('%s prints the usage on stdout, exit 0, and nothing is run', (flag) => {
    // A list that cannot be read: were the flag ignored, the run would stop there.
    const { code, out, err } = run([flag, '--list', '/nonexistent/list.json', '--command', 'exit 0']);
    expect(out).toBe(USAGE);
    expect(err).toBe('');
    expect(code).toBe(0);
  });

  test('a positional argument is refused, exit 2', () => {
    const { code, out, err } = run(['stray', '--list', '/nonexistent/list.json', '--command', 'exit 0']);
    expect(err.split('\n')[0]).toBe("error: Unexpected argument 'stray'. This command does not take positional arguments");
    expect(out).toBe('');
    expect(code).toBe(2);
  });

  test('a list that cannot be read is named whole with the error\'s code; a list that is no JSON with its message; a folder by its path', () => {
    const missing = run(['--list', '/nonexistent/list.json']);
    expect(missing.err).toBe('error: cannot read the list /nonexistent/list.json: ENOENT\n');
    expect(missing.code).toBe(2);
    const corrupt = path.join(scratch(), 'list.json');
    fs.writeFileSync(corrupt, '[{"room": ');
    const bad = run(['--list', corrupt]);
    expect(bad.err).toMatch(new RegExp(`^error: cannot read the list ${escaped(corrupt)}: .*JSON.*\n$`));
    expect(bad.err).not.toContain('undefined');
    expect(bad.code).toBe(2);
    // The checkout itself, as the list: its path said whole, not as an empty relative one.
    const folder = run(['--list', home()]);
    expect(folder.err).toBe(`error: cannot read the list ${home()}: EISDIR\n`);
    expect(folder.code).toBe(2);
  });

  test('a list that is no list of survivors is refused with one line, exit 2', () => {
    const list = path.join(scratch(), 'list.json');
    fs.writeFileSync(list, '{"room": "plan"}');
    const { code, out, err } = run(['--list', list, '--command', 'exit 0']);
    expect(err).toBe(`error: ${list} is not a list of survivors\n${USAGE}`);
    expect(out).toBe('');
    expect(code).toBe(2);
  });

  test('a list with no survivors to draw (none at all, none of the room) is refused with one line, exit 2', () => {
    const empty = listFile([]);
    const none = run(['--list', empty, '--command', 'exit 0']);
    expect(none.err).toBe(`error: no named survivors in ${empty}\n${USAGE}`);
    expect(none.out).toBe('');
    expect(none.code).toBe(2);
    const list = listFile([entryAt('253', '254', 'plan')]);
    const ofRoom = run(['--list', list, '--room', 'program', '--command', 'exit 0']);
    expect(ofRoom.err).toBe(`error: no named survivors of room program in ${list}\n${USAGE}`);
    expect(ofRoom.code).toBe(2);
  });

  test('the default list is the checkout\'s docs/mutation-survivors.json, named relative to the checkout', () => {
    const dir = bareCheckout({ 'docs/mutation-survivors.json': JSON.stringify([entryAt('253', '254', 'plan')]) });
    const { code, out, err } = run(['--room', 'program', '--command', 'exit 0'], scratch(), path.join(dir, 'scripts', 'mutation-sample.js'));
    expect(err).toBe(`error: no named survivors of room program in docs/mutation-survivors.json\n${USAGE}`);
    expect(out).toBe('');
    expect(code).toBe(2);
  });

  test('--count 1 and --seed 0 are taken: the smallest of each', () => {
    const list = listFile([entryAt('253', '254'), entryAt('253', '255')]);
    const { code, out, err } = run(['--list', list, '--count', '1', '--seed', '0', '--command', 'exit 0']);
    expect(err).toBe('');
    expect(out).toContain('re-checking 1 of 2 named survivors (seed 0) with `exit 0` in a copy of the checkout\n');
    expect(out).toContain('1 of 1 sampled survivors survive the suite; 0 do not compile (TypeScript refuses the mutant), 0 killed, 0 unsure (a test file that failed passed again, or failed without the mutant), 0 moved, 0 timed out (seed 0)\n');
    expect(code).toBe(0);
  });

  test('without --seed each run draws a seed of its own', () => {
    const list = listFile([entryAt('253', '254')]);
    const seedOf = () => {
      const { code, out } = run(['--list', list, '--command', 'exit 0']);
      expect(code).toBe(0);
      return /^re-checking 1 of 1 named survivors \(seed (\d+)\)/m.exec(out)?.[1];
    };
    const first = seedOf();
    const second = seedOf();
    expect(first).toMatch(/^\d+$/);
    expect(second).toMatch(/^\d+$/);
    // Two draws of 2^31 alike: once in two billion runs.
    expect(first).not.toBe(second);
  });

  test('a survivor whose location is not in the file (a line 0, a line past the end) is "moved", not applied', () => {
    const text = fs.readFileSync(target(), 'utf8');
    const lines = text.split('\n').length;
    const base = entryAt('253', '254');
    const entries = [
      // From line 0: no place, whatever the code at the file's start.
      { ...base, replacement: 'A', original: text.slice(0, 4), location: { start: { line: 0, column: 1 }, end: { line: 1, column: 5 } } },
      { ...base, replacement: 'B', original: text.slice(1, 4), location: { start: { line: 0, column: 1 }, end: { line: 1, column: 5 } } },
      // To a line past the end: no place either, even for an empty original.
      { ...base, replacement: 'C', original: '', location: { start: { line: 1, column: 1 }, end: { line: lines + 5, column: 1 } } },
    ];
    const { code, out } = run(['--list', listFile(entries), '--count', '3', '--command', 'exit 0']);
    for (const replacement of ['A', 'B', 'C']) {
      const location = entries.find((e) => e.replacement === replacement)!.location.start;
      expect(out).toContain(`moved (the code is no longer there: record the room again): plan lib/plan/objects.ts:${location.line}:${location.column} StringLiteral -> "${replacement}"\n`);
    }
    expect(out).toContain('0 of 3 sampled survivors survive the suite; 0 do not compile (TypeScript refuses the mutant), 0 killed, 0 unsure (a test file that failed passed again, or failed without the mutant), 3 moved, 0 timed out');
    expect(code).toBe(1);
  });

  test('--record reads the code each survivor replaces in a file that starts with an empty line and ends without a newline', () => {
    const report = path.join(scratch(), 'plan.json');
    const source = '\nconst a = "one";\nconst b = "two";';
    const survivor = (line: number, replacement: string) => ({ mutatorName: 'StringLiteral', replacement, status: 'Survived', location: { start: { line, column: 11 }, end: { line, column: 16 } } });
    fs.writeFileSync(report, JSON.stringify({ files: { 'lib/plan/z.ts': { source, mutants: [survivor(2, '"1"'), survivor(3, '"2"')] } } }));
    const list = listFile([]);
    const { code, out } = run(['--record', 'plan', '--report', report, '--list', list]);
    expect(code).toBe(0);
    expect(out).toContain('recorded 2 survivors of room plan');
    const recorded = JSON.parse(fs.readFileSync(list, 'utf8')) as { replacement: string; original: string }[];
    expect(recorded.find((e) => e.replacement === '"1"')?.original).toBe('"one"');
    expect(recorded.find((e) => e.replacement === '"2"')?.original).toBe('"two"');
  });

  test('--record with no list yet writes one of the room\'s survivors alone', () => {
    const report = path.join(scratch(), 'plan.json');
    fs.writeFileSync(report, JSON.stringify({ files: { 'lib/plan/x.ts': { source: 'const a = 1;\n', mutants: [{ mutatorName: 'NumberLiteral', replacement: '2', status: 'Survived', location: { start: { line: 1, column: 11 }, end: { line: 1, column: 12 } } }] } } }));
    const list = path.join(scratch(), 'new-list.json');
    const { code, out, err } = run(['--record', 'plan', '--report', report, '--list', list]);
    expect(err).toBe('');
    expect(out).toBe(`recorded 1 survivors of room plan in ${list} (1 in all)\n`);
    expect(JSON.parse(fs.readFileSync(list, 'utf8'))).toEqual([
      { room: 'plan', file: 'lib/plan/x.ts', location: { start: { line: 1, column: 11 }, end: { line: 1, column: 12 } }, mutator: 'NumberLiteral', replacement: '2', original: '1' },
    ]);
    expect(code).toBe(0);
  });

  test('--record: a report or a list that cannot be read is named, exit 2', () => {
    const missing = run(['--record', 'plan', '--report', '/nonexistent/report.json', '--list', listFile([])]);
    expect(missing.err).toBe('error: cannot read the Stryker report /nonexistent/report.json: ENOENT\n');
    expect(missing.code).toBe(2);
    const report = path.join(scratch(), 'plan.json');
    fs.writeFileSync(report, JSON.stringify({ files: {} }));
    const list = path.join(scratch(), 'list.json');
    fs.writeFileSync(list, 'not json');
    const corrupt = run(['--record', 'plan', '--report', report, '--list', list]);
    expect(corrupt.err).toMatch(new RegExp(`^error: cannot read the list ${escaped(list)}: .*JSON.*\n$`));
    expect(corrupt.code).toBe(2);
    expect(fs.readFileSync(list, 'utf8')).toBe('not json');
  });

  test('--record without --report reads the room\'s report in reports/mutation into docs/mutation-survivors.json: the room\'s old entries of a file it holds go, though the file is there; other rooms\' entries stay, whatever their files', () => {
    const entry = (room: string, file: string, replacement: string) => ({
      room, file, location: { start: { line: 1, column: 11 }, end: { line: 1, column: 12 } }, mutator: 'NumberLiteral', replacement, original: '1',
    });
    const dir = bareCheckout({
      'lib/plan/x.ts': 'const a = 1;\n',
      'reports/mutation/plan.json': JSON.stringify({ files: { 'lib/plan/x.ts': { source: 'const a = 1;\n', mutants: [{ mutatorName: 'NumberLiteral', replacement: '2', status: 'Survived', location: { start: { line: 1, column: 11 }, end: { line: 1, column: 12 } } }] } } }),
      // The room's old survivor of the file the report holds (killed now), and another room's of a file not here.
      'docs/mutation-survivors.json': JSON.stringify([entry('plan', 'lib/plan/x.ts', '0'), entry('program', 'lib/program/elsewhere.ts', '3')]),
    });
    const { code, out, err } = run(['--record', 'plan'], scratch(), path.join(dir, 'scripts', 'mutation-sample.js'));
    expect(err).toBe('');
    expect(out).toBe('recorded 1 survivors of room plan in docs/mutation-survivors.json (2 in all)\n');
    expect(JSON.parse(fs.readFileSync(path.join(dir, 'docs', 'mutation-survivors.json'), 'utf8'))).toEqual([
      entry('plan', 'lib/plan/x.ts', '2'),
      entry('program', 'lib/program/elsewhere.ts', '3'),
    ]);
    expect(code).toBe(0);
  });
});

describe('npm run mutate:sample: how the type check and the suite end', () => {
  // As run(), with more of the environment (a time limit, a PATH), and no `--typecheck true` added
  // when `typecheck` is false (the default type check, tsc).
  function runIn(args: string[], env: Record<string, string> = {}, { from = script(), typecheck = true } = {}) {
    const tmp = scratch();
    const extra = args.includes('--typecheck') || !typecheck ? [] : ['--typecheck', 'true'];
    const result = spawnSync(process.execPath, [from, ...args, ...extra], { cwd: path.dirname(path.dirname(from)), encoding: 'utf8', env: { ...process.env, TMPDIR: tmp, ...env } });
    return { code: result.status, out: result.stdout, err: result.stderr, tmp };
  }
  const baselineError = (why: string) => `error: the checkout does not pass the type check without any mutant (${why}): fix that first; nothing was sampled\n`;
  const seconds = (out: string, verdict: string) => Number(new RegExp(`^${verdict} \\((\\d+) s\\): `, 'm').exec(out)?.[1]);

  test('without --command the suite is jest (`npx jest --bail --silent $MUTATION_SAMPLE_FILE`), named in the first line', () => {
    const { code, out, err, tmp } = run(['--list', listFile([entryAt('253', '254')]), '--typecheck', 'exit 3']);
    expect(out).toMatch(/^re-checking 1 of 1 named survivors \(seed \d+\) with `npx jest --bail --silent \$MUTATION_SAMPLE_FILE` in a copy of the checkout$/m);
    expect(err).toBe(baselineError('exit 3'));
    expect(code).toBe(2);
    expect(fs.readdirSync(tmp)).toEqual([]);
  });

  test.each([
    ['exits 3 without naming an error', 'exit 3', 'exit 3'],
    ['is killed by a signal', 'kill -9 $$', 'it did not finish'],
    ['names an error in a line over 300 characters long', `echo "x.ts(1,1): error TS1005: ${'a'.repeat(400)}"; exit 2`, `x.ts(1,1): error TS1005: ${'a'.repeat(400)}`.slice(0, 300)],
    ['names an error more than 1 MiB before the end of its output (only the last MiB is kept)', 'echo "x.ts(1,1): error TS1005: early"; head -c 1100000 /dev/zero | tr \'\\000\' y; echo; exit 2', 'exit 2'],
  ])('a type check without any mutant that %s: that is the one line said, exit 2', (_, typecheck, why) => {
    const { code, out, err, tmp } = run(['--list', listFile([entryAt('253', '254')]), '--command', 'exit 0', '--typecheck', typecheck]);
    expect(err).toBe(baselineError(why));
    expect(out).not.toMatch(/^(survived|timeout|does not compile)/m);
    expect(code).toBe(2);
    expect(fs.readdirSync(tmp)).toEqual([]);
  });

  test('the suite\'s standard input is /dev/null (nothing waits on it)', () => {
    const { code, out } = run(['--list', listFile([entryAt('253', '254')]), '--command', 'test "$(readlink /proc/self/fd/0)" = /dev/null']);
    expect(out).toMatch(/^survived \(\d+ s\): plan lib\/plan\/objects.ts:\d+:\d+ StringLiteral -> "254"$/m);
    expect(code).toBe(0);
  });

  test('a type check that cannot be started (no sh on the PATH) "did not finish": exit 2, the copy removed', () => {
    const bin = scratch();
    fs.symlinkSync(spawnSync('sh', ['-c', 'command -v git'], { encoding: 'utf8' }).stdout.trim(), path.join(bin, 'git'));
    const { code, err, tmp } = runIn(['--list', listFile([entryAt('253', '254')]), '--command', 'exit 0'], { PATH: bin });
    expect(err).toBe(baselineError('it did not finish'));
    expect(code).toBe(2);
    expect(fs.readdirSync(tmp)).toEqual([]);
  });

  test('a type check without any mutant that exits 0 but leaves a process holding its output past the time limit "did not finish": exit 2', () => {
    // setsid: out of the suite's process group, so not stopped with it; it ends by itself.
    const { code, err, tmp } = runIn(['--list', listFile([entryAt('253', '254')]), '--command', 'exit 0', '--typecheck', 'setsid sleep 4 & exit 0'], { MUTATION_SAMPLE_TIMEOUT_MS: '400' });
    expect(err).toBe(baselineError('it did not finish'));
    expect(code).toBe(2);
    expect(fs.readdirSync(tmp)).toEqual([]);
  }, 60_000);

  test('a mutant\'s type check that exits 0 but runs past the time limit (a process holding its output) is a timeout: the suite is not run, exit 1', () => {
    const log = path.join(scratch(), 'runs.log');
    const typecheck = "if grep -qF 'MAX_NAME = 999' lib/plan/objects.ts; then setsid sleep 4 & fi; exit 0";
    const { code, out } = runIn(['--list', listFile([entryAt('253', '999')]), '--command', `echo suite >> ${log}; exit 0`, '--typecheck', typecheck], { MUTATION_SAMPLE_TIMEOUT_MS: '400' });
    expect(out).toMatch(/^timeout \(\d+ s\): plan lib\/plan\/objects.ts:\d+:\d+ StringLiteral -> "999"$/m);
    expect(out).toContain('0 of 1 sampled survivors survive the suite; 0 do not compile (TypeScript refuses the mutant), 0 killed, 0 unsure (a test file that failed passed again, or failed without the mutant), 0 moved, 1 timed out (seed ');
    expect(fs.existsSync(log)).toBe(false);
    expect(code).toBe(1);
  }, 60_000);

  test('a mutant\'s type check killed by a signal is a timeout, not "does not compile": one line, the suite not run, exit 1', () => {
    const log = path.join(scratch(), 'runs.log');
    const typecheck = "if grep -qF 'MAX_NAME = 999' lib/plan/objects.ts; then kill -9 $$; fi; exit 0";
    const { code, out } = run(['--list', listFile([entryAt('253', '999')]), '--command', `echo suite >> ${log}; exit 0`, '--typecheck', typecheck]);
    expect(out).toMatch(/^timeout \(\d+ s\): plan lib\/plan\/objects.ts:\d+:\d+ StringLiteral -> "999"$/m);
    expect(out).toContain(', 1 timed out (seed ');
    expect(fs.existsSync(log)).toBe(false);
    expect(code).toBe(1);
  });

  test('"does not compile" says the seconds the type check took and the first 200 characters of its error line', () => {
    const error = `lib/plan/objects.ts(33,7): error TS2322: ${'b'.repeat(300)}`;
    const typecheck = `if grep -qF 'MAX_NAME = 777' lib/plan/objects.ts; then sleep 1; echo "${error}"; exit 2; fi; exit 0`;
    const { code, out } = run(['--list', listFile([entryAt('253', '777')]), '--command', 'exit 0', '--typecheck', typecheck]);
    const where = 'plan lib/plan/objects.ts:\\d+:\\d+ StringLiteral -> "777"';
    expect(out).toMatch(new RegExp(`^does not compile \\(\\d+ s\\): ${where} \\(${error.slice(0, 200).replace(/[()]/g, '\\$&')}\\)$`, 'm'));
    // It slept a second; the bound above is a hang guard.
    expect(seconds(out, 'does not compile')).toBeGreaterThanOrEqual(1);
    expect(seconds(out, 'does not compile')).toBeLessThan(600);
    expect(code).toBe(0);
  });

  test('the type checks run with MUTATION_SAMPLE_FILE empty, with and without the mutant', () => {
    const log = path.join(scratch(), 'checks.log');
    const { code } = run(['--list', listFile([entryAt('253', '254')]), '--command', 'exit 0', '--typecheck', `echo "[$MUTATION_SAMPLE_FILE]" >> ${log}; exit 0`]);
    expect(fs.readFileSync(log, 'utf8')).toBe('[]\n[]\n');
    expect(code).toBe(0);
  });

  test('a survivor of a file the copy does not have is "moved", whatever its code', () => {
    const entry = { ...entryAt('253', '254'), file: 'lib/plan/no-such-file.ts', original: 'Stryker', location: { start: { line: 1, column: 1 }, end: { line: 1, column: 8 } } };
    const { code, out } = run(['--list', listFile([entry]), '--command', 'exit 0']);
    expect(out).toContain('moved (the code is no longer there: record the room again): plan lib/plan/no-such-file.ts:1:1 StringLiteral -> "254"\n');
    expect(out).toContain('0 of 1 sampled survivors survive the suite');
    expect(code).toBe(1);
  });

  test('a location past the end of the file, or ending before it starts, is "moved", even for empty code', () => {
    const beyond = { ...entryAt('253', 'beyond'), original: '', location: { start: { line: 9999, column: 1 }, end: { line: 9999, column: 1 } } };
    const backwards = { ...entryAt('253', 'backwards'), original: '', location: { start: { line: 2, column: 1 }, end: { line: 1, column: 1 } } };
    const { code, out } = run(['--list', listFile([beyond, backwards]), '--count', '2', '--command', 'exit 0']);
    expect(out).toContain('moved (the code is no longer there: record the room again): plan lib/plan/objects.ts:9999:1 StringLiteral -> "beyond"\n');
    expect(out).toContain('moved (the code is no longer there: record the room again): plan lib/plan/objects.ts:2:1 StringLiteral -> "backwards"\n');
    expect(out).toContain('0 of 2 sampled survivors survive the suite');
    expect(code).toBe(1);
  });

  test('code at the very start of the file, and an empty span, are applied, not "moved"', () => {
    const first = fs.readFileSync(target(), 'utf8').slice(0, 6);
    const atStart = { ...entryAt('253', first), original: first, location: { start: { line: 1, column: 1 }, end: { line: 1, column: 7 } } };
    const at = entryAt('253', '254');
    const empty = { ...at, replacement: '', original: '', location: { start: at.location.start, end: at.location.start } };
    const { code, out } = run(['--list', listFile([atStart, empty]), '--count', '2', '--command', 'exit 0']);
    expect(out).toMatch(new RegExp(`^survived \\(\\d+ s\\): plan lib/plan/objects.ts:1:1 StringLiteral -> "${first}"$`, 'm'));
    expect(out).toMatch(new RegExp(`^survived \\(\\d+ s\\): plan lib/plan/objects.ts:${at.location.start.line}:${at.location.start.column} StringLiteral -> ""$`, 'm'));
    expect(out).toContain('2 of 2 sampled survivors survive the suite');
    expect(code).toBe(0);
  });

  test('the copy\'s file holds exactly the code with the replacement in its place', () => {
    const expected = path.join(scratch(), 'expected.ts');
    fs.writeFileSync(expected, fs.readFileSync(target(), 'utf8').replace('253', '254'));
    const { code, out } = run(['--list', listFile([entryAt('253', '254')]), '--command', `cmp -s lib/plan/objects.ts ${expected}`]);
    expect(out).toMatch(/^survived \(\d+ s\): plan lib\/plan\/objects.ts:\d+:\d+ StringLiteral -> "254"$/m);
    expect(code).toBe(0);
  });

  test('a suite that ignores SIGTERM is still stopped at the time limit: its later commands never run', () => {
    const late = path.join(scratch(), 'late');
    const { code, out, tmp } = runIn(['--list', listFile([entryAt('253', '999')]), '--command', `trap '' TERM; sleep 5; touch ${late}`], { MUTATION_SAMPLE_TIMEOUT_MS: '400' });
    expect(out).toMatch(/^timeout \(\d+ s\): plan lib\/plan\/objects.ts:\d+:\d+ StringLiteral -> "999"$/m);
    expect(fs.existsSync(late)).toBe(false);
    expect(code).toBe(1);
    expect(fs.readdirSync(tmp)).toEqual([]);
  }, 60_000);

  test('a suite killed by a signal (not by the time limit) is a timeout, not a kill', () => {
    const { code, out } = run(['--list', listFile([entryAt('253', '999')]), '--command', 'kill -9 $$']);
    expect(out).toMatch(/^timeout \(\d+ s\): plan lib\/plan\/objects.ts:\d+:\d+ StringLiteral -> "999"$/m);
    expect(out).toContain(', 0 killed, 0 unsure');
    expect(code).toBe(1);
  });

  test('a suite that passes with a FAIL line in its output survives: no test file is named or run again', () => {
    const log = path.join(scratch(), 'runs.log');
    const { code, out } = run(['--list', listFile([entryAt('253', '254')]), '--command', `echo "[$MUTATION_SAMPLE_FILE]" >> ${log}; echo "FAIL test/x.test.ts"; exit 0`]);
    expect(out).toMatch(/^survived \(\d+ s\): plan lib\/plan\/objects.ts:\d+:\d+ StringLiteral -> "254"$/m);
    expect(fs.readFileSync(log, 'utf8')).toBe('[]\n');
    expect(code).toBe(0);
  });

  test('a kill names the first FAIL line of the output, not its first line, cut to 200 characters, with the seconds it took', () => {
    const log = path.join(scratch(), 'runs.log');
    const fail = `FAIL test/plan/objects.test.ts ${'c'.repeat(250)}`;
    const command = `echo "[$MUTATION_SAMPLE_FILE]" >> ${log}; if grep -qF 'MAX_NAME = 999' lib/plan/objects.ts; then [ -n "$MUTATION_SAMPLE_FILE" ] || sleep 1; echo "Determining test suites to run..."; echo "${fail}" >&2; exit 1; fi; exit 0`;
    const { code, out } = run(['--list', listFile([entryAt('253', '999')]), '--command', command]);
    expect(out).toMatch(new RegExp(`^killed \\(\\d+ s\\): plan lib/plan/objects.ts:\\d+:\\d+ StringLiteral -> "999" \\(${fail.slice(0, 200)}\\)$`, 'm'));
    expect(fs.readFileSync(log, 'utf8')).toBe('[]\n[test/plan/objects.test.ts]\n[test/plan/objects.test.ts]\n');
    // The whole suite slept a second; the bound above is a hang guard.
    expect(seconds(out, 'killed')).toBeGreaterThanOrEqual(1);
    expect(seconds(out, 'killed')).toBeLessThan(600);
    expect(code).toBe(1);
  });

  test('a test file killed by a signal when run again with the mutant makes the verdict "unsure", not a kill', () => {
    const command = "if grep -qF 'MAX_NAME = 999' lib/plan/objects.ts; then [ -z \"$MUTATION_SAMPLE_FILE\" ] || kill -9 $$; echo \"FAIL test/plan/objects.test.ts\"; exit 1; fi; exit 0";
    const { code, out } = run(['--list', listFile([entryAt('253', '999')]), '--command', command]);
    expect(out).toMatch(/^unsure \(\d+ s\): plan lib\/plan\/objects.ts:\d+:\d+ StringLiteral -> "999" \(FAIL test\/plan\/objects.test.ts\)$/m);
    expect(out).toContain(', 0 killed, 1 unsure');
    expect(code).toBe(1);
  });
});

describe('npm run mutate:sample: the sample drawn and the copy made', () => {

  /** A clone of this checkout in a scratch folder of its own, with this checkout's scripts: the script run from there copies it. */
  function checkout(linkModules = true): string {
    const dir = path.join(scratch(), 'checkout');
    expect(spawnSync('git', ['clone', '--quiet', home(), dir]).status).toBe(0);
    for (const file of ['mutation-sample.js', 'mutation-config.js']) fs.copyFileSync(path.join(home(), 'scripts', file), path.join(dir, 'scripts', file));
    if (linkModules) fs.symlinkSync(path.join(home(), 'node_modules'), path.join(dir, 'node_modules'), 'dir');
    return dir;
  }
  const scriptIn = (dir: string) => path.join(dir, 'scripts', 'mutation-sample.js');

  test('the sample is the seed\'s mulberry32 Fisher–Yates shuffle of the list (a printed seed draws the same survivors in a later version too)', () => {
    // mulberry32 as published, and the Fisher–Yates shuffle it drives, from the last place down.
    const shuffled = (seed: number, n: number) => {
      let a = seed;
      const next = () => {
        a = (a + 0x6d2b79f5) | 0;
        let t = Math.imul(a ^ (a >>> 15), a | 1);
        t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
        return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
      };
      const order = [...Array(n).keys()];
      for (let i = n - 1; i > 0; i--) {
        const j = Math.floor(next() * (i + 1));
        [order[i], order[j]] = [order[j], order[i]];
      }
      return order;
    };
    const values = ['254', '255', '256', '257', '258', '259', '260', '261'];
    const expected = shuffled(2024, values.length).map((i) => values[i]);
    const { code, out } = run(['--list', listFile(values.map((value) => entryAt('253', value))), '--count', String(values.length), '--seed', '2024', '--command', 'exit 0']);
    expect(code).toBe(0);
    const drawn = [...out.matchAll(/^survived \(\d+ s\): plan lib\/plan\/objects\.ts:\d+:\d+ StringLiteral -> "(\d+)"$/gm)].map((m) => m[1]);
    expect(drawn).toEqual(expected);
  });

  test('the copy is the folder "repo" of a multi-k8s-sample-* folder under the system\'s temporary folder (TMPDIR)', () => {
    const tmp = scratch();
    const log = path.join(scratch(), 'cwd.log');
    const { code, out } = run(['--list', listFile([entryAt('253', '254')]), '--command', `pwd -P > ${log}`], tmp);
    expect(out).toContain('1 of 1 sampled survivors survive the suite');
    expect(code).toBe(0);
    expect(fs.readFileSync(log, 'utf8')).toMatch(new RegExp(`^${escaped(fs.realpathSync(tmp))}/multi-k8s-sample-[A-Za-z0-9]{6}/repo\\n$`));
    expect(fs.readdirSync(tmp)).toEqual([]);
  });

  test('a git that fails: one line naming the command, the folder and git\'s first line of error (or the spawn error), exit 2, nothing left', () => {
    // PATH holds only a stand-in git (or none): it fails at the first call, the clone.
    const withGit = (git?: string) => {
      const bin = scratch();
      if (git !== undefined) {
        fs.writeFileSync(path.join(bin, 'git'), `#!/bin/sh\n${git}\n`);
        fs.chmodSync(path.join(bin, 'git'), 0o755);
      }
      const tmp = scratch();
      const result = spawnSync(process.execPath, [script(), '--list', listFile([entryAt('253', '254')]), '--command', 'exit 0', '--typecheck', 'true'], {
        cwd: home(), encoding: 'utf8', env: { ...process.env, TMPDIR: tmp, PATH: bin },
      });
      expect(result.status).toBe(2);
      expect(result.stdout).toBe('');
      expect(fs.readdirSync(tmp)).toEqual([]);
      return { err: result.stderr, failedIn: `error: git clone failed in ${escaped(tmp)}/multi-k8s-sample-[A-Za-z0-9]{6}: ` };
    };
    const loud = withGit('echo "fatal: not a git repository" >&2; echo "hint: a second line" >&2; exit 128');
    expect(loud.err).toMatch(new RegExp(`^${loud.failedIn}fatal: not a git repository\\n$`));
    const silent = withGit('exit 1');
    expect(silent.err).toMatch(new RegExp(`^${silent.failedIn}\\n$`));
    const none = withGit();
    expect(none.err).toMatch(new RegExp(`^${none.failedIn}Error: spawnSync git ENOENT\\n$`));
  });

  test('a copy that cannot be made (a checkout without node_modules): one line naming the error and its path, exit 2, nothing left', () => {
    const dir = checkout(false);
    const tmp = scratch();
    const { code, out, err } = run(['--list', listFile([entryAt('253', '254')]), '--command', 'exit 0'], tmp, scriptIn(dir));
    expect(err).toBe(`error: could not make the copy of the checkout: ENOENT ${path.join(dir, 'node_modules')}\n`);
    expect(out).toBe('');
    expect(code).toBe(2);
    expect(fs.readdirSync(tmp)).toEqual([]);
  });

  test('the uncommitted work is laid over the copy: changed and new files (links as they are), deleted files gone, also one added then deleted; a nested repository is not copied', () => {
    const dir = checkout();
    fs.appendFileSync(path.join(dir, 'README.md'), '\nan uncommitted line\n');
    fs.mkdirSync(path.join(dir, 'notes'));
    fs.writeFileSync(path.join(dir, 'notes', 'new.txt'), 'untracked\n');
    fs.symlinkSync('new.txt', path.join(dir, 'notes', 'link'));
    fs.rmSync(path.join(dir, 'cdk8s.yaml'));
    fs.writeFileSync(path.join(dir, 'staged.txt'), 'staged\n');
    expect(spawnSync('git', ['add', 'staged.txt'], { cwd: dir }).status).toBe(0);
    fs.rmSync(path.join(dir, 'staged.txt'));
    expect(spawnSync('git', ['init', '--quiet', path.join(dir, 'inner')]).status).toBe(0);
    const log = path.join(scratch(), 'seen.log');
    const command = `{ echo "README.md: $(tail -n 1 README.md)"; echo "notes/new.txt: $(cat notes/new.txt)"; echo "notes/link: $(readlink notes/link)";
      for f in cdk8s.yaml staged.txt inner; do if [ -e $f ]; then echo "$f: there"; else echo "$f: gone"; fi; done; } > ${log}`;
    const { code, out, err } = run(['--list', listFile([entryAt('253', '254')]), '--command', command], scratch(), scriptIn(dir));
    expect(err).toBe('');
    expect(out).toContain('1 of 1 sampled survivors survive the suite');
    expect(code).toBe(0);
    expect(fs.readFileSync(log, 'utf8')).toBe('README.md: an uncommitted line\nnotes/new.txt: untracked\nnotes/link: new.txt\ncdk8s.yaml: gone\nstaged.txt: gone\ninner: gone\n');
  });

  test('the uncommitted work that changes a file\'s kind is laid over the copy too: a tracked folder made a file, a tracked file made a folder, a link to nothing, a tracked folder made a link to itself', () => {
    const dir = checkout();
    fs.rmSync(path.join(dir, 'imports'), { recursive: true });
    fs.writeFileSync(path.join(dir, 'imports'), 'a file now\n');
    fs.rmSync(path.join(dir, 'cdk8s.yaml'));
    fs.mkdirSync(path.join(dir, 'cdk8s.yaml'));
    fs.writeFileSync(path.join(dir, 'cdk8s.yaml', 'inside.txt'), 'a folder now\n');
    fs.symlinkSync('nowhere', path.join(dir, 'dangling'));
    // A tracked folder made a link to itself: a look under it loops (ELOOP).
    fs.rmSync(path.join(dir, 'docs'), { recursive: true });
    fs.symlinkSync('docs', path.join(dir, 'docs'));
    const log = path.join(scratch(), 'seen.log');
    const command = `{ echo "imports: $(cat imports)"; echo "cdk8s.yaml: $(cat cdk8s.yaml/inside.txt)"; echo "dangling: $(readlink dangling)"; echo "docs: $(readlink docs)"; } > ${log}`;
    const { code, out, err } = run(['--list', listFile([entryAt('253', '254')]), '--command', command], scratch(), scriptIn(dir));
    expect(err).toBe('');
    expect(out).toContain('1 of 1 sampled survivors survive the suite');
    expect(code).toBe(0);
    expect(fs.readFileSync(log, 'utf8')).toBe('imports: a file now\ncdk8s.yaml: a folder now\ndangling: nowhere\ndocs: docs\n');
  });

  test('a checkout whose node_modules is a folder git does not ignore: its files are not copied, the copy links the folder', () => {
    const dir = checkout(false);
    fs.writeFileSync(path.join(dir, '.gitignore'), '');
    fs.mkdirSync(path.join(dir, 'node_modules', 'pkg'), { recursive: true });
    fs.writeFileSync(path.join(dir, 'node_modules', 'pkg', 'index.js'), 'module.exports = 1;\n');
    expect(spawnSync('git', ['ls-files', '--others'], { cwd: dir, encoding: 'utf8' }).stdout).toContain('node_modules/pkg/index.js\n');
    const log = path.join(scratch(), 'seen.log');
    const { code, out, err } = run(['--list', listFile([entryAt('253', '254')]), '--command', `test -L node_modules && cat node_modules/pkg/index.js > ${log}`], scratch(), scriptIn(dir));
    expect(err).toBe('');
    expect(out).toContain('1 of 1 sampled survivors survive the suite');
    expect(code).toBe(0);
    expect(fs.readFileSync(log, 'utf8')).toBe('module.exports = 1;\n');
  });

  test('../shared beside the checkout is linked beside the copy, and nothing is when there is none', () => {
    const command = (log: string) => `if [ -L ../shared ]; then cat ../shared/crd.yaml; else echo "no ../shared"; fi > ${log}`;
    const dir = checkout();
    const log = path.join(scratch(), 'seen.log');
    const without = run(['--list', listFile([entryAt('253', '254')]), '--command', command(log)], scratch(), scriptIn(dir));
    expect(without.err).toBe('');
    expect(without.code).toBe(0);
    expect(fs.readFileSync(log, 'utf8')).toBe('no ../shared\n');
    fs.mkdirSync(path.join(dir, '..', 'shared'));
    fs.writeFileSync(path.join(dir, '..', 'shared', 'crd.yaml'), 'kind: CustomResourceDefinition\n');
    const withShared = run(['--list', listFile([entryAt('253', '254')]), '--command', command(log)], scratch(), scriptIn(dir));
    expect(withShared.err).toBe('');
    expect(withShared.code).toBe(0);
    expect(fs.readFileSync(log, 'utf8')).toBe('kind: CustomResourceDefinition\n');
  });

  test('a checkout reached through a link, kept in the script\'s path (node --preserve-symlinks-main), is copied too', () => {
    const dir = checkout();
    const link = path.join(scratch(), 'link');
    fs.symlinkSync(dir, link, 'dir');
    const tmp = scratch();
    const result = spawnSync(process.execPath, ['--preserve-symlinks-main', scriptIn(link), '--list', listFile([entryAt('253', '254')]), '--command', 'exit 0', '--typecheck', 'true'], {
      cwd: link, encoding: 'utf8', env: { ...process.env, TMPDIR: tmp },
    });
    expect(result.stderr).toBe('');
    expect(result.stdout).toContain('1 of 1 sampled survivors survive the suite');
    expect(result.status).toBe(0);
    expect(fs.readdirSync(tmp)).toEqual([]);
  });
});
