#!/usr/bin/env node
// Publishes each environment's rendered manifests of one source commit to its own branch
// (`rendered/prod`, `rendered/dev`), one commit per change, each naming its source commit in a
// `Source-Commit:` trailer: `git log rendered/prod` is the deploy history, `git revert` on it a
// rollback, and Argo CD or Flux sync the branch (deploy/gitops/).
//
//   node scripts/publish-rendered.js [--source REV] [--environments prod,dev] [--remote NAME] [--repo DIR]
//   node scripts/publish-rendered.js --dir DIR --branch BRANCH [--source REV] [--remote NAME] [--repo DIR]
//   node scripts/publish-rendered.js --help   (every option, its default and the exit codes)
//
// The first form synthesizes each environment (ENVIRONMENT=<env>, GIT_SHA=<source>) in a
// temporary folder and publishes its dist/; the second publishes a folder as it is. Only git
// plumbing is used (hash-object, mktree, commit-tree, update-ref): the checkout's working tree,
// index and HEAD are never touched. Publishing an output the branch already has, or a source
// the branch already names, makes no commit; with --remote the branch is fetched first and
// pushed after, fast-forward only.
'use strict';
const { execFileSync, spawnSync } = require('child_process');
const fs = require('fs');
const os = require('os');
const path = require('path');

const root = path.resolve(__dirname, '..');
const DEFAULT_ENVIRONMENTS = ['prod', 'dev'];
const BRANCH_PREFIX = 'rendered/';
const TRAILER = 'Source-Commit';

/** A mistake the user can fix: printed as one line, exit code 1. */
class PublishError extends Error {}

function git(repo, args, options = {}) {
  const result = spawnSync('git', args, { cwd: repo, encoding: 'utf8', input: options.input, env: options.env ?? process.env, maxBuffer: 64 * 1024 * 1024 });
  if (result.error) throw new PublishError(`cannot run git: ${result.error.message}`);
  if (result.status !== 0 && !options.allowFailure) {
    throw new PublishError(`git ${args[0]} failed: ${(result.stderr || result.stdout).trim().split('\n').join(' ')}`);
  }
  return options.allowFailure ? { ok: result.status === 0, out: result.stdout.trim() } : result.stdout.trim();
}

function resolveCommit(repo, rev) {
  const found = git(repo, ['rev-parse', '--verify', '--quiet', `${rev}^{commit}`], { allowFailure: true });
  if (!found.ok) throw new PublishError(`--source "${rev}" is not a commit of ${repo}`);
  return found.out;
}

function refCommit(repo, ref) {
  const found = git(repo, ['rev-parse', '--verify', '--quiet', `${ref}^{commit}`], { allowFailure: true });
  return found.ok ? found.out : undefined;
}

/**
 * Writes the folder's files into the object database and returns the tree's id. Dot-files are
 * left out (scratch files of tools, never manifests, and the hidden temporary file a killed synth
 * can leave: lib/program/output.ts); a link to a file is published as the file it points to, a
 * tree recording the manifest, not the link (a folder of links made by hand, or dist/ as the
 * synth wrote it before it held plain files); an empty file holds no objects and is left out.
 */
function writeTree(repo, dir) {
  const files = [];
  const walk = (folder) => {
    const entries = { folder, files: [], folders: [] };
    for (const entry of fs.readdirSync(folder, { withFileTypes: true })) {
      if (entry.name.startsWith('.')) continue;
      const full = path.join(folder, entry.name);
      if (/[\n\0]/.test(entry.name)) throw new PublishError(`${JSON.stringify(full)} has a line break in its name: only plain file names are published`);
      const target = entry.isSymbolicLink() ? fs.statSync(full, { throwIfNoEntry: false }) : undefined;
      if (entry.isDirectory()) entries.folders.push({ name: entry.name, tree: walk(full) });
      else if (entry.isFile() || target?.isFile()) {
        if (fs.statSync(full).size === 0) continue;
        entries.files.push({ name: entry.name, index: files.length, executable: (fs.statSync(full).mode & 0o111) !== 0 });
        files.push(full);
      } else throw new PublishError(`${full} is not a regular file or folder: only files are published`);
    }
    return entries;
  };
  const top = walk(dir);
  // One process hashes every file; --no-filters: the bytes as synthesized, whatever the
  // repository's .gitattributes say.
  const blobs = files.length === 0 ? [] : git(repo, ['hash-object', '-w', '--no-filters', '--stdin-paths'], { input: files.join('\n') + '\n' }).split('\n');
  const mktree = (entries) => {
    const lines = [
      ...entries.files.map((f) => `${f.executable ? '100755' : '100644'} blob ${blobs[f.index]}\t${f.name}`),
      ...entries.folders.map((f) => `040000 tree ${mktree(f.tree)}\t${f.name}`),
    ];
    return git(repo, ['mktree', '-z'], { input: lines.map((line) => `${line}\0`).join('') });
  };
  return mktree(top);
}

function treeOf(repo, commit) {
  return git(repo, ['rev-parse', `${commit}^{tree}`]);
}

/** Source commits named by the branch's commits, newest first. */
function publishedSources(repo, tip) {
  const log = git(repo, ['log', '--format=%H%x09%(trailers:key=' + TRAILER + ',valueonly,separator=%x2C)', tip]);
  return log.split('\n').filter(Boolean).map((line) => {
    const [commit, sources = ''] = line.split('\t');
    return { commit, sources: sources.split(',').map((s) => s.trim()).filter(Boolean) };
  });
}

function isAncestor(repo, older, newer) {
  return git(repo, ['merge-base', '--is-ancestor', older, newer], { allowFailure: true }).ok;
}

function checkedOutIn(repo, branch) {
  const list = git(repo, ['worktree', 'list', '--porcelain']);
  return list.split('\n').some((line) => line === `branch refs/heads/${branch}`);
}

function subjectOf(repo, commit) {
  return git(repo, ['log', '-1', '--format=%s', commit]);
}

/**
 * Commits `dir` as the next state of `branch`, named after `source`. Returns what happened:
 * `created` (first commit of the branch), `committed`, `unchanged` (same tree), or `skipped`
 * (the branch already names this source, or a newer one).
 */
function publishDir({ repo, dir, branch, source, environment, remote }) {
  if (!fs.existsSync(dir) || !fs.statSync(dir).isDirectory()) throw new PublishError(`--dir "${dir}" is not a folder`);
  if (git(repo, ['check-ref-format', '--branch', branch], { allowFailure: true }).ok === false) {
    throw new PublishError(`--branch "${branch}" is not a valid branch name`);
  }
  if (checkedOutIn(repo, branch)) {
    throw new PublishError(`${branch} is checked out in a worktree of ${repo}: publishing moves the branch under it; switch that worktree to another branch first`);
  }
  const sourceCommit = resolveCommit(repo, source);
  const ref = `refs/heads/${branch}`;
  let remoteTip;
  if (remote) {
    const tracking = `refs/remotes/${remote}/${branch}`;
    const fetched = git(repo, ['fetch', '--quiet', '--no-tags', remote, `+${ref}:${tracking}`], { allowFailure: true });
    if (fetched.ok) remoteTip = refCommit(repo, tracking);
    else if (git(repo, ['ls-remote', '--exit-code', remote, ref], { allowFailure: true }).ok) {
      throw new PublishError(`cannot fetch ${branch} from ${remote}`);
    }
  }
  const localTip = refCommit(repo, ref);
  let parent = remoteTip ?? localTip;
  if (remoteTip && localTip && remoteTip !== localTip) {
    if (isAncestor(repo, remoteTip, localTip)) parent = localTip;
    else if (!isAncestor(repo, localTip, remoteTip)) {
      throw new PublishError(`local ${branch} and ${remote}/${branch} have diverged: reset the local branch to ${remote}'s (git branch -f ${branch} ${remote}/${branch}) or push it first`);
    }
  }

  const tree = writeTree(repo, dir);
  let outcome;
  let commit = parent;
  if (parent) {
    const history = publishedSources(repo, parent);
    const same = history.find((h) => h.sources.includes(sourceCommit));
    // Runs of CI can finish out of order: an older source never replaces a newer one.
    const latest = history.find((h) => h.sources.length > 0);
    const newer = latest && latest.sources.find((s) => s !== sourceCommit && refCommit(repo, s) && isAncestor(repo, sourceCommit, s));
    if (same) outcome = { status: 'skipped', reason: `${branch} already has ${sourceCommit.slice(0, 12)} (in ${same.commit.slice(0, 12)})` };
    else if (newer) outcome = { status: 'skipped', reason: `${branch} already has a newer source, ${newer.slice(0, 12)}` };
    else if (treeOf(repo, parent) === tree) outcome = { status: 'unchanged', reason: `the output of ${sourceCommit.slice(0, 12)} is what ${branch} already has` };
  }
  if (!outcome) {
    const env = environment ? `${environment}: ` : '';
    const message = `${env}render ${sourceCommit.slice(0, 12)} ${subjectOf(repo, sourceCommit)}\n\n`
      + `Rendered manifests of ${sourceCommit}${environment ? ` for ENVIRONMENT=${environment}` : ''}.\n`
      + 'Revert this commit to roll back to the previous output.\n\n'
      + `${TRAILER}: ${sourceCommit}\n`;
    commit = git(repo, ['commit-tree', tree, ...(parent ? ['-p', parent] : []), '-F', '-'], { input: message });
    // The expected old value makes a concurrent publish fail instead of being overwritten.
    git(repo, ['update-ref', '-m', `publish-rendered: ${sourceCommit}`, ref, commit, localTip ?? '0'.repeat(commit.length)]);
    outcome = { status: parent ? 'committed' : 'created', reason: `${branch} ${commit.slice(0, 12)}: output of ${sourceCommit.slice(0, 12)}` };
  } else if (parent !== localTip) {
    git(repo, ['update-ref', '-m', `publish-rendered: fast-forward to ${remote}`, ref, parent, localTip ?? '0'.repeat(parent.length)]);
  }
  if (remote && commit && commit !== remoteTip) git(repo, ['push', '--quiet', remote, `${ref}:${ref}`]);
  return { ...outcome, branch, commit };
}

/** Synthesizes one environment in a temporary folder and returns that folder's dist/. */
function synthesize(environment, sourceCommit, workDir) {
  const cwd = fs.mkdtempSync(path.join(workDir, `${environment}-`));
  const env = { ...process.env, ENVIRONMENT: environment, GIT_SHA: sourceCommit };
  // A preview list or a mirror folder belongs to another use of the synth than this one.
  delete env.PREVIEWS;
  delete env.CDK8S_OUTDIR;
  const result = spawnSync(process.execPath, [path.join(root, 'scripts', 'launch.js'), 'main'], { cwd, env, encoding: 'utf8' });
  if (result.status !== 0) {
    throw new PublishError(`synth of ENVIRONMENT=${environment} failed:\n${(result.stderr || result.stdout).trim()}`);
  }
  return path.join(cwd, 'dist');
}

const USAGE = `usage: node scripts/publish-rendered.js [--source REV] [--environments LIST] [--remote NAME] [--repo DIR]
       node scripts/publish-rendered.js --dir DIR --branch BRANCH [--source REV] [--remote NAME] [--repo DIR]
Commits each environment's rendered manifests to its own branch (rendered/<environment>), one
commit per change, naming the source commit (Source-Commit: trailer). Only git plumbing runs: the
working tree, index and HEAD are never touched.
  --source REV         the commit whose output is published (default: HEAD)
  --environments LIST  comma-separated environments to synthesize, each to rendered/<name>
                       (default: prod,dev); not with --dir
  --remote NAME        fetch each branch from this remote first and push it after, fast-forward
                       only (default: none, local branches only)
  --repo DIR           the git repository to publish in (default: the current folder)
  --dir DIR            publish this folder as it is, instead of synthesizing (default: none;
                       goes with --branch)
  --branch BRANCH      the branch --dir is published to (default: none; goes with --dir)
  -h, --help           print this help and exit 0; git does not run, nothing is written
  --                   ends the options (the script takes no other arguments)
Each option may be given once and takes a value.
Exit codes: 0 published (or nothing to publish), 1 publishing failed (git, a synth, a branch
that diverged; one error: line, no branch moved by that step), 2 a usage error (one error: line
and this usage).`;

/** A mistake on the command line: one line, then the usage; exit code 2. */
class UsageError extends PublishError {}

const OPTIONS = ['--source', '--environments', '--remote', '--repo', '--dir', '--branch'];

/** The options, or { help: true }; throws UsageError. */
function parseArgs(argv) {
  const end = argv.indexOf('--');
  const args = end < 0 ? argv : argv.slice(0, end);
  if (args.some((arg) => arg === '-h' || arg === '--help')) return { help: true };
  if (end >= 0 && end < argv.length - 1) throw new UsageError(`unexpected argument ${JSON.stringify(argv[end + 1])} after --: the script takes only options`);
  const options = {};
  for (let i = 0; i < args.length; i += 2) {
    const flag = args[i];
    if (!OPTIONS.includes(flag)) throw new UsageError(`unknown ${flag.startsWith('-') ? 'option' : 'argument'} ${JSON.stringify(flag)}: allowed are ${OPTIONS.join(', ')}, -h, --help, --`);
    const name = flag.slice(2);
    if (Object.hasOwn(options, name)) throw new UsageError(`${flag} is given twice: give it once`);
    const value = args[i + 1];
    if (value === undefined || value.startsWith('-')) throw new UsageError(`${flag} needs a value: ${value === undefined ? 'nothing follows it' : `${JSON.stringify(value)} follows it`}`);
    options[name] = value;
  }
  if ((options.dir === undefined) !== (options.branch === undefined)) throw new UsageError('--dir and --branch go together');
  if (options.dir !== undefined && options.environments !== undefined) throw new UsageError('--environments does not go with --dir');
  environmentsOf(options);
  return options;
}

/** The environments to synthesize: --environments, or prod and dev. */
function environmentsOf(options) {
  const environments = (options.environments ?? DEFAULT_ENVIRONMENTS.join(',')).split(',').map((e) => e.trim()).filter(Boolean);
  const bad = environments.find((e) => !/^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/.test(e));
  if (bad !== undefined || environments.length === 0) throw new UsageError(`--environments "${options.environments}" is not a list of environment names: allowed is e.g. prod,dev`);
  return environments;
}

function main(argv) {
  const options = parseArgs(argv);
  if (options.help) {
    console.log(USAGE);
    return [];
  }
  const repo = path.resolve(options.repo ?? process.cwd());
  if (!git(repo, ['rev-parse', '--git-dir'], { allowFailure: true }).ok) throw new PublishError(`--repo "${repo}" is not a git repository`);
  const source = resolveCommit(repo, options.source ?? 'HEAD');
  if (options.dir !== undefined) {
    return [publishDir({ repo, dir: path.resolve(options.dir), branch: options.branch, source, remote: options.remote })];
  }
  const environments = environmentsOf(options);
  const workDir = fs.mkdtempSync(path.join(os.tmpdir(), 'multi-k8s-publish-'));
  try {
    // Every environment is synthesized before any branch moves: a failed synth publishes nothing.
    const dirs = environments.map((environment) => ({ environment, dir: synthesize(environment, source, workDir) }));
    return dirs.map(({ environment, dir }) => publishDir({ repo, dir, branch: `${BRANCH_PREFIX}${environment}`, source, environment, remote: options.remote }));
  } finally {
    fs.rmSync(workDir, { recursive: true, force: true });
  }
}

if (require.main === module) {
  try {
    for (const result of main(process.argv.slice(2))) console.log(`${result.status}: ${result.reason}`);
  } catch (error) {
    if (!(error instanceof PublishError)) throw error;
    console.error(`error: ${error.message}`);
    if (error instanceof UsageError) console.error(USAGE);
    process.exitCode = error instanceof UsageError ? 2 : 1;
  }
}

module.exports = { publishDir, main, PublishError, UsageError, TRAILER };
