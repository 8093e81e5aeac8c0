#!/usr/bin/env node
// npm run install-workflows -- DIR
//
// Where this program lies in the app's repository (its k8s/ folder, README "Where this program
// lives"), GitHub never runs the workflows in k8s/.github/workflows: it runs only those of the
// repository's own .github/workflows. This writes there a copy of each, adapted to the folder:
// PROGRAM_DIR and every `run` step's working-directory set to it, and the tests' workflow
// filtered to changes of the folder (the deploy workflow is not: every commit of main names its
// own images, so each is published). Each copy starts with a line naming its source and the
// SHA-256 of the rest; a file in DIR without that line, or edited since, is never overwritten:
// nothing is written and the command says which file and why (exit 1).
'use strict';
const crypto = require('crypto');
const fs = require('fs');
const path = require('path');
const YAML = require('yaml');

const WORKFLOWS = ['manifests.yml', 'deploy.yml'];
const FILTERED = new Set(['manifests.yml']);
const MARK = /^# Written by npm run install-workflows \(multi-k8s-cdk8s\) from \S+; sha256 ([0-9a-f]{64}) of what follows\n/;
const USAGE = `usage: npm run install-workflows -- DIR
Writes this program's GitHub workflows, adapted to its folder, into DIR: the .github/workflows
folder of the repository this program lies in, e.g. ../.github/workflows from its k8s/ folder.
Options: -h, --help (this text); -- ends the options.
Exit codes: 0 written (or this help), 1 a file there is not one this command wrote (or was edited), 2 usage.`;

class InstallError extends Error {}

const sha256 = (text) => crypto.createHash('sha256').update(text).digest('hex');

/** The workflow `text` adapted to the program's folder `dir` (relative to the repository, with /). */
function adapt(text, dir, installedName, filtered) {
  const doc = YAML.parseDocument(text);
  if (doc.errors.length > 0) throw new InstallError(`the source workflow does not parse: ${doc.errors[0].message}`);
  doc.setIn(['env', 'PROGRAM_DIR'], dir);
  doc.setIn(['defaults', 'run', 'working-directory'], dir);
  if (filtered) {
    const paths = [`${dir}/**`, `.github/workflows/${installedName}`];
    for (const event of ['push', 'pull_request']) {
      if (!doc.hasIn(['on', event])) continue;
      const current = doc.getIn(['on', event]);
      if (YAML.isMap(current)) current.set('paths', doc.createNode(paths));
      else doc.setIn(['on', event], doc.createNode({ paths }));
    }
  }
  return doc.toString({ lineWidth: 0, flowCollectionPadding: false });
}

/** Why `file` may not be replaced, or undefined when this command wrote it and it is unedited. */
function refusal(file) {
  let existing;
  try {
    existing = fs.readFileSync(file, 'utf8');
  } catch (error) {
    if (error.code === 'ENOENT') return undefined;
    throw new InstallError(`cannot read ${file}: ${error.code}`);
  }
  const mark = MARK.exec(existing);
  if (!mark) return `${file} was not written by npm run install-workflows: rename or remove it (or merge it by hand)`;
  if (sha256(existing.slice(mark[0].length)) !== mark[1]) return `${file} was edited since npm run install-workflows wrote it: make the change in this program's .github/workflows, or remove the file, and run it again`;
  return undefined;
}

const usageError = (message) => Object.assign(new InstallError(`error: ${message}\n${USAGE}`), { usage: true });

/** DIR from the command line; `--help` is undefined. `--` ends the options, so a DIR may start with -. */
function parseArgs(args) {
  const operands = [];
  let help = false;
  for (let i = 0; i < args.length; i++) {
    if (args[i] === '--') { operands.push(...args.slice(i + 1)); break; }
    if (args[i] === '-h' || args[i] === '--help') help = true;
    else if (args[i].startsWith('-') && args[i] !== '-') throw usageError(`unknown option ${JSON.stringify(args[i]).slice(1, -1)}: allowed are -h, --help, -- (a DIR starting with - goes after --)`);
    else operands.push(args[i]);
  }
  if (help) return undefined;
  if (operands.length !== 1) throw usageError(`name one DIR (${operands.length === 0 ? "none was given" : `${operands.length} were given`})`);
  return operands[0];
}

function install(args, program, initCwd) {
  const given = parseArgs(args);
  if (given === undefined) { process.stdout.write(`${USAGE}\n`); return; }
  args = [given];
  const pkg = JSON.parse(fs.readFileSync(path.join(program, 'package.json'), 'utf8'));
  if (pkg.name !== 'multi-k8s-cdk8s') throw new InstallError(`${program} is not this program's folder (run it with npm run install-workflows from there)`);
  const target = path.resolve(initCwd, args[0]);
  if (path.basename(target) !== 'workflows' || path.basename(path.dirname(target)) !== '.github') {
    throw new InstallError(`DIR=${args[0]} is not a .github/workflows folder: give the one of the repository this program lies in, e.g. ../.github/workflows`);
  }
  const repository = path.dirname(path.dirname(target));
  if (!fs.existsSync(repository)) throw new InstallError(`${repository} does not exist`);
  const relative = path.relative(fs.realpathSync(repository), fs.realpathSync(program));
  if (relative === '') throw new InstallError(`this program is the repository ${repository}: GitHub runs its .github/workflows as they are`);
  if (relative.startsWith('..') || path.isAbsolute(relative)) throw new InstallError(`this program (${program}) does not lie in ${repository}: give the .github/workflows folder of the repository it lies in`);
  const dir = relative.split(path.sep).join('/');
  const prefix = dir.replace(/[^A-Za-z0-9_.-]+/g, '-');
  const planned = WORKFLOWS.map((name) => {
    const installedName = `${prefix}-${name}`;
    const source = `${dir}/.github/workflows/${name}`;
    const body = adapt(fs.readFileSync(path.join(program, '.github', 'workflows', name), 'utf8'), dir, installedName, FILTERED.has(name));
    const text = `# Written by npm run install-workflows (multi-k8s-cdk8s) from ${source}; sha256 ${sha256(body)} of what follows\n${body}`;
    return { file: path.join(target, installedName), text };
  });
  // Every file is judged before any is written: a refusal writes nothing.
  const refusals = planned.map(({ file }) => refusal(file)).filter((r) => r !== undefined);
  if (refusals.length > 0) throw new InstallError(`${refusals.join('\nerror: ')}\nnothing was written`);
  fs.mkdirSync(target, { recursive: true });
  for (const { file, text } of planned) {
    const part = `${file}.${process.pid}.part`;
    fs.writeFileSync(part, text);
    fs.renameSync(part, file);
    process.stdout.write(`wrote ${path.relative(initCwd, file)} (runs ${dir}/.github/workflows/${path.basename(file).slice(prefix.length + 1)} with working-directory ${dir})\n`);
  }
}

if (require.main === module) {
  try {
    // npm run starts scripts in the package's folder; INIT_CWD is where it was typed.
    install(process.argv.slice(2), process.cwd(), process.env.INIT_CWD || process.cwd());
  } catch (error) {
    if (!(error instanceof InstallError)) throw error;
    process.stderr.write(error.usage ? `${error.message}\n` : `error: ${error.message}\n`);
    process.exitCode = error.usage ? 2 : 1;
  }
}

module.exports = { install, adapt, parseArgs };
