import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { parse, stringify } from 'yaml';
import { diffArgs, dryRunArgs, KubectlError, pruneFlags, PruneScope, RunOptions, runKubectl, viewCluster } from '../../lib/plan/kubectl';
import { KubeObject } from '../../lib/plan/objects';
import { tempDir } from '../helpers';
import { describeWithCluster } from '../support/envtest';

const LAST_APPLIED = 'kubectl.kubernetes.io/last-applied-configuration';

/** The selector and allowlist of the tests: `app=shop`, ConfigMaps and Namespaces. */
const SCOPE: PruneScope = { selector: 'app=shop', allowlist: ['core/v1/ConfigMap', 'core/v1/Namespace'] };

/** A labelled ConfigMap (selected by SCOPE), in a namespace unless `namespace` is undefined. */
function configMap(name: string, namespace: string | undefined, extra: Record<string, any> = {}): KubeObject {
  return { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name, ...(namespace !== undefined ? { namespace } : {}), labels: { app: 'shop' }, ...extra }, data: { name } };
}

function namespaceObject(name: string): KubeObject {
  return { apiVersion: 'v1', kind: 'Namespace', metadata: { name, labels: { app: 'shop' } } };
}

/** A folder of manifest files: each value is written as is (text) or as YAML documents (objects). */
function folder(files: Record<string, string | readonly KubeObject[]>): string {
  const dir = tempDir();
  for (const [name, content] of Object.entries(files)) {
    fs.writeFileSync(path.join(dir, name), typeof content === 'string' ? content : content.map((o) => stringify(o)).join('---\n'));
  }
  return dir;
}

/** The name kubectl diff gives an object's file in its LIVE and MERGED folders: group.version.Kind.namespace.name (k8s.io/kubectl pkg/cmd/diff/diff.go). */
function diffFileName(object: KubeObject): string {
  const [group, version] = String(object.apiVersion).includes('/') ? String(object.apiVersion).split('/') : ['', String(object.apiVersion)];
  return `${group ? `${group}.` : ''}${version}.${object.kind}.${object.metadata?.namespace ?? ''}.${object.metadata?.name}`;
}

/** Objects as kubectl diff writes them: one YAML file each. */
const diffFolder = (objects: readonly KubeObject[]) => Object.fromEntries(objects.map((o) => [diffFileName(o), stringify(o)]));

/** What the parsed last-applied annotation of an object holds. */
const lastAppliedOf = (object: KubeObject | undefined) => JSON.parse(object?.metadata?.annotations?.[LAST_APPLIED]);

const byName = (objects: readonly KubeObject[], name: string, namespace?: string) =>
  objects.find((o) => o.metadata?.name === name && (namespace === undefined || o.metadata?.namespace === namespace));

/** The object `o` as the apply's merged view shows it: with the annotation the apply records. */
function recordedAs(live: KubeObject, manifest: KubeObject): KubeObject {
  const { [LAST_APPLIED]: _, ...annotations } = manifest.metadata?.annotations ?? {};
  const recorded = { ...manifest, metadata: { ...manifest.metadata, annotations } };
  return { ...live, metadata: { ...live.metadata, annotations: { ...live.metadata?.annotations, [LAST_APPLIED]: JSON.stringify(recorded) } } };
}

describe('KubectlError', () => {
  test('is named, so a log line or stack says which error it is; it carries no warning unless given', () => {
    const error = new KubectlError('kubectl diff failed: exit code 2');
    expect(String(error)).toBe('KubectlError: kubectl diff failed: exit code 2');
    expect(error.warnings).toEqual([]);
    expect(error).toBeInstanceOf(Error);
  });
});

describe('the kubectl words of the plan', () => {
  const scope: PruneScope = { selector: 'app.kubernetes.io/part-of=multi-k8s', allowlist: ['apps/v1/Deployment', 'core/v1/Service'] };
  test('prune flags: the selector, then one --prune-allowlist per kind, in the allowlist\'s order', () => {
    expect(pruneFlags(scope)).toEqual(['--prune', '-l', 'app.kubernetes.io/part-of=multi-k8s', '--prune-allowlist=apps/v1/Deployment', '--prune-allowlist=core/v1/Service']);
  });
  test('kubectl diff and the server-side dry run of the apply: the folder, then the prune flags', () => {
    expect(diffArgs('dist', scope)).toEqual(['diff', '-f', 'dist', ...pruneFlags(scope)]);
    expect(dryRunArgs('dist', scope)).toEqual(['apply', '-f', 'dist', '--dry-run=server', ...pruneFlags(scope)]);
  });
});

// runKubectl runs any program as kubectl: sh and cat stand in for it here, since what is tested is
// how the program is run and read, not what kubectl answers.
describe('runKubectl', () => {
  test('passes the input on standard input, and nothing without it', () => {
    expect(runKubectl([], { kubectl: 'cat' }, 'kind: Namespace\n')).toEqual({ status: 0, stdout: 'kind: Namespace\n', stderr: '' });
    expect(runKubectl([], { kubectl: 'cat' })).toEqual({ status: 0, stdout: '', stderr: '' });
  });

  test('reads an answer larger than Node\'s default 1 MiB buffer whole (kubectl diff of a big output)', () => {
    const big = `${'x'.repeat(1023)}\n`.repeat(3 * 1024);
    const result = runKubectl([], { kubectl: 'cat' }, big);
    expect(result.status).toBe(0);
    expect(result.stdout.length).toBe(big.length);
    expect(result.stdout === big).toBe(true);
  });

  test('passes the arguments and environment on, and the exit code back; killed by a signal reads as 2 (an error)', () => {
    const env = { PATH: process.env.PATH, WHO: 'plan' };
    expect(runKubectl(['-c', 'printf "%s %s" "$WHO" "$0" >&2; exit 1', 'word with spaces'], { kubectl: 'sh', env })).toEqual({ status: 1, stdout: '', stderr: 'plan word with spaces' });
    expect(runKubectl(['-c', 'exit 7'], { kubectl: 'sh' }).status).toBe(7);
    expect(runKubectl(['-c', 'kill -KILL $$'], { kubectl: 'sh' })).toEqual({ status: 2, stdout: '', stderr: '' });
  });

  test('a kubectl that is not there: says to install it', () => {
    expect(() => runKubectl(['version'], { kubectl: path.join(tempDir(), 'kubectl') })).toThrow(new KubectlError('kubectl was not found on PATH: install kubectl 1.27 or newer'));
  });

  test('a kubectl that cannot run (not executable): says why, not that it is missing', () => {
    const file = path.join(tempDir(), 'kubectl');
    fs.writeFileSync(file, '#!/bin/sh\n', { mode: 0o644 });
    expect(() => runKubectl(['version'], { kubectl: file })).toThrow(new KubectlError(`kubectl could not run: spawnSync ${file} EACCES`));
  });
});

/** One answer of the stand-in, to one call. */
interface Step {
  /** Files of kubectl diff's LIVE folder: given LIVE or MERGED, the stand-in runs the diff program on them. */
  readonly live?: Record<string, string>;
  /** Files of kubectl diff's MERGED folder. */
  readonly merged?: Record<string, string>;
  readonly stderr?: string;
  /** The exit code. @default the diff program's, else 0 */
  readonly status?: number;
}

/** What the stand-in was asked. */
interface Call {
  readonly args: string[];
  /** KUBECTL_EXTERNAL_DIFF and PLAN_CAPTURE as the call saw them. */
  readonly externalDiff: string | null;
  readonly capture: string | null;
  /** The files of the `-f` folder, in the order kubectl reads them (by name), and their text. */
  readonly files?: [string, string][];
}

// A kubectl stand-in, in Python: it runs KUBECTL_EXTERNAL_DIFF as kubectl (Go's os/exec) runs it,
// with execve and no shell to fall back to (a script without `#!` fails to run, as with kubectl).
const STAND_IN = `#!/usr/bin/env python3
import json, os, shutil, subprocess, sys, tempfile
d = os.environ['STANDIN_DIR']
steps = json.load(open(os.path.join(d, 'steps.json')))
log = os.path.join(d, 'calls.jsonl')
n = sum(1 for _ in open(log)) if os.path.exists(log) else 0
step = steps[n] if n < len(steps) else {'stderr': 'stand-in: no answer for call %d\\n' % (n + 1), 'status': 9}
args = sys.argv[1:]
call = {'args': args, 'externalDiff': os.environ.get('KUBECTL_EXTERNAL_DIFF'), 'capture': os.environ.get('PLAN_CAPTURE')}
if '-f' in args and os.path.isdir(args[args.index('-f') + 1]):
    target = args[args.index('-f') + 1]
    call['files'] = [[name, open(os.path.join(target, name)).read()] for name in sorted(os.listdir(target)) if os.path.isfile(os.path.join(target, name))]
with open(log, 'a') as f:
    f.write(json.dumps(call) + '\\n')
status = step.get('status', 0)
if 'live' in step or 'merged' in step:
    work = tempfile.mkdtemp()
    try:
        for side in ('live', 'merged'):
            os.mkdir(os.path.join(work, side))
            for name, text in step.get(side, {}).items():
                with open(os.path.join(work, side, name), 'w') as f:
                    f.write(text)
        try:
            ran = subprocess.run([os.environ['KUBECTL_EXTERNAL_DIFF'], os.path.join(work, 'live'), os.path.join(work, 'merged')])
            if 'status' not in step:
                status = ran.returncode
        except OSError as e:
            sys.stderr.write('error: failed to run the diff program: %s\\n' % e.strerror)
            sys.exit(2)
    finally:
        shutil.rmtree(work)
sys.stderr.write(step.get('stderr', ''))
sys.exit(status)
`;

/** A kubectl stand-in answering each call with the next step; the options that run it. */
function standIn(steps: readonly Step[]): { options: RunOptions; calls(): Call[] } {
  const dir = tempDir();
  const kubectl = path.join(dir, 'kubectl');
  fs.writeFileSync(kubectl, STAND_IN, { mode: 0o755 });
  fs.writeFileSync(path.join(dir, 'steps.json'), JSON.stringify(steps));
  return {
    options: { kubectl, env: { ...process.env, STANDIN_DIR: dir } },
    calls() {
      const log = path.join(dir, 'calls.jsonl');
      return fs.existsSync(log) ? fs.readFileSync(log, 'utf8').split('\n').filter((l) => l !== '').map((l) => JSON.parse(l)) : [];
    },
  };
}

/** The objects of a call's `-f` folder, in the order kubectl reads them. */
const objectsRead = (call: Call | undefined) => (call?.files ?? []).map(([, text]) => parse(text));

/** The answers of a kubectl diff that ran its diff program, then of the dry run: both exit 0. */
const answered = (live: readonly KubeObject[], merged: readonly KubeObject[]): Step[] => [{ live: diffFolder(live), merged: diffFolder(merged) }, {}];

/** The error viewCluster threw (the test fails if it threw none). */
function thrownBy(fn: () => unknown): unknown {
  try {
    fn();
  } catch (error) {
    return error;
  }
  throw new Error('nothing was thrown');
}

// viewCluster against a kubectl stand-in: for what the real API server cannot be made to answer
// (a kubectl that fails after running its diff program, exit 1, odd or corrupt files in its
// folders, objects without metadata) and to run without a cluster. What the real server answers
// is in the API-server block at the end of this file.
describe('viewCluster, with a kubectl stand-in', () => {
  test('live objects as kubectl diff wrote them; merged ones with the last-applied annotation the apply records; then the dry run of the same folder', () => {
    const plain = configMap('plain', 'shop');
    const noted = configMap('noted', 'shop', { annotations: { note: 'kept', [LAST_APPLIED]: '{"stale":true}' } });
    const stale = configMap('stale', 'shop', { annotations: { [LAST_APPLIED]: '{"stale":true}' } });
    // Not selected by -l app=shop: the apply's pruning leaves it out, and so does the annotation.
    const other = { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'other', namespace: 'shop' }, data: { a: '1' } };
    const dir = folder({ 'a.yaml': [plain, noted], 'b.yaml': [stale, other] });
    const server = (o: KubeObject, annotations: Record<string, string> = {}) => ({ ...o, metadata: { ...o.metadata, uid: `uid-${o.metadata.name}`, annotations: { ...o.metadata.annotations, ...annotations } } });
    const live = [server(plain, { [LAST_APPLIED]: '{"old":true}', 'server-note': 'live' })];
    const merged = [server(plain, { [LAST_APPLIED]: '{"old":true}', 'server-note': 'live' }), server(noted), server(stale), server(other)];
    const kubectl = standIn(answered(live, merged));
    const view = viewCluster(dir, SCOPE, kubectl.options);
    expect(view.live).toEqual(live);
    expect(view.merged).toHaveLength(4);
    expect(byName(view.merged, 'plain')).toEqual(recordedAs(merged[0], plain));
    expect(byName(view.merged, 'noted')).toEqual(recordedAs(merged[1], noted));
    expect(byName(view.merged, 'stale')).toEqual(recordedAs(merged[2], stale));
    expect(byName(view.merged, 'other')).toEqual(merged[3]);
    // What kubectl apply records, as the real server showed it (the API-server block below):
    // the manifest, its own last-applied annotation taken out, an empty annotations map kept.
    expect(lastAppliedOf(byName(view.merged, 'plain'))).toEqual({ ...plain, metadata: { ...plain.metadata, annotations: {} } });
    expect(lastAppliedOf(byName(view.merged, 'noted'))).toEqual({ ...noted, metadata: { ...noted.metadata, annotations: { note: 'kept' } } });
    expect(lastAppliedOf(byName(view.merged, 'stale'))).toEqual({ ...stale, metadata: { ...stale.metadata, annotations: {} } });
    expect(byName(view.merged, 'plain')?.metadata.annotations['server-note']).toBe('live');
    const calls = kubectl.calls();
    expect(calls.map((c) => c.args)).toEqual([diffArgs(dir, SCOPE), dryRunArgs(dir, SCOPE)]);
    // The diff program is kubectl's only through the diff's environment.
    expect(calls[0].externalDiff).toEqual(expect.any(String));
    expect(calls[1].externalDiff).toBeNull();
  });

  test('each merged object takes its own manifest: one name in two namespaces, names that would run together, a manifest without a namespace', () => {
    const inA = configMap('x', 'a');
    const inB = configMap('x', 'b');
    // The namespace and name of each run together as "abc": the identity keeps them apart.
    const aBc = configMap('bc', 'a');
    const abC = configMap('c', 'ab');
    // Applied in kubectl's current namespace, whichever it is.
    const loose = configMap('loose', undefined);
    const dir = folder({ 'a.yaml': [inA, inB, aBc, abC, loose] });
    const merged = [inA, inB, aBc, abC, { ...loose, metadata: { ...loose.metadata, namespace: 'current' } }];
    const view = viewCluster(dir, SCOPE, standIn(answered([], merged)).options);
    expect(lastAppliedOf(byName(view.merged, 'x', 'a')).metadata).toEqual({ ...inA.metadata, annotations: {} });
    expect(lastAppliedOf(byName(view.merged, 'x', 'b')).metadata).toEqual({ ...inB.metadata, annotations: {} });
    expect(lastAppliedOf(byName(view.merged, 'bc')).metadata).toEqual({ ...aBc.metadata, annotations: {} });
    expect(lastAppliedOf(byName(view.merged, 'c')).metadata).toEqual({ ...abC.metadata, annotations: {} });
    expect(lastAppliedOf(byName(view.merged, 'loose')).metadata).toEqual({ ...loose.metadata, annotations: {} });
  });

  // A cluster-scoped object (no namespace) is matched first with the manifest that names none; a
  // manifest of the same kind and name naming a namespace is looked up only for objects in that
  // namespace, whatever it is called (the second name is the one a mutation tool writes, which
  // the lookup must not treat as "no namespace" either).
  test('an object without a namespace takes the manifest without one over one naming any namespace', () => {
    for (const namespace of ['default', 'Stryker was here!']) {
      const bare = namespaceObject('made');
      const named = { ...namespaceObject('made'), metadata: { ...namespaceObject('made').metadata, namespace, labels: { app: 'shop', named: 'yes' } } };
      const view = viewCluster(folder({ 'a.yaml': [named], 'b.yaml': [bare] }), SCOPE, standIn(answered([], [bare])).options);
      expect(lastAppliedOf(view.merged[0]).metadata).toEqual({ ...bare.metadata, annotations: {} });
    }
  });

  test('the diff program is a script in a folder of the temporary folder, named for the plan, which is gone afterwards, after a failure too', () => {
    const dir = folder({ 'a.yaml': [configMap('a', 'shop')] });
    const ok = standIn(answered([], [configMap('a', 'shop')]));
    viewCluster(dir, SCOPE, ok.options);
    const work = path.dirname(ok.calls()[0].externalDiff ?? '');
    expect(path.dirname(work)).toBe(os.tmpdir());
    expect(path.basename(work)).toMatch(/^multi-k8s-plan-\w{6}$/);
    expect(ok.calls()[0].capture).toBe(work);
    expect(fs.existsSync(work)).toBe(false);
    const failing = standIn([{ stderr: 'error: You must be logged in to the server (Unauthorized)\n', status: 2 }]);
    expect(() => viewCluster(dir, SCOPE, failing.options)).toThrow(new KubectlError('kubectl diff failed: error: You must be logged in to the server (Unauthorized)'));
    expect(failing.calls()[0].capture).toMatch(/multi-k8s-plan-\w{6}$/);
    expect(fs.existsSync(failing.calls()[0].capture ?? '')).toBe(false);
  });

  test('a temporary folder already gone when the plan is done (removed by kubectl, or a temp cleaner) is no error: nothing was written, nothing is read', () => {
    // A kubectl that removes the folder it is handed in PLAN_CAPTURE and answers 0 (the dry run too).
    const dir = tempDir();
    const kubectl = path.join(dir, 'kubectl');
    fs.writeFileSync(kubectl, `#!/bin/sh\nprintf '%s\\n' "$PLAN_CAPTURE" >> "${path.join(dir, 'captures')}"\nif [ -n "$PLAN_CAPTURE" ]; then rm -rf "$PLAN_CAPTURE"; fi\nexit 0\n`, { mode: 0o755 });
    const env = { ...process.env };
    delete env.PLAN_CAPTURE;
    expect(viewCluster(folder({ 'a.yaml': [configMap('a', 'shop')] }), SCOPE, { kubectl, env })).toEqual({ live: [], merged: [] });
    // kubectl diff was handed the plan's folder, which it removed; the dry run none.
    const [work, ...rest] = fs.readFileSync(path.join(dir, 'captures'), 'utf8').split('\n');
    expect(path.basename(work)).toMatch(/^multi-k8s-plan-\w{6}$/);
    expect(fs.existsSync(work)).toBe(false);
    expect(rest).toEqual(['', '']);
  });

  test('kubectl diff\'s exit 1 (its diff program found differences) is an answer, as 0 is', () => {
    const cm = configMap('a', 'shop');
    const view = viewCluster(folder({ 'a.yaml': [cm] }), SCOPE, standIn([{ live: {}, merged: diffFolder([cm]), status: 1 }, {}]).options);
    expect(view.merged.map((o) => o.metadata.name)).toEqual(['a']);
  });

  test('a failure is named by the first line kubectl wrote that is not blank, trimmed; by the exit code when it wrote none', () => {
    const dir = folder({ 'a.yaml': [configMap('a', 'shop')] });
    const silent = thrownBy(() => viewCluster(dir, SCOPE, standIn([{ status: 2 }]).options));
    expect(silent).toEqual(new KubectlError('kubectl diff failed: exit code 2'));
    const blank = thrownBy(() => viewCluster(dir, SCOPE, standIn([{ stderr: '\n   \n  error: the server could not find the requested resource  \nsecond line\n', status: 2 }]).options));
    expect(blank).toEqual(new KubectlError('kubectl diff failed: error: the server could not find the requested resource'));
    const dryRun = thrownBy(() => viewCluster(dir, SCOPE, { ...standIn([{ live: {}, merged: {} }, { status: 1 }]).options, namespace: 'shop' }));
    expect(dryRun).toEqual(new KubectlError('the server refuses the apply (kubectl apply --dry-run=server): exit code 1'));
  });

  test('the dry run\'s refusal of an update: the error, and the warning with the command that replaces the object in the namespace given', () => {
    const dir = folder({ 'a.yaml': [configMap('a', 'shop')] });
    const refusal = 'The Deployment "web" is invalid: spec.selector: Invalid value: {"matchLabels":{"app":"db"}}: field is immutable';
    const error = thrownBy(() => viewCluster(dir, SCOPE, { ...standIn([{ live: {}, merged: {} }, { stderr: `${refusal}\n`, status: 1 }]).options, namespace: 'shop' })) as KubectlError;
    expect(error.message).toBe(`the server refuses the apply (kubectl apply --dry-run=server): ${refusal}`);
    expect(error.warnings).toEqual([{ kind: 'replace', object: 'Deployment/web (shop)', message: 'the API server refuses to change spec.selector in place: run `kubectl delete deployment web -n shop`, then apply' }]);
  });

  test('a refusal of several causes: the error names kubectl\'s first line, the warning the cause that refuses the update', () => {
    const dir = folder({ 'a.yaml': [configMap('a', 'shop')] });
    const stderr = 'The Service "db" is invalid: \n* spec.type: Unsupported value: "Bogus"\n* spec.clusterIPs[0]: Invalid value: ["10.0.0.78"]: may not change once set\n';
    const error = thrownBy(() => viewCluster(dir, SCOPE, { ...standIn([{ live: {}, merged: {} }, { stderr, status: 1 }]).options, namespace: 'shop' })) as KubectlError;
    expect(error.message).toBe('the server refuses the apply (kubectl apply --dry-run=server): The Service "db" is invalid:');
    expect(error.warnings).toEqual([{ kind: 'replace', object: 'Service/db (shop)', message: 'the API server refuses to change spec.clusterIPs[0] in place: run `kubectl delete service db -n shop`, then apply' }]);
  });

  describe('a namespace the output creates that does not exist yet', () => {
    const notFound = (namespace: string): Step => ({ stderr: `Error from server (NotFound): namespaces "${namespace}" not found\n`, status: 2 });

    test('its objects are additions; the rest is diffed and dry-run without them, in their order, from fresh folders', () => {
      const created = namespaceObject('pr-7');
      const inside = configMap('inside', 'pr-7');
      // Eleven and more: file names must sort in the manifests' order past ten.
      const kept = Array.from({ length: 11 }, (_, i) => configMap(`kept-${String.fromCharCode(107 - i)}`, 'shop'));
      const dir = folder({ 'a.yaml': [inside, ...kept], 'b.yaml': [created] });
      const leftover = configMap('leftover', 'shop');
      const kubectl = standIn([
        // A kubectl that ran its diff program and then failed: its folders must not be read.
        { ...notFound('pr-7'), live: diffFolder([leftover]), merged: diffFolder([leftover]) },
        { live: {}, merged: diffFolder([created, ...kept]) },
        {},
      ]);
      const view = viewCluster(dir, SCOPE, kubectl.options);
      const calls = kubectl.calls();
      expect(calls).toHaveLength(3);
      const input = calls[1].args[2];
      expect(calls.map((c) => c.args)).toEqual([diffArgs(dir, SCOPE), diffArgs(input, SCOPE), dryRunArgs(input, SCOPE)]);
      expect(objectsRead(calls[1])).toEqual([...kept, created]);
      expect(objectsRead(calls[2])).toEqual([...kept, created]);
      expect(view.live).toEqual([]);
      expect(view.merged.map((o) => o.metadata.name).sort()).toEqual(['inside', 'pr-7', ...kept.map((o) => o.metadata.name)].sort());
      // The addition as the manifest says it, without an annotation: nothing of it is live.
      expect(byName(view.merged, 'inside')).toEqual(inside);
      expect(lastAppliedOf(byName(view.merged, 'pr-7'))).toEqual({ ...created, metadata: { ...created.metadata, annotations: {} } });
    });

    test('a namespace the output does not create (only objects in it, a Namespace of another API group) is kubectl\'s failure', () => {
      // A ConfigMap named like the namespace: core, but not a Namespace.
      const kubectl = standIn([notFound('ghost')]);
      expect(thrownBy(() => viewCluster(folder({ 'a.yaml': [configMap('ghost', 'ghost')] }), SCOPE, kubectl.options)))
        .toEqual(new KubectlError('kubectl diff failed: Error from server (NotFound): namespaces "ghost" not found'));
      expect(kubectl.calls()).toHaveLength(1);
      const custom = { apiVersion: 'example.com/v1', kind: 'Namespace', metadata: { name: 'ghost', labels: { app: 'shop' } } };
      const other = standIn([notFound('ghost')]);
      expect(thrownBy(() => viewCluster(folder({ 'a.yaml': [custom, configMap('a', 'ghost')] }), SCOPE, other.options)))
        .toEqual(new KubectlError('kubectl diff failed: Error from server (NotFound): namespaces "ghost" not found'));
      expect(other.calls()).toHaveLength(1);
    });

    test('the same namespace missing again once its objects are left out is kubectl\'s failure, not a loop', () => {
      const kubectl = standIn([notFound('pr-8'), notFound('pr-8')]);
      expect(thrownBy(() => viewCluster(folder({ 'a.yaml': [namespaceObject('pr-8'), configMap('a', 'pr-8')] }), SCOPE, kubectl.options)))
        .toEqual(new KubectlError('kubectl diff failed: Error from server (NotFound): namespaces "pr-8" not found'));
      expect(kubectl.calls()).toHaveLength(2);
    });

    test('objects without metadata (a selector that every object matches): matched, written and read without a crash', () => {
      const bare = { apiVersion: 'v1', kind: 'ConfigMap', data: { a: '1' } };
      const created = namespaceObject('pr-9');
      const inside = configMap('inside', 'pr-9');
      const scope: PruneScope = { selector: '!unused', allowlist: ['core/v1/ConfigMap'] };
      const kubectl = standIn([notFound('pr-9'), { live: {}, merged: { 'v1.ConfigMap..': stringify(bare) } }, {}]);
      const view = viewCluster(folder({ 'a.yaml': [bare, created, inside] }), scope, kubectl.options);
      expect(objectsRead(kubectl.calls()[1])).toEqual([bare, created]);
      expect(view.merged).toEqual([
        { ...bare, metadata: { annotations: { [LAST_APPLIED]: JSON.stringify({ ...bare, metadata: { annotations: {} } }) } } },
        inside,
      ]);
    });
  });

  describe('which manifests kubectl reads (as `kubectl apply -f` does)', () => {
    const notFound = (namespace: string): Step => ({ stderr: `Error from server (NotFound): namespaces "${namespace}" not found\n`, status: 2 });

    test('of a folder: its .yaml, .yml and .json files by name, not other files or sub-folders', () => {
      const made = namespaceObject('made');
      const kept = configMap('kept', 'shop');
      const dir = folder({
        'a-made.yml': [made], 'b-inside.yaml': [configMap('inside', 'made')], 'c-kept.json': JSON.stringify(kept),
        'd-backup.yaml.bak': [configMap('backup', 'shop')], 'e-notes.txt': [configMap('notes', 'shop')],
      });
      fs.mkdirSync(path.join(dir, 'f-sub.yaml'));
      fs.writeFileSync(path.join(dir, 'f-sub.yaml', 'x.yaml'), stringify(configMap('sub', 'shop')));
      const kubectl = standIn([notFound('made'), { live: {}, merged: {} }, {}]);
      const view = viewCluster(dir, SCOPE, kubectl.options);
      expect(objectsRead(kubectl.calls()[1])).toEqual([made, kept]);
      expect(view.merged).toEqual([configMap('inside', 'made')]);
    });

    // Go's filepath.Walk (k8s.io/cli-runtime's file visitor) sorts names by their UTF-8 bytes:
    // U+FFFD (EF BF BD) before U+1F600 (F0 9F 98 80), where JavaScript's sort puts U+1F600 first.
    test('of a folder: files in the order kubectl reads them, by the bytes of their names', () => {
      const created = namespaceObject('pr-13');
      const dir = folder({ 'a.yaml': [created, configMap('inside', 'pr-13')], '\ufffd.yaml': [configMap('replacement', 'shop')], '\u{1f600}.yaml': [configMap('smile', 'shop')] });
      const kubectl = standIn([notFound('pr-13'), { live: {}, merged: {} }, {}]);
      viewCluster(dir, SCOPE, kubectl.options);
      expect(objectsRead(kubectl.calls()[1]).map((o) => o.metadata.name)).toEqual(['pr-13', 'replacement', 'smile']);
    });

    test('one file: its documents that are objects (empty documents, lists, text and nulls are none)', () => {
      const created = namespaceObject('pr-10');
      const file = path.join(tempDir(), 'one.yaml');
      fs.writeFileSync(file, ['---', stringify(created), '---', '- a list', '---', 'just text', '---', 'null', '---', stringify(configMap('inside', 'pr-10')), '---', ''].join('\n'));
      const kubectl = standIn([notFound('pr-10'), { live: {}, merged: {} }, {}]);
      const view = viewCluster(file, SCOPE, kubectl.options);
      expect(kubectl.calls()[0].args).toEqual(diffArgs(file, SCOPE));
      expect(objectsRead(kubectl.calls()[1])).toEqual([created]);
      expect(view.merged).toEqual([configMap('inside', 'pr-10')]);
    });

    test('a Namespace without metadata is kubectl\'s to report, not a crash', () => {
      const kubectl = standIn([{ stderr: 'error: resource name may not be empty\n', status: 2 }]);
      expect(thrownBy(() => viewCluster(folder({ 'a.yaml': [{ apiVersion: 'v1', kind: 'Namespace' }] }), SCOPE, kubectl.options)))
        .toEqual(new KubectlError('kubectl diff failed: error: resource name may not be empty'));
    });

    test('a path that does not exist is kubectl\'s to report', () => {
      const missing = path.join(tempDir(), 'dist');
      const kubectl = standIn([{ stderr: `error: the path "${missing}" does not exist\n`, status: 2 }]);
      expect(thrownBy(() => viewCluster(missing, SCOPE, kubectl.options))).toEqual(new KubectlError(`kubectl diff failed: error: the path "${missing}" does not exist`));
    });

    test('duplicate keys as kubectl reads them: the last one counts (kubectl applied `dup2`, the API-server block)', () => {
      const file = folder({ 'a.yaml': 'apiVersion: v1\nkind: Namespace\nmetadata:\n  name: draft\n  name: pr-11\n  labels: {app: shop}\n', 'b.yaml': [configMap('inside', 'pr-11')] });
      const kubectl = standIn([notFound('pr-11'), { live: {}, merged: {} }, {}]);
      const view = viewCluster(file, SCOPE, kubectl.options);
      expect(objectsRead(kubectl.calls()[1])).toEqual([namespaceObject('pr-11')]);
      expect(view.merged).toEqual([configMap('inside', 'pr-11')]);
    });

    // kubectl reads and sends each document in turn (k8s.io/cli-runtime resource.Builder visits
    // streams lazily): an object in a namespace that does not exist fails before a later broken
    // file is read (the API-server block shows it). The broken Namespace is not one the output
    // creates: leaving its namespace out and diffing the rest would hide the broken file.
    test('a broken document (the yaml library reads an object out of it, kubectl does not) creates no namespace', () => {
      const dir = folder({ 'a.yaml': [configMap('inside', 'pr-12')], 'b.yaml': 'apiVersion: v1\nkind: Namespace\nmetadata: {name: pr-12, labels: {app: shop}}\nextra: [\n' });
      const kubectl = standIn([notFound('pr-12'), { live: {}, merged: {} }, {}]);
      expect(thrownBy(() => viewCluster(dir, SCOPE, kubectl.options))).toEqual(new KubectlError('kubectl diff failed: Error from server (NotFound): namespaces "pr-12" not found'));
      expect(kubectl.calls()).toHaveLength(1);
    });

    test('a document that cannot be read (an alias of no anchor) is kubectl\'s to report, not a crash', () => {
      const dir = folder({ 'a.yaml': 'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: a}\ndata: {a: *nope}\n' });
      const words = `error: error parsing ${path.join(dir, 'a.yaml')}: error converting YAML to JSON: yaml: unknown anchor 'nope' referenced`;
      const kubectl = standIn([{ stderr: `${words}\n`, status: 2 }]);
      expect(thrownBy(() => viewCluster(dir, SCOPE, kubectl.options))).toEqual(new KubectlError(`kubectl diff failed: ${words}`));
    });
  });

  describe('what kubectl diff wrote', () => {
    test('a file that is not YAML: its name and the parser\'s first line', () => {
      const dir = folder({ 'a.yaml': [configMap('a', 'shop')] });
      const kubectl = standIn([{ live: {}, merged: { 'v1.ConfigMap.shop.a': 'data: [\n' } }, {}]);
      expect(thrownBy(() => viewCluster(dir, SCOPE, kubectl.options))).toEqual(new KubectlError(
        'kubectl diff wrote v1.ConfigMap.shop.a, which is not YAML: Flow sequence in block collection must be sufficiently indented and end with a ] at line 2, column 1:'));
    });

    test('files that hold no object (kubectl\'s empty file for an absent object, a null, a list) are skipped', () => {
      const cm = configMap('a', 'shop');
      const kubectl = standIn([{ live: { 'v1.ConfigMap.shop.a': '', 'v1.ConfigMap.shop.b': 'null\n', 'v1.ConfigMap.shop.c': '- a\n' }, merged: diffFolder([cm]) }, {}]);
      const view = viewCluster(folder({ 'a.yaml': [cm] }), SCOPE, kubectl.options);
      expect(view.live).toEqual([]);
      expect(view.merged).toEqual([recordedAs(cm, cm)]);
    });

    test('no folders at all (a kubectl that answered without running its diff program): nothing live, nothing merged', () => {
      const kubectl = standIn([{ status: 0 }, {}]);
      expect(viewCluster(folder({ 'a.yaml': [configMap('a', 'shop')] }), SCOPE, kubectl.options)).toEqual({ live: [], merged: [] });
    });

    // Whatever order the file system lists them in: by name as JavaScript orders strings, and of
    // two files holding one object (same group, kind, namespace and name; the version aside) the
    // later name. Node lists a folder in the bytes' order (libuv scandir, strcmp), which differs
    // from JavaScript's (UTF-16 units) past U+FFFF: U+1F600 sorts before U+FFFD here, after it there.
    test('objects in file-name order; of two files with one object, the later name\'s', () => {
      const names = ['q', 'd', 'x', 'b', 'm', 'a', 'z', 'k', 'f', 'h', '\ufffd', '\u{1f600}'];
      const objects = names.map((name) => configMap(name, 'shop'));
      const v1 = { apiVersion: 'example.com/v1', kind: 'Widget', metadata: { name: 'w', namespace: 'shop' }, spec: { from: 'v1' } };
      const v2 = { ...v1, apiVersion: 'example.com/v2', spec: { from: 'v2' } };
      const live = { ...diffFolder(objects), 'example.com.v2.Widget.shop.w': stringify(v2), 'example.com.v1.Widget.shop.w': stringify(v1) };
      const view = viewCluster(folder({ 'a.yaml': [] }), SCOPE, standIn([{ live, merged: {} }, {}]).options);
      expect(view.live.map((o) => o.metadata.name)).toEqual(['w', 'a', 'b', 'd', 'f', 'h', 'k', 'm', 'q', 'x', 'z', '\u{1f600}', '\ufffd']);
      expect(view.live).toEqual([v2, ...[...objects].sort((a, b) => (a.metadata.name < b.metadata.name ? -1 : 1))]);
    });
  });
});

// The real API server (test/support/envtest) and kubectl 1.32: what the stand-in above answers
// for is shown here where a server can show it.
describeWithCluster('viewCluster against the API server', (cluster) => {
  test('the merged objects carry the last-applied annotation the apply then records (but the namespace, which kubectl fills in)', async () => {
    const ns = await cluster().namespace('view');
    const env = { ...process.env, KUBECONFIG: cluster().kubeconfigFor(ns) };
    const manifests = [
      configMap('plain', undefined),
      configMap('noted', undefined, { annotations: { note: 'kept', [LAST_APPLIED]: '{"stale":true}' } }),
      configMap('stale', undefined, { annotations: { [LAST_APPLIED]: '{"stale":true}' } }),
      configMap('empty', undefined, { annotations: {} }),
    ];
    const dir = folder({ 'a.yaml': manifests });
    const view = viewCluster(dir, SCOPE, { env });
    expect(view.live).toEqual([]);
    await cluster().kubectlOk(['apply', '-f', dir], { kubeconfig: cluster().kubeconfigFor(ns) });
    const live = JSON.parse(await cluster().kubectlOk(['get', 'configmaps', '-l', 'app=shop', '-o', 'json'], { kubeconfig: cluster().kubeconfigFor(ns) })).items;
    expect(live.map((o: KubeObject) => o.metadata.name).sort()).toEqual(['empty', 'noted', 'plain', 'stale']);
    for (const object of live) {
      const predicted = lastAppliedOf(byName(view.merged, object.metadata.name));
      expect({ name: object.metadata.name, recorded: lastAppliedOf(object) }).toEqual({ name: object.metadata.name, recorded: { ...predicted, metadata: { ...predicted.metadata, namespace: ns } } });
    }
    // Applied, the same folder has nothing live without its annotation.
    const again = viewCluster(dir, SCOPE, { env });
    expect(again.live.map((o) => o.metadata.name).sort()).toEqual(['empty', 'noted', 'plain', 'stale']);
  });

  test('one object in two files: kubectl applies them in the order of their names\' bytes, and the merged annotation is the last one\'s', async () => {
    const ns = await cluster().namespace('view');
    const kubeconfig = cluster().kubeconfigFor(ns);
    const as = (from: string) => ({ ...configMap('twice', undefined), data: { from } });
    const dir = folder({ '\ufffd.yaml': [as('replacement')], '\u{1f600}.yaml': [as('smile')] });
    const view = viewCluster(dir, SCOPE, { env: { ...process.env, KUBECONFIG: kubeconfig } });
    expect(view.merged.map((o) => o.data)).toEqual([{ from: 'smile' }]);
    expect(lastAppliedOf(view.merged[0]).data).toEqual({ from: 'smile' });
    await cluster().kubectlOk(['apply', '-f', dir], { kubeconfig });
    const live = JSON.parse(await cluster().kubectlOk(['get', 'configmap', 'twice', '-o', 'json'], { kubeconfig }));
    expect({ data: live.data, recorded: lastAppliedOf(live).data }).toEqual({ data: { from: 'smile' }, recorded: { from: 'smile' } });
  });

  test('a namespace the output creates: its objects are additions, the rest is diffed, nothing is stored', async () => {
    const ns = await cluster().namespace('view');
    const kubeconfig = cluster().kubeconfigFor(ns);
    const created = `${ns}-new`;
    const dir = folder({ 'a.yaml': [namespaceObject(created), configMap('inside', created), configMap('kept', undefined)] });
    const view = viewCluster(dir, SCOPE, { env: { ...process.env, KUBECONFIG: kubeconfig } });
    expect(view.live).toEqual([]);
    expect(byName(view.merged, 'inside')).toEqual(configMap('inside', created));
    expect(byName(view.merged, 'kept')?.metadata.namespace).toBe(ns);
    expect(view.merged.map((o) => o.metadata.name).sort()).toEqual([created, 'inside', 'kept'].sort());
    const get = await cluster().kubectl(['get', 'namespace', created], { kubeconfig });
    expect(get.stderr).toContain('not found');
  });

  test('duplicate keys: kubectl applies the last, as the plan reads it; a broken file after an object in a missing namespace: that namespace\'s error; an alias of no anchor: kubectl\'s own error', async () => {
    const ns = await cluster().namespace('view');
    const env = { ...process.env, KUBECONFIG: cluster().kubeconfigFor(ns) };
    const duplicate = folder({ 'a.yaml': 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: draft\n  name: final\n  labels: {app: shop}\ndata: {a: "1"}\n' });
    const view = viewCluster(duplicate, SCOPE, { env });
    expect(view.merged.map((o) => o.metadata.name)).toEqual(['final']);
    expect(lastAppliedOf(view.merged[0]).metadata.name).toBe('final');
    const created = `${ns}-broken`;
    const broken = folder({ 'a.yaml': [configMap('inside', created)], 'b.yaml': `apiVersion: v1\nkind: Namespace\nmetadata: {name: ${created}, labels: {app: shop}}\nextra: [\n` });
    expect(thrownBy(() => viewCluster(broken, SCOPE, { env }))).toEqual(new KubectlError(`kubectl diff failed: Error from server (NotFound): namespaces "${created}" not found`));
    const alias = folder({ 'a.yaml': 'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: a}\ndata: {a: *nope}\n' });
    expect(thrownBy(() => viewCluster(alias, SCOPE, { env }))).toEqual(new KubectlError(
      `kubectl diff failed: error: error parsing ${path.join(alias, 'a.yaml')}: error converting YAML to JSON: yaml: unknown anchor 'nope' referenced`));
  });
});
