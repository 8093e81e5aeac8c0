import { execFileSync } from 'child_process';
import * as path from 'path';

// The parts of lib/program/output.ts below the lock (error lines, owner liveness, the file
// helpers, the record, the survey, the rollback of a link), each through writeOutput or an
// exported helper. Most states are real (a corrupt record, a named pipe, a chain of links, a
// stale lock). The tests run as root, where chmod cannot cause EACCES, and some faults (a write
// that fails on its descriptor, a file removed between two of the synth's calls, a signal refused
// with EPERM, a nonce that repeats) cannot be caused from outside the process between the synth's
// calls: for those, `hook` below replaces one call for one chosen path; everything else is the
// real file system. (The same faults on a real synth, by strace: test/program/synth-faults.js.)
type Hook = (call: string, args: any[], real: any) => { value: unknown } | undefined;
let hook: Hook | undefined;
jest.mock('fs', () => {
  const real = jest.requireActual('fs');
  const wrap = (call: string) => (...args: any[]) => {
    const replaced = hook?.(call, args, real);
    return replaced ? replaced.value : real[call](...args);
  };
  return {
    ...real,
    writeFileSync: wrap('writeFileSync'),
    renameSync: wrap('renameSync'),
    unlinkSync: wrap('unlinkSync'),
    readlinkSync: wrap('readlinkSync'),
    readdirSync: wrap('readdirSync'),
    readFileSync: wrap('readFileSync'),
  };
});
let fixedNonce: Buffer | undefined;
jest.mock('crypto', () => {
  const real = jest.requireActual('crypto');
  return { ...real, randomBytes: (size: number) => (fixedNonce ? Buffer.from(fixedNonce) : real.randomBytes(size)) };
});

import { createHash } from 'crypto';
import * as fs from 'fs';
import * as os from 'os';
import { echo } from '../../lib/program/config';
import { describeSystemError, isSystemError, OutputError, RECORD, writeOutput } from '../../lib/program/output';
import { folderTree, tempDir } from '../helpers';
import { firstOutput, refusal } from '../support/output';

afterEach(() => {
  hook = undefined;
  fixedNonce = undefined;
  jest.restoreAllMocks();
});

const output = (files: Record<string, string>) => new Map(Object.entries(files));
const sha256 = (text: string) => createHash('sha256').update(text).digest('hex');
const HOST = createHash('sha1').update(os.hostname()).digest('hex').slice(0, 8);
const OTHER_HOST = HOST === 'deadbeef' ? 'feedbeef' : 'deadbeef';
const DEAD = 2 ** 22 + 7; // above Linux's default pid_max: no such process
const sysError = (code: string, syscall: string, message: string, more: object = {}) => Object.assign(new Error(`${code}: ${message}, ${syscall}`), { code, syscall, ...more });

describe('isSystemError', () => {
  const fn = Object.assign(() => undefined, { code: 'EACCES' }) as unknown as { message: string };
  fn.message = 'EACCES: permission denied';
  test.each([
    ['a Node error with an errno code', sysError('EACCES', 'open', 'permission denied'), true],
    ['a plain object with an errno code and a message', { code: 'EIO', message: 'i/o' }, true],
    ['null', null, false],
    ['undefined', undefined, false],
    ['a string', 'EACCES', false],
    ['a function carrying code and message (not an object)', fn, false],
    ['no message', { code: 'EACCES' }, false],
    ['a code that is not a string but reads as one', { code: ['EACCES'], message: 'x' }, false],
    ['a Node code that is no errno (ERR_*)', { code: 'ERR_INVALID_ARG_TYPE', message: 'x' }, false],
    ['a code with something before the E', { code: 'XEACCES', message: 'x' }, false],
    ['a code with lowercase after it', { code: 'EACCESx', message: 'x' }, false],
  ])('%s', (_, value, expected) => {
    expect(isSystemError(value)).toBe(expected);
  });
});

describe('describeSystemError', () => {
  test.each([
    ['call, path and meaning', sysError('EACCES', 'open', "permission denied, open '/x'", { path: '/x' }), 'open "/x" failed: EACCES (permission denied)'],
    ['both paths of a rename', sysError('EXDEV', 'rename', 'cross-device link not permitted', { path: '/a', dest: '/b' }), 'rename "/a" -> "/b" failed: EXDEV (cross-device link not permitted)'],
    ['no call, no path', Object.assign(new Error('EIO: i/o error, read'), { code: 'EIO' }), 'system call (no path) failed: EIO (i/o error)'],
    ['a message not in Node\'s form is kept whole', Object.assign(new Error('custom EIO: bad, thing'), { code: 'EIO', syscall: 'read' }), 'read (no path) failed: EIO (custom EIO: bad, thing)'],
    ['control characters in the meaning become spaces', Object.assign(new Error('EIO: bad\nline\u0007end, read'), { code: 'EIO', syscall: 'read' }), 'read (no path) failed: EIO (bad line end)'],
  ])('%s', (_, error, expected) => {
    expect(describeSystemError(error as Parameters<typeof describeSystemError>[0])).toBe(expected);
  });

  test('an OutputError is named so', () => {
    expect(new OutputError('x').name).toBe('OutputError');
    expect(String(new OutputError('x'))).toBe('OutputError: x');
  });
});

describe('the lock of another owner', () => {
  const refusedBy = (holder: string, who: string) => {
    const { outdir, state } = firstOutput();
    const lockFile = path.join(state, 'lock');
    fs.writeFileSync(lockFile, `${holder}\n`);
    expect(refusal(() => writeOutput(outdir, output({ 'a.yaml': 'a: 2\n' }), { lockWaitMs: 100 })))
      .toBe(`${echo(outdir)} is being written by another synth (${who} holds ${echo(lockFile)}); waited 0 s: if no synth is running, delete that file`);
    expect(fs.readFileSync(path.join(outdir, 'a.yaml'), 'utf8')).toBe('a: 1\n');
    expect(fs.readFileSync(lockFile, 'utf8')).toBe(`${holder}\n`);
  };

  test('of another host, even with this process\'s pid, cannot be checked: waited for', () => {
    refusedBy(`${OTHER_HOST}-${process.pid}-0123456789ab`, `process ${process.pid} of another host`);
  });

  test.each([
    ['something before the host', `zz${HOST}-${DEAD}-0123456789ab`],
    ['something after the nonce', `${HOST}-${DEAD}-0123456789abzz`],
  ])('whose name has %s cannot be named or checked: waited for', (_, holder) => {
    refusedBy(holder, `an owner it cannot name (${echo(holder)})`);
  });

  test('of a process this one may not signal (EPERM: another user\'s) is alive: waited for', () => {
    jest.spyOn(process, 'kill').mockImplementation(() => { throw sysError('EPERM', 'kill', 'operation not permitted'); });
    refusedBy(`${HOST}-${DEAD}-0123456789ab`, `process ${DEAD}`);
  });

  test('of this process (an earlier call that failed to release it) is broken at once', () => {
    const { outdir, state } = firstOutput();
    fs.writeFileSync(path.join(state, 'lock'), `${HOST}-${process.pid}-0123456789ab\n`);
    expect(writeOutput(outdir, output({ 'a.yaml': 'a: 2\n' }), { lockWaitMs: 1000 })).toEqual([]);
    expect(folderTree(path.dirname(outdir))).toEqual({ '.dist-synth/owned.json': expect.any(String), 'dist/a.yaml': 'a: 2\n' });
  });

  test('whose liveness check fails with no error code is taken for dead and broken', () => {
    const { outdir, state } = firstOutput();
    fs.writeFileSync(path.join(state, 'lock'), `${HOST}-${DEAD}-0123456789ab\n`);
    jest.spyOn(process, 'kill').mockImplementation(() => { throw undefined; });
    expect(writeOutput(outdir, output({ 'a.yaml': 'a: 2\n' }), { lockWaitMs: 1000 })).toEqual([]);
    expect(fs.readFileSync(path.join(outdir, 'a.yaml'), 'utf8')).toBe('a: 2\n');
  });

  test('is looked at every 20 ms while waiting, not in a busy loop', () => {
    const { outdir, state } = firstOutput();
    const lockFile = path.join(state, 'lock');
    fs.writeFileSync(lockFile, `${OTHER_HOST}-1-0123456789ab\n`);
    let reads = 0;
    hook = (call, args) => {
      if (call === 'readFileSync' && String(args[0]) === lockFile) reads++;
      return undefined;
    };
    refusal(() => writeOutput(outdir, output({ 'a.yaml': 'a: 2\n' }), { lockWaitMs: 400 }));
    expect(reads).toBeGreaterThan(2);
    expect(reads).toBeLessThanOrEqual(400 / 20 + 2);
  });
});

describe('errors of the file helpers', () => {
  test('a write that fails on its descriptor (no path in the error) is reported with the file it was writing', () => {
    const { parent, outdir } = firstOutput();
    const before = folderTree(parent);
    hook = (call, args) => {
      if (call === 'writeFileSync' && path.basename(String(args[0])).startsWith('.b.yaml.synth-')) throw sysError('ENOSPC', 'write', 'no space left on device');
      return undefined;
    };
    const message = refusal(() => writeOutput(outdir, output({ 'a.yaml': 'a: 2\n', 'b.yaml': 'b: 1\n' })));
    expect(message).toMatch(new RegExp(`^cannot write ${escape(echo(outdir))}: write ${escape(echo(path.join(outdir, '.b.yaml.synth-')).slice(0, -1))}${HOST}-${process.pid}-[0-9a-f]{12}" failed: ENOSPC \\(no space left on device\\)$`));
    expect(folderTree(parent)).toEqual(before);
  });

  test('a write error that names its own path keeps it', () => {
    const { outdir } = firstOutput();
    hook = (call, args) => {
      if (call === 'writeFileSync' && path.basename(String(args[0])).startsWith('.a.yaml.synth-')) throw sysError('EIO', 'open', 'i/o error', { path: '/elsewhere' });
      return undefined;
    };
    expect(refusal(() => writeOutput(outdir, output({ 'a.yaml': 'a: 2\n' })))).toBe(`cannot write ${echo(outdir)}: open "/elsewhere" failed: EIO (i/o error)`);
  });

  test('an error that is not the system\'s passes through as it is, given no path', () => {
    const { outdir } = firstOutput();
    const bug = new TypeError('a bug');
    hook = (call, args) => {
      if (call === 'writeFileSync' && path.basename(String(args[0])).startsWith('.a.yaml.synth-')) throw bug;
      return undefined;
    };
    let thrown: unknown;
    try {
      writeOutput(outdir, output({ 'a.yaml': 'a: 2\n' }));
    } catch (error) {
      thrown = error;
    }
    expect(thrown).toBe(bug);
    expect(Object.keys(bug)).toEqual([]);
  });

  test('a temporary name already taken (a link planted there) is never written through', () => {
    const { parent, outdir, state } = firstOutput();
    const victim = path.join(parent, 'victim');
    fs.writeFileSync(victim, 'mine\n');
    fixedNonce = Buffer.alloc(6);
    const planted = path.join(state, `.${RECORD}.synth-${HOST}-${process.pid}-000000000000`);
    fs.symlinkSync(victim, planted);
    expect(refusal(() => writeOutput(outdir, output({ 'a.yaml': 'a: 2\n' })))).toBe(`cannot write ${echo(outdir)}: open ${echo(planted)} failed: EEXIST (file already exists)`);
    expect(fs.readFileSync(victim, 'utf8')).toBe('mine\n');
    expect(fs.readFileSync(path.join(outdir, 'a.yaml'), 'utf8')).toBe('a: 1\n');
    expect(fs.readdirSync(outdir)).toEqual(['a.yaml']);
  });

  test('a manifest link that cannot be read (EIO) stops the synth with that error', () => {
    const { outdir } = firstOutput();
    const link = path.join(outdir, 'b.yaml');
    fs.symlinkSync('.generation/b.yaml', link);
    hook = (call, args) => {
      if (call === 'readlinkSync' && String(args[0]) === link) throw sysError('EIO', 'readlink', 'i/o error', { path: link });
      return undefined;
    };
    expect(refusal(() => writeOutput(outdir, output({ 'a.yaml': 'a: 2\n' })))).toBe(`cannot write ${echo(outdir)}: readlink ${echo(link)} failed: EIO (i/o error)`);
  });

  test('a regular file named .generation (not the old layout\'s switch) is left, with no warning', () => {
    const { parent, outdir } = firstOutput();
    fs.writeFileSync(path.join(outdir, '.generation'), 'mine\n');
    expect(writeOutput(outdir, output({ 'a.yaml': 'a: 2\n' }))).toEqual([]);
    expect(folderTree(parent)).toEqual({ '.dist-synth/owned.json': expect.any(String), 'dist/.generation': 'mine\n', 'dist/a.yaml': 'a: 2\n' });
  });

  test('a record that is a folder stops the synth with the read error', () => {
    const { parent, outdir, recordFile } = firstOutput();
    fs.rmSync(recordFile);
    fs.mkdirSync(recordFile);
    fs.rmSync(path.join(outdir, 'a.yaml'));
    const before = folderTree(parent);
    expect(refusal(() => writeOutput(outdir, output({ 'a.yaml': 'a: 2\n' })))).toBe(`cannot write ${echo(outdir)}: read (no path) failed: EISDIR (illegal operation on a directory)`);
    expect(folderTree(parent)).toEqual(before);
  });

  test('a file to remove that is gone already (removed meanwhile) is no error', () => {
    const { parent, outdir } = firstOutput({ 'a.yaml': 'a: 1\n', 'gone.yaml': 'g: 1\n' });
    const gone = path.join(outdir, 'gone.yaml');
    hook = (call, args, real) => {
      if (call === 'unlinkSync' && String(args[0]) === gone) real.unlinkSync(gone);
      return undefined;
    };
    expect(writeOutput(outdir, output({ 'a.yaml': 'a: 2\n' }))).toEqual([]);
    expect(folderTree(parent)).toEqual({ '.dist-synth/owned.json': expect.any(String), 'dist/a.yaml': 'a: 2\n' });
  });

  test('a record rename that fails (its temporary file gone meanwhile) reports the rename\'s error, leaves no temporary file', () => {
    const { parent, outdir, recordFile } = firstOutput();
    const before = folderTree(parent);
    hook = (call, args, real) => {
      if (call === 'renameSync' && String(args[1]) === recordFile) real.rmSync(args[0]);
      return undefined;
    };
    const message = refusal(() => writeOutput(outdir, output({ 'a.yaml': 'a: 2\n' })));
    expect(message).toMatch(new RegExp(`^cannot write ${escape(echo(outdir))}: rename ${escape(echo(path.join(path.dirname(recordFile), `.${RECORD}.synth-`)).slice(0, -1))}[^"]+" -> ${escape(echo(recordFile))} failed: ENOENT \\(no such file or directory\\)$`));
    expect(folderTree(parent)).toEqual(before);
  });

  test('a record that cannot be updated once the output is in place is a warning; its temporary file goes', () => {
    const { parent, outdir, recordFile } = firstOutput();
    let renames = 0;
    hook = (call, args) => {
      if (call === 'renameSync' && String(args[1]) === recordFile && ++renames === 2) throw sysError('EBUSY', 'rename', 'resource busy or locked', { path: args[0], dest: args[1] });
      return undefined;
    };
    const warnings = writeOutput(outdir, output({ 'a.yaml': 'a: 2\n' }));
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toMatch(new RegExp(`^could not update the record ${escape(echo(recordFile))}: rename "[^"]+" -> ${escape(echo(recordFile))} failed: EBUSY \\(resource busy or locked\\)$`));
    // The record of step (3) stays: it owns both contents.
    expect(JSON.parse(fs.readFileSync(recordFile, 'utf8')).files).toEqual({ 'a.yaml': [sha256('a: 1\n'), sha256('a: 2\n')].sort() });
    expect(folderTree(parent)).toEqual({ '.dist-synth/owned.json': expect.any(String), 'dist/a.yaml': 'a: 2\n' });
  });
});

function escape(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

describe('the record', () => {
  const hex = 'a'.repeat(64);
  test.each([
    ['null', 'null'],
    ['files a number', '{"files": 1}'],
    ['files null', '{"files": null}'],
    ['files a list', '{"files": []}'],
    ['a hash with something after it', `{"files": {"a.yaml": ["${hex}0"]}}`],
    ['a hash with something before it', `{"files": {"a.yaml": ["0${hex}"]}}`],
    // Every hash must be one: a good one first does not make the list good.
    ['a good hash followed by a bad one', `{"files": {"a.yaml": ["${hex}", "0${hex}"]}}`],
    // A list holding a hash reads as that hash when made a string: only a string is a hash.
    ['a hash inside a list', `{"files": {"a.yaml": [["${hex}"]]}}`],
    ['not JSON', '{"files": {'],
  ])('%s is refused with one line naming it', (_, text) => {
    const { parent, outdir, recordFile } = firstOutput();
    fs.writeFileSync(recordFile, text);
    const before = folderTree(parent);
    expect(refusal(() => writeOutput(outdir, output({ 'a.yaml': 'a: 2\n' })))).toBe(`${echo(recordFile)} is not a record the synth writes (expected {"files": {"<name>": ["<sha256>", ...]}}): delete it; the synth then owns no file in ${echo(outdir)}, and names each manifest there for you to move out first`);
    expect(folderTree(parent)).toEqual(before);
  });

  test('lists names and hashes sorted, whatever the order of the output, under a line saying what it is', () => {
    const { outdir, recordFile } = firstOutput({ 'a.yaml': 'a: 1\n' });
    // A new content whose hash sorts before the old one: the record of step (3) lists both.
    const old = sha256('a: 1\n');
    const next = Array.from({ length: 100 }, (_, i) => `a: ${i + 2}\n`).find((text) => sha256(text) < old)!;
    let both: unknown;
    hook = (call, args, real) => {
      if (call === 'renameSync' && String(args[1]) === path.join(outdir, 'a.yaml')) both = JSON.parse(real.readFileSync(recordFile, 'utf8')).files['a.yaml'];
      return undefined;
    };
    const names = ['z.yaml', 'm.yaml', 'q.yaml', 'b.yaml', 'y.yaml', 'c.yaml'];
    writeOutput(outdir, new Map([...names.map((n): [string, string] => [n, `${n}\n`]), ['a.yaml', next]]));
    expect(both).toEqual([sha256(next), old]);
    const text = fs.readFileSync(recordFile, 'utf8');
    expect(Object.keys(JSON.parse(text).files)).toEqual(['a.yaml', 'b.yaml', 'c.yaml', 'm.yaml', 'q.yaml', 'y.yaml', 'z.yaml']);
    expect(JSON.parse(text).about).toBe('Written by the synth (lib/program/output.ts): the files it wrote in the output folder, by SHA-256. '
      + 'A manifest there whose content matches none of these is not the synth\'s: it is never overwritten or removed.');
  });
});

describe('the survey of the output folder', () => {
  test('of several files of the user\'s, the first by name is the one named', () => {
    const { outdir } = firstOutput();
    for (const letter of 'zyxwvutsrqponmlkjihgfedcb') fs.writeFileSync(path.join(outdir, `${letter}.yaml`), 'mine\n');
    // readdir's order is the file system's (this one lists by name): a listing in reverse shows the synth sorts.
    hook = (call, args, real) => (call === 'readdirSync' && String(args[0]) === outdir ? { value: [...real.readdirSync(outdir)].sort().reverse() } : undefined);
    expect(refusal(() => writeOutput(outdir, output({ 'a.yaml': 'a: 2\n' })))).toMatch(new RegExp(`^${escape(echo(path.join(outdir, 'b.yaml')))} was not written by a synth of this project`));
  });

  test('a .yml file of the user\'s is a manifest too (kubectl applies it): refused', () => {
    const { outdir } = firstOutput();
    fs.writeFileSync(path.join(outdir, 'mine.yml'), 'mine\n');
    expect(refusal(() => writeOutput(outdir, output({ 'a.yaml': 'a: 2\n' })))).toMatch(new RegExp(`^${escape(echo(path.join(outdir, 'mine.yml')))} was not written by a synth of this project`));
  });

  test('a named pipe with a manifest name is refused as not a regular file', () => {
    const { outdir } = firstOutput();
    const pipe = path.join(outdir, 'p.yaml');
    execFileSync('mkfifo', [pipe]);
    expect(refusal(() => writeOutput(outdir, output({ 'a.yaml': 'a: 2\n' })))).toBe(`${echo(pipe)} is not a regular file, not a file a synth wrote: synth never overwrites or removes a file it did not write: move it out of ${echo(outdir)} (or delete it), then synth again`);
  });

  test('an entry listed but gone when looked at (removed meanwhile) is skipped', () => {
    const { parent, outdir } = firstOutput();
    hook = (call, args, real) => (call === 'readdirSync' && String(args[0]) === outdir ? { value: [...real.readdirSync(outdir), 'ghost.yaml'] } : undefined);
    expect(writeOutput(outdir, output({ 'a.yaml': 'a: 2\n' }))).toEqual([]);
    hook = undefined;
    expect(folderTree(parent)).toEqual({ '.dist-synth/owned.json': expect.any(String), 'dist/a.yaml': 'a: 2\n' });
  });

  test('a link of the old layout that leads to a folder stops the synth with the read error, changing nothing', () => {
    const { parent, outdir } = firstOutput();
    fs.mkdirSync(path.join(parent, '.dist-generations', 'g-1-1-1', 'b.yaml'), { recursive: true });
    fs.symlinkSync('../.dist-generations/g-1-1-1', path.join(outdir, '.generation'));
    fs.symlinkSync('.generation/b.yaml', path.join(outdir, 'b.yaml'));
    const before = folderTree(parent);
    expect(refusal(() => writeOutput(outdir, output({ 'a.yaml': 'a: 2\n' })))).toBe(`cannot write ${echo(outdir)}: read (no path) failed: EISDIR (illegal operation on a directory)`);
    expect(folderTree(parent)).toEqual(before);
  });
});

describe('the rollback', () => {
  test('a failure after a link of the old layout was replaced puts the link back', () => {
    const parent = tempDir();
    const outdir = path.join(parent, 'dist');
    const folder = path.join(parent, '.dist-generations', `g-${HOST}-${DEAD}-0123456789ab`);
    fs.mkdirSync(folder, { recursive: true });
    fs.mkdirSync(outdir);
    fs.symlinkSync(`../.dist-generations/g-${HOST}-${DEAD}-0123456789ab`, path.join(outdir, '.generation'));
    fs.writeFileSync(path.join(folder, 'a.yaml'), 'a: 1\n');
    fs.symlinkSync('.generation/a.yaml', path.join(outdir, 'a.yaml'));
    const before = folderTree(parent);
    const last = path.join(outdir, 'c.yaml');
    hook = (call, args) => {
      if (call === 'renameSync' && String(args[1]) === last) throw sysError('EBUSY', 'rename', 'resource busy or locked', { path: args[0], dest: args[1] });
      return undefined;
    };
    expect(refusal(() => writeOutput(outdir, output({ 'a.yaml': 'a: 2\n', 'c.yaml': 'c: 1\n' })))).toMatch(/ failed: EBUSY \(resource busy or locked\)$/);
    hook = undefined;
    expect(folderTree(parent)).toEqual({ ...before, '.dist-synth/owned.json': expect.any(String) });
    expect(fs.lstatSync(path.join(outdir, 'a.yaml')).isSymbolicLink()).toBe(true);
  });
});

describe('the output folder itself', () => {
  test('a chain of 32 links to a folder is followed; 33 are refused', () => {
    const parent = tempDir();
    fs.mkdirSync(path.join(parent, 'real'));
    let target = 'real';
    for (let i = 1; i <= 33; i++) {
      fs.symlinkSync(target, path.join(parent, `l${i}`));
      target = `l${i}`;
    }
    expect(writeOutput(path.join(parent, 'l32'), output({ 'a.yaml': 'a: 1\n' }))).toEqual([]);
    expect(fs.readFileSync(path.join(parent, 'real', 'a.yaml'), 'utf8')).toBe('a: 1\n');
    expect(refusal(() => writeOutput(path.join(parent, 'l33'), output({ 'a.yaml': 'a: 1\n' })))).toBe(`${echo(path.join(parent, 'l33'))} is a chain of more than 32 symbolic links (a loop?): point it at a folder`);
  });

  const notFolder = (kind: string) => `is ${kind}, not a folder: synth writes its manifests into a folder there and never deletes what it did not make; move it away`;

  test('a named pipe is refused by kind', () => {
    const pipe = path.join(tempDir(), 'dist');
    execFileSync('mkfifo', [pipe]);
    expect(refusal(() => writeOutput(pipe, output({ 'a.yaml': 'a: 1\n' })))).toBe(`${echo(pipe)} ${notFolder('a named pipe')}`);
  });

  test('a socket is refused by kind', () => {
    const socket = path.join(tempDir(), 'dist');
    execFileSync('python3', ['-c', 'import socket, sys; socket.socket(socket.AF_UNIX).bind(sys.argv[1])', socket]);
    expect(refusal(() => writeOutput(socket, output({ 'a.yaml': 'a: 1\n' })))).toBe(`${echo(socket)} ${notFolder('a socket')}`);
  });

  test('a link to a device is refused by kind, naming where it leads', () => {
    const link = path.join(tempDir(), 'dist');
    fs.symlinkSync('/dev/null', link);
    expect(refusal(() => writeOutput(link, output({ 'a.yaml': 'a: 1\n' })))).toBe(`"/dev/null" (where ${echo(link)} leads) ${notFolder('a device')}`);
  });
});

describe('names the synth leaves alone', () => {
  test('entries that only contain the synth\'s patterns (scratch, old switch, old generations) are not removed', () => {
    const { parent, outdir } = firstOutput();
    const keep = [
      `.notes.synth-${HOST}-${DEAD}-0123456789ab.bak`,
      '.generation.new-ab-1-cd.keep',
      'x.generation.new-ab-1-cd',
    ];
    fs.writeFileSync(path.join(outdir, keep[0]), 'mine\n');
    fs.symlinkSync('elsewhere', path.join(outdir, keep[1]));
    fs.symlinkSync('elsewhere', path.join(outdir, keep[2]));
    const generations = path.join(parent, '.dist-generations');
    fs.mkdirSync(path.join(generations, 'g-ab-1-cd.bak'), { recursive: true });
    fs.mkdirSync(path.join(generations, 'xg-ab-1-cd'));
    const warnings = writeOutput(outdir, output({ 'a.yaml': 'a: 2\n' }));
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toMatch(new RegExp(`^left ${escape(echo(generations))}: it holds ("g-ab-1-cd\\.bak", "xg-ab-1-cd"|"xg-ab-1-cd", "g-ab-1-cd\\.bak"), which no synth made$`));
    expect(folderTree(parent)).toEqual({
      '.dist-synth/owned.json': expect.any(String),
      [`dist/${keep[0]}`]: 'mine\n',
      [`dist/${keep[1]}`]: 'link -> elsewhere',
      [`dist/${keep[2]}`]: 'link -> elsewhere',
      'dist/a.yaml': 'a: 2\n',
    });
    expect(fs.readdirSync(generations).sort()).toEqual(['g-ab-1-cd.bak', 'xg-ab-1-cd']);
  });
});
