import { validate } from '../../lib/validate';
import { readManifests } from '../../lib/validate/load';
import { tempDir } from '../helpers';
import { write } from '../support/cli';
import { describeWithCluster } from '../support/envtest';

describe('validate', () => {
  test('a check that throws costs one line on that object, and every other object is still judged', () => {
    const broken = { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'broken' } };
    // No manifest can hold a getter; it stands for a shape no rule foresaw.
    Object.defineProperty(broken, 'data', { enumerable: true, get() { throw new Error('boom'); } });
    const other = { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'other' }, dta: {} };
    const { problems } = validate([{ file: 'a.yaml', object: broken }, { file: 'b.yaml', object: other }], { checks: ['schema', 'api'] });
    expect(problems.filter((p) => p.object === 'ConfigMap/broken').map((p) => p.message)).toContain('the validator failed on this object (boom); its other checks ran');
    expect(problems.find((p) => p.object === 'ConfigMap/broken' && p.message.startsWith('the validator failed'))).toMatchObject({ path: '', allowed: 'an object of the usual shape; please report this' });
    expect(problems.filter((p) => p.object === 'ConfigMap/other').map((p) => p.path)).toEqual(['dta']);
  });
});

describe('validate: options and what it reports', () => {
  const version = (name: string) => ({ name, served: true, storage: name === 'v2', schema: { openAPIV3Schema: { type: 'object', 'x-kubernetes-preserve-unknown-fields': true } } });
  const crd = (group: string, kind: string, versions: string[]) => ({
    apiVersion: 'apiextensions.k8s.io/v1', kind: 'CustomResourceDefinition', metadata: { name: `${kind.toLowerCase()}s.${group}` },
    spec: { group, scope: 'Namespaced', names: { kind, plural: `${kind.toLowerCase()}s`, singular: kind.toLowerCase(), listKind: `${kind}List` }, versions: versions.map(version) },
  });
  const crds = [crd('example.com', 'Route', ['v2', 'v1']), crd('other.io', 'Route', ['v3']), crd('example.com', 'Gate', ['v9'])];
  const configMap = (name: string, annotations: Record<string, string> = {}) => ({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name, annotations }, data: {} });
  const pod = (name: string, annotations: Record<string, string> = {}) => ({
    apiVersion: 'v1', kind: 'Pod', metadata: { name, annotations },
    spec: { containers: [{ name: 'c', image: 'x:1', env: [{ name: 'K', valueFrom: { secretKeyRef: { name: 'missing', key: 'k' } } }] }] },
  });

  test('an object in a version its CRD does not serve is a schema problem naming the versions it does serve, of its group and kind', () => {
    const { problems } = validate([{ file: 'r.yaml', object: { apiVersion: 'example.com/v1alpha1', kind: 'Route', metadata: { name: 'r' } } }], { crds });
    expect(problems).toEqual([expect.objectContaining({ check: 'schema', object: 'Route/r', path: 'apiVersion', message: 'example.com/v1alpha1 is not a version its CustomResourceDefinition serves for kind Route', allowed: 'apiVersion example.com/v1 or example.com/v2' })]);
  });

  test('a kind without a schema is skipped, or with failOnUnknown a schema problem', () => {
    const items = [{ file: 'x.yaml', object: { apiVersion: 'example.org/v1', kind: 'Widget', metadata: { name: 'w' } } }];
    expect(validate(items).skipped).toEqual(items);
    expect(validate(items, { failOnUnknown: true }).problems).toEqual([expect.objectContaining({ check: 'schema', path: 'kind', message: 'no schema for apiVersion example.org/v1 kind Widget', allowed: 'a kind with a known schema (without --fail-on-unknown it is skipped)' })]);
  });

  test('checks names the families that run', () => {
    const items = [{ file: 'p.yaml', object: { ...pod('p', { 'accept-policy.multi-k8s.dev/nope': 'r' }), spec: { ...pod('p').spec, bogus: 1 } } }];
    const families = (checks?: ('schema' | 'api' | 'link' | 'policy')[]) => [...new Set(validate(items, { checks }).problems.map((p) => p.check))].sort();
    expect(families()).toEqual(['link', 'policy', 'schema']);
    expect(families(['schema'])).toEqual(['schema']);
    expect(families(['link'])).toEqual(['link']);
    expect(families(['policy'])).toEqual(['policy']);
    expect(validate(items, { checks: ['policy'] }).problems.filter((p) => p.path.startsWith('metadata.annotations'))).toEqual([expect.objectContaining({ check: 'policy', message: 'accepts the unknown policy rule "nope"' })]);
  });

  test('an exception applied to several objects is listed once, naming them; one for every object names *', () => {
    const reason = 'config only';
    const items = [configMap('a'), pod('b', { 'accept-policy.multi-k8s.dev/resources': reason }), pod('c', { 'accept-policy.multi-k8s.dev/resources': reason })].map((object) => ({ file: 'f.yaml', object }));
    expect(validate(items, { checks: ['policy'] }).exceptions.filter((e) => e.rule === 'resources')).toEqual([{ rule: 'resources', object: 'Pod/b, Pod/c', reason }]);
    const everywhere = validate(items, { checks: ['policy'], policyExceptions: [{ rule: 'resources', object: '*', reason: 'r' }] });
    expect(everywhere.exceptions.filter((e) => e.rule === 'resources')).toEqual([{ rule: 'resources', object: '*', reason: 'r' }]);
    expect(everywhere.problems.filter((p) => p.message.startsWith('[resources]'))).toEqual([]);
  });

  test('an exception names its rule exactly: one for a rule whose name another starts with accepts nothing else', () => {
    const items = [pod('b', { 'accept-policy.multi-k8s.dev/probes': 'r' })].map((object) => ({ file: 'f.yaml', object }));
    const { problems } = validate(items, { checks: ['policy'], policyExceptions: [{ rule: 'resources', object: 'Pod/other', reason: 'r' }] });
    expect(problems.some((p) => p.message.startsWith('[resources]'))).toBe(true);
  });
});

describe('validate: what one object costs the others', () => {
  /** A Deployment whose spec throws when read: a shape no check foresaw. */
  function throwing(): Record<string, unknown> {
    const object = { apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'odd' } };
    Object.defineProperty(object, 'spec', { enumerable: true, get() { throw new Error('boom'); } });
    return object;
  }

  test.each([['link'], ['policy']] as const)('a %s check that throws on a namespace costs one problem of that check', (check) => {
    const { problems } = validate([{ file: 'a.yaml', object: throwing() }], { checks: [check] });
    expect(problems).toEqual([expect.objectContaining({ check, object: 'Deployment/odd', path: '', message: 'the validator failed on this object (boom); its other checks ran', allowed: 'an object of the usual shape; please report this' })]);
  });

  test('the quoting advice replaces the schema findings at its path only', () => {
    const file = write(tempDir(), 'cm.yaml', 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: cm\ndata:\n  a: on\ndta: {}\n');
    const { problems } = validate(readManifests([file]).items, { checks: ['schema'] });
    expect(problems.map((p) => `${p.path}: ${p.message.split(' (')[0]}`)).toEqual(['data.a: kubectl reads the unquoted on as the boolean true', 'dta: unknown field "dta"']);
  });

  test('exceptions of different rules are listed apart', () => {
    const pod = { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'p', annotations: { 'accept-policy.multi-k8s.dev/resources': 'r1', 'accept-policy.multi-k8s.dev/read-only-root': 'r2' } }, spec: { containers: [{ name: 'c', image: 'x:1' }] } };
    const listed = validate([{ file: 'p.yaml', object: pod }], { checks: ['policy'] }).exceptions;
    expect(listed.filter((e) => e.rule === 'resources' || e.rule === 'read-only-root')).toEqual([{ rule: 'resources', object: 'Pod/p', reason: 'r1' }, { rule: 'read-only-root', object: 'Pod/p', reason: 'r2' }]);
  });
});

// A sidecar: an init container that keeps running (restartPolicy Always), a 1.28+ field.
const sidecarPod = (namespace?: string) => ({
  apiVersion: 'v1', kind: 'Pod', metadata: { name: 'sidecar', ...(namespace ? { namespace } : {}) },
  spec: { initContainers: [{ name: 'proxy', image: 'envoy:1', restartPolicy: 'Always' }], containers: [{ name: 'app', image: 'app:1' }] },
});

describe('validate: kubernetesVersions', () => {
  const schema = (options: { kubernetesVersions?: string[] }) => validate([{ file: 'p.yaml', object: sidecarPod() }], { checks: ['schema'], ...options }).problems;

  test('a sidecar passes for 1.34 alone, and is an unknown field for 1.27 (both by default)', () => {
    expect(schema({ kubernetesVersions: ['1.34'] })).toEqual([]);
    const unknown = expect.objectContaining({ path: 'spec.initContainers[0].restartPolicy', message: 'unknown field "restartPolicy" (Kubernetes 1.27.0 schema)' });
    expect(schema({})).toEqual([unknown]);
    expect(schema({ kubernetesVersions: ['1.27'] })).toEqual([unknown]);
  });

  test('the same mistake in every chosen version reads once, naming the chosen versions', () => {
    const typo = { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'c' }, dta: {} };
    const messages = (kubernetesVersions?: string[]) => validate([{ file: 'c.yaml', object: typo }], { checks: ['schema'], kubernetesVersions }).problems.map((p) => p.message);
    expect(messages(['1.34', '1.27'])).toEqual(['unknown field "dta" (Kubernetes 1.27.0 and 1.34.0 schemas)']);
    expect(messages(['1.34.2'])).toEqual(['unknown field "dta" (Kubernetes 1.34.0 schema)']);
  });

  test('an unknown or empty list of versions throws, naming the allowed values', () => {
    expect(() => schema({ kubernetesVersions: ['1.30'] })).toThrow('Kubernetes version "1.30" has no schemas here: allowed are 1.27, 1.34');
    expect(() => schema({ kubernetesVersions: [] })).toThrow('kubernetesVersions is empty: name at least one of 1.27, 1.34, or leave it out for all');
  });
});

describeWithCluster('validate: kubernetesVersions against a 1.34 server', (cluster) => {
  test('the 1.34 server creates the sidecar Pod the validator passes for 1.34', async () => {
    const ns = await cluster().namespace('sidecar');
    const answer = await cluster().request('POST', `/api/v1/namespaces/${ns}/pods?dryRun=All&fieldValidation=Strict`, sidecarPod(ns));
    expect(answer.status).toBe(201);
  });
});
