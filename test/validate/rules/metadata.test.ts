import { checkApiRules } from '../../../lib/validate/api-rules';
import { KubeObject } from '../../../lib/validate/problem';
import { LABEL_RULE, SUBDOMAIN_RULE } from '../../../lib/validate/rules/common';
import { builtinKind, groupOf, KNOWN_KINDS } from '../../../lib/validate/rules/metadata';
import { expectOnly } from '../../helpers';
import { BreakCase, breakValid, the } from '../../support/valid-fixtures';

// apimachinery ValidateObjectMetaAccessor with each kind's name rule.
const CASES: BreakCase[] = [
  ['a ConfigMap name with capitals (subdomain)', (o) => { the(o, 'ConfigMap', 'web-settings').metadata.name = 'Web-Settings'; }, 'ConfigMap/Web-Settings', 'metadata.name', /^ConfigMap name "Web-Settings" is not valid$/],
  ['a Namespace name with a dot (label)', (o) => { o.push({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'shop.eu' } }); }, 'Namespace/shop.eu', 'metadata.name', /^Namespace name "shop.eu" is not valid$/],
  ['a ServiceAccount name with an underscore', (o) => { o.push({ apiVersion: 'v1', kind: 'ServiceAccount', metadata: { name: 'ci_deployer', namespace: 'shop' } }); }, 'ServiceAccount/ci_deployer', 'metadata.name', /^ServiceAccount name "ci_deployer" is not valid$/],
  ['a Namespace finalizer that is not a qualified name', (o) => { the(o, 'Namespace', 'shop').spec = { finalizers: ['example.com/clean up'] }; }, 'Namespace/shop', 'spec.finalizers[0]', /^finalizer "example.com\/clean up" is not a qualified name$/],
  // rbac ValidateRBACName via ValidateObjectMeta: "name or generateName is required".
  ['a ClusterRoleBinding without a name', (o) => { delete the(o, 'ClusterRoleBinding', 'system:shop-metrics').metadata.name; }, 'ClusterRoleBinding/<no name>', 'metadata.name', /^the object has no name$/],
  ['a ServiceAccount pull Secret with capitals', (o) => { the(o, 'ServiceAccount', 'shop-app').imagePullSecrets = [{ name: 'Registry' }]; }, 'ServiceAccount/shop-app', 'imagePullSecrets[0].name', /^Secret name "Registry" is not valid: no Secret can have this name$/],
];

describe('ObjectMeta rules', () => {
  test.each(CASES)('%s is reported, and nothing else', (_what, breakIt, object, path, message) => {
    expectOnly(breakValid(breakIt), { check: 'api', object, path, message });
  });

  // A kind the validator has no schema for is skipped whole (lib/validate/index.ts); when it has
  // one (a bundled or given CRD), the API rules judge its ObjectMeta and nothing else.
  test.each([
    ['a custom resource name with an underscore (subdomain)', { name: 'web_listener' }, 'metadata.name', 'Listener name "web_listener" is not valid'],
    ['a label value with a space on a custom resource', { name: 'web.listener', labels: { tier: 'front end' } }, 'metadata.labels.tier', 'label value "front end" is not valid'],
  ])('%s is reported by the API rules, and nothing else', (_what, metadata, path, message) => {
    const listener = { apiVersion: 'example.com/v1', kind: 'Listener', metadata, spec: { ports: [{ name: 'web', port: 80, protocol: 'HTTP' }] } };
    expect(checkApiRules(listener).map((f) => [f.path, f.message])).toEqual([[path, message]]);
  });

  test('metadata.creationTimestamp: null (kubectl create --dry-run output) passes', () => {
    expect(breakValid((o) => { the(o, 'ConfigMap', 'web-settings').metadata.creationTimestamp = null; })).toEqual([]);
  });

  test('a custom resource\'s own fields get no core rules: ports[].protocol HTTP passes', () => {
    expect(breakValid((o) => { the(o, 'Listener', 'web.listener').spec.ports.push({ name: 'grpc', port: 81, protocol: 'GRPC' }); })).toEqual([]);
  });

  test.each([
    [{ apiVersion: 'apps/v1', kind: 'Deployment' }, 'Deployment'],
    [{ apiVersion: 'extensions/v1beta1', kind: 'Deployment' }, 'Deployment'],
    [{ apiVersion: 'argoproj.io/v1alpha1', kind: 'Deployment' }, undefined],
    [{ apiVersion: 'v1', kind: 'Job' }, undefined],
    [{ apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'Role' }, 'Role'],
    [{ apiVersion: 'example.com/v1', kind: 'toString' }, undefined],
    [{ kind: 'constructor' }, undefined],
  ])('builtinKind(%j) is %s', (object, kind) => {
    expect(builtinKind(object)).toBe(kind);
  });
  // Each built-in kind's groups, scope and name rule, from its pkg/apis/<group>/validation (see
  // lib/validate/rules/metadata.ts). Four names tell the rules apart: label rejects a.b, dns1035
  // also 1a, subdomain a:b, and a path segment accepts all four.
  const KINDS: [string, string[], 'namespaced' | 'cluster', 'label' | 'dns1035' | 'subdomain' | 'segment'][] = [
    ['Namespace', ['v1'], 'cluster', 'label'],
    ['Service', ['v1'], 'namespaced', 'dns1035'],
    ['ConfigMap', ['v1'], 'namespaced', 'subdomain'],
    ['Secret', ['v1'], 'namespaced', 'subdomain'],
    ['ServiceAccount', ['v1'], 'namespaced', 'subdomain'],
    ['PersistentVolumeClaim', ['v1'], 'namespaced', 'subdomain'],
    ['PersistentVolume', ['v1'], 'cluster', 'subdomain'],
    ['Pod', ['v1'], 'namespaced', 'subdomain'],
    ['ReplicationController', ['v1'], 'namespaced', 'subdomain'],
    ['Deployment', ['apps/v1', 'extensions/v1beta1'], 'namespaced', 'subdomain'],
    ['ReplicaSet', ['apps/v1', 'extensions/v1beta1'], 'namespaced', 'subdomain'],
    ['DaemonSet', ['apps/v1', 'extensions/v1beta1'], 'namespaced', 'subdomain'],
    ['StatefulSet', ['apps/v1'], 'namespaced', 'label'],
    ['Job', ['batch/v1'], 'namespaced', 'subdomain'],
    ['CronJob', ['batch/v1'], 'namespaced', 'subdomain'],
    ['HorizontalPodAutoscaler', ['autoscaling/v2'], 'namespaced', 'subdomain'],
    // ValidatePodDisruptionBudget judges no ObjectMeta: only the create path's check, with the path segment rule.
    ['PodDisruptionBudget', ['policy/v1'], 'namespaced', 'segment'],
    ['ResourceQuota', ['v1'], 'namespaced', 'subdomain'],
    ['LimitRange', ['v1'], 'namespaced', 'subdomain'],
    ['ValidatingWebhookConfiguration', ['admissionregistration.k8s.io/v1'], 'cluster', 'subdomain'],
    ['MutatingWebhookConfiguration', ['admissionregistration.k8s.io/v1'], 'cluster', 'subdomain'],
    ['NetworkPolicy', ['networking.k8s.io/v1', 'extensions/v1beta1'], 'namespaced', 'subdomain'],
    ['Ingress', ['networking.k8s.io/v1', 'extensions/v1beta1'], 'namespaced', 'subdomain'],
    ['IngressClass', ['networking.k8s.io/v1'], 'cluster', 'subdomain'],
    ['Role', ['rbac.authorization.k8s.io/v1'], 'namespaced', 'segment'],
    ['ClusterRole', ['rbac.authorization.k8s.io/v1'], 'cluster', 'segment'],
    ['RoleBinding', ['rbac.authorization.k8s.io/v1'], 'namespaced', 'segment'],
    ['ClusterRoleBinding', ['rbac.authorization.k8s.io/v1'], 'cluster', 'segment'],
    ['StorageClass', ['storage.k8s.io/v1'], 'cluster', 'subdomain'],
    ['PriorityClass', ['scheduling.k8s.io/v1'], 'cluster', 'subdomain'],
    ['CustomResourceDefinition', ['apiextensions.k8s.io/v1'], 'cluster', 'subdomain'],
  ];
  const REJECTS = { label: ['a.b', 'a:b', 'A_B'], dns1035: ['a.b', '1a', 'a:b', 'A_B'], subdomain: ['a:b', 'A_B'], segment: [] as string[] };

  test.each(KINDS)('%s: served by %j, %s, names judged as a %s', (kind, apiVersions, scope, rule) => {
    for (const apiVersion of apiVersions) {
      expect(builtinKind({ apiVersion, kind })).toBe(kind);
      const rejected = ['a.b', '1a', 'a:b', 'A_B'].filter((name) =>
        checkApiRules({ apiVersion, kind, metadata: { name } }).some((f) => f.path === 'metadata.name'));
      expect(rejected).toEqual(REJECTS[rule]);
      const namespaced = checkApiRules({ apiVersion, kind, metadata: { name: 'ab', namespace: 'shop' } }).filter((f) => f.path === 'metadata.namespace');
      // The API server drops the namespace of a cluster-scoped object: accepted, with a warning here.
      expect(namespaced.map((f) => `${f.message} [${f.severity}]`)).toEqual(scope === 'cluster' ? [`${kind} is cluster-scoped: the API server drops metadata.namespace [warning]`] : []);
    }
    expect(builtinKind({ apiVersion: 'example.com/v1', kind })).toBeUndefined();
  });

  test.each([
    ['a custom resource of another group: a DNS subdomain', 'example.com/v1', ['a:b', 'A_B']],
    ['an unknown kind of a built-in group: a path segment (the most lenient rule)', 'apps/v1', []],
    // gateway.networking.k8s.io is the Gateway API's CRDs, not the API server's own group.
    ['a custom resource of a *.k8s.io group: a DNS subdomain', 'gateway.networking.k8s.io/v1', ['a:b', 'A_B']],
    ['an unknown kind without apiVersion: a path segment', undefined, []],
  ])('names of %s', (_what, apiVersion, rejects) => {
    const rejected = ['a.b', '1a', 'a:b', 'A_B'].filter((name) =>
      checkApiRules({ apiVersion, kind: 'Gadget', metadata: { name } }).some((f) => f.path === 'metadata.name'));
    expect(rejected).toEqual(rejects);
  });

  test('a nameless object is reported with the rule its name must follow, unless it has a generateName', () => {
    const nameless = (kind: string, apiVersion: string, metadata: Record<string, unknown>) => checkApiRules({ apiVersion, kind, metadata }).filter((f) => f.path === 'metadata.name').map((f) => [f.message, f.allowed]);
    expect(nameless('Namespace', 'v1', {})).toEqual([['the object has no name', 'a name: a DNS label']]);
    expect(nameless('ConfigMap', 'v1', { name: '' })).toEqual([['the object has no name', 'a name: a DNS subdomain']]);
    expect(nameless('Service', 'v1', { name: 5 })).toEqual([['the object has no name', 'a name: a DNS-1035 label']]);
    expect(nameless('Role', 'rbac.authorization.k8s.io/v1', {})).toEqual([['the object has no name', 'a name: a path segment']]);
    expect(nameless('Job', 'batch/v1', { generateName: 'migrate-' })).toEqual([]);
  });

  // Each kind's rule in words: a kind whose rule the words lack would be told "a name: undefined".
  test.each([
    ['Role', 'rbac.authorization.k8s.io/v1', 'a path segment'],
    ['ClusterRole', 'rbac.authorization.k8s.io/v1', 'a path segment'],
    ['RoleBinding', 'rbac.authorization.k8s.io/v1', 'a path segment'],
    ['ClusterRoleBinding', 'rbac.authorization.k8s.io/v1', 'a path segment'],
    ['PodDisruptionBudget', 'policy/v1', 'a path segment'],
    ['Endpoints', 'v1', 'a path segment'], // a built-in kind the rules do not list
    ['StatefulSet', 'apps/v1', 'a DNS label'],
    ['Gadget', 'example.com/v1', 'a DNS subdomain'],
  ])('a nameless %s (%s) is told its name must be %s', (kind, apiVersion, words) => {
    expect(checkApiRules({ apiVersion, kind, metadata: {} }).filter((f) => f.path === 'metadata.name').map((f) => [f.message, f.allowed]))
      .toEqual([['the object has no name', `a name: ${words}`]]);
  });

  test('no kind the rules know is told a name rule without words', () => {
    const told = Object.entries(KNOWN_KINDS).flatMap(([kind, known]) => checkApiRules({ apiVersion: known.groups[0] ? `${known.groups[0]}/v1` : 'v1', kind, metadata: {} })
      .filter((f) => f.path === 'metadata.name').map((f) => f.allowed));
    // All but LimitRange, which the server names itself.
    expect(told).toHaveLength(Object.values(KNOWN_KINDS).filter((k) => !k.namedByServer).length);
    expect(told.filter((allowed) => !/^a name: a (DNS label|DNS subdomain|DNS-1035 label|path segment)$/.test(allowed ?? ''))).toEqual([]);
  });

  test('a namespace that is not a DNS label is reported; a null one is unset', () => {
    expect(checkApiRules({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'a', namespace: 'Shop.EU' } }).map((f) => [f.path, f.message]))
      .toEqual([['metadata.namespace', 'namespace "Shop.EU" is not valid']]);
    expect(checkApiRules({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'a', namespace: null } })).toEqual([]);
    expect(checkApiRules({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'a', namespace: 'shop' } })[0].allowed).toBe('no metadata.namespace');
    expect(checkApiRules({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'a', namespace: 'Shop' } })[0].allowed).toBe(LABEL_RULE);
    // Without metadata there is no name: "metadata.name: Required value".
    expect(checkApiRules({ apiVersion: 'v1', kind: 'ConfigMap', metadata: null }).map((f) => [f.path, f.message])).toEqual([['metadata.name', 'the object has no metadata, so no name']]);
    expect(checkApiRules({ apiVersion: 'v1', kind: 'ConfigMap' }).map((f) => [f.path, f.message])).toEqual([['metadata.name', 'the object has no metadata, so no name']]);
  });

  test('annotation keys are qualified names in any case; annotations may hold 256 KiB of keys and values in all', () => {
    const annotated = (annotations: Record<string, unknown>) => checkApiRules({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'a', annotations } }).map((f) => [f.path, f.message]);
    expect(annotated({ 'Example.COM/Owner': 'x', 'bad key': 'x' })).toEqual([['metadata.annotations.bad key', 'annotation key "bad key" is not a qualified name']]);
    expect(annotated({ a: 'x'.repeat(256 * 1024 - 2), b: null })).toEqual([]);
    expect(annotated({ a: 'x'.repeat(256 * 1024 - 1), b: null })).toEqual([['metadata.annotations', 'annotations total 262145 bytes']]);
    expect(annotated({ a: 'x'.repeat(256 * 1024 - 2), n: 5 })).toEqual([['metadata.annotations', 'annotations total 262145 bytes']]);
    expect(checkApiRules({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'a', annotations: { a: 'x'.repeat(256 * 1024) } } })[0].allowed).toBe('at most 262144 bytes in all (UTF-8)');
    // Go's len counts UTF-8 bytes: é is 2 bytes, 1 UTF-16 unit.
    expect(annotated({ a: 'é'.repeat(128 * 1024) })).toEqual([['metadata.annotations', 'annotations total 262145 bytes']]);
    expect(annotated({ a: 'é'.repeat(128 * 1024 - 1) })).toEqual([]);
  });
});

test('an object without apiVersion is judged by its kind: a StatefulSet name must be a DNS label', () => {
  const problems = checkApiRules({ kind: 'StatefulSet', metadata: { name: 'db.primary', namespace: 'shop' }, spec: {} });
  expect(problems.map((p) => `${p.path}: ${p.message}`)).toEqual(['metadata.name: StatefulSet name "db.primary" is not valid', 'spec.template.spec.containers: the pod has no containers']);
});

// What the real API server (1.34) showed the rules missed (test/validate/differential.test.ts).
describe('ObjectMeta as the create path sees it', () => {
  const found = (metadata: Record<string, unknown>, apiVersion = 'v1', kind = 'ConfigMap') => checkApiRules({ apiVersion, kind, metadata }).map((f) => `${f.path}: ${f.message}${f.severity ? ` [${f.severity}]` : ''}`);

  test('an object exported from a cluster: resourceVersion is refused on create, a uid is a warning', () => {
    expect(found({ name: 'a', resourceVersion: '12345', uid: '6c1f1c1e-8f3d-4d7e-9a55-3b7c1f0a2b11', creationTimestamp: '2024-01-01T00:00:00Z' })).toEqual([
      'metadata.resourceVersion: resourceVersion is set (an object exported from a cluster?): the API server refuses it on create',
      'metadata.uid: uid is set (an object exported from a cluster?): a create replaces it, an update of another object of this name fails on it [warning]',
    ]);
    expect(found({ name: 'a', resourceVersion: '' })).toEqual([]);
  });

  test('a custom resource\'s labels and annotations must be strings (its schema does not say so)', () => {
    expect(found({ name: 'web', labels: { tier: 5 }, annotations: { ready: true } }, 'example.com/v1', 'Listener')).toEqual([
      'metadata.labels.tier: the value of label "tier" is a number',
      'metadata.annotations.ready: the value of annotation "ready" is a boolean',
    ]);
    // A built-in kind's schema reports it: the rules do not say it twice.
    expect(found({ name: 'web', labels: { tier: 5 } })).toEqual([]);
  });
});

// More of the ObjectMeta rules the real API server (1.34) applies, found missing by the
// differential suite (test/validate/differential.test.ts).
describe('ObjectMeta fields of the create path', () => {
  const found = (metadata: Record<string, unknown>, apiVersion = 'v1', kind = 'ConfigMap') => checkApiRules({ apiVersion, kind, metadata }).map((f) => `${f.path}: ${f.message}`);
  test.each([
    ['finalizers that are not qualified names', { name: 'a', finalizers: ['bad finalizer'] }, ['metadata.finalizers[0]: finalizer "bad finalizer" is not a qualified name']],
    ['orphan with foregroundDeletion', { name: 'a', finalizers: ['orphan', 'foregroundDeletion'] }, ['metadata.finalizers: finalizers orphan and foregroundDeletion together']],
    ['an owner reference without uid or version', { name: 'a', ownerReferences: [{ apiVersion: 'apps/', kind: 'Deployment', name: 'web', uid: '' }] }, ['metadata.ownerReferences[0].apiVersion: the owner reference has no version', 'metadata.ownerReferences[0].uid: the owner reference has no uid']],
    ['an Event as owner', { name: 'a', ownerReferences: [{ apiVersion: 'v1', kind: 'Event', name: 'e', uid: 'x' }] }, ['metadata.ownerReferences[0]: an Event cannot own objects']],
    ['two controllers', { name: 'a', ownerReferences: [{ apiVersion: 'v1', kind: 'ConfigMap', name: 'a', uid: 'x', controller: true }, { apiVersion: 'v1', kind: 'ConfigMap', name: 'b', uid: 'y', controller: true }] }, ['metadata.ownerReferences: 2 owner references are controllers']],
    ['a generateName that is no name prefix', { generateName: 'Web_' }, ['metadata.generateName: ConfigMap generateName "Web_" (as a prefix) is not valid']],
    ['a creationTimestamp that is no time', { name: 'a', creationTimestamp: 'yesterday' }, ['metadata.creationTimestamp: creationTimestamp "yesterday" is not an RFC 3339 time']],
    // A ConfigMap's strategy keeps generation as written: -1 is refused.
    ['a negative generation on a ConfigMap', { name: 'a', generation: -1 }, ['metadata.generation: generation is -1']],
  ])('%s is refused', (_what, metadata, expected) => {
    expect(found(metadata)).toEqual(expected);
  });

  test.each([
    ['a generateName ending in -', { generateName: 'web-' }],
    ['a creationTimestamp of RFC 3339, with fractions and an offset', { name: 'a', creationTimestamp: '2024-01-31T12:00:00.5+01:00' }],
    ['finalizers of the API server and a domain', { name: 'a', finalizers: ['kubernetes', 'example.com/cleanup'] }],
  ])('%s is accepted', (_what, metadata) => {
    expect(found(metadata)).toEqual([]);
  });

  // A Deployment's strategy sets generation to 1 on create: the written -1 is gone.
  test('a negative generation on a Deployment is accepted (the server sets it)', () => {
    expect(found({ name: 'a', namespace: 'shop', generation: -1 }, 'apps/v1', 'Deployment').filter((f) => f.startsWith('metadata'))).toEqual([]);
  });
});

// Each ObjectMeta problem as the user reads it: its path, its message and what is allowed.
describe('ObjectMeta problems in full', () => {
  test.each([
    ['no metadata', 'v1', 'ConfigMap', undefined,
      [{ path: 'metadata.name', message: 'the object has no metadata, so no name', allowed: 'metadata with a name: a DNS subdomain' }]],
    ['a negative generation on a ConfigMap', 'v1', 'ConfigMap', { name: 'a', generation: -1 },
      [{ path: 'metadata.generation', message: 'generation is -1', allowed: 'a whole number >= 0 (or none: the server sets it)' }]],
    ['a deletionTimestamp that is no time', 'v1', 'ConfigMap', { name: 'a', deletionTimestamp: '2024-01-31 12:00' },
      [{ path: 'metadata.deletionTimestamp', message: 'deletionTimestamp "2024-01-31 12:00" is not an RFC 3339 time', allowed: 'a time such as 2024-01-31T12:00:00Z, or none (the server sets it)' }]],
    ['a list as a custom resource\'s label value', 'example.com/v1', 'Listener', { name: 'web', labels: { tier: ['front'] } },
      [{ path: 'metadata.labels.tier', message: 'the value of label "tier" is a list', allowed: 'a string (quote numbers and booleans)' }]],
    ['an owner reference with nothing in it', 'v1', 'ConfigMap', { name: 'a', ownerReferences: [{}] }, [
      { path: 'metadata.ownerReferences[0].apiVersion', message: 'the owner reference has no version', allowed: 'the owner\'s apiVersion, e.g. apps/v1' },
      { path: 'metadata.ownerReferences[0].kind', message: 'the owner reference has no kind', allowed: 'the owner\'s kind' },
      { path: 'metadata.ownerReferences[0].name', message: 'the owner reference has no name', allowed: 'the owner\'s name' },
      { path: 'metadata.ownerReferences[0].uid', message: 'the owner reference has no uid', allowed: 'the owner\'s uid' },
    ]],
    ['an Event as owner', 'v1', 'ConfigMap', { name: 'a', ownerReferences: [{ apiVersion: 'v1', kind: 'Event', name: 'e', uid: 'x' }] },
      [{ path: 'metadata.ownerReferences[0]', message: 'an Event cannot own objects', allowed: 'another owner' }]],
    ['two controllers', 'v1', 'ConfigMap', { name: 'a', ownerReferences: [{ apiVersion: 'v1', kind: 'ConfigMap', name: 'a', uid: 'x', controller: true }, { apiVersion: 'v1', kind: 'ConfigMap', name: 'b', uid: 'y', controller: true }] },
      [{ path: 'metadata.ownerReferences', message: '2 owner references are controllers', allowed: 'at most one with controller: true' }]],
    ['orphan with foregroundDeletion', 'v1', 'ConfigMap', { name: 'a', finalizers: ['orphan', 'foregroundDeletion'] },
      [{ path: 'metadata.finalizers', message: 'finalizers orphan and foregroundDeletion together', allowed: 'one of orphan or foregroundDeletion' }]],
    ['an exported object', 'v1', 'ConfigMap', { name: 'a', resourceVersion: '7', uid: 'u-1' }, [
      { path: 'metadata.resourceVersion', message: 'resourceVersion is set (an object exported from a cluster?): the API server refuses it on create', allowed: 'no resourceVersion: remove it with the other server-set fields (uid, creationTimestamp, managedFields, status)' },
      { path: 'metadata.uid', message: 'uid is set (an object exported from a cluster?): a create replaces it, an update of another object of this name fails on it', allowed: 'no uid: remove it with the other server-set fields', severity: 'warning' },
    ]],
    ['a generateName that is no name prefix', 'v1', 'ConfigMap', { generateName: 'Web_' },
      [{ path: 'metadata.generateName', message: 'ConfigMap generateName "Web_" (as a prefix) is not valid', allowed: SUBDOMAIN_RULE }]],
  ])('%s', (_what, apiVersion, kind, metadata, expected) => {
    expect(checkApiRules({ apiVersion, kind, metadata })).toEqual(expected);
  });
});

describe('ObjectMeta values the create path accepts or refuses', () => {
  const found = (metadata: Record<string, unknown>, apiVersion = 'v1', kind = 'ConfigMap') => checkApiRules({ apiVersion, kind, metadata }).map((f) => `${f.path}: ${f.message}`);

  test('a ConfigMap\'s generation of 0 or more is accepted', () => {
    expect(found({ name: 'a', generation: 0 })).toEqual([]);
    expect(found({ name: 'a', generation: 3 })).toEqual([]);
  });

  test('an empty generateName is no generateName', () => {
    expect(found({ name: 'a', generateName: '' })).toEqual([]);
    expect(found({ generateName: '' })).toEqual(['metadata.name: the object has no name']);
  });

  // apimachinery maskTrailingDash: a trailing "-" of a generateName longer than 1 replaces its
  // last two characters with "a"; without a name, the generated name (the prefix and 5 random
  // characters) must be a valid name too.
  test.each([
    ['a lone "-" (not masked)', { generateName: '-' }, ['metadata.generateName: ConfigMap generateName "-" (as a prefix) is not valid']],
    ['a lone "-" (not masked) beside a name', { name: 'x', generateName: '-' }, ['metadata.generateName: ConfigMap generateName "-" (as a prefix) is not valid']],
    ['a prefix with an underscore before its "-"', { generateName: 'a_b-' }, ['metadata.generateName: ConfigMap generateName "a_b-" (as a prefix) is not valid']],
    ['a prefix ending in "."', { generateName: 'web.' }, ['metadata.generateName: ConfigMap generateName "web." (as a prefix) is not valid']],
    // Masked "weba" passes; the generated name web.-xxxxx is no DNS subdomain.
    ['a prefix ending in ".-" without a name', { generateName: 'web.-' }, ['metadata.generateName: ConfigMap generateName "web.-" (as a prefix) is not valid']],
    // dns1035: masked "a" passes; the generated name 1-xxxxx starts with a digit.
    ['a Service prefix starting with a digit', { generateName: '1-' }, ['metadata.generateName: Service generateName "1-" (as a prefix) is not valid'], 'Service'],
    // Masked "xa" passes, and with a name none is generated.
    ['a prefix ending in "_-" beside a name', { name: 'x', generateName: 'x_-' }, []],
    ['a prefix ending in "-"', { generateName: 'web-' }, []],
    // The generated name keeps 58 characters of the prefix: 58 + 5 fit a DNS label.
    ['a StatefulSet prefix of 62 characters', { generateName: `${'a'.repeat(61)}-` }, [], 'StatefulSet', 'apps/v1'],
    // path.ValidatePathSegmentName(prefix true) takes any prefix without "/" or "%"; RBAC's names ignore the prefix flag.
    ['a PodDisruptionBudget prefix "."', { generateName: '.' }, [], 'PodDisruptionBudget', 'policy/v1'],
    ['a PodDisruptionBudget prefix ".." beside a name', { name: 'web', generateName: '..' }, [], 'PodDisruptionBudget', 'policy/v1'],
    ['a PodDisruptionBudget prefix with "/"', { generateName: 'web/' }, ['metadata.generateName: PodDisruptionBudget generateName "web/" (as a prefix) is not valid'], 'PodDisruptionBudget', 'policy/v1'],
    ['a PodDisruptionBudget prefix with "%"', { generateName: 'w%-' }, ['metadata.generateName: PodDisruptionBudget generateName "w%-" (as a prefix) is not valid'], 'PodDisruptionBudget', 'policy/v1'],
    ['a Role prefix "."', { generateName: '.' }, ['metadata.generateName: Role generateName "." (as a prefix) is not valid'], 'Role', 'rbac.authorization.k8s.io/v1'],
    ['a ClusterRole prefix ".."', { generateName: '..' }, ['metadata.generateName: ClusterRole generateName ".." (as a prefix) is not valid'], 'ClusterRole', 'rbac.authorization.k8s.io/v1'],
    ['a RoleBinding prefix "."', { generateName: '.' }, ['metadata.generateName: RoleBinding generateName "." (as a prefix) is not valid'], 'RoleBinding', 'rbac.authorization.k8s.io/v1'],
    ['a ClusterRoleBinding prefix ".."', { generateName: '..' }, ['metadata.generateName: ClusterRoleBinding generateName ".." (as a prefix) is not valid'], 'ClusterRoleBinding', 'rbac.authorization.k8s.io/v1'],
    // An empty name is no name: the server names the object from the prefix, and judges that name.
    ['a prefix ending in ".-" beside an empty name', { name: '', generateName: 'web.-' }, ['metadata.generateName: ConfigMap generateName "web.-" (as a prefix) is not valid']],
  ])('generateName: %s', (_what, metadata, expected, kind = 'ConfigMap', apiVersion = 'v1') => {
    expect(found(metadata, apiVersion, kind).filter((f) => f.startsWith('metadata.generateName') || f.startsWith('metadata.name'))).toEqual(expected);
  });

  test('a path-segment prefix that is refused says what a prefix may be', () => {
    const problems = checkApiRules({ apiVersion: 'policy/v1', kind: 'PodDisruptionBudget', metadata: { generateName: 'a/b', namespace: 'shop' }, spec: { minAvailable: 1 } });
    expect(problems.filter((p) => p.path === 'metadata.generateName').map((p) => p.allowed)).toEqual(['any prefix without "/" or "%"']);
  });

  // Sent to kube-apiserver 1.34.2 too (test/validate/differential.test.ts), which accepts it.
  test.each([
    ['a PodDisruptionBudget named by the prefix "."', (o: KubeObject[]) => { const pdb = the(o, 'PodDisruptionBudget', 'web'); pdb.metadata.generateName = '.'; delete pdb.metadata.name; }],
  ])('%s is accepted', (_what, change) => {
    expect(breakValid(change, ['api']).filter((p) => p.path.startsWith('metadata'))).toEqual([]);
  });

  test('owner references: the version of apiVersion, the kind, name and uid are strings', () => {
    expect(found({ name: 'a', ownerReferences: [{ apiVersion: 5, kind: 'Deployment', name: 'web', uid: 'u' }] })).toEqual(['metadata.ownerReferences[0].apiVersion: the owner reference has no version']);
    // ParseGroupVersion: more than one slash is no group version at all.
    expect(found({ name: 'a', ownerReferences: [{ apiVersion: 'apps/v1/x', kind: 'Deployment', name: 'web', uid: 'u' }] })).toEqual(['metadata.ownerReferences[0].apiVersion: the owner reference has no version']);
    expect(found({ name: 'a', ownerReferences: [{ apiVersion: 'apps/v1', kind: 'Deployment', name: 7, uid: 'u' }] })).toEqual(['metadata.ownerReferences[0].name: the owner reference has no name']);
  });

  test('only the core group\'s Event is banned as owner', () => {
    expect(found({ name: 'a', ownerReferences: [{ apiVersion: 'events.k8s.io/v1', kind: 'Event', name: 'e', uid: 'x' }] })).toEqual([]);
    expect(found({ name: 'a', ownerReferences: [{ apiVersion: 'v1beta1', kind: 'Event', name: 'e', uid: 'x' }] })).toEqual([]);
    // ParseGroupVersion("/v1") is the core group's v1.
    expect(found({ name: 'a', ownerReferences: [{ apiVersion: '/v1', kind: 'Event', name: 'e', uid: 'x' }] })).toEqual(['metadata.ownerReferences[0]: an Event cannot own objects']);
  });

  test('one controller among several owners is accepted', () => {
    expect(found({ name: 'a', ownerReferences: [{ apiVersion: 'apps/v1', kind: 'ReplicaSet', name: 'web-1', uid: 'x', controller: true }, { apiVersion: 'v1', kind: 'ConfigMap', name: 'b', uid: 'y', controller: false }] })).toEqual([]);
  });

  test('owner references and finalizers that are no objects or strings are left to the schema', () => {
    expect(found({ name: 'a', ownerReferences: [null, 'web'], finalizers: [5, null, { name: 'x' }] })).toEqual([]);
  });

  test('orphan or foregroundDeletion alone is accepted', () => {
    expect(found({ name: 'a', finalizers: ['orphan'] })).toEqual([]);
    expect(found({ name: 'a', finalizers: ['foregroundDeletion'] })).toEqual([]);
  });

  test('an empty uid is no uid', () => {
    expect(found({ name: 'a', uid: '' })).toEqual([]);
  });
});

// Survivors of the mutation run (static tables and guards of lib/validate/rules/metadata.ts).
describe('ObjectMeta tables, each entry against what it stands for', () => {
  const found = (object: Record<string, unknown>) => checkApiRules(object).map((f) => `${f.path}: ${f.message}`);

  // The API groups kube-apiserver serves itself: k8s.io/kubernetes pkg/apis/* (apiserverinternal is
  // internal.apiserver.k8s.io), plus apiextensions-apiserver's and kube-aggregator's groups. A kind
  // the rules do not list in one of them gets the most lenient name rule (a path segment) and its
  // labels are left to its schema; a custom resource's name must be a DNS subdomain and its label
  // values strings (apiextensions-apiserver customresource validator, ObjectMeta decoding).
  test.each([
    'admissionregistration.k8s.io', 'apiextensions.k8s.io', 'apiregistration.k8s.io', 'apps', 'authentication.k8s.io', 'authorization.k8s.io',
    'autoscaling', 'batch', 'certificates.k8s.io', 'coordination.k8s.io', 'discovery.k8s.io', 'events.k8s.io', 'extensions',
    'flowcontrol.apiserver.k8s.io', 'internal.apiserver.k8s.io', 'networking.k8s.io', 'node.k8s.io', 'policy', 'rbac.authorization.k8s.io',
    'resource.k8s.io', 'scheduling.k8s.io', 'storage.k8s.io', 'storagemigration.k8s.io',
  ])('an unlisted kind of the built-in group %s is judged as built-in, not as a custom resource', (group) => {
    const gadget = (apiVersion: string) => ({ apiVersion, kind: 'Gadget', metadata: { name: 'A_B', labels: { tier: 5 } } });
    expect(found(gadget(`${group}/v1`))).toEqual([]);
    // The same object of a CRD's group is refused twice.
    expect(found(gadget(`${group}.example.com/v1`))).toEqual([
      'metadata.name: Gadget name "A_B" is not valid',
      'metadata.labels.tier: the value of label "tier" is a number',
    ]);
  });

  // Each kind whose create strategy (k8s.io/kubernetes pkg/registry/<group>/<kind>/strategy.go
  // PrepareForCreate) leaves generation as written, so ValidateObjectMeta's
  // ValidateNonnegativeField refuses a negative one; the apps, batch, policy and networking kinds
  // and Pods set it to 1 first.
  test.each([
    ['ConfigMap', 'v1'], ['Secret', 'v1'], ['Service', 'v1'], ['ServiceAccount', 'v1'], ['PersistentVolumeClaim', 'v1'],
    ['PersistentVolume', 'v1'], ['Namespace', 'v1'], ['LimitRange', 'v1'], ['ResourceQuota', 'v1'],
    ['HorizontalPodAutoscaler', 'autoscaling/v2'], ['Role', 'rbac.authorization.k8s.io/v1'], ['ClusterRole', 'rbac.authorization.k8s.io/v1'],
    ['RoleBinding', 'rbac.authorization.k8s.io/v1'], ['ClusterRoleBinding', 'rbac.authorization.k8s.io/v1'],
  ])('a negative generation on a %s (%s) is refused: its strategy keeps it', (kind, apiVersion) => {
    const generation = (value: number) => checkApiRules({ apiVersion, kind, metadata: { name: 'ab', generation: value } }).filter((f) => f.path === 'metadata.generation').map((f) => f.message);
    expect(generation(-1)).toEqual(['generation is -1']);
    expect(generation(0)).toEqual([]);
  });

  test.each([['Deployment', 'apps/v1'], ['Job', 'batch/v1'], ['Pod', 'v1'], ['Gadget', 'example.com/v1']])('a negative generation on a %s (%s) is accepted: the server sets it', (kind, apiVersion) => {
    expect(checkApiRules({ apiVersion, kind, metadata: { name: 'ab', generation: -1 } }).filter((f) => f.path === 'metadata.generation')).toEqual([]);
  });

  // A generation that is no number fails to decode into int64: the schema's finding, not this rule's.
  test.each([['a string', '-1'], ['a list', [-1]]])('a generation that is %s is left to the schema', (_what, generation) => {
    expect(checkApiRules({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'ab', generation } })).toEqual([]);
  });

  // pkg/registry/core/limitrange/strategy.go PrepareForCreate names a nameless LimitRange (a UUID).
  test('a nameless LimitRange is not told it needs a name; a nameless ResourceQuota is', () => {
    const nameless = (kind: string, metadata?: Record<string, unknown>) => checkApiRules({ apiVersion: 'v1', kind, metadata }).filter((f) => f.path === 'metadata.name').map((f) => f.message);
    expect(nameless('LimitRange', { namespace: 'shop' })).toEqual([]);
    expect(nameless('LimitRange')).toEqual([]);
    expect(nameless('ResourceQuota', { namespace: 'shop' })).toEqual(['the object has no name']);
    expect(nameless('ResourceQuota')).toEqual(['the object has no metadata, so no name']);
  });

  // metav1.Time UnmarshalJSON: time.Parse(time.RFC3339, ...), which takes fractions of any length
  // and refuses any text before or after the time.
  test.each([
    ['text before the time', 'on 2024-01-31T12:00:00Z', false],
    ['text after the time', '2024-01-31T12:00:00Zulu', false],
    ['nanoseconds', '2024-01-31T12:00:00.123456789Z', true],
    ['milliseconds and an offset', '2024-01-31T12:00:00.250-05:00', true],
  ])('a creationTimestamp with %s (%s) is accepted: %s', (_what, time, accepted) => {
    expect(found({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'a', creationTimestamp: time } }))
      .toEqual(accepted ? [] : [`metadata.creationTimestamp: creationTimestamp ${JSON.stringify(time)} is not an RFC 3339 time`]);
  });

  test('a custom resource\'s generateName is reported with its kind', () => {
    expect(found({ apiVersion: 'example.com/v1', kind: 'Listener', metadata: { generateName: 'Web_' } }))
      .toEqual(['metadata.generateName: Listener generateName "Web_" (as a prefix) is not valid']);
  });

  test('metadata that is no object is left to the schema', () => {
    expect(checkApiRules({ apiVersion: 'v1', kind: 'ConfigMap', metadata: 'web' })).toEqual([]);
    expect(checkApiRules({ apiVersion: 'v1', kind: 'ConfigMap', metadata: ['web'] })).toEqual([]);
  });
});

describe('groupOf and builtinKind of odd input', () => {
  test('no object has no group and no kind', () => {
    expect(groupOf(undefined as unknown as KubeObject)).toBeUndefined();
    expect(groupOf(null as unknown as KubeObject)).toBeUndefined();
    expect(builtinKind(undefined as unknown as KubeObject)).toBeUndefined();
    expect(builtinKind(null as unknown as KubeObject)).toBeUndefined();
  });

  test('an apiVersion without a group is the core group\'s', () => {
    expect(groupOf({ apiVersion: 'v1' })).toBe('');
    expect(groupOf({ apiVersion: '/v1' })).toBe('');
    expect(groupOf({ apiVersion: 'apps/v1' })).toBe('apps');
    expect(groupOf({ apiVersion: 7 })).toBeUndefined();
  });

  // A kind that is no string (YAML `kind: [Pod]`) fails to decode: it is no built-in kind.
  test('a kind that is a list holding a known kind\'s name is no built-in kind', () => {
    expect(builtinKind({ apiVersion: 'v1', kind: ['Pod'] })).toBeUndefined();
    expect(builtinKind({ apiVersion: 'v1', kind: { toString: () => 'Pod' } })).toBeUndefined();
  });
});
