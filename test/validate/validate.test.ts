import { SELECTOR_WORK, validate, Validation } from '../../lib/validate';
import { notEvaluated } from '../../lib/validate/crd';
import { checkLinks } from '../../lib/validate/links';
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

describe('validate: the given CustomResourceDefinitions', () => {
  const crd = (group: string, openAPIV3Schema: Record<string, unknown>, metadata?: Record<string, unknown>) => ({
    apiVersion: 'apiextensions.k8s.io/v1', kind: 'CustomResourceDefinition', ...(metadata ? { metadata } : {}),
    spec: { group, scope: 'Namespaced', names: { kind: 'Thing', plural: 'things', singular: 'thing', listKind: 'ThingList' }, versions: [{ name: 'v1', served: true, storage: true, schema: { openAPIV3Schema } }] },
  });

  test('a given CRD the server refuses is a note naming it and its first refusal; one it only warns about is none', () => {
    notEvaluated.clear();
    try {
      // A group Kubernetes serves built in is only a warning: the server creates the CRD.
      validate([], { crds: [crd('networking.k8s.io', { type: 'object' }, { name: 'things.networking.k8s.io', annotations: { 'api-approved.kubernetes.io': 'https://github.com/kubernetes/enhancements/pull/1111' } })] });
      expect([...notEvaluated]).toEqual([]);
      validate([], { crds: [crd('example', { type: 'object' })] });
      expect([...notEvaluated]).toEqual(['the given CustomResourceDefinition undefined is one the API server refuses (spec.group: "example" is not a domain with at least one dot: the API server refuses the CustomResourceDefinition (such groups are Kubernetes\' own))']);
    } finally {
      notEvaluated.clear();
    }
  });
});

describe('Validation: the budget of problems, fed a batch at a time', () => {
  // One schema problem per unknown field (one version: no two to merge); an unknown kind is an early problem.
  const typos = (name: string, n: number) => ({ file: `${name}.yaml`, object: { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name }, ...Object.fromEntries(Array.from({ length: n }, (_, i) => [`dta${i}`, {}])) } });
  const widget = { file: 'w.yaml', object: { apiVersion: 'example.org/v1', kind: 'Widget', metadata: { name: 'w' } } };
  const options = (maxProblems: number) => ({ maxProblems, checks: ['schema'] as const, kubernetesVersions: ['1.34'], failOnUnknown: true });
  const streamed = (maxProblems: number, ...batches: { file: string; object: Record<string, unknown> }[][]) => {
    const validation = new Validation([], options(maxProblems));
    for (const batch of batches) validation.add(batch);
    const { problems, stopped } = validation.finish();
    return { problems: problems.map((p) => `${p.object} ${p.path}`), stopped };
  };

  test('early problems found after the budget filled come first, and the objects they push out count as not judged', () => {
    expect(streamed(3, [typos('a', 2), typos('b', 2)], [widget])).toEqual({ problems: ['Widget/w kind', 'ConfigMap/a dta0', 'ConfigMap/a dta1'], stopped: { notJudged: 1 } });
    expect(streamed(2, [typos('a', 2)], [widget])).toEqual({ problems: ['Widget/w kind', 'ConfigMap/a dta0'], stopped: { notJudged: 1 } });
    expect(streamed(1, [typos('a', 2)], [widget])).toEqual({ problems: ['Widget/w kind'], stopped: { notJudged: 1 } });
    expect(streamed(1, [typos('a', 2), typos('b', 1), typos('c', 1)])).toEqual({ problems: ['ConfigMap/a dta0'], stopped: { notJudged: 2 } });
  });

  test('a budget filled exactly, every object judged whole, is no stop; one object cut short is', () => {
    expect(streamed(2, [typos('a', 1)], [widget])).toEqual({ problems: ['Widget/w kind', 'ConfigMap/a dta0'], stopped: undefined });
    expect(streamed(1, [widget])).toEqual({ problems: ['Widget/w kind'], stopped: undefined });
    expect(streamed(1, [typos('a', 2)])).toEqual({ problems: ['ConfigMap/a dta0'], stopped: { notJudged: 1 } });
  });

  test('a budget filled by the per-object checks leaves the namespace checks undone: their objects count as not judged', () => {
    const { problems, stopped } = validate([typos('a', 1)], { maxProblems: 1, kubernetesVersions: ['1.34'] });
    expect(problems.map((p) => p.message)).toEqual(['unknown field "dta0" (Kubernetes 1.34.0 schema)']);
    expect(stopped).toEqual({ notJudged: 1 });
  });

  test('the namespace checks stop at the budget within one object\'s findings', () => {
    const object = { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'c', annotations: { 'accept-policy.multi-k8s.dev/nope': 'r', 'accept-policy.multi-k8s.dev/nada': 'r' } }, data: {} };
    const { problems } = validate([{ file: 'c.yaml', object }], { checks: ['policy'], maxProblems: 1 });
    expect(problems.map((p) => p.message)).toEqual(['accepts the unknown policy rule "nope"']);
  });

  test('the policy check\'s budget is what the problems found before it leave: an object past it is not judged, nor its exception listed', () => {
    const annotated = (kind: string, name: string, annotations: Record<string, string>) => ({ apiVersion: 'v1', kind, metadata: { name, annotations } });
    const pod = (name: string, annotations: Record<string, string> = {}) => ({ ...annotated('Pod', name, annotations), spec: { containers: [{ name: 'c', image: 'x:1' }] } });
    // One problem before the policy rules (an unknown rule accepted), then Pod/b's 13, then Pod/c accepting [resources].
    const items = [annotated('ConfigMap', 'a', { 'accept-policy.multi-k8s.dev/nope': 'r' }), pod('b'), pod('c', { 'accept-policy.multi-k8s.dev/resources': 'judged' })].map((object) => ({ file: 'f.yaml', object }));
    const all = validate(items, { checks: ['policy'] });
    expect(all.problems.filter((p) => p.object === 'Pod/b')).toHaveLength(13);
    expect(all.exceptions).toEqual([{ rule: 'resources', object: 'Pod/c', reason: 'judged' }]);
    // A budget of 13: 12 left for the policy rules, which Pod/b fills; Pod/c is not judged.
    const cut = validate(items, { checks: ['policy'], maxProblems: 13 });
    expect(cut.problems.map((p) => `${p.object} ${p.message}`)).toEqual(all.problems.slice(0, 13).map((p) => `${p.object} ${p.message}`));
    expect(cut.exceptions).toEqual([]);
    expect(cut.stopped).toEqual({ notJudged: 3 });
  });

  test('objects past the budget are not judged: their lists are left as given', () => {
    const containers = [{ name: 'c', image: 'x:1' }];
    const pod = { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'p' }, spec: { containers } };
    for (const [max, before] of [[1, typos('a', 2)], [1, typos('a', 1)]] as const) {
      const validation = new Validation([], options(max));
      validation.add([before]);
      validation.add([{ file: 'p.yaml', object: pod }]);
      validation.finish();
      expect(pod.spec.containers).toBe(containers);
    }
  });
});

describe('Validation: what it keeps of an object for the namespace checks', () => {
  test('each list of an object it reads whole is replaced by an exact copy, in place; a list met twice stays one list', () => {
    const shared = ['10.0.0.1', '10.0.0.2'];
    const inner = ['x'];
    const ports = [{ name: 'http', port: 80, targetPort: 80, extra: inner }, [['nested']], null, 7, true];
    const spec = { selector: { app: 'a' }, ports, externalIPs: shared, loadBalancerSourceRanges: shared };
    const service = { apiVersion: 'v1', kind: 'Service', metadata: { name: 's' }, spec };
    new Validation([], { checks: ['api'] }).add([{ file: 's.yaml', object: service }]);
    expect(service.spec).toBe(spec);
    expect(spec.ports).not.toBe(ports);
    expect(spec.ports).toEqual([{ name: 'http', port: 80, targetPort: 80, extra: ['x'] }, [['nested']], null, 7, true]);
    expect(spec.ports[0]).toBe(ports[0]);
    expect((spec.ports[0] as { extra: string[] }).extra).not.toBe(inner);
    expect((spec.ports[1] as string[][])[0]).not.toBe((ports[1] as string[][])[0]);
    expect(spec.externalIPs).not.toBe(shared);
    expect(spec.externalIPs).toEqual(['10.0.0.1', '10.0.0.2']);
    expect(spec.loadBalancerSourceRanges).toBe(spec.externalIPs);
    expect(Object.getOwnPropertyDescriptor(spec, 'externalIPs')).toEqual({ value: shared, enumerable: true, writable: true, configurable: true });
    expect(Object.keys(spec)).toEqual(['selector', 'ports', 'externalIPs', 'loadBalancerSourceRanges']);
  });

  test('a string field of 13 characters or more is put back as a plain field; a shorter one, or any other, is left as it was', () => {
    const metadata = { name: 'm', labels: { app: 'a' } };
    const spec = { selector: { app: 'a' }, ports: [{ port: 80 }], absent: undefined, type: 'ClusterIP', n: 3 };
    for (const [key, value] of [['thirteenChars', 'abcdefghijklm'], ['twelveChars', 'abcdefghijkl'], ['long', 'a-longer-string-than-thirteen'], ['number', 12345678901234], ['object', { length: 20 }]] as const) {
      Object.defineProperty(spec, key, { value, enumerable: true, writable: false, configurable: true });
    }
    const service = { apiVersion: 'v1', kind: 'Service', metadata, spec };
    new Validation([], { checks: ['api'] }).add([{ file: 's.yaml', object: service }]);
    const writable = (key: string) => Object.getOwnPropertyDescriptor(spec, key)?.writable;
    expect(['thirteenChars', 'twelveChars', 'long', 'number', 'object'].map(writable)).toEqual([true, false, true, false, false]);
    expect(spec).toEqual({ selector: { app: 'a' }, ports: [{ port: 80 }], absent: undefined, type: 'ClusterIP', n: 3, thirteenChars: 'abcdefghijklm', twelveChars: 'abcdefghijkl', long: 'a-longer-string-than-thirteen', number: 12345678901234, object: { length: 20 } });
    expect(Object.hasOwn(spec, 'absent')).toBe(true);
  });

  test('the objects of the kinds the namespace checks read are kept whole (their lists compacted in place); of other kinds, only apiVersion, kind and metadata', () => {
    const whole = ['Service', 'Ingress', 'HorizontalPodAutoscaler', 'PodDisruptionBudget', 'NetworkPolicy', 'PersistentVolumeClaim', 'Secret', 'Namespace',
      'Pod', 'ReplicationController', 'Deployment', 'StatefulSet', 'DaemonSet', 'ReplicaSet', 'Job', 'CronJob'];
    const keptWhole = (apiVersion: string, kind: string) => {
      const list = ['x'];
      const object = { apiVersion, kind, metadata: { name: 'o' }, spec: { list } };
      const validation = new Validation([], { checks: ['api'] });
      validation.add([{ file: 'o.yaml', object }]);
      validation.finish();
      expect(object.spec.list).toEqual(['x']);
      return object.spec.list !== list;
    };
    expect(whole.filter((kind) => !keptWhole('v1', kind))).toEqual([]);
    expect(keptWhole('gateway.networking.k8s.io/v1', 'HTTPRoute')).toBe(true);
    expect(['ConfigMap', 'ServiceAccount', ''].filter((kind) => keptWhole('v1', kind))).toEqual([]);
  });

  test('a skipped object is kept as its apiVersion, kind and metadata; one of a kind the namespace checks read, whole (validate keeps them whole)', () => {
    const metadata = { name: 'w', labels: { app: 'a' } };
    const widget = { file: 'w.yaml', object: { apiVersion: 'example.org/v1', kind: 'Widget', metadata, spec: { size: 1 } } };
    const deployment = { file: 'd.yaml', object: { apiVersion: 'example.org/v1', kind: 'Deployment', metadata, spec: { size: 1 } } };
    const validation = new Validation([]);
    validation.add([widget, deployment]);
    const { skipped } = validation.finish();
    expect(skipped).toEqual([{ file: 'w.yaml', object: { apiVersion: 'example.org/v1', kind: 'Widget', metadata } }, deployment]);
    expect(skipped[1]).toBe(deployment);
    expect(validate([widget]).skipped).toEqual([widget]);
  });
});

describe('validate: the same place in several objects', () => {
  test('objects of the same name in different files keep their own problems, each merged across the versions', () => {
    const typo = (file: string) => ({ file, object: { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'c' }, dta: {} } });
    const { problems } = validate([typo('a.yaml'), typo('b.yaml'), typo('c.yaml')], { checks: ['schema'] });
    expect(problems.map((p) => `${p.file} ${p.object} ${p.path}: ${p.message}`)).toEqual(['a.yaml', 'b.yaml', 'c.yaml'].map((file) => `${file} ConfigMap/c dta: unknown field "dta" (Kubernetes 1.27.0 and 1.34.0 schemas)`));
  });
});

describe('validate: the selector work of a namespace', () => {
  test('past its limit, a namespace\'s link checks stop with one line naming the namespace, or the one kubectl applies to', () => {
    const saved = { ...SELECTOR_WORK };
    Object.assign(SELECTOR_WORK, { floor: 1_000, perObject: 2 });
    try {
      // Policies that select every pod, each allowing only a port no connection uses: every connection tries every rule.
      const objects = (namespace?: string) => Array.from({ length: 20 }, (_, i) => [
        { apiVersion: 'v1', kind: 'Pod', metadata: { name: `pod-${i}`, ...(namespace ? { namespace } : {}), labels: { app: `app-${i}` } }, spec: { containers: [{ name: 'c', image: 'nginx:1.27', ports: [{ containerPort: 80 }], env: [{ name: 'PEER', value: `http://svc-${(i + 1) % 20}:80` }] }] } },
        { apiVersion: 'v1', kind: 'Service', metadata: { name: `svc-${i}`, ...(namespace ? { namespace } : {}) }, spec: { selector: { app: `app-${i}` }, ports: [{ port: 80, targetPort: 80 }] } },
        { apiVersion: 'networking.k8s.io/v1', kind: 'NetworkPolicy', metadata: { name: `np-${i}`, ...(namespace ? { namespace } : {}) }, spec: { podSelector: {}, policyTypes: ['Ingress', 'Egress'], ingress: [{ from: [{ podSelector: {} }], ports: [{ port: 9000 + i }] }], egress: [{ to: [{ podSelector: {} }], ports: [{ port: 9000 + i }] }] } },
      ]).flat().map((object) => ({ file: 'f.yaml', object }));
      const { problems } = validate([...objects('one'), ...objects()], { checks: ['link'] });
      expect(problems.filter((p) => p.path === '')).toEqual(['"one"', '(the namespace kubectl applies to)'].map((namespace) => ({
        file: 'f.yaml', object: 'Pod/pod-0', check: 'link', path: '',
        message: `the link checks of namespace ${namespace} were stopped, and none of their findings there is reported: its label selectors took more than 1,120 steps to judge (60 objects)`,
        allowed: 'at most 1,000 steps, plus 2 per object of the namespace: fewer NetworkPolicies or budgets whose selectors match most pods, or the namespace\'s objects validated in parts',
      })));
    } finally {
      Object.assign(SELECTOR_WORK, saved);
    }
  });
});

describe('validate: null fields the kind does not have', () => {
  test('each is an unknown field at its own path, counted once (a budget of three is not filled by two)', () => {
    const object = { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'c' }, foo: null, bar: {} };
    const { problems, stopped } = validate([{ file: 'c.yaml', object }], { kubernetesVersions: ['1.34'], maxProblems: 3 });
    expect(problems.map((p) => `${p.check} ${p.path}: ${p.message}`)).toEqual(['schema bar: unknown field "bar" (Kubernetes 1.34.0 schema)', 'schema foo: unknown field "foo" (Kubernetes 1.34.0 schema)']);
    expect(stopped).toBeUndefined();
  });

  test('a value that reads differently the next time (no manifest holds one) costs no line of its own where its null fields have no place', () => {
    // The walk that finds the null fields sees nulls inside a number, a null list item and a missing field; every other read sees none.
    const object = { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'c' } };
    Object.defineProperty(object, 'data', {
      enumerable: true,
      get: () => (/nullFieldPaths|nullUnknownFields/.test(new Error().stack ?? '') ? { a: { x: null }, list: [{ x: null }], b: { c: { x: null } } } : { gone: null, a: 5, list: [null] }),
    });
    const { problems } = validate([{ file: 'c.yaml', object }], { checks: ['schema'], kubernetesVersions: ['1.34'] });
    expect(problems.map((p) => `${p.path}: ${p.message}`)).toEqual(['data.a: wrong type (Kubernetes 1.34.0 schema)', 'data.list: wrong type (Kubernetes 1.34.0 schema)']);
  });
});

describe('validate: what it keeps of odd objects for the namespace checks', () => {
  test('an object without an apiVersion is judged and kept by its kind, not thrown on', () => {
    const { problems } = validate([{ file: 'w.yaml', object: { kind: 'Widget', metadata: { name: 'w' } } }]);
    expect(problems.map((p) => `${p.check} ${p.object} ${p.path}: ${p.message}`)).toEqual(['schema Widget/w apiVersion: missing: the API server cannot tell which API serves the object (Kubernetes 1.27.0 and 1.34.0 schemas)']);
  });

  test('a skipped value that is no plain object (a list or a function with an apiVersion and kind; no manifest holds one) is kept as given', () => {
    const fields = { apiVersion: 'example.org/v1', kind: 'Widget', metadata: { name: 'w' } };
    const list = { file: 'l.yaml', object: Object.assign(['item'], fields) as unknown as Record<string, unknown> };
    const fn = { file: 'f.yaml', object: Object.assign(() => 0, fields) as unknown as Record<string, unknown> };
    const validation = new Validation([]);
    validation.add([list, fn]);
    const { skipped } = validation.finish();
    expect(skipped.find((item) => item.file === 'l.yaml')?.object).toBe(list.object);
    expect(skipped.find((item) => item.file === 'f.yaml')?.object).toBe(fn.object);
  });

  test('a skipped object keeps only the fields it has, each a plain field', () => {
    const metadata = { name: 'w' };
    const validation = new Validation([]);
    validation.add([{ file: 'w.yaml', object: { apiVersion: 'example.org/v1', kind: 'Widget', metadata, spec: { size: 1 } } }, { file: 'n.yaml', object: { apiVersion: 'example.org/v1', kind: 'Nameless' } }]);
    const { skipped } = validation.finish();
    const widget = skipped.find((item) => item.file === 'w.yaml')?.object ?? {};
    expect(Object.getOwnPropertyDescriptors(widget)).toEqual({
      apiVersion: { value: 'example.org/v1', enumerable: true, writable: true, configurable: true },
      kind: { value: 'Widget', enumerable: true, writable: true, configurable: true },
      metadata: { value: metadata, enumerable: true, writable: true, configurable: true },
    });
    expect(Object.keys(skipped.find((item) => item.file === 'n.yaml')?.object ?? {})).toEqual(['apiVersion', 'kind']);
  });

  test('a top-level field every schema version calls unknown is not kept: the lists inside it are left as given', () => {
    const inner = ['a'];
    const ports = [{ port: 80 }];
    const service = { apiVersion: 'v1', kind: 'Service', metadata: { name: 's' }, spec: { ports }, extra: { list: inner } };
    new Validation([], { checks: ['schema'] }).add([{ file: 's.yaml', object: service }]);
    expect(service.extra.list).toBe(inner);
    // The object itself is kept: its lists are compacted in place.
    expect(service.spec.ports).not.toBe(ports);
    expect(service.spec.ports).toEqual([{ port: 80 }]);
  });

  test('an object whose only findings are nested unknown fields, wrong types or an unnamed field is kept whole, in place', () => {
    const status = ['y'];
    const unnamed = ['z'];
    const service = { apiVersion: 'v1', kind: 'Service', metadata: { name: 's' }, spec: { ports: [{ port: 80 }], bogus: 1 }, status, '': unnamed };
    const { problems } = validate([{ file: 's.yaml', object: { ...service } }], { checks: ['schema'] });
    expect(problems.map((p) => `${p.path}: ${p.message}`).sort()).toEqual([': unknown field "" (Kubernetes 1.27.0 and 1.34.0 schemas)', 'spec.bogus: unknown field "bogus" (Kubernetes 1.27.0 and 1.34.0 schemas)', 'status: wrong type (Kubernetes 1.27.0 and 1.34.0 schemas)']);
    new Validation([], { checks: ['schema'] }).add([{ file: 's.yaml', object: service }]);
    // Kept whole, its top-level lists are replaced by exact copies.
    expect(service.status).not.toBe(status);
    expect(service.status).toEqual(['y']);
    expect(service['']).not.toBe(unnamed);
    expect(service['']).toEqual(['z']);
  });
});

describe('validate: problems merged across the versions', () => {
  test('two mistakes at one path (a field named with a dot, and the field it names) each read once, naming both versions', () => {
    const object = { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'c' }, data: { x: 5 }, 'data.x': 1 };
    const { problems } = validate([{ file: 'c.yaml', object }], { checks: ['schema'] });
    expect(problems.map((p) => `${p.path}: ${p.message}`).sort()).toEqual(['data.x: unknown field "data.x" (Kubernetes 1.27.0 and 1.34.0 schemas)', 'data.x: wrong type (Kubernetes 1.27.0 and 1.34.0 schemas)']);
  });

  test('a message that only looks like a version\'s is merged by its true version suffix', () => {
    const object = { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'c' }, 'x (Kubernetes 1.27.0 schema)': 1 };
    const { problems } = validate([{ file: 'c.yaml', object }], { checks: ['schema'] });
    expect(problems.map((p) => p.message)).toEqual(['unknown field "x (Kubernetes 1.27.0 schema)" (Kubernetes 1.27.0 and 1.34.0 schemas)']);
  });

  test('the same message allowing different values in each version reads once per version', () => {
    const { problems } = validate([{ file: 'f.yaml', object: { kind: 'FlowSchema', metadata: { name: 'f' } } }], { checks: ['schema'] });
    expect(problems.map((p) => `${p.message}: ${p.allowed}`).sort()).toEqual([
      'missing: the API server cannot tell which API serves the object (Kubernetes 1.27.0 schema): apiVersion flowcontrol.apiserver.k8s.io/v1beta2 or flowcontrol.apiserver.k8s.io/v1beta3',
      'missing: the API server cannot tell which API serves the object (Kubernetes 1.34.0 schema): apiVersion flowcontrol.apiserver.k8s.io/v1',
    ]);
  });
});

describe('validate: an apiVersion without a slash', () => {
  test('names no group: a CustomResourceDefinition of a group it starts with does not judge it', () => {
    const crd = {
      apiVersion: 'apiextensions.k8s.io/v1', kind: 'CustomResourceDefinition', metadata: { name: 'widgets.example.co' },
      spec: { group: 'example.co', scope: 'Namespaced', names: { kind: 'Widget', plural: 'widgets', singular: 'widget', listKind: 'WidgetList' }, versions: [{ name: 'v1', served: true, storage: true, schema: { openAPIV3Schema: { type: 'object', 'x-kubernetes-preserve-unknown-fields': true } } }] },
    };
    const { problems } = validate([{ file: 'c.yaml', object: crd }, { file: 'w.yaml', object: { apiVersion: 'example.com', kind: 'Widget', metadata: { name: 'w' } } }], { checks: ['schema'] });
    expect(problems.filter((p) => p.object === 'Widget/w').map((p) => `${p.path}: ${p.message}`)).toEqual(['1.27.0', '1.34.0'].map((v) => `apiVersion: kind "Widget" is not a built-in kind of Kubernetes ${v}`));
  });
});

describe('validate: the selector work of a namespace, afterwards', () => {
  test('a validation leaves no limit behind: link checks run directly afterwards judge every namespace whole', () => {
    const objects = Array.from({ length: 20 }, (_, i) => [
      { apiVersion: 'v1', kind: 'Pod', metadata: { name: `pod-${i}`, labels: { app: `app-${i}` } }, spec: { containers: [{ name: 'c', image: 'nginx:1.27', ports: [{ containerPort: 80 }], env: [{ name: 'PEER', value: `http://svc-${(i + 1) % 20}:80` }] }] } },
      { apiVersion: 'v1', kind: 'Service', metadata: { name: `svc-${i}` }, spec: { selector: { app: `app-${i}` }, ports: [{ port: 80, targetPort: 80 }] } },
      { apiVersion: 'networking.k8s.io/v1', kind: 'NetworkPolicy', metadata: { name: `np-${i}` }, spec: { podSelector: {}, policyTypes: ['Ingress', 'Egress'], ingress: [{ from: [{ podSelector: {} }], ports: [{ port: 9000 + i }] }], egress: [{ to: [{ podSelector: {} }], ports: [{ port: 9000 + i }] }] } },
    ]).flat().map((object) => ({ file: 'f.yaml', object }));
    const saved = { ...SELECTOR_WORK };
    Object.assign(SELECTOR_WORK, { floor: 1_000, perObject: 2 });
    try {
      // One Pod: its namespace's checks take a few steps of the 1,002 allowed.
      expect(validate(objects.slice(0, 1), { checks: ['link'] }).problems.filter((p) => p.message.includes('were stopped'))).toEqual([]);
    } finally {
      Object.assign(SELECTOR_WORK, saved);
    }
    // Every connection of the 20 Pods tries every rule: far more than 1,002 steps.
    const problems = checkLinks(objects, []);
    expect(problems.filter((p) => p.object === 'Pod/pod-0').map((p) => p.message)).toContain('Pod/pod-0 -> Service/svc-1:80: blocked by the egress policies of the app=app-0 pods (no rule allows TCP 80 to app=app-1); and blocked by the ingress policies of the app=app-1 pods (no rule allows TCP 80 from app=app-0)');
  });
});
