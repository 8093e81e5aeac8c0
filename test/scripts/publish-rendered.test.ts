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
