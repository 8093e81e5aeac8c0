import { execFileSync, spawnSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import { tempDir } from '../helpers';

// The script is plain Node, run by CI as it is; the tests call its functions and its command line.
const { publishDir, PublishError } = require('../../scripts/publish-rendered.js');

const SCRIPT = path.join(__dirname, '..', '..', 'scripts', 'publish-rendered.js');
const IDENTITY = { GIT_AUTHOR_NAME: 'ci', GIT_AUTHOR_EMAIL: 'ci@example.com', GIT_COMMITTER_NAME: 'ci', GIT_COMMITTER_EMAIL: 'ci@example.com' };
Object.assign(process.env, IDENTITY);

const scratchRoot = tempDir();
let scratchCount = 0;
/** A fresh folder inside one temporary folder for the whole file. */
function scratch(): string {
  scratchCount += 1;
  const dir = path.join(scratchRoot, String(scratchCount));
  fs.mkdirSync(dir);
  return dir;
}

function git(cwd: string, ...args: string[]): string {
  return execFileSync('git', args, { cwd, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] }).trim();
}

/** A bare "remote" and a clone of it with one commit on main: the user's checkout. */
function setup(): { remote: string; checkout: string; commit: (subject: string) => string } {
  const dir = scratch();
  const remote = path.join(dir, 'remote.git');
  const checkout = path.join(dir, 'checkout');
  git(dir, 'init', '-q', '--bare', '-b', 'main', remote);
  git(dir, 'clone', '-q', remote, checkout);
  const commit = (subject: string) => {
    fs.appendFileSync(path.join(checkout, 'README.md'), `${subject}\n`);
    git(checkout, 'add', 'README.md');
    git(checkout, 'commit', '-q', '-m', subject);
    return git(checkout, 'rev-parse', 'HEAD');
  };
  commit('first');
  git(checkout, 'push', '-q', 'origin', 'main');
  return { remote, checkout, commit };
}

// One repository for the file: three source commits on main; each test publishes to a branch of its own.
let remote: string;
let checkout: string;
let first: string;
let second: string;
let docsOnly: string;
beforeAll(() => {
  const repo = setup();
  ({ remote, checkout } = repo);
  first = git(checkout, 'rev-parse', 'HEAD');
  second = repo.commit('second');
  docsOnly = repo.commit('docs only');
});
let branches = 0;
const newBranch = () => `rendered/test-${++branches}`;

/** A folder holding these files, as a synth would leave dist/. */
function output(files: Record<string, string>): string {
  const dir = scratch();
  for (const [name, content] of Object.entries(files)) {
    fs.mkdirSync(path.dirname(path.join(dir, name)), { recursive: true });
    fs.writeFileSync(path.join(dir, name), content);
  }
  return dir;
}

/** Path -> content of every file in a commit's tree. */
function filesOf(repo: string, rev: string): Record<string, string> {
  const names = git(repo, 'ls-tree', '-r', '--name-only', rev).split('\n').filter(Boolean);
  return Object.fromEntries(names.map((name) => [name, git(repo, 'show', `${rev}:${name}`) + '\n']));
}

function commitsOn(repo: string, branch: string): string[] {
  return git(repo, 'rev-list', `refs/heads/${branch}`).split('\n').filter(Boolean);
}

const PROD_V1 = { 'multi-k8s.k8s.yaml': 'kind: Deployment\nimage: a:1\n', 'extra.k8s.yaml': 'kind: Service\n' };
const PROD_V2 = { 'multi-k8s.k8s.yaml': 'kind: Deployment\nimage: a:2\n' };

describe('publish-rendered', () => {
  test('the first publish creates the branch on the remote with the output as its tree and the source commit in a trailer', () => {
    const branch = newBranch();
    const result = publishDir({ repo: checkout, dir: output(PROD_V1), branch, source: first, environment: 'prod', remote: 'origin' });

    expect(result.status).toBe('created');
    expect(commitsOn(remote, branch)).toEqual([result.commit]);
    expect(filesOf(remote, branch)).toEqual(PROD_V1);
    expect(git(remote, 'log', '-1', '--format=%(trailers:key=Source-Commit,valueonly)', branch)).toBe(first);
    expect(git(remote, 'log', '-1', '--format=%s', branch)).toBe(`prod: render ${first.slice(0, 12)} first`);
  });

  test('a second source commit adds one commit on top whose tree is exactly the new output; a removed file is gone', () => {
    const branch = newBranch();
    const one = publishDir({ repo: checkout, dir: output(PROD_V1), branch, source: first });
    const two = publishDir({ repo: checkout, dir: output(PROD_V2), branch, source: second });

    expect(two.status).toBe('committed');
    expect(commitsOn(checkout, branch)).toEqual([two.commit, one.commit]);
    expect(git(checkout, 'rev-parse', `${two.commit}^`)).toBe(one.commit);
    expect(filesOf(checkout, branch)).toEqual(PROD_V2);
    expect(Object.keys(filesOf(checkout, branch))).not.toContain('extra.k8s.yaml');
  });

  test('files in subfolders are published; dot-files (tool scratch) are not', () => {
    const branch = newBranch();
    publishDir({ repo: checkout, dir: output({ 'a/b.yaml': 'x: 1\n', '.scratch': 'tmp\n', 'c.yaml': 'y: 2\n' }), branch, source: first });
    expect(filesOf(checkout, branch)).toEqual({ 'a/b.yaml': 'x: 1\n', 'c.yaml': 'y: 2\n' });
  });

  test('publishing the same source twice makes no new commit', () => {
    const branch = newBranch();
    const one = publishDir({ repo: checkout, dir: output(PROD_V1), branch, source: first });
    const again = publishDir({ repo: checkout, dir: output(PROD_V1), branch, source: first });
    expect(again.status).toBe('skipped');
    expect(commitsOn(checkout, branch)).toEqual([one.commit]);
  });

  test('a new source commit with the same output makes no new commit', () => {
    const branch = newBranch();
    const one = publishDir({ repo: checkout, dir: output(PROD_V2), branch, source: second });
    const same = publishDir({ repo: checkout, dir: output(PROD_V2), branch, source: docsOnly });
    expect(same.status).toBe('unchanged');
    expect(commitsOn(checkout, branch)).toEqual([one.commit]);
  });

  test('an older source finishing after a newer one is skipped, not published over it', () => {
    const branch = newBranch();
    const published = publishDir({ repo: checkout, dir: output(PROD_V2), branch, source: second });
    const late = publishDir({ repo: checkout, dir: output(PROD_V1), branch, source: first });
    expect(late.status).toBe('skipped');
    expect(commitsOn(checkout, branch)).toEqual([published.commit]);
  });

  test('git revert on the branch restores the previous tree, and republishing that source does not undo the rollback', () => {
    const branch = newBranch();
    publishDir({ repo: checkout, dir: output(PROD_V1), branch, source: first, remote: 'origin' });
    publishDir({ repo: checkout, dir: output(PROD_V2), branch, source: second, remote: 'origin' });

    const operator = path.join(scratch(), 'operator');
    git(path.dirname(operator), 'clone', '-q', '--branch', branch, remote, operator);
    git(operator, 'revert', '--no-edit', 'HEAD');
    git(operator, 'push', '-q', 'origin', branch);
    expect(filesOf(remote, branch)).toEqual(PROD_V1);

    const again = publishDir({ repo: checkout, dir: output(PROD_V2), branch, source: second, remote: 'origin' });
    expect(again.status).toBe('skipped');
    expect(filesOf(remote, branch)).toEqual(PROD_V1);
  });

  test('the checkout\'s working tree, index and HEAD are untouched', () => {
    const own = setup().checkout;
    fs.writeFileSync(path.join(own, 'staged.txt'), 'staged\n');
    git(own, 'add', 'staged.txt');
    fs.appendFileSync(path.join(own, 'README.md'), 'unstaged edit\n');
    const state = () => ({ status: git(own, 'status', '--porcelain'), staged: git(own, 'diff', '--cached'), unstaged: git(own, 'diff'), head: git(own, 'symbolic-ref', 'HEAD') + git(own, 'rev-parse', 'HEAD') });
    const before = state();

    publishDir({ repo: own, dir: output(PROD_V1), branch: 'rendered/prod', source: 'HEAD' });

    expect(state()).toEqual(before);
    expect(filesOf(own, 'rendered/prod')).toEqual(PROD_V1);
  });

  test('without a remote the local branch is the history; nothing is pushed', () => {
    const branch = newBranch();
    publishDir({ repo: checkout, dir: output(PROD_V1), branch, source: first });
    expect(commitsOn(checkout, branch)).toHaveLength(1);
    expect(git(remote, 'branch', '--list', branch)).toBe('');
  });

  test('a branch checked out in a worktree is refused, not moved under it', () => {
    const branch = newBranch();
    publishDir({ repo: checkout, dir: output(PROD_V1), branch, source: first });
    git(checkout, 'worktree', 'add', '-q', path.join(scratch(), 'wt'), branch);
    const publish = () => publishDir({ repo: checkout, dir: output(PROD_V2), branch, source: second });
    expect(publish).toThrow(PublishError);
    expect(publish).toThrow(/is checked out in a worktree/);
  });

  test('a source that is not a commit is a one-line error, exit 1, no stack trace', () => {
    const result = spawnSync(process.execPath, [SCRIPT, '--repo', checkout, '--dir', output(PROD_V1), '--branch', newBranch(), '--source', 'nope'], { encoding: 'utf8' });
    expect(result.status).toBe(1);
    expect(result.stderr.trim()).toBe(`error: --source "nope" is not a commit of ${checkout}`);
  });

  /** The script's command line run in a folder of its own, with git replaced by a recorder: what it printed, ran and wrote. */
  function commandLine(args: string[]) {
    const dir = scratch();
    const bin = path.join(dir, 'bin');
    const work = path.join(dir, 'work');
    fs.mkdirSync(bin);
    fs.mkdirSync(work);
    const log = path.join(dir, 'git-calls');
    fs.writeFileSync(path.join(bin, 'git'), `#!/bin/sh\necho "$*" >> ${JSON.stringify(log)}\nexit 1\n`, { mode: 0o755 });
    const result = spawnSync(process.execPath, [SCRIPT, ...args], { cwd: work, encoding: 'utf8', env: { ...process.env, PATH: `${bin}:${process.env.PATH}` } });
    return { code: result.status, stdout: result.stdout, stderr: result.stderr, git: fs.existsSync(log), written: fs.readdirSync(work) };
  }

  test.each([[['--help']], [['-h']], [['--dir', 'x', '--help']], [['--bogus', '-h']]])('%j prints the usage on stdout, exit 0; git never runs, nothing is written', (args) => {
    const result = commandLine(args);
    expect(result).toEqual({ code: 0, stdout: expect.stringMatching(/^usage: node scripts\/publish-rendered\.js /), stderr: '', git: false, written: [] });
    for (const part of [/--source REV +the commit whose output is published \(default: HEAD\)/, /--environments LIST +comma-separated[\s\S]*\(default: prod,dev\)/,
      /--remote NAME +fetch each branch[\s\S]*\(default: none, local branches only\)/, /--repo DIR +the git repository to publish in \(default: the current folder\)/,
      /--dir DIR +publish this folder as it is[\s\S]*\(default: none;\s+goes with --branch\)/, /--branch BRANCH +the branch --dir is published to \(default: none; goes with --dir\)/,
      /-h, --help +print this help and exit 0/, /-- +ends the options/, /Exit codes: 0 published \(or nothing to publish\), 1 publishing failed[\s\S]*, 2 a usage error/]) {
      expect(result.stdout).toMatch(part);
    }
  });

  test.each([
    [['--bogus', 'x'], 'error: unknown option "--bogus": allowed are --source, --environments, --remote, --repo, --dir, --branch, -h, --help, --'],
    [['stray'], 'error: unknown argument "stray": allowed are --source, --environments, --remote, --repo, --dir, --branch, -h, --help, --'],
    [['--source', 'a', '--source', 'b'], 'error: --source is given twice: give it once'],
    [['--remote', 'origin', '--remote', 'mirror'], 'error: --remote is given twice: give it once'],
    [['--source'], 'error: --source needs a value: nothing follows it'],
    [['--remote', '--source', 'HEAD'], 'error: --remote needs a value: "--source" follows it'],
    [['--dir', 'x'], 'error: --dir and --branch go together'],
    [['--dir', 'x', '--branch', 'b', '--environments', 'prod'], 'error: --environments does not go with --dir'],
    [['--environments', 'Prod'], 'error: --environments "Prod" is not a list of environment names: allowed is e.g. prod,dev'],
    [['--', '--source', 'HEAD'], 'error: unexpected argument "--source" after --: the script takes only options'],
  ])('%j: one error line, then the usage, exit 2; nothing is published', (args, message) => {
    const result = commandLine(args);
    const [first, ...rest] = result.stderr.split('\n');
    expect({ code: result.code, stdout: result.stdout, first, written: result.written }).toEqual({ code: 2, stdout: '', first: message, written: [] });
    expect(rest.join('\n')).toMatch(/^usage: node scripts\/publish-rendered\.js /);
  });

  test('-- with nothing after it ends the options: the options before it are read as usual', () => {
    const result = spawnSync(process.execPath, [SCRIPT, '--repo', checkout, '--dir', output(PROD_V1), '--branch', newBranch(), '--source', 'nope', '--'], { encoding: 'utf8' });
    expect({ code: result.status, stderr: result.stderr.trim() }).toEqual({ code: 1, stderr: `error: --source "nope" is not a commit of ${checkout}` });
  });

  /** The error a call throws, or undefined. */
  function errorOf(call: () => unknown): any {
    try {
      call();
    } catch (error) {
      return error;
    }
    return undefined;
  }

  test('a git command that fails is one PublishError line naming the command, its output joined', () => {
    const own = setup();
    fs.writeFileSync(path.join(own.remote, 'hooks', 'pre-receive'), '#!/bin/sh\necho line one >&2\necho line two >&2\nexit 1\n', { mode: 0o755 });
    const error = errorOf(() => publishDir({ repo: own.checkout, dir: output(PROD_V1), branch: 'rendered/prod', source: 'HEAD', remote: 'origin' }));
    expect(error).toBeInstanceOf(PublishError);
    expect(error.message).toMatch(/^git push failed: remote: line one\s+remote: line two\s.*\(pre-receive hook declined\) error: failed to push some refs to .*\S$/);
    expect(error.message).not.toContain('\n');
  });

  test('git that cannot be run is a one-line error, exit 1', () => {
    const noGit = scratch();
    const result = spawnSync(process.execPath, [SCRIPT, '--repo', checkout, '--dir', output(PROD_V1), '--branch', newBranch()], { encoding: 'utf8', env: { ...process.env, PATH: noGit } });
    expect({ code: result.status, stderr: result.stderr }).toEqual({ code: 1, stderr: 'error: cannot run git: spawnSync git ENOENT\n' });
  });

  test('a file name with a line break is refused with a message naming it', () => {
    const dir = output({ 'a\nb.yaml': 'x: 1\n' });
    const error = errorOf(() => publishDir({ repo: checkout, dir, branch: newBranch(), source: first }));
    expect(error).toBeInstanceOf(PublishError);
    expect(error.message).toBe(`${JSON.stringify(path.join(dir, 'a\nb.yaml'))} has a line break in its name: only plain file names are published`);
  });

  test('a link to nothing is refused with a message naming it', () => {
    const dir = output({ 'a.yaml': 'x: 1\n' });
    fs.symlinkSync(path.join(dir, 'missing'), path.join(dir, 'gone.yaml'));
    const error = errorOf(() => publishDir({ repo: checkout, dir, branch: newBranch(), source: first }));
    expect(error).toBeInstanceOf(PublishError);
    expect(error.message).toBe(`${path.join(dir, 'gone.yaml')} is not a regular file or folder: only files are published`);
  });

  test('empty files are left out; an empty output is an empty tree; executable files keep their mode', () => {
    const emptyBranch = newBranch();
    expect(publishDir({ repo: checkout, dir: output({}), branch: emptyBranch, source: first }).status).toBe('created');
    expect(filesOf(checkout, emptyBranch)).toEqual({});

    const branch = newBranch();
    const dir = output({ 'a.yaml': 'x: 1\n', 'empty.yaml': '', 'run.sh': 'echo\n' });
    fs.chmodSync(path.join(dir, 'run.sh'), 0o755);
    fs.chmodSync(path.join(dir, 'a.yaml'), 0o644);
    publishDir({ repo: checkout, dir, branch, source: first });
    const modes = git(checkout, 'ls-tree', branch).split('\n').map((line) => [line.split('\t')[1], line.split(' ')[0]]);
    expect(Object.fromEntries(modes)).toEqual({ 'a.yaml': '100644', 'run.sh': '100755' });
  });

  test('--dir that is missing or a file, and a --branch that is not a branch name, are refused with messages naming them', () => {
    const missing = path.join(scratch(), 'missing');
    const file = path.join(output({ 'f.yaml': 'x\n' }), 'f.yaml');
    for (const dir of [missing, file]) {
      const error = errorOf(() => publishDir({ repo: checkout, dir, branch: newBranch(), source: first }));
      expect(error).toBeInstanceOf(PublishError);
      expect(error.message).toBe(`--dir "${dir}" is not a folder`);
    }
    const error = errorOf(() => publishDir({ repo: checkout, dir: output(PROD_V1), branch: 'bad..name', source: first }));
    expect(error).toBeInstanceOf(PublishError);
    expect(error.message).toBe('--branch "bad..name" is not a valid branch name');
  });

  test('each outcome names the branch and the short commits; the commit message names the source and the environment', () => {
    const branch = newBranch();
    const one = publishDir({ repo: checkout, dir: output(PROD_V1), branch, source: first });
    expect(one.reason).toBe(`${branch} ${one.commit.slice(0, 12)}: output of ${first.slice(0, 12)}`);
    expect(publishDir({ repo: checkout, dir: output(PROD_V1), branch, source: first }).reason).toBe(`${branch} already has ${first.slice(0, 12)} (in ${one.commit.slice(0, 12)})`);
    expect(publishDir({ repo: checkout, dir: output(PROD_V1), branch, source: docsOnly }).reason).toBe(`the output of ${docsOnly.slice(0, 12)} is what ${branch} already has`);
    const body = 'Revert this commit to roll back to the previous output.\n\nSource-Commit: ';
    expect(git(checkout, 'log', '-1', '--format=%B', branch)).toBe(`render ${first.slice(0, 12)} first\n\nRendered manifests of ${first}.\n${body}${first}`);

    const dev = newBranch();
    publishDir({ repo: checkout, dir: output(PROD_V1), branch: dev, source: first, environment: 'dev' });
    expect(git(checkout, 'log', '-1', '--format=%B', dev)).toBe(`dev: render ${first.slice(0, 12)} first\n\nRendered manifests of ${first} for ENVIRONMENT=dev.\n${body}${first}`);
  });

  test('after a rollback commit (no trailer) an older source is still skipped as older than the newest named source', () => {
    const branch = newBranch();
    const one = publishDir({ repo: checkout, dir: output(PROD_V2), branch, source: second });
    const two = publishDir({ repo: checkout, dir: output(PROD_V1), branch, source: docsOnly });
    const revert = git(checkout, 'commit-tree', `${one.commit}^{tree}`, '-p', two.commit, '-m', 'Revert');
    git(checkout, 'update-ref', `refs/heads/${branch}`, revert);
    const late = publishDir({ repo: checkout, dir: output(PROD_V2), branch, source: first });
    expect({ status: late.status, reason: late.reason }).toEqual({ status: 'skipped', reason: `${branch} already has a newer source, ${docsOnly.slice(0, 12)}` });
  });

  test('a hand-made trailer whose first line names no source and goes on on a second line does not hide the newest source', () => {
    const branch = newBranch();
    const a = publishDir({ repo: checkout, dir: output(PROD_V1), branch, source: docsOnly });
    const hand = git(checkout, 'commit-tree', `${a.commit}^{tree}`, '-p', a.commit, '-m', 'by hand\n\nSource-Commit: ,\n  continued');
    git(checkout, 'update-ref', `refs/heads/${branch}`, hand);
    expect(publishDir({ repo: checkout, dir: output(PROD_V2), branch, source: first }).status).toBe('skipped');
  });

  test('a trailer naming two sources separated by ", " names both', () => {
    const branch = newBranch();
    const empty = git(checkout, 'mktree');
    const hand = git(checkout, 'commit-tree', empty, '-m', `by hand\n\nSource-Commit: ${first}, ${second}`);
    git(checkout, 'update-ref', `refs/heads/${branch}`, hand);
    expect(publishDir({ repo: checkout, dir: output(PROD_V2), branch, source: second }).status).toBe('skipped');
  });

  test('a local branch ahead of the remote is built on and pushed; one that diverged is refused', () => {
    const branch = newBranch();
    const a = publishDir({ repo: checkout, dir: output(PROD_V1), branch, source: first, remote: 'origin' });
    const local = publishDir({ repo: checkout, dir: output(PROD_V2), branch, source: second });
    const next = publishDir({ repo: checkout, dir: output(PROD_V1), branch, source: docsOnly, remote: 'origin' });
    expect(next.status).toBe('committed');
    expect(commitsOn(remote, branch)).toEqual([next.commit, local.commit, a.commit]);

    const diverged = newBranch();
    const b = publishDir({ repo: checkout, dir: output(PROD_V1), branch: diverged, source: first, remote: 'origin' });
    publishDir({ repo: checkout, dir: output(PROD_V2), branch: diverged, source: second });
    const theirs = git(remote, 'commit-tree', `${b.commit}^{tree}`, '-p', b.commit, '-m', 'by hand');
    git(remote, 'update-ref', `refs/heads/${diverged}`, theirs);
    const error = errorOf(() => publishDir({ repo: checkout, dir: output(PROD_V1), branch: diverged, source: docsOnly, remote: 'origin' }));
    expect(error).toBeInstanceOf(PublishError);
    expect(error.message).toBe(`local ${diverged} and origin/${diverged} have diverged: reset the local branch to origin's (git branch -f ${diverged} origin/${diverged}) or push it first`);
  });

  test('a remote branch ahead of the local one: the local branch is fast-forwarded even when nothing is published, and new output goes on top', () => {
    const branch = newBranch();
    const a = publishDir({ repo: checkout, dir: output(PROD_V1), branch, source: first, remote: 'origin' });
    const theirs = git(remote, 'commit-tree', `${a.commit}^{tree}`, '-p', a.commit, '-m', 'by hand');
    git(remote, 'update-ref', `refs/heads/${branch}`, theirs);
    expect(publishDir({ repo: checkout, dir: output(PROD_V1), branch, source: first, remote: 'origin' }).status).toBe('skipped');
    expect(git(checkout, 'rev-parse', `refs/heads/${branch}`)).toBe(theirs);
    const next = publishDir({ repo: checkout, dir: output(PROD_V2), branch, source: second, remote: 'origin' });
    expect(commitsOn(remote, branch)).toEqual([next.commit, theirs, a.commit]);
  });

  test('a branch deleted on the remote and locally starts afresh, whatever the stale tracking ref says', () => {
    const branch = newBranch();
    publishDir({ repo: checkout, dir: output(PROD_V1), branch, source: first, remote: 'origin' });
    git(remote, 'update-ref', '-d', `refs/heads/${branch}`);
    git(checkout, 'update-ref', '-d', `refs/heads/${branch}`);
    const again = publishDir({ repo: checkout, dir: output(PROD_V2), branch, source: second, remote: 'origin' });
    expect(again.status).toBe('created');
    expect(commitsOn(remote, branch)).toEqual([again.commit]);
  });

  test('a remote branch that cannot be fetched is refused, not overwritten', () => {
    const base = newBranch();
    const branch = `${base}/x`;
    publishDir({ repo: checkout, dir: output(PROD_V1), branch, source: first, remote: 'origin' });
    git(checkout, 'update-ref', '-d', `refs/remotes/origin/${branch}`);
    git(checkout, 'update-ref', `refs/remotes/origin/${base}`, first);
    const error = errorOf(() => publishDir({ repo: checkout, dir: output(PROD_V2), branch, source: second, remote: 'origin' }));
    git(checkout, 'update-ref', '-d', `refs/remotes/origin/${base}`);
    expect(error).toBeInstanceOf(PublishError);
    expect(error.message).toBe(`cannot fetch ${branch} from origin`);
  });

  test('nothing new to publish pushes nothing: a remote one cannot push to is fine', () => {
    const branch = newBranch();
    publishDir({ repo: checkout, dir: output(PROD_V1), branch, source: first, remote: 'origin' });
    const mirror = `mirror-${branches}`;
    git(checkout, 'remote', 'add', mirror, remote);
    git(checkout, 'config', `remote.${mirror}.pushurl`, path.join(scratch(), 'missing.git'));
    expect(publishDir({ repo: checkout, dir: output(PROD_V1), branch, source: first, remote: mirror }).status).toBe('skipped');
  });

  test('without a remote no remote is asked, not even one named "undefined"', () => {
    const own = setup();
    publishDir({ repo: own.checkout, dir: output(PROD_V1), branch: 'rendered/prod', source: 'HEAD', remote: 'origin' });
    git(own.checkout, 'update-ref', '-d', 'refs/heads/rendered/prod');
    git(own.checkout, 'remote', 'add', 'undefined', own.remote);
    expect(publishDir({ repo: own.checkout, dir: output(PROD_V2), branch: 'rendered/prod', source: 'HEAD' }).status).toBe('created');
  });

  test.each([[['--environments', 'prod,']], [['--environments', 'prod, dev']], [['--environments', 'a']], [['--']]])('%j is a valid command line: it goes on to the repository check', (args) => {
    const result = commandLine(args);
    expect({ code: result.code, stderr: result.stderr }).toEqual({ code: 1, stderr: expect.stringMatching(/^error: --repo ".*\/work" is not a git repository\n$/) });
  });

  test.each([['prod!'], [','], ['']])('--environments %j is a usage error', (value) => {
    const result = commandLine(['--environments', value]);
    expect({ code: result.code, first: result.stderr.split('\n')[0] }).toEqual({ code: 2, first: `error: --environments "${value}" is not a list of environment names: allowed is e.g. prod,dev` });
  });

  test('--help prints the usage and nothing after it', () => {
    expect(commandLine(['--help']).stdout).toMatch(/and this usage\)\.\n$/);
  });

  test('--dir without --source publishes HEAD and prints one line', () => {
    const branch = newBranch();
    const result = spawnSync(process.execPath, [SCRIPT, '--repo', checkout, '--dir', output(PROD_V1), '--branch', branch], { encoding: 'utf8' });
    expect({ code: result.status, stderr: result.stderr, stdout: result.stdout }).toEqual({ code: 0, stderr: '', stdout: expect.stringMatching(new RegExp(`^created: ${branch} [0-9a-f]{12}: output of ${docsOnly.slice(0, 12)}\\n$`)) });
    expect(filesOf(checkout, branch)).toEqual(PROD_V1);
  });

  test('a failed synth is exit 1 with its error, publishes nothing and leaves no temporary folder', () => {
    const tmp = scratch();
    const result = spawnSync(process.execPath, [SCRIPT, '--repo', checkout, '--source', first, '--environments', 'prod,nope'], { encoding: 'utf8', env: { ...process.env, TMPDIR: tmp } });
    expect(result.status).toBe(1);
    expect(result.stderr).toMatch(/^error: synth of ENVIRONMENT=nope failed:\nerror: invalid configuration:\n[\s\S]*ENVIRONMENT="nope" is not an environment: allowed are prod, dev\ndist\/ was left as it was\.\n$/);
    expect(git(checkout, 'branch', '--list', 'rendered/nope')).toBe('');
    // npm (10.9 and later) keeps Node's compile cache in the temporary folder (module.enableCompileCache):
    // not the script's to remove.
    expect(fs.readdirSync(tmp).filter((name) => name !== 'node-compile-cache')).toEqual([]);
  }, 60_000);

  test('an unexpected error is not passed off as a user mistake: it is thrown with its stack', () => {
    const result = spawnSync(process.execPath, [SCRIPT, '--repo', checkout, '--source', first], { encoding: 'utf8', env: { ...process.env, TMPDIR: path.join(scratch(), 'missing') } });
    expect(result.status).toBe(1);
    expect(result.stderr).not.toMatch(/^error: /);
    expect(result.stderr).toMatch(/ENOENT[\s\S]*\n\s+at /);
  });

  test('requiring the script runs nothing', () => {
    expect(process.exitCode ?? 0).toBe(0);
  });

  test('without --dir it synthesizes prod and dev separately, each to its own branch, tagged with the source commit', () => {
    const result = spawnSync(process.execPath, [SCRIPT, '--repo', checkout, '--remote', 'origin', '--source', docsOnly], { encoding: 'utf8', env: { ...process.env, PREVIEWS: 'pr-1' } });
    expect(result.stderr).toBe('');
    expect(result.stdout).toMatch(/^created: rendered\/prod [0-9a-f]{12}: output of /m);
    expect(result.stdout).toMatch(/^created: rendered\/dev [0-9a-f]{12}: output of /m);

    const prod = filesOf(remote, 'rendered/prod');
    const dev = filesOf(remote, 'rendered/dev');
    expect(Object.keys(prod)).toEqual(['multi-k8s.k8s.yaml']);
    expect(Object.keys(dev)).toEqual(['multi-k8s.k8s.yaml']);
    expect(prod['multi-k8s.k8s.yaml']).toContain(`multi-server:${docsOnly}`);
    // prod autoscales, dev does not: each branch holds its own environment's output.
    expect(prod['multi-k8s.k8s.yaml']).toContain('kind: HorizontalPodAutoscaler');
    expect(dev['multi-k8s.k8s.yaml']).not.toContain('kind: HorizontalPodAutoscaler');

    const again = spawnSync(process.execPath, [SCRIPT, '--repo', checkout, '--remote', 'origin', '--source', docsOnly, '--environments', 'prod'], { encoding: 'utf8' });
    expect(again.stdout).toMatch(/^skipped: rendered\/prod already has /m);
    expect(commitsOn(remote, 'rendered/prod')).toHaveLength(1);
  }, 120_000);
});
