import { KubeObject } from '../../lib/plan/objects';
import { appliedBy, CLUSTER_SCOPED_KINDS, inNamespace, parseSelector, pruneTargets, selectorMatches } from '../../lib/plan/prune';
import { pruneScope } from '../../lib/program/ownership';
import { courseObjects, defaultObjects } from '../helpers';
import { describeWithCluster, sharedCrds } from '../support/envtest';

const LAST_APPLIED = 'kubectl.kubernetes.io/last-applied-configuration';
const names = (objects: readonly KubeObject[]) => objects.map((o) => `${o.kind}/${o.metadata.name}${o.metadata.namespace ? ` (${o.metadata.namespace})` : ''}`).sort();

/** Objects as a client-side `kubectl apply` leaves them live: in a namespace, with the last-applied annotation. */
function appliedLive(objects: readonly KubeObject[], namespace = 'default'): KubeObject[] {
  return objects.map((o) => ({
    ...o,
    metadata: { ...o.metadata, ...(CLUSTER_SCOPED_KINDS.has(o.kind) || o.metadata.namespace ? {} : { namespace }), annotations: { ...o.metadata.annotations, [LAST_APPLIED]: JSON.stringify(o) } },
  }));
}

/** What the operator, the controllers and other apps put in the same cluster. */
const others: KubeObject[] = [
  { apiVersion: 'v1', kind: 'Secret', metadata: { name: 'pgpassword', namespace: 'default' } },
  { apiVersion: 'apps/v1', kind: 'ReplicaSet', metadata: { name: 'server-deployment-7d9f', namespace: 'default', labels: { component: 'server', 'app.kubernetes.io/part-of': 'multi-k8s' } } },
  ...appliedLive([{ apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'shop', labels: { 'app.kubernetes.io/part-of': 'shop', 'app.kubernetes.io/instance': 'prod' } } }]),
  ...appliedLive([{ apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'team-x', labels: { 'app.kubernetes.io/instance': 'prod' } } }]),
];

describe('label selectors as kubectl parses them', () => {
  test.each([
    ['a=1', { a: '1' }, true], ['a==1', { a: '2' }, false], ['a!=1', {}, true], ['a!=1', { a: '1' }, false],
    ['a in (1,2),b', { a: '2', b: '' }, true], ['a in (1,2)', {}, false], ['a notin (1,2)', {}, true], ['!a', { a: 'x' }, false],
    // A key that is there but with another value: != and notin hold, = does not.
    ['a!=1', { a: '2' }, true], ['a notin (1,2)', { a: '3' }, true], ['a notin (1,2)', { a: '2' }, false], ['a=1', { a: '2' }, false],
    // `key` needs the key (any value, the empty one too), `!key` its absence.
    ['a', {}, false], ['a', { a: '' }, true], ['!a', {}, true], ['!a', { b: 'x' }, true],
    // Labels that are not there at all (an object without labels): only absence and inequality hold.
    ['a!=1', undefined, true], ['!a', undefined, true], ['a', undefined, false], ['a=1', undefined, false],
  ])('%s on %j: %s', (selector, labels, expected) => {
    expect(selectorMatches(parseSelector(selector), labels)).toBe(expected);
  });
});

test('a missing key never matches `in` and always matches `notin`, whatever the values list holds (a hole reads as undefined to includes())', () => {
  const holes = new Array<string>(2);
  expect(selectorMatches([{ key: 'a', operator: 'in', values: holes }], {})).toBe(false);
  expect(selectorMatches([{ key: 'a', operator: 'notin', values: holes }], {})).toBe(true);
});

describe('label selectors: the requirements read, as kubectl\'s labels.Parse reads them', () => {
  const req = (key: string, operator: string, values: string[] = []) => ({ key, operator, values });

  test.each([
    ['a=1', [req('a', 'in', ['1'])]],
    ['a==1', [req('a', 'in', ['1'])]],
    ['a!=1', [req('a', 'notin', ['1'])]],
    ['a=', [req('a', 'in', [''])]],
    ['ab', [req('ab', 'exists')]],
    ['!ab', [req('ab', '!exists')]],
    // kubectl skips blanks between tokens: around commas, operators, inside the parentheses, more than one.
    ['a=1, b=2', [req('a', 'in', ['1']), req('b', 'in', ['2'])]],
    ['a = 1 ,  !b', [req('a', 'in', ['1']), req('b', '!exists')]],
    ['a in (1, 2 )', [req('a', 'in', ['1', '2'])]],
    ['a  in (1)', [req('a', 'in', ['1'])]],
    ['a in  (1)', [req('a', 'in', ['1'])]],
    ['a notin\t(x,y),b', [req('a', 'notin', ['x', 'y']), req('b', 'exists')]],
    ['app.kubernetes.io/part-of=multi-k8s,app.kubernetes.io/instance in (dev,prod)', [req('app.kubernetes.io/part-of', 'in', ['multi-k8s']), req('app.kubernetes.io/instance', 'in', ['dev', 'prod'])]],
    // An empty selector (or only commas) selects everything, as `kubectl -l ''` does.
    ['', []],
    [',', []],
  ])('%j', (selector, expected) => {
    expect(parseSelector(selector)).toEqual(expected);
  });

  // Each of these kubectl refuses too ("found 'y', expected: ...").
  test.each([
    ['a b', 'a b'], ['x y in (1)', 'x y in (1)'], ['x y=1', 'x y=1'], ['a=1 2', 'a=1 2'], ['x !a', 'x !a'], ['!a b', '!a b'],
    ['a=1, b c', 'b c'],
  ])('%j is refused, the requirement named', (selector, requirement) => {
    expect(() => parseSelector(selector)).toThrow(new Error(`not a label selector requirement: "${requirement}"`));
  });
});

describe('a pruning apply, modelled on kubectl\'s prune.go', () => {
  // A function, not a value: the scope renders the app (for its kinds), which must happen inside a test for
  // mutation testing to credit the tests that use it.
  const environment = () => pruneScope({ kind: 'environment' });

  test('every object of an output is sent by the apply with its own selector (-l skips the others)', () => {
    for (const env of [{}, { ENVIRONMENT: 'dev' }]) expect(appliedBy(defaultObjects(env), environment())).toHaveLength(defaultObjects(env).length);
    const previews = defaultObjects({ PREVIEWS: 'a,b' });
    expect(appliedBy(previews, pruneScope({ kind: 'previews', names: ['a', 'b'] }))).toHaveLength(previews.length);
  });

  test('prod -> dev deletes exactly prod\'s autoscalers and budgets, nothing of the operator, the controllers, other apps or previews', () => {
    const live = [...appliedLive(defaultObjects()), ...appliedLive(defaultObjects({ PREVIEWS: 'a' })), ...others];
    expect(names(pruneTargets(live, defaultObjects({ ENVIRONMENT: 'dev' }), { scope: environment() }))).toEqual([
      'HorizontalPodAutoscaler/server-deployment (default)',
      'HorizontalPodAutoscaler/worker-deployment (default)',
      'PodDisruptionBudget/client-disruption-budget (default)',
      'PodDisruptionBudget/server-disruption-budget (default)',
      'PodDisruptionBudget/worker-disruption-budget (default)',
    ]);
  });

  test('dev -> prod deletes nothing', () => {
    const live = [...appliedLive(defaultObjects({ ENVIRONMENT: 'dev' })), ...others];
    expect(pruneTargets(live, defaultObjects(), { scope: environment() })).toEqual([]);
  });

  test('the same environment in another namespace is out of reach of namespaced pruning', () => {
    const live = appliedLive(defaultObjects(), 'production');
    expect(pruneTargets(live, defaultObjects({ ENVIRONMENT: 'dev' }), { scope: environment(), namespace: 'staging' })).toEqual([]);
  });

  test('previews {a, b} -> an apply of {b} deletes nothing of a; a NetworkPolicy that leaves b goes', () => {
    const live = [...appliedLive(defaultObjects({ PREVIEWS: 'a,b' })), ...others];
    const onlyB = pruneScope({ kind: 'previews', names: ['b'] });
    expect(pruneTargets(live, defaultObjects({ PREVIEWS: 'b' }), { scope: onlyB })).toEqual([]);
    const withoutPolicy = defaultObjects({ PREVIEWS: 'b' }).filter((o) => o.metadata.name !== 'multi-k8s-worker-allow-egress-to-redis');
    expect(names(pruneTargets(live, withoutPolicy, { scope: onlyB }))).toEqual(['NetworkPolicy/multi-k8s-worker-allow-egress-to-redis (b)']);
  });

  test('the course\'s objects carry no ownership label: never pruned, and the first apply takes them over by name', () => {
    const live = [...appliedLive(courseObjects()), ...others];
    expect(pruneTargets(live, defaultObjects(), { scope: environment() })).toEqual([]);
  });

  test('a cluster-scoped object of the instance is pruned cluster-wide when it leaves the output', () => {
    const issuer: KubeObject = { apiVersion: 'cert-manager.io/v1', kind: 'ClusterIssuer', metadata: { name: 'letsencrypt-prod', labels: { 'app.kubernetes.io/part-of': 'multi-k8s', 'app.kubernetes.io/instance': 'prod' } } };
    const scope = { ...environment(), allowlist: [...environment().allowlist, 'cert-manager.io/v1/ClusterIssuer'] };
    const live = [...appliedLive(defaultObjects()), ...appliedLive([issuer])];
    expect(names(pruneTargets(live, defaultObjects(), { scope }))).toEqual(['ClusterIssuer/letsencrypt-prod']);
    // Not listed, never pruned.
    expect(pruneTargets(live, defaultObjects(), { scope: environment() })).toEqual([]);
  });
});

/** What kube-apiserver v1.34 lists with `kubectl api-resources --namespaced=false` (asked below). */
const BUILT_IN_CLUSTER_KINDS = [
  'APIService', 'CSIDriver', 'CSINode', 'CertificateSigningRequest', 'ClusterRole', 'ClusterRoleBinding', 'ComponentStatus',
  'CustomResourceDefinition', 'DeviceClass', 'FlowSchema', 'IPAddress', 'IngressClass', 'MutatingWebhookConfiguration', 'Namespace',
  'Node', 'PersistentVolume', 'PriorityClass', 'PriorityLevelConfiguration', 'ResourceSlice', 'RuntimeClass', 'SelfSubjectAccessReview',
  'SelfSubjectReview', 'SelfSubjectRulesReview', 'ServiceCIDR', 'StorageClass', 'SubjectAccessReview', 'TokenReview',
  'ValidatingAdmissionPolicy', 'ValidatingAdmissionPolicyBinding', 'ValidatingWebhookConfiguration', 'VolumeAttachment', 'VolumeAttributesClass',
];

describeWithCluster('cluster-scoped kinds, as the API server serves them', (cluster) => {
  /** Kind -> namespaced, of every resource the server lists (`kubectl api-resources`: NAME [SHORTNAMES] APIVERSION NAMESPACED KIND). */
  async function served(): Promise<{ kind: string; apiVersion: string; namespaced: boolean }[]> {
    const out = await cluster().kubectlOk(['api-resources', '--no-headers']);
    return out.trim().split('\n').map((line) => {
      const words = line.trim().split(/\s+/);
      return { kind: words[words.length - 1], apiVersion: words[words.length - 3], namespaced: words[words.length - 2] === 'true' };
    });
  }

  test('every built-in kind the server serves cluster-wide is in the model, and no other built-in kind', async () => {
    // Built-in: the core group and the *.k8s.io groups no CustomResourceDefinition serves (test files
    // sharing this API server install CRDs, the Gateway API's gateway.networking.k8s.io among them).
    const crdGroups = new Set((await cluster().kubectlOk(['get', 'crd', '-o', 'jsonpath={.items[*].spec.group}'])).split(/\s+/).filter(Boolean));
    const builtIn = (await served()).filter((r) => r.apiVersion === 'v1' || (/^[^/]*\.k8s\.io\//.test(r.apiVersion) && !crdGroups.has(r.apiVersion.split('/')[0])));
    const clusterWide = [...new Set(builtIn.filter((r) => !r.namespaced).map((r) => r.kind))].sort();
    expect(clusterWide).toEqual([...BUILT_IN_CLUSTER_KINDS].sort());
    expect([...CLUSTER_SCOPED_KINDS].filter((kind) => builtIn.some((r) => r.kind === kind)).sort()).toEqual(clusterWide);
  });

  test('ClusterIssuer and GatewayClass, the two CRD kinds in the model, are served cluster-wide by their CRDs', async () => {
    await cluster().installCrds(sharedCrds('cert-manager-v1.21.1')!);
    await cluster().installCrds(sharedCrds('gateway-api-v1.6.1')!);
    const resources = await served();
    const scopeOf = (kind: string, group: string) => resources.filter((r) => r.kind === kind && r.apiVersion.startsWith(`${group}/`)).map((r) => r.namespaced);
    expect(scopeOf('ClusterIssuer', 'cert-manager.io')).toEqual([false]);
    expect(scopeOf('GatewayClass', 'gateway.networking.k8s.io')).toEqual([false]);
    // The namespaced kinds of the same CRDs stay out of the model.
    expect(scopeOf('Issuer', 'cert-manager.io')).toEqual([true]);
    expect(CLUSTER_SCOPED_KINDS.has('Issuer') || CLUSTER_SCOPED_KINDS.has('Gateway')).toBe(false);
  });
});

describe('objects of odd shapes (a corrupt or hand-written file): judged, never a crash', () => {
  const scope = (selector: string, allowlist: string[]) => ({ selector, allowlist });

  test('a manifest without metadata gets kubectl\'s namespace; one with a namespace or of a cluster-scoped kind keeps its own', () => {
    const bare: KubeObject = { apiVersion: 'v1', kind: 'ConfigMap' };
    const own: KubeObject = { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'c', namespace: 'team' } };
    const issuer: KubeObject = { apiVersion: 'cert-manager.io/v1', kind: 'ClusterIssuer', metadata: { name: 'i' } };
    expect(inNamespace([bare, own, issuer], 'ctx')).toEqual([{ apiVersion: 'v1', kind: 'ConfigMap', metadata: { namespace: 'ctx' } }, own, issuer]);
    expect(inNamespace([bare])).toEqual([{ apiVersion: 'v1', kind: 'ConfigMap', metadata: { namespace: 'default' } }]);
  });

  test('kinds the API serves cluster-wide are never given a namespace', () => {
    // Written out here as well as in prune.ts, so that a kind dropped from there fails here without
    // a cluster (mutation runs have none); the API-server test below holds this list to the
    // server's own discovery.
    const kinds = [...BUILT_IN_CLUSTER_KINDS, 'ClusterIssuer', 'GatewayClass'];
    const objects = kinds.map((kind) => ({ apiVersion: 'v1', kind, metadata: { name: 'x' } }));
    expect(inNamespace(objects, 'ctx').filter((o) => o.metadata.namespace !== undefined).map((o) => o.kind)).toEqual([]);
    expect(inNamespace([{ apiVersion: 'v1', kind: 'Secret', metadata: { name: 'x' } }], 'ctx')).toEqual([{ apiVersion: 'v1', kind: 'Secret', metadata: { name: 'x', namespace: 'ctx' } }]);
  });

  test('-l sends only the manifests it selects; one without metadata has no labels', () => {
    const labelled: KubeObject = { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'a', labels: { app: 'x' } } };
    const other: KubeObject = { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'b', labels: { app: 'y' } } };
    const bare: KubeObject = { apiVersion: 'v1', kind: 'ConfigMap' };
    expect(appliedBy([labelled, other, bare], scope('app=x', []))).toEqual([labelled]);
    expect(appliedBy([labelled, other, bare], scope('app!=x', []))).toEqual([other, bare]);
  });

  const owned = { 'app.kubernetes.io/part-of': 'multi-k8s' };
  const applied = { [LAST_APPLIED]: '{}' };
  const deploymentIn = (namespace: string | undefined, name: string, metadata: KubeObject = {}): KubeObject => ({ apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name, ...(namespace ? { namespace } : {}), labels: owned, annotations: applied, ...metadata } });

  test('only what kubectl apply made (the last-applied annotation) is pruned; an object without annotations is not', () => {
    const live = [deploymentIn('default', 'applied'), deploymentIn('default', 'created', { annotations: undefined }), deploymentIn('default', 'other-note', { annotations: { note: 'x' } })];
    const manifests = [deploymentIn(undefined, 'kept')];
    expect(names(pruneTargets(live, manifests, { scope: scope('app.kubernetes.io/part-of=multi-k8s', ['apps/v1/Deployment']) }))).toEqual(['Deployment/applied (default)']);
  });

  test('live objects without metadata are out of every namespace and match no selector that needs a label, and carry no annotation', () => {
    const bareDeployment: KubeObject = { apiVersion: 'apps/v1', kind: 'Deployment' };
    const bareIssuer: KubeObject = { apiVersion: 'cert-manager.io/v1', kind: 'ClusterIssuer' };
    const manifests = [deploymentIn(undefined, 'kept')];
    const allowlist = ['apps/v1/Deployment', 'cert-manager.io/v1/ClusterIssuer'];
    expect(pruneTargets([bareDeployment, bareIssuer], manifests, { scope: scope('app.kubernetes.io/part-of=multi-k8s', allowlist) })).toEqual([]);
    // A selector that an object without labels matches: the missing annotation still keeps it.
    const keptManifest = { ...deploymentIn(undefined, 'kept'), metadata: { name: 'kept', annotations: applied } };
    expect(pruneTargets([bareDeployment, bareIssuer], [keptManifest], { scope: scope('!team', allowlist) })).toEqual([]);
  });

  test('a RuntimeClass (cluster-scoped like every kind the server lists so) that leaves the output is pruned wherever the apply goes', () => {
    const runtime: KubeObject = { apiVersion: 'node.k8s.io/v1', kind: 'RuntimeClass', metadata: { name: 'gvisor', labels: owned, annotations: applied }, handler: 'runsc' };
    const model = { scope: scope('app.kubernetes.io/part-of=multi-k8s', ['apps/v1/Deployment', 'node.k8s.io/v1/RuntimeClass']) };
    expect(names(pruneTargets([runtime], [deploymentIn('pr-1', 'kept')], model))).toEqual(['RuntimeClass/gvisor']);
    // Still in the output: the apply sends it, no namespace added, so it is not pruned.
    expect(pruneTargets([runtime], [deploymentIn('pr-1', 'kept'), runtime], model)).toEqual([]);
  });

  test('a namespace given to a cluster-scoped manifest is no namespace the apply visits (kubectl visits only namespaced objects\' namespaces)', () => {
    const issuer: KubeObject = { apiVersion: 'cert-manager.io/v1', kind: 'ClusterIssuer', metadata: { name: 'i', namespace: 'elsewhere', labels: owned } };
    const live = [deploymentIn('elsewhere', 'stray'), deploymentIn('default', 'gone')];
    const model = { scope: scope('app.kubernetes.io/part-of=multi-k8s', ['apps/v1/Deployment', 'cert-manager.io/v1/ClusterIssuer']) };
    expect(names(pruneTargets(live, [issuer, deploymentIn(undefined, 'kept')], model))).toEqual(['Deployment/gone (default)']);
  });
});
