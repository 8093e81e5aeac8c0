import { randomBytes } from 'crypto';
import * as fs from 'fs';
import * as path from 'path';
import { run } from '../../lib/program/close-preview-command';
import { NAMESPACE_MARK } from '../../lib/program/ownership';
import { inEmptyFolder, tempDir } from '../helpers';
import { describeWithCluster } from '../support/envtest';
import { captureOutput } from '../support/cli';
import { fakeKubectl } from '../support/fake-kubectl';

// What close-preview does with a cluster (deletes only a namespace with this app's mark, with
// the uid it checked as the delete's precondition) is tested on the real API server:
// test/program/preview-namespace-cluster.test.ts. Here: what it refuses before kubectl runs.

function closePreview(args: string[], kubectl = {}) {
  return captureOutput(() => run(args, kubectl));
}

const NO_KUBECTL = { kubectl: '/nonexistent/kubectl' };

describe('npm run close-preview', () => {
  test.each([
    [['prod'], 'error: prod is not a preview name: allowed is a DNS label of at most 50 characters (a-z 0-9 -) other than prod, dev'],
    [['dev'], 'error: dev is not a preview name: allowed is a DNS label of at most 50 characters (a-z 0-9 -) other than prod, dev'],
    [['kube-system;rm'], 'error: kube-system;rm is not a preview name: allowed is a DNS label of at most 50 characters (a-z 0-9 -) other than prod, dev'],
    [['pr-1\u001b[2J\nforged'], 'error: "pr-1\\u001b[2J\\nforged" is not a preview name: allowed is a DNS label of at most 50 characters (a-z 0-9 -) other than prod, dev'],
    [['--', '-x'], 'error: -x is not a preview name: allowed is a DNS label of at most 50 characters (a-z 0-9 -) other than prod, dev'],
  ])('refuses %j before kubectl runs: exit 2', (args, message) => {
    // A kubectl that cannot run would say so: the refusal comes first.
    expect(closePreview(args, NO_KUBECTL)).toEqual({ code: 2, out: [], err: [message] });
  });

  test.each([
    [[], 'error: name one preview (none was given)'],
    [['pr-1', 'pr-2'], 'error: name one preview (2 were given)'],
    [['--', 'pr-1', 'pr-2'], 'error: name one preview (2 were given)'],
    [['--all'], 'error: unknown option --all: allowed are -h, --help, -- (an operand starting with - goes after --)'],
    [['pr-1', '--force'], 'error: unknown option --force: allowed are -h, --help, -- (an operand starting with - goes after --)'],
  ])('%j: one error line, then the usage, exit 2, kubectl never runs', (args, message) => {
    const kubectl = fakeKubectl();
    expect(closePreview(args, { env: kubectl.env })).toEqual({ code: 2, out: [], err: [message, expect.stringMatching(/^usage: npm run close-preview -- NAME\n/)] });
    expect(kubectl.calls()).toEqual([]);
  });

  test.each([[['--help']], [['-h']], [['pr-12', '--help']], [['--bogus', '-h']]])('%j prints the usage on stdout, exit 0, kubectl never runs, nothing written', (args) => {
    const kubectl = fakeKubectl();
    const { result, dir } = inEmptyFolder(() => closePreview(args, { env: kubectl.env }));
    expect(result).toEqual({ code: 0, out: [expect.stringMatching(/^usage: npm run close-preview -- NAME\n/)], err: [] });
    for (const part of [/NAME +the preview to close: a name of PREVIEWS, e\.g\. pr-12 \(required; no default\)/, /-h, --help +print this help and exit 0/, /-- +ends the options/,
      /Exit codes: 0 the namespace is deleted[\s\S]*, 1 no such namespace or not this\s+app's \(nothing deleted\), 2 an error/]) {
      expect(result.out[0]).toMatch(part);
    }
    expect(kubectl.calls()).toEqual([]);
    expect(fs.readdirSync(dir)).toEqual([]);
  });

  test('without kubectl: one line saying so, exit 2, nothing deleted', () => {
    expect(closePreview(['pr-12'], NO_KUBECTL)).toEqual({ code: 2, out: [], err: ['error: kubectl was not found on PATH: install kubectl 1.27 or newer'] });
  });
});

describe('close-preview: a bug, and a kubectl that fails without a word (no API server needed)', () => {
  // A bug is not a usage error: only parseCommandLine's UsageError becomes an error line and the
  // usage; anything else (here a sparse, type-valid argument list, whose hole has no startsWith) is thrown.
  test('an error of parseCommandLine that is not a UsageError is thrown, not printed as a usage error', () => {
    const log = jest.spyOn(console, 'error').mockImplementation(() => undefined);
    try {
      expect(() => run(new Array<string>(1), NO_KUBECTL)).toThrow(TypeError);
      expect(log).not.toHaveBeenCalled();
    } finally {
      log.mockRestore();
    }
  });

  // A model: the real kubectl always says why it failed; one that fails silently is named by its
  // exit code. (No API server needed: kept out of the cluster's describe, so Stryker's runs see it.)
  test('a kubectl delete that fails without a word: its exit code, exit 2', () => {
    const kubectl = path.join(tempDir(), 'kubectl');
    const namespace = { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'pr-7', uid: 'u-7', resourceVersion: '70', labels: { [NAMESPACE_MARK]: 'u-7' } } };
    fs.writeFileSync(kubectl, `#!/bin/sh\nif [ "$1" = get ]; then echo '${JSON.stringify(namespace)}'; exit 0; fi\ncat >/dev/null\nexit 7\n`, { mode: 0o755 });
    expect(closePreview(['pr-7'], { kubectl })).toEqual({
      code: 2, out: [], err: ['deleting namespace pr-7 (uid u-7) and everything in it', 'error: kubectl delete failed, nothing was deleted: exit code 7'],
    });
  });

  // A model: kubectl get -o json never prints `null`; if it did, that is a bug to show with its
  // stack, not a kubectl failure to print as one error line.
  test('a fault of the command itself, not the user\'s (here a caller passing a kubectl that is not a path), is printed as the error itself, exit 2', () => {
    const printed: unknown[] = [];
    const error = jest.spyOn(console, 'error').mockImplementation((...a: unknown[]) => { printed.push(...a); });
    try {
      expect(run(['pr-8'], { kubectl: 5 as unknown as string })).toBe(2);
    } finally {
      error.mockRestore();
    }
    // Node's own TypeError (another realm than the test's: matched by its code and name).
    expect(printed).toEqual([expect.objectContaining({ code: 'ERR_INVALID_ARG_TYPE', name: 'TypeError' })]);
  });

  test('a namespace read as JSON null (kubectl never prints it): one line, exit 2, nothing deleted', () => {
    const kubectl = path.join(tempDir(), 'kubectl');
    fs.writeFileSync(kubectl, '#!/bin/sh\nif [ "$1" = get ]; then echo null; exit 0; fi\nexit 9\n', { mode: 0o755 });
    expect(closePreview(['pr-8'], { kubectl })).toEqual({ code: 2, out: [], err: ['error: kubectl get namespace pr-8 answered what is not an object: null'] });
  });
});

// A model of kubectl's answers (test/support/fake-kubectl.ts: a script that records each call and
// answers `get namespace` from files), so that Stryker's runs, which skip the API server, see what
// close-preview asks kubectl to do. What the real server answers to the same calls is the block
// below.
describe('close-preview against a kubectl stand-in: the calls it makes', () => {
  const GET = ['get', 'namespace', 'pr-7', '--ignore-not-found', '-o', 'json'];
  const marked = { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'pr-7', uid: 'u-7', resourceVersion: '70', labels: { [NAMESPACE_MARK]: 'u-7' } } };

  test('no such namespace: one line, exit 1, only the get ran', () => {
    const kubectl = fakeKubectl();
    expect(closePreview(['pr-7'], { env: kubectl.env })).toEqual({ code: 1, out: [], err: ['error: no namespace pr-7: nothing was deleted'] });
    expect(kubectl.calls()).toEqual([GET]);
  });

  test('a namespace without the mark: one line naming why, exit 1, only the get ran', () => {
    const kubectl = fakeKubectl({ namespaces: { 'pr-7': { ...marked, metadata: { ...marked.metadata, labels: {} } } } });
    expect(closePreview(['pr-7'], { env: kubectl.env })).toEqual({
      code: 1, out: [],
      err: [`error: namespace pr-7 was not created by this app (it has no label ${NAMESPACE_MARK}; npm run open-preview sets it when it creates a preview's namespace): nothing was deleted`],
    });
    expect(kubectl.calls()).toEqual([GET]);
  });

  test('a marked namespace: one raw delete of its path, with the uid and resource version it checked as preconditions on stdin', () => {
    const kubectl = fakeKubectl({ namespaces: { 'pr-7': marked } });
    expect(closePreview(['pr-7'], { env: kubectl.env })).toEqual({ code: 0, out: ['namespace "pr-7" deleted'], err: ['deleting namespace pr-7 (uid u-7) and everything in it'] });
    expect(kubectl.calls()).toEqual([GET, ['delete', '--raw', '/api/v1/namespaces/pr-7', '-f', '-']]);
    expect(JSON.parse(kubectl.deleteInput()!)).toEqual({ kind: 'DeleteOptions', apiVersion: 'v1', preconditions: { uid: 'u-7', resourceVersion: '70' } });
  });
});

describeWithCluster('close-preview against the real API server', (cluster) => {
  let env: NodeJS.ProcessEnv;
  const namespaceOf = async (name: string) => {
    const answer = await cluster().request('GET', `/api/v1/namespaces/${name}`);
    return answer.status === 200 ? JSON.parse(answer.body) : undefined;
  };
  /** A Namespace created as open-preview creates it: then labelled with the uid the server gave it. */
  const markedNamespace = async (prefix: string) => {
    const name = `${prefix}-${randomBytes(3).toString('hex')}`;
    cluster().deleteAfterwards(name);
    const created = await cluster().request('POST', '/api/v1/namespaces', { apiVersion: 'v1', kind: 'Namespace', metadata: { name } });
    expect(created.status).toBe(201);
    const uid = JSON.parse(created.body).metadata.uid as string;
    await cluster().kubectlOk(['label', 'namespace', name, `${NAMESPACE_MARK}=${uid}`]);
    return { name, uid };
  };
  /**
   * A kubectl that runs the real one, with one change: `script` (sh) runs after the real `get`
   * has printed what close-preview checks, i.e. between the check and the delete.
   */
  const kubectlThat = (afterGet: string) => {
    const dir = tempDir();
    const file = path.join(dir, 'kubectl');
    fs.writeFileSync(file, `#!/bin/sh
out=$(kubectl "$@"); status=$?
printf '%s\\n' "$out"
if [ "$1" = get ]; then ${afterGet}; fi
exit $status
`, { mode: 0o755 });
    return file;
  };

  beforeAll(async () => {
    const scratch = await cluster().namespace('close-preview');
    env = { ...process.env, KUBECONFIG: cluster().kubeconfigFor(scratch) };
  });

  test('no such namespace: one line, exit 1, nothing deleted', () => {
    const name = `absent-${randomBytes(3).toString('hex')}`;
    expect(closePreview([name], { env })).toEqual({ code: 1, out: [], err: [`error: no namespace ${name}: nothing was deleted`] });
  });

  test('a namespace without the mark: one line naming why, exit 1, the namespace stays', async () => {
    const name = await cluster().namespace('unmarked');
    expect(closePreview([name], { env })).toEqual({
      code: 1, out: [],
      err: [`error: namespace ${name} was not created by this app (it has no label ${NAMESPACE_MARK}; npm run open-preview sets it when it creates a preview's namespace): nothing was deleted`],
    });
    expect((await namespaceOf(name))?.status.phase).toBe('Active');
  });

  test('a marked namespace is deleted: the line before, the line after, exit 0, the server terminates it', async () => {
    const { name, uid } = await markedNamespace('marked');
    expect(closePreview([name], { env })).toEqual({
      code: 0, out: [`namespace "${name}" deleted`], err: [`deleting namespace ${name} (uid ${uid}) and everything in it`],
    });
    const after = await namespaceOf(name);
    expect(after === undefined || after.status.phase === 'Terminating').toBe(true);
  });

  test('a marked namespace changed between the check and the delete (relabelled: another resource version) is not deleted: the server refuses the precondition, exit 2', async () => {
    const { name, uid } = await markedNamespace('raced');
    const kubectl = kubectlThat(`kubectl label namespace ${name} touched=yes >/dev/null`);
    const result = closePreview([name], { kubectl, env });
    expect(result).toEqual({
      code: 2, out: [],
      err: [`deleting namespace ${name} (uid ${uid}) and everything in it`, expect.stringMatching(/^error: kubectl delete failed, nothing was deleted: Error from server \(Conflict\): .*Precondition failed: ResourceVersion in precondition/)],
    });
    expect((await namespaceOf(name))?.status.phase).toBe('Active');
  });
});
