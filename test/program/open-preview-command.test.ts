import * as fs from 'fs';
import * as path from 'path';
import { stringify } from 'yaml';
import { KubectlError } from '../../lib/plan/kubectl';
import { APP_NAME } from '../../lib/components/workload';
import { firstLine, liveNamespace, notOursReason, run } from '../../lib/program/open-preview-command';
import { NAMESPACE_MARK } from '../../lib/program/ownership';
import { defaultObjects, inEmptyFolder, tempDir } from '../helpers';
import { captureOutput } from '../support/cli';
import { fakeKubectl } from '../support/fake-kubectl';

// What open-preview does with a cluster (creates and marks a new preview's Namespace, refuses one
// this app did not create) is tested on the real API server: test/program/preview-namespace-cluster.test.ts.
// Here: what it refuses before kubectl runs (a kubectl that cannot run would say so instead).

const NO_KUBECTL = { kubectl: '/nonexistent/kubectl' };
const USAGE_START = /^usage: npm run open-preview -- \[DIR\]\n/;

function output(objects: Record<string, any>[]): string {
  const dir = tempDir();
  fs.writeFileSync(path.join(dir, 'out.k8s.yaml'), objects.map((o) => stringify(o)).join('---\n'));
  return dir;
}

describe('npm run open-preview', () => {
  test.each([
    [['a', 'b'], 'error: one folder at most: 2 were given (a b)'],
    [['--', 'a', '-b'], 'error: one folder at most: 2 were given (a -b)'],
    [['--force'], 'error: unknown option --force: allowed are -h, --help, -- (an operand starting with - goes after --)'],
    [['dist', '--dry-run'], 'error: unknown option --dry-run: allowed are -h, --help, -- (an operand starting with - goes after --)'],
  ])('refuses %j: one error line, then the usage, exit 2, kubectl never runs', (args, message) => {
    const kubectl = fakeKubectl();
    expect(captureOutput(() => run(args, { env: kubectl.env }))).toEqual({ code: 2, out: [], err: [message, expect.stringMatching(USAGE_START)] });
    expect(kubectl.calls()).toEqual([]);
  });

  test.each([[['--help']], [['-h']], [['dist', '--help']], [['--force', '-h']]])('%j prints the usage on stdout, exit 0, reads nothing, kubectl never runs, nothing written', (args) => {
    const kubectl = fakeKubectl();
    const { result, dir } = inEmptyFolder(() => captureOutput(() => run(args, { env: kubectl.env })));
    expect(result).toEqual({ code: 0, out: [expect.stringMatching(USAGE_START)], err: [] });
    for (const part of [/DIR +the synthesized previews \(PREVIEWS=\.\.\. npm run synth\) \(default: dist\)/, /-h, --help +print this help and exit 0/, /-- +ends the options/,
      /Exit codes: 0 every preview Namespace is this app's \(created now or before\), 2 otherwise/]) {
      expect(result.out[0]).toMatch(part);
    }
    expect(kubectl.calls()).toEqual([]);
    expect(fs.readdirSync(dir)).toEqual([]);
  });

  test('after --, a folder may start with -', () => {
    const parent = tempDir();
    fs.mkdirSync(path.join(parent, '-previews'));
    fs.writeFileSync(path.join(parent, '-previews', 'out.k8s.yaml'), defaultObjects({ PREVIEWS: 'pr-12' }).map((o) => stringify(o)).join('---\n'));
    const cwd = process.cwd();
    try {
      process.chdir(parent);
      // Read as a folder: its preview Namespace reaches kubectl (here one that cannot run).
      expect(captureOutput(() => run(['--', '-previews'], NO_KUBECTL)).err).toEqual(['error: kubectl was not found on PATH: install kubectl 1.27 or newer']);
    } finally {
      process.chdir(cwd);
    }
  });

  test('an output of the main environment holds no preview Namespace: exit 2, one line, kubectl never runs', () => {
    const dir = output(defaultObjects());
    expect(captureOutput(() => run([dir], NO_KUBECTL))).toEqual({
      code: 2, out: [], err: [`error: ${dir} holds no preview Namespace of multi-k8s: synthesize previews first (PREVIEWS=pr-12 npm run synth), then npm run open-preview -- [DIR]`],
    });
  });

  test('a Namespace of another app in the folder is not this app\'s to create', () => {
    const dir = output([{ apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'team-x', labels: { 'app.kubernetes.io/part-of': 'other' } } }]);
    expect(captureOutput(() => run([dir], NO_KUBECTL)).code).toBe(2);
  });

  test('previews: kubectl is asked (here it cannot run: one line, exit 2)', () => {
    const dir = output(defaultObjects({ PREVIEWS: 'pr-12' }));
    expect(captureOutput(() => run([dir], NO_KUBECTL))).toEqual({ code: 2, out: [], err: ['error: kubectl was not found on PATH: install kubectl 1.27 or newer'] });
  });

  test('a folder that does not exist: one escaped line, exit 2', () => {
    const result = captureOutput(() => run(['/nonexistent/a\u001b[2J'], NO_KUBECTL));
    expect(result.code).toBe(2);
    expect(result.err).toHaveLength(1);
    expect(result.err[0]).not.toMatch(/[\u0000-\u001f]/);
  });
});

// A kubectl stand-in, here and not the real API server, because what is tested is this command's
// handling of every answer kubectl can give, some of which a healthy server never gives on demand:
// a get that fails (with a message, or with none: only an exit code), a namespace without the
// mark, one whose mark is not its uid, one that is ours, a create that fails, a label that fails,
// and success; and exactly what the command sends to kubectl: the arguments of
// `get namespace NAME --ignore-not-found -o json`, of `create --save-config -o json -f -` with
// the Namespace's JSON on stdin, of `label namespace NAME multi-k8s/namespace-uid=UID
// --resource-version=RV`, and their order (every namespace checked before any is created). What
// the real server answers to those same commands is tested in preview-namespace-cluster.test.ts.
// The stand-in is a Node script run by the path given as `kubectl`: it appends each call
// (arguments and stdin) to calls.jsonl and answers from answers.json, by verb and then by the
// namespace's name (`*` for any); a call it has no answer for fails with exit 99, so that an
// unexpected call cannot pass for a kubectl answer.

/** What the stand-in answers to one call. */
interface Answer {
  readonly stdout?: string;
  readonly stderr?: string;
  readonly status?: number;
}
/** The answers by verb (`get`, `create`, `label`), then by namespace name (or `*`). */
type Answers = Readonly<Record<string, Readonly<Record<string, Answer>>>>;
/** One call the stand-in received. */
interface Call {
  readonly args: string[];
  readonly stdin: string;
}

const STAND_IN = `#!${process.execPath}
const fs = require('fs');
const path = require('path');
const args = process.argv.slice(2);
const stdin = fs.readFileSync(0, 'utf8');
fs.appendFileSync(path.join(__dirname, 'calls.jsonl'), JSON.stringify({ args, stdin }) + '\\n');
const answers = JSON.parse(fs.readFileSync(path.join(__dirname, 'answers.json'), 'utf8'));
let name = args[2];
// create reads its object from stdin: the name is in it.
if (args[0] === 'create') try { name = JSON.parse(stdin).metadata.name; } catch { name = undefined; }
const byName = answers[args[0]] || {};
const answer = byName[name] || byName['*'];
if (!answer) {
  fs.writeSync(2, 'stand-in: no answer for ' + JSON.stringify(args) + '\\n');
  process.exit(99);
}
if (answer.stdout) fs.writeSync(1, answer.stdout);
if (answer.stderr) fs.writeSync(2, answer.stderr);
process.exit(answer.status || 0);
`;

function standIn(answers: Answers): { kubectl: string; calls(): Call[] } {
  const dir = tempDir();
  const kubectl = path.join(dir, 'kubectl');
  fs.writeFileSync(kubectl, STAND_IN, { mode: 0o755 });
  fs.writeFileSync(path.join(dir, 'answers.json'), JSON.stringify(answers));
  return {
    kubectl,
    calls() {
      const log = path.join(dir, 'calls.jsonl');
      if (!fs.existsSync(log)) return [];
      return fs.readFileSync(log, 'utf8').split('\n').filter((line) => line !== '').map((line) => JSON.parse(line) as Call);
    },
  };
}

/** A preview's Namespace as the synth writes it: this app's part-of label is what makes it one. */
function previewNamespace(name: string): Record<string, any> {
  return { apiVersion: 'v1', kind: 'Namespace', metadata: { name, labels: { 'app.kubernetes.io/part-of': APP_NAME, 'app.kubernetes.io/instance': name } } };
}

/** A live Namespace as `kubectl get -o json` prints it. */
function live(name: string, uid: string, labels?: Record<string, string>): Answer {
  return { stdout: `${JSON.stringify({ apiVersion: 'v1', kind: 'Namespace', metadata: { name, uid, resourceVersion: '7', ...(labels ? { labels } : {}) } }, null, 4)}\n` };
}

/** The answer of `kubectl create -o json`: the object the server made, with its uid and resource version. */
function created(name: string, uid: string, resourceVersion: string): Answer {
  return { stdout: `${JSON.stringify({ ...previewNamespace(name), metadata: { ...previewNamespace(name).metadata, uid, resourceVersion } }, null, 4)}\n` };
}

const NOT_FOUND: Answer = { stdout: '' };
const LABELED: Answer = { stdout: 'namespace/x labeled\n' };
const getArgs = (name: string) => ['get', 'namespace', name, '--ignore-not-found', '-o', 'json'];
const CREATE_ARGS = ['create', '--save-config', '-o', 'json', '-f', '-'];
const labelArgs = (name: string, uid: string, rv: string) => ['label', 'namespace', name, `${NAMESPACE_MARK}=${uid}`, `--resource-version=${rv}`];
const refusedLine = (name: string, reason: string) => `error: namespace ${name} exists and this app did not create it (${reason}): the apply would adopt it and closing the preview would delete it; nothing was created or applied; allowed is a preview name no namespace has`;
const createdLine = (name: string, uid: string) => `namespace ${name}: created for the preview (${NAMESPACE_MARK}=${uid})`;
const NO_PREVIEW = (dir: string) => `error: ${dir} holds no preview Namespace of multi-k8s: synthesize previews first (PREVIEWS=pr-12 npm run synth), then npm run open-preview -- [DIR]`;

describe('npm run open-preview, with a kubectl stand-in', () => {
  test.each([
    ['nothing', ''],
    ['only blank lines', '\n  \n'],
  ])('a namespace that does not exist (get prints %s): created from the output\'s Namespace on stdin, then marked with the uid at the create\'s resource version, exit 0', (_what, stdout) => {
    const namespace = previewNamespace('pr-12');
    const dir = output([namespace]);
    const k = standIn({ get: { 'pr-12': { stdout } }, create: { 'pr-12': created('pr-12', 'uid-12', '301') }, label: { 'pr-12': LABELED } });
    expect(captureOutput(() => run([dir], { kubectl: k.kubectl }))).toEqual({ code: 0, out: [], err: [createdLine('pr-12', 'uid-12')] });
    const calls = k.calls();
    expect(calls.map((c) => c.args)).toEqual([getArgs('pr-12'), CREATE_ARGS, labelArgs('pr-12', 'uid-12', '301')]);
    expect(JSON.parse(calls[1].stdin)).toEqual(namespace);
    // Only the create reads stdin.
    expect([calls[0].stdin, calls[2].stdin]).toEqual(['', '']);
  });

  test('a synthesized preview output: its Namespace goes to kubectl create as the synth wrote it', () => {
    const objects = defaultObjects({ PREVIEWS: 'pr-12' });
    const dir = output(objects);
    const k = standIn({ get: { 'pr-12': NOT_FOUND }, create: { 'pr-12': created('pr-12', 'u', '1') }, label: { 'pr-12': LABELED } });
    expect(captureOutput(() => run([dir], { kubectl: k.kubectl }))).toEqual({ code: 0, out: [], err: [createdLine('pr-12', 'u')] });
    expect(JSON.parse(k.calls()[1].stdin)).toEqual(objects.find((o) => o.kind === 'Namespace'));
  });

  test('two previews, one already this app\'s (its mark is its uid): it is said so and left alone; only the other is created', () => {
    const dir = output([previewNamespace('pr-1'), previewNamespace('pr-2')]);
    const k = standIn({
      get: { 'pr-1': live('pr-1', 'uid-1', { [NAMESPACE_MARK]: 'uid-1' }), 'pr-2': NOT_FOUND },
      create: { 'pr-2': created('pr-2', 'uid-2', '55') },
      label: { 'pr-2': LABELED },
    });
    expect(captureOutput(() => run([dir], { kubectl: k.kubectl }))).toEqual({
      code: 0, out: [], err: [`namespace pr-1: this app's preview (${NAMESPACE_MARK}=uid-1)`, createdLine('pr-2', 'uid-2')],
    });
    expect(k.calls().map((c) => c.args)).toEqual([getArgs('pr-1'), getArgs('pr-2'), CREATE_ARGS, labelArgs('pr-2', 'uid-2', '55')]);
  });

  test('two previews, every one this app\'s: nothing is created, exit 0', () => {
    const dir = output([previewNamespace('pr-1'), previewNamespace('pr-2')]);
    const k = standIn({ get: { 'pr-1': live('pr-1', 'a', { [NAMESPACE_MARK]: 'a' }), 'pr-2': live('pr-2', 'b', { [NAMESPACE_MARK]: 'b', other: 'x' }) } });
    expect(captureOutput(() => run([dir], { kubectl: k.kubectl }))).toEqual({
      code: 0, out: [], err: [`namespace pr-1: this app's preview (${NAMESPACE_MARK}=a)`, `namespace pr-2: this app's preview (${NAMESPACE_MARK}=b)`],
    });
    expect(k.calls().map((c) => c.args)).toEqual([getArgs('pr-1'), getArgs('pr-2')]);
  });

  test.each([
    ['no labels at all', undefined, `it has no label ${NAMESPACE_MARK}`],
    ['labels, not the mark', { team: 'x' }, `it has no label ${NAMESPACE_MARK}`],
    ['a mark that is not its uid', { [NAMESPACE_MARK]: 'uid-old' }, `its label ${NAMESPACE_MARK}=uid-old is not its uid uid-2`],
    ['an empty mark', { [NAMESPACE_MARK]: '' }, `its label ${NAMESPACE_MARK}= is not its uid uid-2`],
  ])('a namespace with %s is refused before any is created: the missing one is not created either, exit 2', (_what, labels, reason) => {
    const dir = output([previewNamespace('pr-1'), previewNamespace('pr-2')]);
    const k = standIn({ get: { 'pr-1': NOT_FOUND, 'pr-2': live('pr-2', 'uid-2', labels) }, create: { '*': created('pr-1', 'u', '1') }, label: { '*': LABELED } });
    expect(captureOutput(() => run([dir], { kubectl: k.kubectl }))).toEqual({ code: 2, out: [], err: [refusedLine('pr-2', reason)] });
    expect(k.calls().map((c) => c.args)).toEqual([getArgs('pr-1'), getArgs('pr-2')]);
  });

  test('every namespace refused is named, one line each, after all were checked', () => {
    const dir = output([previewNamespace('pr-1'), previewNamespace('pr-2'), previewNamespace('pr-3')]);
    const k = standIn({ get: { 'pr-1': live('pr-1', 'u1'), 'pr-2': live('pr-2', 'u2', { [NAMESPACE_MARK]: 'u2' }), 'pr-3': live('pr-3', 'u3', { [NAMESPACE_MARK]: 'u1' }) } });
    expect(captureOutput(() => run([dir], { kubectl: k.kubectl }))).toEqual({
      code: 2, out: [], err: [
        `namespace pr-2: this app's preview (${NAMESPACE_MARK}=u2)`,
        refusedLine('pr-1', `it has no label ${NAMESPACE_MARK}`),
        refusedLine('pr-3', `its label ${NAMESPACE_MARK}=u1 is not its uid u3`),
      ],
    });
    expect(k.calls().map((c) => c.args)).toEqual([getArgs('pr-1'), getArgs('pr-2'), getArgs('pr-3')]);
  });

  test.each([
    ['its first line', { stderr: '\n  error: You must be logged in to the server (Unauthorized)  \nmore\n', status: 1 }, 'error: You must be logged in to the server (Unauthorized)'],
    ['its exit code when it says nothing', { status: 7 }, 'exit code 7'],
    ['its exit code when it prints only blank lines', { stderr: '\n \n', status: 4 }, 'exit code 4'],
    ['its line with the password masked', { stderr: 'Unable to connect to the server: proxy http://admin:s3cret@proxy.example:3128 refused\n', status: 1 },
      'Unable to connect to the server: proxy http://admin:***@proxy.example:3128 refused'],
  ])('a get that fails: one line with %s, exit 2, nothing created', (_what, answer, reason) => {
    const dir = output([previewNamespace('pr-12'), previewNamespace('pr-13')]);
    const k = standIn({ get: { 'pr-12': answer, 'pr-13': NOT_FOUND }, create: { '*': created('pr-13', 'u', '1') }, label: { '*': LABELED } });
    expect(captureOutput(() => run([dir], { kubectl: k.kubectl }))).toEqual({ code: 2, out: [], err: [`error: kubectl get namespace pr-12 failed: ${reason}`] });
    expect(k.calls().map((c) => c.args)).toEqual([getArgs('pr-12')]);
  });

  test('a get that answers what is not JSON: one error line, exit 2, nothing created', () => {
    const dir = output([previewNamespace('pr-12')]);
    const k = standIn({ get: { 'pr-12': { stdout: 'namespace/pr-12\n' } }, create: { '*': created('pr-12', 'u', '1') } });
    const result = captureOutput(() => run([dir], { kubectl: k.kubectl }));
    expect(result).toEqual({ code: 2, out: [], err: [expect.stringMatching(/^error: .*JSON/)] });
    expect(k.calls().map((c) => c.args)).toEqual([getArgs('pr-12')]);
  });

  test.each([['null'], ['[]'], ['"text"'], ['5']])('a get that answers %s, which kubectl never prints: one error line, exit 2, nothing created', (stdout) => {
    const dir = output([previewNamespace('pr-12')]);
    const k = standIn({ get: { 'pr-12': { stdout: `${stdout}\n` } }, create: { '*': created('pr-12', 'u', '1') } });
    expect(captureOutput(() => run([dir], { kubectl: k.kubectl }))).toEqual({ code: 2, out: [], err: [`error: kubectl get namespace pr-12 answered what is not an object: ${stdout}`] });
    expect(k.calls().map((c) => c.args)).toEqual([getArgs('pr-12')]);
  });

  test('a fault of the command itself, not the user\'s (here a caller passing a kubectl that is not a path), is printed as the error itself, exit 2', () => {
    const dir = output([previewNamespace('pr-12')]);
    const printed: unknown[] = [];
    const error = jest.spyOn(console, 'error').mockImplementation((...a: unknown[]) => { printed.push(...a); });
    try {
      expect(run([dir], { kubectl: 5 as unknown as string })).toBe(2);
    } finally {
      error.mockRestore();
    }
    // Node's own TypeError (another realm than the test's: matched by its code and name).
    expect(printed).toEqual([expect.objectContaining({ code: 'ERR_INVALID_ARG_TYPE', name: 'TypeError' })]);
  });

  test.each([
    ['its first line', { stderr: 'Error from server (AlreadyExists): namespaces "pr-12" already exists\n', status: 1 }, 'Error from server (AlreadyExists): namespaces "pr-12" already exists'],
    ['its exit code when it says nothing', { status: 5 }, 'exit code 5'],
  ])('a create that fails: one line with %s, exit 2, no label is set', (_what, answer, reason) => {
    const dir = output([previewNamespace('pr-12')]);
    const k = standIn({ get: { 'pr-12': NOT_FOUND }, create: { 'pr-12': answer }, label: { '*': LABELED } });
    expect(captureOutput(() => run([dir], { kubectl: k.kubectl }))).toEqual({
      code: 2, out: [], err: [`error: kubectl create namespace pr-12 failed (a namespace of that name appeared, or no right to create one): ${reason}; nothing was applied`],
    });
    expect(k.calls().map((c) => c.args)).toEqual([getArgs('pr-12'), CREATE_ARGS]);
  });

  test('a create that fails stops there: a second missing namespace is not created', () => {
    const dir = output([previewNamespace('pr-1'), previewNamespace('pr-2')]);
    const k = standIn({ get: { '*': NOT_FOUND }, create: { 'pr-1': { stderr: 'Error from server (Forbidden): no\n', status: 1 }, 'pr-2': created('pr-2', 'u', '1') }, label: { '*': LABELED } });
    expect(captureOutput(() => run([dir], { kubectl: k.kubectl })).code).toBe(2);
    expect(k.calls().map((c) => c.args)).toEqual([getArgs('pr-1'), getArgs('pr-2'), CREATE_ARGS]);
  });

  test.each([
    ['its first line', { stderr: 'Error from server (Conflict): Operation cannot be fulfilled on namespaces "pr-12": the object has been modified\n', status: 1 },
      'Error from server (Conflict): Operation cannot be fulfilled on namespaces "pr-12": the object has been modified'],
    ['its exit code when it says nothing', { status: 3 }, 'exit code 3'],
  ])('a label that fails: one line with %s saying the namespace was created and what to do, exit 2', (_what, answer, reason) => {
    const dir = output([previewNamespace('pr-12'), previewNamespace('pr-13')]);
    const k = standIn({ get: { '*': NOT_FOUND }, create: { 'pr-12': created('pr-12', 'uid-12', '9'), 'pr-13': created('pr-13', 'uid-13', '10') }, label: { 'pr-12': answer, 'pr-13': LABELED } });
    expect(captureOutput(() => run([dir], { kubectl: k.kubectl }))).toEqual({
      code: 2, out: [], err: [`error: namespace pr-12 was created, but its mark could not be set: ${reason}; it is refused until it has the mark: delete it (kubectl delete namespace pr-12) and run this again`],
    });
    expect(k.calls().map((c) => c.args)).toEqual([getArgs('pr-12'), getArgs('pr-13'), CREATE_ARGS, labelArgs('pr-12', 'uid-12', '9')]);
  });

  test.each([
    ['no metadata', { stdout: '{"apiVersion":"v1","kind":"Namespace"}\n' }],
    ['null', { stdout: 'null\n' }],
    ['no uid', { stdout: `${JSON.stringify({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'pr-12', resourceVersion: '9' } })}\n` }],
    ['an empty uid', created('pr-12', '', '9')],
    ['no resource version', { stdout: `${JSON.stringify({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'pr-12', uid: 'uid-12' } })}\n` }],
    ['an empty resource version', created('pr-12', 'uid-12', '')],
    ['a resource version that is a number', { stdout: `${JSON.stringify({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'pr-12', uid: 'uid-12', resourceVersion: 9 } })}\n` }],
  ])('a create whose answer has %s: no label runs, one line, exit 2', (_what, answer) => {
    const dir = output([previewNamespace('pr-12')]);
    const k = standIn({ get: { '*': NOT_FOUND }, create: { 'pr-12': answer } });
    expect(captureOutput(() => run([dir], { kubectl: k.kubectl }))).toEqual({
      code: 2, out: [], err: ['error: namespace pr-12 was created, but kubectl\'s answer names no uid and resource version to mark it by; it is refused until it has the mark: delete it (kubectl delete namespace pr-12) and run this again'],
    });
    expect(k.calls().map((c) => c.args)).toEqual([getArgs('pr-12'), CREATE_ARGS]);
  });

  test('no DIR: the folder read is dist', () => {
    const parent = tempDir();
    fs.mkdirSync(path.join(parent, 'dist'));
    fs.writeFileSync(path.join(parent, 'dist', 'pr-12.k8s.yaml'), stringify(previewNamespace('pr-12')));
    const k = standIn({ get: { 'pr-12': live('pr-12', 'u', { [NAMESPACE_MARK]: 'u' }) } });
    const cwd = process.cwd();
    try {
      process.chdir(parent);
      expect(captureOutput(() => run([], { kubectl: k.kubectl }))).toEqual({ code: 0, out: [], err: [`namespace pr-12: this app's preview (${NAMESPACE_MARK}=u)`] });
    } finally {
      process.chdir(cwd);
    }
    expect(k.calls().map((c) => c.args)).toEqual([getArgs('pr-12')]);
  });

  test.each([
    ['the help', ['--help'], 0],
    ['two folders', ['a', 'b'], 2],
  ])('%s: kubectl never runs', (_what, args, code) => {
    const k = standIn({});
    expect(captureOutput(() => run(args, { kubectl: k.kubectl })).code).toBe(code);
    expect(k.calls()).toEqual([]);
  });

  test.each([
    ['of another app', { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'team-x', labels: { 'app.kubernetes.io/part-of': 'other' } } }],
    ['without labels', { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'team-x' } }],
    ['without metadata', { apiVersion: 'v1', kind: 'Namespace' }],
    ['of another apiVersion', { ...previewNamespace('pr-12'), apiVersion: 'v2' }],
    ['of another kind, this app\'s', { ...previewNamespace('pr-12'), kind: 'ConfigMap' }],
  ])('a Namespace %s is not a preview\'s: none in the folder, one line, exit 2, kubectl never runs', (_what, object) => {
    const dir = output([object]);
    const k = standIn({});
    expect(captureOutput(() => run([dir], { kubectl: k.kubectl }))).toEqual({ code: 2, out: [], err: [NO_PREVIEW(dir)] });
    expect(k.calls()).toEqual([]);
  });
});

describe('open-preview\'s helpers', () => {
  test.each([
    ['no metadata', {}, `it has no label ${NAMESPACE_MARK}`],
    ['no labels', { metadata: { uid: 'u' } }, `it has no label ${NAMESPACE_MARK}`],
    ['another mark', { metadata: { uid: 'u', labels: { [NAMESPACE_MARK]: 'v' } } }, `its label ${NAMESPACE_MARK}=v is not its uid u`],
    ['a mark and no uid', { metadata: { labels: { [NAMESPACE_MARK]: 'v' } } }, `its label ${NAMESPACE_MARK}=v is not its uid "undefined"`],
    ['a mark with a control character', { metadata: { uid: 'u', labels: { [NAMESPACE_MARK]: 'v\n' } } }, `its label ${NAMESPACE_MARK}="v\\n" is not its uid u`],
  ])('notOursReason: %s', (_what, namespace, reason) => {
    expect(notOursReason(namespace)).toBe(reason);
  });

  test.each([
    ['', ''],
    ['\n \n\t\n', ''],
    ['\n  first  \nsecond\n', 'first'],
    ['a https://me:pw@host b', 'a https://me:***@host b'],
  ])('firstLine(%j) = %j', (text, line) => {
    expect(firstLine(text)).toBe(line);
  });

  test('firstLine masks before it shortens: a password the cut at 1000 characters goes through is not half shown', () => {
    // Masked: 981 + 22 characters, cut after `***@h`; cut first, the cut would fall in the password and leave 5 of its characters with no `@` to mask.
    const line = firstLine(`${'x'.repeat(980)} https://admin:${'p'.repeat(40)}@host\nsecond`);
    expect(line).toBe(`${'x'.repeat(980)} https://admin:***@h... (3 more characters)`);
    expect(line).not.toContain('pp');
  });

  test('liveNamespace: the object kubectl printed; undefined for --ignore-not-found\'s empty answer; a failure as a KubectlError', () => {
    const k = standIn({ get: { a: live('a', 'ua'), b: NOT_FOUND, c: { status: 1, stderr: 'boom\n' } } });
    expect(liveNamespace('a', { kubectl: k.kubectl })?.metadata?.uid).toBe('ua');
    expect(liveNamespace('b', { kubectl: k.kubectl })).toBeUndefined();
    expect(() => liveNamespace('c', { kubectl: k.kubectl })).toThrow(KubectlError);
    expect(() => liveNamespace('c', { kubectl: k.kubectl })).toThrow(/^kubectl get namespace c failed: boom$/);
    expect(k.calls().map((c) => c.args)).toEqual([getArgs('a'), getArgs('b'), getArgs('c'), getArgs('c')]);
  });
});
