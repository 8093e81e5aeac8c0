import { createHash } from 'crypto';
import * as os from 'os';
import * as path from 'path';

// The lock, the rollback and the tidying after a synth, on file-system states that only another
// process can make between two of the synth's own calls: a lock taken over or set aside meanwhile,
// a temporary file removed, a call failing with EBUSY. jest cannot run a second process between
// two synchronous calls, so the fs functions the synth calls are wrapped: a test hooks one of them
// to change the folder (with the real fs) just before or after the real call, or to fail it the
// way the system would. Everything else is the real file system. randomBytes can be fixed, so that
// the names of the synth's temporary files are known in advance (to plant something there, and to
// name them in exact messages). Kills of a real synth at every system call: test/program/synth-faults.js.
type Hook = (real: (...args: unknown[]) => unknown, ...args: unknown[]) => unknown;
const mockHooks: Record<string, Hook | undefined> = {};
const mockCalls: string[] = [];
let mockNonce: string | undefined;
jest.mock('fs', () => {
  const real = jest.requireActual('fs');
  const wrap = (name: string) => (...args: unknown[]) => {
    if (name === 'renameSync') mockCalls.push(`rename ${path.basename(String(args[1]))}`);
    if (name === 'unlinkSync') mockCalls.push(`unlink ${path.basename(String(args[0]))}`);
    const hook = mockHooks[name];
    return hook ? hook(real[name], ...args) : real[name](...args);
  };
  const names = ['renameSync', 'linkSync', 'unlinkSync', 'readdirSync', 'lstatSync', 'rmSync'];
  return { ...real, ...Object.fromEntries(names.map((name) => [name, wrap(name)])) };
});
jest.mock('crypto', () => {
  const real = jest.requireActual('crypto');
  return { ...real, randomBytes: (...args: unknown[]) => (mockNonce === undefined ? real.randomBytes(...args) : Buffer.from(mockNonce, 'hex')) };
});

import * as fs from 'fs';
import { RECORD, synthStateDir, writeOutput } from '../../lib/program/output';
import { folderTree, tempDir } from '../helpers';
import { firstOutput, refusal } from '../support/output';

const realFs: typeof fs = jest.requireActual('fs');
const output = (files: Record<string, string>) => new Map(Object.entries(files));
const q = (text: string) => JSON.stringify(text);
const sha256 = (text: string) => createHash('sha256').update(text).digest('hex');
/** This machine's tag in the owner ids of the synth's entries (host, pid, nonce). */
const host = () => createHash('sha1').update(os.hostname()).digest('hex').slice(0, 8);
const DEAD = 2 ** 22 + 7; // above Linux's default pid_max: no such process
const NONCE = '0123456789ab';
/** The owner id of this process's synth while randomBytes is fixed to NONCE. */
const ours = () => `${host()}-${process.pid}-${NONCE}`;
/** A live process of this host that is not this one (jest's parent): its lock is waited for. */
const live = (nonce: string) => `${host()}-${process.ppid}-${nonce}`;

/** An error as Node's fs throws it. */
function systemError(code: string, meaning: string, syscall: string, file: string, dest?: string): Error {
  return Object.assign(new Error(`${code}: ${meaning}, ${syscall} '${file}'`), { code, errno: -1, syscall, path: file, ...(dest === undefined ? {} : { dest }) });
}

/** The layout before plain files: every manifest a link through dist/.generation into .dist-generations/g-*. */
function legacyLayout(files: Record<string, string>) {
  const parent = tempDir();
  const outdir = path.join(parent, 'dist');
  const generations = path.join(parent, '.dist-generations');
  const generation = `g-${host()}-${DEAD}-0123456789ab`;
  fs.mkdirSync(path.join(generations, generation), { recursive: true });
  fs.mkdirSync(outdir);
  fs.symlinkSync(`../.dist-generations/${generation}`, path.join(outdir, '.generation'));
  for (const [name, text] of Object.entries(files)) {
    fs.writeFileSync(path.join(generations, generation, name), text);
    fs.symlinkSync(`.generation/${name}`, path.join(outdir, name));
  }
  return { parent, outdir, generations, generation };
}

afterEach(() => {
  for (const name of Object.keys(mockHooks)) delete mockHooks[name];
  mockNonce = undefined;
  jest.restoreAllMocks();
});

describe('the lock', () => {
  test('a lock whose content names no owner is waited for like a live one; the refusal shows its first 60 characters', () => {
    const { parent, outdir, lock } = firstOutput();
    const holder = `not an owner id: ${'z'.repeat(60)}`;
    fs.writeFileSync(lock, `${holder}\n`);
    const before = folderTree(parent);
    expect(refusal(() => writeOutput(outdir, output({ 'a.yaml': 'a: 2\n' }), { lockWaitMs: 0 })))
      .toBe(`${q(outdir)} is being written by another synth (an owner it cannot name (${q(holder.slice(0, 60))}) holds ${q(lock)}); waited 0 s: if no synth is running, delete that file`);
    expect(folderTree(parent)).toEqual(before);
  });

  test('a lock of another host cannot be checked: it is waited for, and the refusal says whose it is', () => {
    const { outdir, lock } = firstOutput();
    const other = host() === 'abcdef01' ? '10fedcba' : 'abcdef01';
    fs.writeFileSync(lock, `${other}-4242-0123456789ab\n`);
    expect(refusal(() => writeOutput(outdir, output({ 'a.yaml': 'a: 2\n' }), { lockWaitMs: 0 })))
      .toBe(`${q(outdir)} is being written by another synth (process 4242 of another host holds ${q(lock)}); waited 0 s: if no synth is running, delete that file`);
    expect(fs.readFileSync(lock, 'utf8')).toBe(`${other}-4242-0123456789ab\n`);
  });

  test('with no time to wait (lockWaitMs 0) a live lock is tried once, not once more after a pause', () => {
    const { outdir, lock } = firstOutput();
    fs.writeFileSync(lock, `${live('000000000005')}\n`);
    let attempts = 0;
    mockHooks.linkSync = (real, from, to) => {
      if (to === lock) attempts++;
      return real(from, to);
    };
    // The clock stands still for the first two readings (the deadline and the first check), then jumps.
    let readings = 0;
    jest.spyOn(Date, 'now').mockImplementation(() => (readings++ < 2 ? 1_000_000 : 2_000_000));
    expect(refusal(() => writeOutput(outdir, output({ 'a.yaml': 'a: 2\n' }), { lockWaitMs: 0 }))).toContain(`(process ${process.ppid} holds ${q(lock)}); waited 0 s`);
    expect(attempts).toBe(1);
  });

  test('a file system without hard links (link fails with EPERM) is one line naming the call, not a wait', () => {
    const { parent, outdir, state, lock } = firstOutput();
    mockNonce = NONCE;
    let failed = 0;
    mockHooks.linkSync = (real, from, to) => {
      if (to === lock && failed++ === 0) throw systemError('EPERM', 'operation not permitted', 'link', String(from), String(to));
      return real(from, to);
    };
    const before = folderTree(parent);
    expect(refusal(() => writeOutput(outdir, output({ 'a.yaml': 'a: 2\n' }))))
      .toBe(`cannot write ${q(outdir)}: link ${q(path.join(state, `lock.synth-${ours()}`))} -> ${q(lock)} failed: EPERM (operation not permitted)`);
    expect(folderTree(parent)).toEqual(before);
  });

  test('a lock file name planted where this synth makes its candidate (a link to elsewhere) is not written through', () => {
    const { parent, outdir, state } = firstOutput();
    const victim = path.join(parent, 'victim.txt');
    fs.writeFileSync(victim, 'precious');
    mockNonce = NONCE;
    const candidate = path.join(state, `lock.synth-${ours()}`);
    fs.symlinkSync(victim, candidate);
    expect(refusal(() => writeOutput(outdir, output({ 'a.yaml': 'a: 2\n' }))))
      .toBe(`cannot write ${q(outdir)}: open ${q(candidate)} failed: EEXIST (file already exists)`);
    expect(fs.readFileSync(victim, 'utf8')).toBe('precious');
    expect(fs.readFileSync(path.join(outdir, 'a.yaml'), 'utf8')).toBe('a: 1\n');
  });

  test('the candidate deleted by someone right after it became the lock is no error: the lock is held, and released', () => {
    const { outdir, state, lock } = firstOutput();
    mockHooks.linkSync = (real, from, to) => {
      const result = real(from, to);
      if (to === lock) realFs.unlinkSync(String(from));
      return result;
    };
    expect(writeOutput(outdir, output({ 'a.yaml': 'a: 2\n' }))).toEqual([]);
    expect(fs.readdirSync(state)).toEqual([RECORD]);
    expect(fs.readFileSync(path.join(outdir, 'a.yaml'), 'utf8')).toBe('a: 2\n');
  });

  test('a live lock released between our failed link and our read of it is taken at once, even with no time to wait', () => {
    const { outdir, state, lock } = firstOutput();
    fs.writeFileSync(lock, `${live('00000000000c')}\n`);
    let attempts = 0;
    mockHooks.linkSync = (real, from, to) => {
      if (to !== lock || attempts++ > 0) return real(from, to);
      try {
        return real(from, to);
      } finally {
        realFs.unlinkSync(lock); // its holder finished right after our link failed with EEXIST
      }
    };
    expect(writeOutput(outdir, output({ 'a.yaml': 'a: 2\n' }), { lockWaitMs: 0 })).toEqual([]);
    expect(attempts).toBe(2);
    expect(fs.readFileSync(path.join(outdir, 'a.yaml'), 'utf8')).toBe('a: 2\n');
    expect(fs.readdirSync(state)).toEqual([RECORD]);
  });

  test('a lock deleted by someone while this synth wrote (as the refusal tells users to) is no error at release', () => {
    const { outdir, state, lock } = firstOutput();
    mockHooks.renameSync = (real, from, to) => {
      if (to === path.join(outdir, 'a.yaml')) realFs.unlinkSync(lock);
      return real(from, to);
    };
    expect(writeOutput(outdir, output({ 'a.yaml': 'a: 2\n' }))).toEqual([]);
    expect(fs.readFileSync(path.join(outdir, 'a.yaml'), 'utf8')).toBe('a: 2\n');
    expect(fs.readdirSync(state)).toEqual([RECORD]);
  });

  test('a lock another synth took over while this one wrote (it judged this one dead) is not released by this one', () => {
    const { outdir, lock } = firstOutput();
    const theirs = live('00000000000b');
    mockHooks.renameSync = (real, from, to) => {
      if (to === path.join(outdir, 'a.yaml')) {
        realFs.unlinkSync(lock);
        realFs.writeFileSync(lock, `${theirs}\n`);
      }
      return real(from, to);
    };
    expect(writeOutput(outdir, output({ 'a.yaml': 'a: 2\n' }))).toEqual([]);
    expect(fs.readFileSync(lock, 'utf8')).toBe(`${theirs}\n`);
  });

  test('a lock that cannot be removed at the end is a warning naming it; the output is in place, and the next synth breaks it', () => {
    const { outdir, state, lock } = firstOutput();
    let failed = 0;
    mockHooks.unlinkSync = (real, file) => {
      if (file === lock && failed++ === 0) throw systemError('EBUSY', 'resource busy or locked', 'unlink', String(file));
      return real(file);
    };
    expect(writeOutput(outdir, output({ 'a.yaml': 'a: 2\n' })))
      .toEqual([`could not remove the lock ${q(lock)}: unlink ${q(lock)} failed: EBUSY (resource busy or locked)`]);
    expect(fs.readFileSync(path.join(outdir, 'a.yaml'), 'utf8')).toBe('a: 2\n');
    expect(fs.readdirSync(state).sort()).toEqual(['lock', RECORD]);
    // The lock names this process, whose synth is over: not alive as a synth, so broken.
    expect(writeOutput(outdir, output({ 'a.yaml': 'a: 3\n' }), { lockWaitMs: 1000 })).toEqual([]);
    expect(fs.readdirSync(state)).toEqual([RECORD]);
  });
});

describe('breaking a dead synth\'s lock', () => {
  const deadLock = (lock: string) => fs.writeFileSync(lock, `${host()}-${DEAD}-000000000003\n`);
  const asideOf = (to: unknown) => path.basename(String(to)).startsWith('lock.stale-');

  test('a dead lock another synth moved aside first (our rename finds no file: ENOENT) is no error: the lock is free', () => {
    const { outdir, state, lock } = firstOutput();
    deadLock(lock);
    let raced = 0;
    mockHooks.renameSync = (real, from, to) => {
      if (from === lock && asideOf(to) && raced++ === 0) {
        realFs.unlinkSync(lock);
        throw systemError('ENOENT', 'no such file or directory', 'rename', String(from), String(to));
      }
      return real(from, to);
    };
    expect(writeOutput(outdir, output({ 'a.yaml': 'a: 2\n' }))).toEqual([]);
    expect(raced).toBe(1);
    expect(fs.readdirSync(state)).toEqual([RECORD]);
    expect(fs.readFileSync(path.join(outdir, 'a.yaml'), 'utf8')).toBe('a: 2\n');
  });

  test('a dead lock that cannot be moved aside (EBUSY) stops the synth with one line; nothing changes', () => {
    const { parent, outdir, state, lock } = firstOutput();
    deadLock(lock);
    mockNonce = NONCE;
    let failed = 0;
    mockHooks.renameSync = (real, from, to) => {
      if (from === lock && asideOf(to) && failed++ === 0) throw systemError('EBUSY', 'resource busy or locked', 'rename', String(from), String(to));
      return real(from, to);
    };
    const before = folderTree(parent);
    expect(refusal(() => writeOutput(outdir, output({ 'a.yaml': 'a: 2\n' }))))
      .toBe(`cannot write ${q(outdir)}: rename ${q(lock)} -> ${q(path.join(state, `lock.stale-${ours()}`))} failed: EBUSY (resource busy or locked)`);
    expect(folderTree(parent)).toEqual(before);
  });

  test('a live synth\'s lock that took the dead one\'s place just before we moved it aside is put back and waited for', () => {
    const { outdir, state, lock } = firstOutput();
    deadLock(lock);
    const theirs = live('00000000000c');
    mockHooks.renameSync = (real, from, to) => {
      if (from === lock && asideOf(to)) {
        realFs.unlinkSync(lock);
        realFs.writeFileSync(lock, `${theirs}\n`);
      }
      return real(from, to);
    };
    expect(refusal(() => writeOutput(outdir, output({ 'a.yaml': 'a: 2\n' }), { lockWaitMs: 0 })))
      .toBe(`${q(outdir)} is being written by another synth (process ${process.ppid} holds ${q(lock)}); waited 0 s: if no synth is running, delete that file`);
    expect(fs.readFileSync(lock, 'utf8')).toBe(`${theirs}\n`);
    expect(fs.readdirSync(state).sort()).toEqual(['lock', RECORD]);
    expect(fs.readFileSync(path.join(outdir, 'a.yaml'), 'utf8')).toBe('a: 1\n');
  });

  test('when a third synth took the free lock before the set-aside one could be put back, the third\'s stays and is waited for', () => {
    const { outdir, state, lock } = firstOutput();
    deadLock(lock);
    const second = live('00000000000c');
    const third = live('00000000000d');
    mockHooks.renameSync = (real, from, to) => {
      if (from !== lock || !asideOf(to)) return real(from, to);
      realFs.unlinkSync(lock);
      realFs.writeFileSync(lock, `${second}\n`);
      const result = real(from, to);
      realFs.writeFileSync(lock, `${third}\n`);
      return result;
    };
    expect(refusal(() => writeOutput(outdir, output({ 'a.yaml': 'a: 2\n' }), { lockWaitMs: 0 })))
      .toBe(`${q(outdir)} is being written by another synth (process ${process.ppid} holds ${q(lock)}); waited 0 s: if no synth is running, delete that file`);
    expect(fs.readFileSync(lock, 'utf8')).toBe(`${third}\n`);
    expect(fs.readdirSync(state).sort()).toEqual(['lock', RECORD]);
  });

  test('a set-aside lock that vanished before it could be read is an error naming it: the synth does not guess whose it was', () => {
    const { outdir, state, lock } = firstOutput();
    deadLock(lock);
    mockNonce = NONCE;
    const aside = path.join(state, `lock.stale-${ours()}`);
    mockHooks.renameSync = (real, from, to) => {
      const result = real(from, to);
      if (to === aside) realFs.unlinkSync(aside);
      return result;
    };
    expect(refusal(() => writeOutput(outdir, output({ 'a.yaml': 'a: 2\n' }))))
      .toBe(`cannot write ${q(outdir)}: link ${q(aside)} -> ${q(lock)} failed: ENOENT (no such file or directory)`);
    expect(fs.readFileSync(path.join(outdir, 'a.yaml'), 'utf8')).toBe('a: 1\n');
  });
});

describe('writing the files', () => {
  test('a folder the user made, empty, is kept when the first synth into it fails; the state folder it made goes', () => {
    const parent = tempDir();
    const outdir = path.join(parent, 'dist');
    fs.mkdirSync(outdir);
    expect(refusal(() => writeOutput(outdir, output({ 'b/c.yaml': 'c: 1\n' })))).toContain('failed: ENOENT');
    expect(fs.readdirSync(parent)).toEqual(['dist']);
  });

  test('a temporary name planted where the synth stages a file (a link to elsewhere) is not written through', () => {
    const { parent, outdir } = firstOutput();
    const victim = path.join(parent, 'victim.txt');
    fs.writeFileSync(victim, 'precious');
    mockNonce = NONCE;
    const temporary = path.join(outdir, `.a.yaml.synth-${ours()}`);
    fs.symlinkSync(victim, temporary);
    expect(refusal(() => writeOutput(outdir, output({ 'a.yaml': 'a: 2\n' }))))
      .toBe(`cannot write ${q(outdir)}: open ${q(temporary)} failed: EEXIST (file already exists)`);
    expect(fs.readFileSync(victim, 'utf8')).toBe('precious');
    expect(fs.readFileSync(path.join(outdir, 'a.yaml'), 'utf8')).toBe('a: 1\n');
  });

  test('a file that cannot be staged is reported by its own error (open), not by the cleanup of its missing temporary file', () => {
    const { parent, outdir } = firstOutput();
    mockNonce = NONCE;
    const before = folderTree(parent);
    expect(refusal(() => writeOutput(outdir, output({ 'a.yaml': 'a: 2\n', 'b/c.yaml': 'c: 1\n' }))))
      .toBe(`cannot write ${q(outdir)}: open ${q(path.join(outdir, `.b/c.yaml.synth-${ours()}`))} failed: ENOENT (no such file or directory)`);
    expect(folderTree(parent)).toEqual(before);
  });

  test('the record of step (3), which a kill during the renames leaves, owns the old and new content of each file, and nothing of a link', () => {
    // A migration from the layout before plain files killed half way: f.yaml already a plain file, l.yaml still a link.
    const { parent, outdir } = legacyLayout({ 'l.yaml': 'l: 1\n' });
    const state = synthStateDir(outdir);
    fs.writeFileSync(path.join(outdir, 'f.yaml'), 'f: 1\n');
    fs.mkdirSync(state);
    fs.writeFileSync(path.join(state, RECORD), JSON.stringify({ files: { 'f.yaml': [sha256('f: 1\n')] } }));
    let during: unknown;
    mockHooks.renameSync = (real, from, to) => {
      if (during === undefined && path.dirname(String(to)) === outdir) during = JSON.parse(realFs.readFileSync(path.join(state, RECORD), 'utf8')).files;
      return real(from, to);
    };
    expect(writeOutput(outdir, output({ 'f.yaml': 'f: 2\n', 'l.yaml': 'l: 2\n', 'n.yaml': 'n: 1\n' }))).toEqual([]);
    expect(during).toEqual({ 'f.yaml': [sha256('f: 1\n'), sha256('f: 2\n')].sort(), 'l.yaml': [sha256('l: 2\n')], 'n.yaml': [sha256('n: 1\n')] });
    expect(folderTree(outdir)).toEqual({ 'f.yaml': 'f: 2\n', 'l.yaml': 'l: 2\n', 'n.yaml': 'n: 1\n' });
    expect(fs.readdirSync(parent).sort()).toEqual(['.dist-synth', 'dist']);
  });

  test('a failed rename is undone latest change first (the folder passes back through the states it passed), then the record', () => {
    const { parent, outdir } = firstOutput({ 'a.yaml': 'a: 1\n', 'b.yaml': 'b: 1\n' });
    const before = folderTree(parent);
    mockHooks.renameSync = (real, from, to) => {
      if (to === path.join(outdir, 'c.yaml')) throw systemError('EBUSY', 'resource busy or locked', 'rename', String(from), String(to));
      return real(from, to);
    };
    mockCalls.length = 0;
    expect(refusal(() => writeOutput(outdir, output({ 'a.yaml': 'a: 2\n', 'b.yaml': 'b: 2\n', 'c.yaml': 'c: 1\n' })))).toContain('failed: EBUSY');
    const failed = mockCalls.indexOf('rename c.yaml');
    expect(mockCalls.slice(0, failed).filter((call) => call.endsWith('.yaml'))).toEqual(['rename a.yaml', 'rename b.yaml']);
    // After the failure: b back, a back, the record back, the lock released.
    expect(mockCalls.slice(failed + 1)).toEqual(['rename b.yaml', 'rename a.yaml', `rename ${RECORD}`, 'unlink lock']);
    expect(folderTree(parent)).toEqual(before);
  });

  test('a temporary file removed by someone before its rename: the rename\'s ENOENT is reported and what changed is put back', () => {
    const { parent, outdir } = firstOutput({ 'a.yaml': 'a: 1\n', 'b.yaml': 'b: 1\n' });
    const before = folderTree(parent);
    mockNonce = NONCE;
    mockHooks.renameSync = (real, from, to) => {
      if (to === path.join(outdir, 'c.yaml')) realFs.unlinkSync(String(from));
      return real(from, to);
    };
    expect(refusal(() => writeOutput(outdir, output({ 'a.yaml': 'a: 2\n', 'b.yaml': 'b: 2\n', 'c.yaml': 'c: 1\n' }))))
      .toBe(`cannot write ${q(outdir)}: rename ${q(path.join(outdir, `.c.yaml.synth-${ours()}`))} -> ${q(path.join(outdir, 'c.yaml'))} failed: ENOENT (no such file or directory)`);
    expect(folderTree(parent)).toEqual(before);
  });
});

describe('tidying once the output is in place: failures are warnings', () => {
  test('the final record that cannot be renamed into place is a warning naming it; the record of step (3) still owns the new files', () => {
    const { outdir, state } = firstOutput();
    mockNonce = NONCE;
    const record = path.join(state, RECORD);
    let renames = 0;
    mockHooks.renameSync = (real, from, to) => {
      if (to === record && ++renames === 2) throw systemError('EBUSY', 'resource busy or locked', 'rename', String(from), String(to));
      return real(from, to);
    };
    expect(writeOutput(outdir, output({ 'a.yaml': 'a: 2\n' })))
      .toEqual([`could not update the record ${q(record)}: rename ${q(path.join(state, `.${RECORD}.synth-${ours()}`))} -> ${q(record)} failed: EBUSY (resource busy or locked)`]);
    expect(fs.readFileSync(path.join(outdir, 'a.yaml'), 'utf8')).toBe('a: 2\n');
    expect(JSON.parse(fs.readFileSync(record, 'utf8')).files).toEqual({ 'a.yaml': [sha256('a: 1\n'), sha256('a: 2\n')].sort() });
    expect(fs.readdirSync(state)).toEqual([RECORD]);
  });

  test('a switch of the old layout that cannot be removed is a warning naming both old entries', () => {
    const { parent, outdir, generations } = legacyLayout({ 'a.yaml': 'a: 1\n' });
    const switchFile = path.join(outdir, '.generation');
    mockHooks.unlinkSync = (real, file) => {
      if (file === switchFile) throw systemError('EBUSY', 'resource busy or locked', 'unlink', String(file));
      return real(file);
    };
    expect(writeOutput(outdir, output({ 'a.yaml': 'a: 2\n' })))
      .toEqual([`could not remove the layout before plain files (${q(switchFile)}, ${q(generations)}): unlink ${q(switchFile)} failed: EBUSY (resource busy or locked)`]);
    expect(fs.readFileSync(path.join(outdir, 'a.yaml'), 'utf8')).toBe('a: 2\n');
    expect(fs.readdirSync(parent).sort()).toEqual(['.dist-generations', '.dist-synth', 'dist']);
  });

  test('a generation folder removed by someone else meanwhile (an old-version synth) is no warning', () => {
    const { parent, outdir, generations, generation } = legacyLayout({ 'a.yaml': 'a: 1\n' });
    mockHooks.rmSync = (real, file, options) => {
      if (file === path.join(generations, generation)) realFs.rmSync(String(file), { recursive: true, force: true });
      return real(file, options);
    };
    expect(writeOutput(outdir, output({ 'a.yaml': 'a: 2\n' }))).toEqual([]);
    expect(fs.readdirSync(parent).sort()).toEqual(['.dist-synth', 'dist']);
  });

  test('a new switch of a killed old-version synth removed by someone else between listing and looking is no warning', () => {
    const { parent, outdir, generation } = legacyLayout({ 'a.yaml': 'a: 1\n' });
    const newSwitch = path.join(outdir, `.generation.new-${host()}-${DEAD}-0123456789ab`);
    fs.symlinkSync(`../.dist-generations/${generation}`, newSwitch);
    let removed = false;
    mockHooks.lstatSync = (real, file, ...rest) => {
      if (file === newSwitch && !removed) {
        removed = true;
        realFs.unlinkSync(newSwitch); // gone after the synth listed dist/, before it looked at the entry
      }
      return real(file, ...rest);
    };
    expect(writeOutput(outdir, output({ 'a.yaml': 'a: 2\n' }))).toEqual([]);
    expect(removed).toBe(true);
    expect(fs.readdirSync(parent).sort()).toEqual(['.dist-synth', 'dist']);
    expect(fs.readdirSync(outdir)).toEqual(['a.yaml']);
  });

  test('entries of .dist-generations no synth made are all named in the warning, comma-separated', () => {
    const { outdir, generations } = legacyLayout({ 'a.yaml': 'a: 1\n' });
    fs.writeFileSync(path.join(generations, 'mine.txt'), 'x');
    fs.mkdirSync(path.join(generations, 'notes'));
    const warnings = writeOutput(outdir, output({ 'a.yaml': 'a: 2\n' }));
    // In the order the folder lists them.
    const said = (names: string[]) => `left ${q(generations)}: it holds ${names.map(q).join(', ')}, which no synth made`;
    expect([[said(['mine.txt', 'notes'])], [said(['notes', 'mine.txt'])]]).toContainEqual(warnings);
    expect(fs.readdirSync(generations).sort()).toEqual(['mine.txt', 'notes']);
  });

  test('entries of the user\'s that only look like the synth\'s are kept: a .generation link elsewhere, links, a plain .generation.new-*, a scratch name without its dot', () => {
    const { outdir } = firstOutput();
    const kept = {
      '.generation': 'link -> ../elsewhere/g-1',
      'docs': 'link -> ../docs',
      [`.generation.new-${host()}-${DEAD}-abc`]: 'mine',
      [`backup.synth-${host()}-${DEAD}-000000000009`]: 'mine too',
    };
    fs.symlinkSync('../elsewhere/g-1', path.join(outdir, '.generation'));
    fs.symlinkSync('../docs', path.join(outdir, 'docs'));
    fs.writeFileSync(path.join(outdir, `.generation.new-${host()}-${DEAD}-abc`), 'mine');
    fs.writeFileSync(path.join(outdir, `backup.synth-${host()}-${DEAD}-000000000009`), 'mine too');
    expect(writeOutput(outdir, output({ 'a.yaml': 'a: 2\n' }))).toEqual([]);
    expect(folderTree(outdir)).toEqual({ ...kept, 'a.yaml': 'a: 2\n' });
  });

  test('a killed synth\'s temporary file that cannot be removed is a warning naming it', () => {
    const { outdir } = firstOutput();
    const leftover = path.join(outdir, `.a.yaml.synth-${host()}-${DEAD}-000000000001`);
    fs.writeFileSync(leftover, 'a: 9\n');
    mockHooks.unlinkSync = (real, file) => {
      if (file === leftover) throw systemError('EBUSY', 'resource busy or locked', 'unlink', String(file));
      return real(file);
    };
    expect(writeOutput(outdir, output({ 'a.yaml': 'a: 2\n' })))
      .toEqual([`could not remove ${q(leftover)}: unlink ${q(leftover)} failed: EBUSY (resource busy or locked)`]);
  });

  test('a state folder that cannot be listed is a warning naming both folders looked in', () => {
    const { outdir, state } = firstOutput();
    mockHooks.readdirSync = (real, folder, ...rest) => {
      if (folder === state) throw systemError('EACCES', 'permission denied', 'scandir', String(folder));
      return real(folder, ...rest);
    };
    expect(writeOutput(outdir, output({ 'a.yaml': 'a: 2\n' })))
      .toEqual([`could not remove what killed synths left in ${q(outdir)} and ${q(state)}: scandir ${q(state)} failed: EACCES (permission denied)`]);
    expect(fs.readFileSync(path.join(outdir, 'a.yaml'), 'utf8')).toBe('a: 2\n');
  });
});
