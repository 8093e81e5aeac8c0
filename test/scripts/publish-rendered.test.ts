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
    const { remote, checkout } = setup();
    const source = git(checkout, 'rev-parse', 'HEAD');
    const result = publishDir({ repo: checkout, dir: output(PROD_V1), branch: 'rendered/prod', source: 'HEAD', environment: 'prod', remote: 'origin' });

    expect(result.status).toBe('created');
    expect(commitsOn(remote, 'rendered/prod')).toEqual([result.commit]);
    expect(filesOf(remote, 'rendered/prod')).toEqual(PROD_V1);
    expect(git(remote, 'log', '-1', '--format=%(trailers:key=Source-Commit,valueonly)', 'rendered/prod')).toBe(source);
    expect(git(remote, 'log', '-1', '--format=%s', 'rendered/prod')).toBe(`prod: render ${source.slice(0, 12)} first`);
  });

  test('a second source commit adds one commit on top whose tree is exactly the new output; a removed file is gone', () => {
    const { remote, checkout, commit } = setup();
    const first = publishDir({ repo: checkout, dir: output(PROD_V1), branch: 'rendered/prod', source: 'HEAD', remote: 'origin' });
    const source = commit('second');
    const second = publishDir({ repo: checkout, dir: output(PROD_V2), branch: 'rendered/prod', source, remote: 'origin' });

    expect(second.status).toBe('committed');
    expect(commitsOn(remote, 'rendered/prod')).toEqual([second.commit, first.commit]);
    expect(git(remote, 'rev-parse', `${second.commit}^`)).toBe(first.commit);
    expect(filesOf(remote, 'rendered/prod')).toEqual(PROD_V2);
    expect(Object.keys(filesOf(remote, 'rendered/prod'))).not.toContain('extra.k8s.yaml');
  });

  test('files in subfolders are published; dot-files (tool scratch) are not', () => {
    const { remote, checkout } = setup();
    publishDir({ repo: checkout, dir: output({ 'a/b.yaml': 'x: 1\n', '.scratch': 'tmp\n', 'c.yaml': 'y: 2\n' }), branch: 'rendered/dev', source: 'HEAD', remote: 'origin' });
    expect(filesOf(remote, 'rendered/dev')).toEqual({ 'a/b.yaml': 'x: 1\n', 'c.yaml': 'y: 2\n' });
  });

  test('publishing the same source twice makes no new commit', () => {
    const { remote, checkout } = setup();
    const first = publishDir({ repo: checkout, dir: output(PROD_V1), branch: 'rendered/prod', source: 'HEAD', remote: 'origin' });
    const again = publishDir({ repo: checkout, dir: output(PROD_V1), branch: 'rendered/prod', source: 'HEAD', remote: 'origin' });
    expect(again.status).toBe('skipped');
    expect(commitsOn(remote, 'rendered/prod')).toEqual([first.commit]);
  });

  test('a new source commit with the same output makes no new commit', () => {
    const { remote, checkout, commit } = setup();
    const first = publishDir({ repo: checkout, dir: output(PROD_V1), branch: 'rendered/prod', source: 'HEAD', remote: 'origin' });
    const source = commit('docs only');
    const same = publishDir({ repo: checkout, dir: output(PROD_V1), branch: 'rendered/prod', source, remote: 'origin' });
    expect(same.status).toBe('unchanged');
    expect(commitsOn(remote, 'rendered/prod')).toEqual([first.commit]);
  });

  test('an older source finishing after a newer one is skipped, not published over it', () => {
    const { remote, checkout, commit } = setup();
    const older = git(checkout, 'rev-parse', 'HEAD');
    const newer = commit('second');
    const published = publishDir({ repo: checkout, dir: output(PROD_V2), branch: 'rendered/prod', source: newer, remote: 'origin' });
    const late = publishDir({ repo: checkout, dir: output(PROD_V1), branch: 'rendered/prod', source: older, remote: 'origin' });
    expect(late.status).toBe('skipped');
    expect(commitsOn(remote, 'rendered/prod')).toEqual([published.commit]);
  });

  test('git revert on the branch restores the previous tree, and republishing that source does not undo the rollback', () => {
    const { remote, checkout, commit } = setup();
    publishDir({ repo: checkout, dir: output(PROD_V1), branch: 'rendered/prod', source: 'HEAD', remote: 'origin' });
    const source = commit('second');
    publishDir({ repo: checkout, dir: output(PROD_V2), branch: 'rendered/prod', source, remote: 'origin' });

    const operator = path.join(scratch(), 'operator');
    git(path.dirname(operator), 'clone', '-q', '--branch', 'rendered/prod', remote, operator);
    git(operator, 'revert', '--no-edit', 'HEAD');
    git(operator, 'push', '-q', 'origin', 'rendered/prod');
    expect(filesOf(remote, 'rendered/prod')).toEqual(PROD_V1);

    const again = publishDir({ repo: checkout, dir: output(PROD_V2), branch: 'rendered/prod', source, remote: 'origin' });
    expect(again.status).toBe('skipped');
    expect(filesOf(remote, 'rendered/prod')).toEqual(PROD_V1);
  });

  test('the checkout\'s working tree, index and HEAD are untouched', () => {
    const { checkout } = setup();
    fs.writeFileSync(path.join(checkout, 'staged.txt'), 'staged\n');
    git(checkout, 'add', 'staged.txt');
    fs.appendFileSync(path.join(checkout, 'README.md'), 'unstaged edit\n');
    const before = { status: git(checkout, 'status', '--porcelain'), staged: git(checkout, 'diff', '--cached'), unstaged: git(checkout, 'diff'), head: git(checkout, 'symbolic-ref', 'HEAD') + git(checkout, 'rev-parse', 'HEAD') };

    publishDir({ repo: checkout, dir: output(PROD_V1), branch: 'rendered/prod', source: 'HEAD' });

    expect({ status: git(checkout, 'status', '--porcelain'), staged: git(checkout, 'diff', '--cached'), unstaged: git(checkout, 'diff'), head: git(checkout, 'symbolic-ref', 'HEAD') + git(checkout, 'rev-parse', 'HEAD') }).toEqual(before);
    expect(filesOf(checkout, 'rendered/prod')).toEqual(PROD_V1);
  });

  test('without a remote the local branch is the history; nothing is pushed', () => {
    const { remote, checkout } = setup();
    publishDir({ repo: checkout, dir: output(PROD_V1), branch: 'rendered/prod', source: 'HEAD' });
    expect(commitsOn(checkout, 'rendered/prod')).toHaveLength(1);
    expect(git(remote, 'branch', '--list', 'rendered/prod')).toBe('');
  });

  test('a branch checked out in a worktree is refused, not moved under it', () => {
    const { checkout } = setup();
    publishDir({ repo: checkout, dir: output(PROD_V1), branch: 'rendered/prod', source: 'HEAD' });
    git(checkout, 'worktree', 'add', '-q', path.join(scratch(), 'wt'), 'rendered/prod');
    expect(() => publishDir({ repo: checkout, dir: output(PROD_V2), branch: 'rendered/prod', source: 'HEAD' })).toThrow(PublishError);
    expect(() => publishDir({ repo: checkout, dir: output(PROD_V2), branch: 'rendered/prod', source: 'HEAD' })).toThrow(/is checked out in a worktree/);
  });

  test('a source that is not a commit is a one-line error, exit 1, no stack trace', () => {
    const { checkout } = setup();
    const result = spawnSync(process.execPath, [SCRIPT, '--repo', checkout, '--dir', output(PROD_V1), '--branch', 'rendered/prod', '--source', 'nope'], { encoding: 'utf8' });
    expect(result.status).toBe(1);
    expect(result.stderr.trim()).toBe(`error: --source "nope" is not a commit of ${checkout}`);
  });

  test('an unknown argument names the usage', () => {
    const result = spawnSync(process.execPath, [SCRIPT, '--bogus', 'x'], { encoding: 'utf8' });
    expect(result.status).toBe(1);
    expect(result.stderr).toMatch(/^error: unknown argument "--bogus": usage: publish-rendered.js/);
  });

  test('without --dir it synthesizes prod and dev separately, each to its own branch, tagged with the source commit', () => {
    const { remote, checkout } = setup();
    const source = git(checkout, 'rev-parse', 'HEAD');
    const result = spawnSync(process.execPath, [SCRIPT, '--repo', checkout, '--remote', 'origin'], { encoding: 'utf8', env: { ...process.env, PREVIEWS: 'pr-1' } });
    expect(result.stderr).toBe('');
    expect(result.stdout).toMatch(/^created: rendered\/prod [0-9a-f]{12}: output of /m);
    expect(result.stdout).toMatch(/^created: rendered\/dev [0-9a-f]{12}: output of /m);

    const prod = filesOf(remote, 'rendered/prod');
    const dev = filesOf(remote, 'rendered/dev');
    expect(Object.keys(prod)).toEqual(['multi-k8s.k8s.yaml']);
    expect(Object.keys(dev)).toEqual(['multi-k8s.k8s.yaml']);
    expect(prod['multi-k8s.k8s.yaml']).toContain(`multi-server:${source}`);
    // prod autoscales, dev does not: each branch holds its own environment's output.
    expect(prod['multi-k8s.k8s.yaml']).toContain('kind: HorizontalPodAutoscaler');
    expect(dev['multi-k8s.k8s.yaml']).not.toContain('kind: HorizontalPodAutoscaler');

    const again = spawnSync(process.execPath, [SCRIPT, '--repo', checkout, '--remote', 'origin'], { encoding: 'utf8' });
    expect(again.stdout).toMatch(/^skipped: rendered\/prod already has /m);
    expect(commitsOn(remote, 'rendered/prod')).toHaveLength(1);
  }, 120_000);
});
