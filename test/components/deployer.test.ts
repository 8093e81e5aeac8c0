import { ApiObject, App, Chart, Cron } from 'cdk8s';
import * as kplus from 'cdk8s-plus-27';
import { AppCronJob } from '../../lib/components/app-cron-job';
import type { MultiK8sChart } from '../../lib/components/chart';
import { Deployer, DEPLOYER_NAME, rulesFor } from '../../lib/components/deployer';
import { resourceTypeOf, resourceTypeOfEntry } from '../../lib/components/resource-types';
import { buildApp } from '../../lib/program/app';
import { pruneScope, scopeOfObjects } from '../../lib/program/ownership';
import { validateManifests } from '../../lib/validate';
import { KubeObject } from '../../lib/validate/problem';
import { appValidateOptions, config, defaultItems, defaultObjects, find } from '../helpers';

interface Rule { apiGroups?: string[]; resources?: string[]; verbs: string[]; resourceNames?: string[]; nonResourceURLs?: string[] }
interface Request { verb: string; group: string; resource: string; name?: string }

/**
 * Whether any rule allows the request, as the API server's RBAC authorizer decides it
 * (k8s.io/kubernetes pkg/apis/rbac/v1/evaluation_helpers.go: VerbMatches, APIGroupMatches,
 * ResourceMatches, ResourceNameMatches); `*` is honoured so that a wildcard would show up as a grant.
 */
function allows(rules: readonly Rule[], request: Request): boolean {
  const has = (list: string[] | undefined, value: string) => (list ?? []).includes('*') || (list ?? []).includes(value);
  return rules.some((rule) => has(rule.verbs, request.verb) && has(rule.apiGroups, request.group) && has(rule.resources, request.resource)
    && (!rule.resourceNames || rule.resourceNames.length === 0 || (request.name !== undefined && rule.resourceNames.includes(request.name))));
}

const RBAC_KINDS = ['Role', 'RoleBinding', 'ClusterRole', 'ClusterRoleBinding'];

/**
 * The requests kubectl makes for one object of the output (lib/components/deployer.ts names the
 * kubectl source of each): apply and diff read it by name, create it (a POST carries no name)
 * and patch it by name; prune lists its kind and deletes it by name once it leaves the output.
 * The deployer's RBAC objects are an admin's: CI re-applies them (get, patch) but never creates
 * or prunes them. A cluster-scoped object is created by the admin's first apply (a new one
 * changes the ClusterRole, which only an admin can apply): CI gets, patches and deletes it.
 */
function requestsFor(object: KubeObject): Request[] {
  const type = resourceTypeOf(object.apiVersion, object.kind)!;
  const at = { group: type.group, resource: type.resource };
  const name = object.metadata.name;
  if (RBAC_KINDS.includes(object.kind)) return [{ verb: 'get', ...at, name }, { verb: 'patch', ...at, name }];
  const read = [{ verb: 'get', ...at, name }, { verb: 'patch', ...at, name }, { verb: 'list', ...at }];
  // A preview's Namespace is deleted by close-preview. Another cluster-scoped object that leaves
  // the output leaves the ClusterRole's names too, so an admin applies that output, and prunes it.
  if (type.clusterScoped) return object.kind === 'Namespace' ? [...read, { verb: 'delete', ...at, name }] : read;
  return [...read, { verb: 'delete', ...at, name }, { verb: 'create', ...at }];
}

/**
 * The requests of the pruning apply (and `kubectl diff --prune`) that `npm run plan` prints for
 * the output, besides those of its objects: a LIST of every allowlisted kind, in the namespace or
 * cluster-wide (k8s.io/kubectl pkg/cmd/apply/prune.go), and the DELETE of each object that the
 * scope's other outputs hold and this one does not (the dev apply deletes prod's autoscalers).
 */
function pruneRequestsFor(output: readonly KubeObject[], siblings: readonly KubeObject[]): { request: Request; clusterScoped: boolean }[] {
  const scope = scopeOfObjects(output);
  const requests = pruneScope(scope, [output]).allowlist.map((entry) => {
    const type = resourceTypeOfEntry(entry)!;
    expect({ entry, known: type !== undefined }).toEqual({ entry, known: true });
    return { request: { verb: 'list', group: type.group, resource: type.resource } as Request, clusterScoped: type.clusterScoped };
  });
  const has = new Set(output.map((o) => `${o.kind}/${o.metadata.name}`));
  for (const object of siblings.filter((o) => !has.has(`${o.kind}/${o.metadata.name}`) && !RBAC_KINDS.includes(o.kind))) {
    const type = resourceTypeOf(object.apiVersion, object.kind)!;
    requests.push({ request: { verb: 'delete', group: type.group, resource: type.resource, name: object.metadata.name }, clusterScoped: type.clusterScoped });
  }
  return requests;
}

function grantsOf(objects: readonly KubeObject[], namespace?: string) {
  const inNamespace = (o: KubeObject) => namespace === undefined || o.metadata.namespace === namespace;
  const role = objects.find((o) => o.kind === 'Role' && o.metadata.name === DEPLOYER_NAME && inNamespace(o));
  const clusterRole = objects.find((o) => o.kind === 'ClusterRole' && o.metadata.name.startsWith(`${DEPLOYER_NAME}-`) && (namespace === undefined || o.metadata.name === `${DEPLOYER_NAME}-${namespace}`));
  return { role: (role?.spec ?? role)?.rules as Rule[] ?? [], cluster: (clusterRole?.rules ?? []) as Rule[] };
}

/**
 * Every request of the output's objects and of its pruning apply is allowed, and every rule, verb
 * and name is one some request needs. `siblings`: the objects of the scope's other outputs, whose
 * objects this output's apply prunes.
 */
function checkCoversExactly(objects: readonly KubeObject[], siblings: readonly KubeObject[], namespace?: string): void {
  const { role, cluster } = grantsOf(objects, namespace);
  const mine = objects.filter((o) => namespace === undefined || o.metadata.namespace === namespace || o.kind === 'Namespace' || o.kind.startsWith('Cluster'));
  const sameNamespace = (o: KubeObject) => namespace === undefined || o.metadata.namespace === namespace || o.metadata.name === namespace;
  const requests = [
    ...mine.flatMap((object) => requestsFor(object).map((request) => ({ request, clusterScoped: resourceTypeOf(object.apiVersion, object.kind)!.clusterScoped, object: `${object.kind}/${object.metadata.name}` }))),
    ...pruneRequestsFor(mine, siblings.filter(sameNamespace)).map((r) => ({ ...r, object: `prune of ${r.request.resource}` })),
  ];
  // group/resource -> the verbs and names kubectl's requests need.
  const needed = new Map<string, { verbs: Set<string>; names: Set<string> }>();
  for (const { request, clusterScoped, object } of requests) {
    const rules = clusterScoped ? cluster : role;
    expect({ object, ...request, allowed: allows(rules, request) }).toMatchObject({ allowed: true });
    const key = `${request.group}/${request.resource}`;
    if (!needed.has(key)) needed.set(key, { verbs: new Set(), names: new Set() });
    needed.get(key)!.verbs.add(request.verb);
    if (request.name) needed.get(key)!.names.add(request.name);
  }
  for (const rule of [...role, ...cluster]) {
    expect(rule.nonResourceURLs).toBeUndefined();
    for (const group of rule.apiGroups ?? []) {
      for (const resource of rule.resources ?? []) {
        const need = needed.get(`${group}/${resource}`);
        expect({ rule: `${group}/${resource}`, requested: need !== undefined }).toEqual({ rule: `${group}/${resource}`, requested: true });
        for (const verb of rule.verbs) expect({ rule: `${group}/${resource}`, verb, needed: need!.verbs.has(verb) }).toMatchObject({ needed: true });
        for (const name of rule.resourceNames ?? []) expect({ rule: `${group}/${resource}`, name, requested: need!.names.has(name) }).toMatchObject({ requested: true });
      }
    }
  }
}

describe('Deployer', () => {
  // Rendered inside each test: a render in the describe body would run outside any test, which
  // mutation testing cannot attribute to the tests that use it.
  const ciObjects = () => defaultObjects({ DEPLOYER: 'ci' });

  test('is not emitted unless DEPLOYER=ci', () => {
    expect(defaultObjects().filter((o) => o.metadata.name?.startsWith(DEPLOYER_NAME))).toEqual([]);
  });

  test('a ServiceAccount without a mounted token, bound to its Role in the namespace the chart is applied to', () => {
    const account = find(ciObjects(), 'ServiceAccount', DEPLOYER_NAME);
    expect(account.automountServiceAccountToken).toBe(false);
    const binding = find(ciObjects(), 'RoleBinding', DEPLOYER_NAME);
    expect(binding.roleRef).toEqual({ apiGroup: 'rbac.authorization.k8s.io', kind: 'Role', name: DEPLOYER_NAME });
    // No namespace: the subject is the ServiceAccount of the binding's own namespace.
    expect(binding.subjects).toEqual([{ kind: 'ServiceAccount', name: DEPLOYER_NAME }]);
    expect(ciObjects().filter((o) => o.kind === 'ClusterRole' || o.kind === 'ClusterRoleBinding')).toEqual([]);
  });

  const environments = () => [...defaultObjects(), ...defaultObjects({ ENVIRONMENT: 'dev' })];

  test.each([['prod', {}], ['dev', { ENVIRONMENT: 'dev' }]])('%s: every request apply, diff and prune make for each object of the output and each kind of its allowlist is allowed, and nothing else', (_name, env) => {
    checkCoversExactly(defaultObjects({ DEPLOYER: 'ci', ...env }), environments());
  });

  test('dev may list and delete the autoscalers and budgets prod left, and not create, read or change one', () => {
    const { role } = grantsOf(defaultObjects({ DEPLOYER: 'ci', ENVIRONMENT: 'dev' }));
    for (const [group, resource] of [['autoscaling', 'horizontalpodautoscalers'], ['policy', 'poddisruptionbudgets']]) {
      expect(role.filter((r) => r.resources?.includes(resource))).toEqual([{ apiGroups: [group], resources: [resource], verbs: ['list', 'delete'] }]);
    }
  });

  test('the main environment lists no Namespace, so it needs no cluster-wide right', () => {
    for (const env of [{}, { ENVIRONMENT: 'dev' }, { ROUTING: 'gateway' }]) {
      const objects = defaultObjects({ DEPLOYER: 'ci', ...env });
      expect(pruneScope(scopeOfObjects(objects), [objects]).allowlist).not.toContain('core/v1/Namespace');
      expect(objects.filter((o) => o.kind.startsWith('Cluster'))).toEqual([]);
    }
  });

  test.each([
    ['a Gateway of its own', { ROUTING: 'gateway' }],
    ['a shared Gateway', { ROUTING: 'gateway', GATEWAY: 'infra/shared' }],
    ['Let\'s Encrypt', { HOSTS: 'k8s-multi.com', ACME_EMAIL: 'ops@k8s-multi.com', DEPLOYER_NAMESPACE: 'multi-k8s' }],
    ['Let\'s Encrypt through a Gateway', { HOSTS: 'k8s-multi.com', ACME_EMAIL: 'ops@k8s-multi.com', ROUTING: 'gateway', DEPLOYER_NAMESPACE: 'multi-k8s' }],
  ])('with %s: every request is allowed, and nothing else', (_name, env) => {
    checkCoversExactly(defaultObjects({ DEPLOYER: 'ci', ...env }), environments());
  });

  test('with Let\'s Encrypt, the ClusterIssuer is read and changed by name and listed, never created or deleted, through a ClusterRole bound to DEPLOYER_NAMESPACE\'s account', () => {
    const objects = defaultObjects({ DEPLOYER: 'ci', HOSTS: 'k8s-multi.com', ACME_EMAIL: 'ops@k8s-multi.com', DEPLOYER_NAMESPACE: 'multi-k8s' });
    const binding = find(objects, 'ClusterRoleBinding', `${DEPLOYER_NAME}-multi-k8s`);
    expect(binding.subjects).toEqual([{ kind: 'ServiceAccount', name: DEPLOYER_NAME, namespace: 'multi-k8s' }]);
    expect(binding.metadata.namespace).toBeUndefined();
    const { cluster } = grantsOf(objects);
    const issuer = { group: 'cert-manager.io', resource: 'clusterissuers' };
    for (const verb of ['get', 'patch']) expect(allows(cluster, { verb, ...issuer, name: 'letsencrypt-prod' })).toBe(true);
    for (const verb of ['get', 'patch', 'delete']) expect(allows(cluster, { verb, ...issuer, name: 'another-apps-issuer' })).toBe(false);
    // Shared by the cluster's apps: CI neither creates nor deletes one.
    expect(allows(cluster, { verb: 'delete', ...issuer, name: 'letsencrypt-prod' })).toBe(false);
    expect(allows(cluster, { verb: 'create', ...issuer })).toBe(false);
    expect(allows(cluster, { verb: 'list', group: '', resource: 'namespaces' })).toBe(false);
  });

  test('exactly the verbs needed: the app\'s kinds get, list, create, patch, delete; its own RBAC objects get and patch by name', () => {
    const { role } = grantsOf(ciObjects());
    const verbsOn = (resource: string) => role.filter((r) => r.resources?.includes(resource));
    for (const kind of ['deployments', 'services', 'persistentvolumeclaims', 'serviceaccounts', 'networkpolicies', 'horizontalpodautoscalers', 'poddisruptionbudgets', 'ingresses']) {
      expect(verbsOn(kind)).toEqual([expect.objectContaining({ verbs: ['get', 'list', 'create', 'patch', 'delete'] })]);
      expect(verbsOn(kind)[0].resourceNames).toBeUndefined();
    }
    expect(verbsOn('roles')).toEqual([expect.objectContaining({ verbs: ['get', 'patch'], resourceNames: [DEPLOYER_NAME] })]);
    expect(verbsOn('rolebindings')).toEqual([expect.objectContaining({ verbs: ['get', 'patch'], resourceNames: [DEPLOYER_NAME] })]);
  });

  test('no wildcard, no escalate, bind, impersonate or update, and no Secret can be read', () => {
    const { role } = grantsOf(ciObjects());
    const every = role.flatMap((r) => [...r.verbs, ...(r.apiGroups ?? []), ...(r.resources ?? []), ...(r.resourceNames ?? [])]);
    expect(every).not.toContain('*');
    for (const verb of ['escalate', 'bind', 'impersonate', 'update', 'deletecollection', 'watch']) expect(role.flatMap((r) => r.verbs)).not.toContain(verb);
    for (const verb of ['get', 'list', 'watch']) expect(allows(role, { verb, group: '', resource: 'secrets', name: 'pgpassword' })).toBe(false);
    expect(allows(role, { verb: 'create', group: '', resource: 'serviceaccounts/token', name: DEPLOYER_NAME })).toBe(false);
    expect(allows(role, { verb: 'patch', group: 'rbac.authorization.k8s.io', resource: 'roles', name: 'some-other-role' })).toBe(false);
  });

  test('with a CronJob of your own (README "Your own components"): it is managed like the app\'s kinds, every request allowed and nothing else', () => {
    const nightly = (chart: MultiK8sChart) => new AppCronJob(chart, 'Nightly', {
      name: 'values-count', schedule: Cron.daily(), image: chart.postgres.image, runAs: { user: 999, group: 999 },
      command: ['psql', '--command', 'select 1'], env: chart.postgres.clientEnv, connectsTo: [chart.postgres],
    });
    const objects = buildApp(config({ DEPLOYER: 'ci' }), { extend: nightly }).flatMap(({ chart }) => chart.toJson()) as KubeObject[];
    expect(find(objects, 'CronJob', 'values-count').apiVersion).toBe('batch/v1');
    const { role } = grantsOf(objects);
    expect(role.filter((r) => r.resources?.includes('cronjobs'))).toEqual([{ apiGroups: ['batch'], resources: ['cronjobs'], verbs: ['get', 'list', 'create', 'patch', 'delete'] }]);
    // The printed apply lists the CronJob's kind, so the deployer may list it; nothing more is granted.
    expect(pruneScope(scopeOfObjects(objects), [objects]).allowlist).toContain('batch/v1/CronJob');
    checkCoversExactly(objects, environments());
  });

  test('the output with the deployer passes every check of the validator', () => {
    const items = defaultItems({ DEPLOYER: 'ci' });
    expect(validateManifests(items, appValidateOptions())).toEqual([]);
  });

  describe('previews', () => {
    const previews = () => defaultObjects({ DEPLOYER: 'ci', PREVIEWS: 'pr-1,pr-2' });

    test.each(['pr-1', 'pr-2'])('%s: its own ServiceAccount, Role and RoleBinding in its namespace, and a ClusterRole for its Namespace only', (namespace) => {
      for (const kind of ['ServiceAccount', 'Role', 'RoleBinding']) {
        expect(previews().filter((o) => o.kind === kind && o.metadata.name === DEPLOYER_NAME && o.metadata.namespace === namespace)).toHaveLength(1);
      }
      const clusterBinding = find(previews(), 'ClusterRoleBinding', `${DEPLOYER_NAME}-${namespace}`);
      expect(clusterBinding.metadata.namespace).toBeUndefined();
      expect(clusterBinding.subjects).toEqual([{ kind: 'ServiceAccount', name: DEPLOYER_NAME, namespace }]);
      const { cluster } = grantsOf(previews(), namespace);
      expect(allows(cluster, { verb: 'delete', group: '', resource: 'namespaces', name: namespace })).toBe(true);
      for (const other of ['kube-system', 'default', namespace === 'pr-1' ? 'pr-2' : 'pr-1']) {
        for (const verb of ['get', 'patch', 'delete']) expect(allows(cluster, { verb, group: '', resource: 'namespaces', name: other })).toBe(false);
      }
    });

    test.each(['pr-1', 'pr-2'])('%s: every request for each object and its apply\'s allowlist is allowed, and nothing else', (namespace) => {
      const own = (o: KubeObject) => o.metadata.namespace === namespace || o.metadata.name === namespace || o.metadata.name === `${DEPLOYER_NAME}-${namespace}`;
      checkCoversExactly(previews().filter(own), previews().filter(own), namespace);
    });

    test('a preview\'s deployer creates no Namespace, and lists no autoscaler or budget (previews have none)', () => {
      const { role, cluster } = grantsOf(previews(), 'pr-1');
      expect(allows(cluster, { verb: 'create', group: '', resource: 'namespaces' })).toBe(false);
      for (const resource of ['horizontalpodautoscalers', 'poddisruptionbudgets']) expect(role.filter((r) => r.resources?.includes(resource))).toEqual([]);
    });
  });

  describe('on a chart of its own', () => {
    function chartWith(add: (chart: Chart) => void, props: ConstructorParameters<typeof Deployer>[2] = {}): KubeObject[] {
      const chart = new Chart(new App(), 'test', { namespace: props.namespace });
      add(chart);
      new Deployer(chart, 'Deployer', props);
      return chart.toJson();
    }

    test('a Secret it emits is read, patched and deleted by name only, never listed', () => {
      const objects = chartWith((chart) => new kplus.k8s.KubeSecret(chart, 'S', { metadata: { name: 'mine' } }));
      const { role } = grantsOf(objects);
      expect(allows(role, { verb: 'get', group: '', resource: 'secrets', name: 'mine' })).toBe(true);
      expect(allows(role, { verb: 'get', group: '', resource: 'secrets', name: 'pgpassword' })).toBe(false);
      expect(allows(role, { verb: 'list', group: '', resource: 'secrets' })).toBe(false);
    });

    test('with an ApplySet, its parent Secret is read and applied by name, and the RBAC kinds in the set can be listed', () => {
      const objects = chartWith(() => undefined, { applySetParent: 'multi-k8s' });
      const { role } = grantsOf(objects);
      for (const verb of ['get', 'patch', 'create']) expect(allows(role, { verb, group: '', resource: 'secrets', name: 'multi-k8s' })).toBe(true);
      expect(allows(role, { verb: 'get', group: '', resource: 'secrets', name: 'pgpassword' })).toBe(false);
      expect(allows(role, { verb: 'list', group: '', resource: 'secrets' })).toBe(false);
      expect(allows(role, { verb: 'list', group: 'rbac.authorization.k8s.io', resource: 'roles' })).toBe(true);
    });

    test('a kind it has no resource name for fails the synth, naming the kind', () => {
      expect(() => chartWith((chart) => new ApiObject(chart, 'X', { apiVersion: 'example.com/v1', kind: 'Widget', metadata: { name: 'w' } })))
        .toThrow('Deployer: no RBAC resource is known for example.com/v1 Widget: add its CRD\'s group, kind and plural to CRD_GROUPS in lib/components/resource-types.ts');
    });

    test('a cluster-scoped object added after it fails the synth instead of going ungranted', () => {
      const chart = new Chart(new App(), 'late', { namespace: 'ns' });
      new Deployer(chart, 'Deployer', { namespace: 'ns' });
      new kplus.k8s.KubeNamespace(chart, 'Namespace', { metadata: { name: 'ns' } });
      expect(() => chart.toJson()).toThrow(/added to the chart after the Deployer/);
    });

    test('cluster-scoped objects without a namespace for the ServiceAccount are refused', () => {
      expect(() => chartWith((chart) => new kplus.k8s.KubeNamespace(chart, 'Namespace', { metadata: { name: 'x' } })))
        .toThrow(/must name the ServiceAccount's namespace/);
    });
  });
});

describe('resourceTypeOf', () => {
  // Written out here rather than read from the table under test: resource names and scopes as the
  // API server registers them (k8s.io/kubernetes pkg/registry/<group>/<kind>/storage/storage.go
  // DefaultQualifiedResource, strategy.go NamespaceScoped), cert-manager's and Gateway API's from
  // their CRDs' spec.names.plural and spec.scope.
  test.each([
    ['v1', 'Namespace', '', 'namespaces', true],
    ['v1', 'Service', '', 'services', false],
    ['v1', 'ServiceAccount', '', 'serviceaccounts', false],
    ['v1', 'PersistentVolumeClaim', '', 'persistentvolumeclaims', false],
    ['v1', 'ConfigMap', '', 'configmaps', false],
    ['v1', 'Secret', '', 'secrets', false],
    ['apps/v1', 'Deployment', 'apps', 'deployments', false],
    ['autoscaling/v2', 'HorizontalPodAutoscaler', 'autoscaling', 'horizontalpodautoscalers', false],
    ['policy/v1', 'PodDisruptionBudget', 'policy', 'poddisruptionbudgets', false],
    ['networking.k8s.io/v1', 'NetworkPolicy', 'networking.k8s.io', 'networkpolicies', false],
    ['networking.k8s.io/v1', 'Ingress', 'networking.k8s.io', 'ingresses', false],
    ['rbac.authorization.k8s.io/v1', 'Role', 'rbac.authorization.k8s.io', 'roles', false],
    ['rbac.authorization.k8s.io/v1', 'RoleBinding', 'rbac.authorization.k8s.io', 'rolebindings', false],
    ['rbac.authorization.k8s.io/v1', 'ClusterRole', 'rbac.authorization.k8s.io', 'clusterroles', true],
    ['rbac.authorization.k8s.io/v1', 'ClusterRoleBinding', 'rbac.authorization.k8s.io', 'clusterrolebindings', true],
    ['cert-manager.io/v1', 'Certificate', 'cert-manager.io', 'certificates', false],
    ['cert-manager.io/v1', 'Issuer', 'cert-manager.io', 'issuers', false],
    ['cert-manager.io/v1', 'ClusterIssuer', 'cert-manager.io', 'clusterissuers', true],
    ['gateway.networking.k8s.io/v1', 'Gateway', 'gateway.networking.k8s.io', 'gateways', false],
    ['gateway.networking.k8s.io/v1', 'HTTPRoute', 'gateway.networking.k8s.io', 'httproutes', false],
    // Kinds of components of your own (README "Your own components"); every other built-in kind
    // is held to the real server's discovery by deployer-cluster.test.ts.
    ['batch/v1', 'CronJob', 'batch', 'cronjobs', false],
    ['batch/v1', 'Job', 'batch', 'jobs', false],
    ['apps/v1', 'StatefulSet', 'apps', 'statefulsets', false],
    ['storage.k8s.io/v1', 'StorageClass', 'storage.k8s.io', 'storageclasses', true],
  ])('%s %s is resource "%s/%s", cluster-scoped: %s', (apiVersion, kind, group, resource, clusterScoped) => {
    expect(resourceTypeOf(apiVersion, kind)).toEqual({ group, resource, clusterScoped });
  });

  test('a kind of another group is unknown, even with a known kind name', () => {
    expect(resourceTypeOf('example.com/v1', 'Deployment')).toBeUndefined();
    expect(resourceTypeOf('v1', 'Deployment')).toBeUndefined();
    expect(resourceTypeOf('v1', 'toString')).toBeUndefined();
  });

  test('a prune allowlist entry names its group and version as kubectl takes them (core for the core group)', () => {
    expect(resourceTypeOfEntry('batch/v1/CronJob')).toEqual({ group: 'batch', resource: 'cronjobs', clusterScoped: false });
    expect(resourceTypeOfEntry('core/v1/Namespace')).toEqual({ group: '', resource: 'namespaces', clusterScoped: true });
    expect(resourceTypeOfEntry('v1/Namespace')).toBeUndefined();
    expect(resourceTypeOfEntry('example.com/v1/CronJob')).toBeUndefined();
  });
});

describe('rulesFor', () => {
  const emittedAs = (apiVersion: string, kind: string, name: string) => ({ kind, name, type: resourceTypeOf(apiVersion, kind)! });

  test('one rule per resource in group/resource order, names sorted; a Secret is named for get, patch, delete and only created unnamed', () => {
    const rules = rulesFor([
      emittedAs('v1', 'Secret', 'b-secret'), emittedAs('apps/v1', 'Deployment', 'web'), emittedAs('v1', 'Secret', 'a-secret'),
      emittedAs('v1', 'ConfigMap', 'settings'),
    ]);
    expect(rules).toEqual([
      { apiGroups: [''], resources: ['configmaps'], verbs: ['get', 'list', 'create', 'patch', 'delete'] },
      { apiGroups: [''], resources: ['secrets'], verbs: ['get', 'patch', 'delete'], resourceNames: ['a-secret', 'b-secret'] },
      { apiGroups: [''], resources: ['secrets'], verbs: ['create'] },
      { apiGroups: ['apps'], resources: ['deployments'], verbs: ['get', 'list', 'create', 'patch', 'delete'] },
    ]);
  });

  test('a cluster-scoped kind is named for get, patch, delete, and listed unnamed; never created', () => {
    expect(rulesFor([emittedAs('v1', 'Namespace', 'pr-2'), emittedAs('v1', 'Namespace', 'pr-1')])).toEqual([
      { apiGroups: [''], resources: ['namespaces'], verbs: ['get', 'patch', 'delete'], resourceNames: ['pr-1', 'pr-2'] },
      { apiGroups: [''], resources: ['namespaces'], verbs: ['list'] },
    ]);
  });

  test('a cluster-scoped kind other than Namespace is read and changed by name, and listed; never created or deleted', () => {
    expect(rulesFor([emittedAs('cert-manager.io/v1', 'ClusterIssuer', 'letsencrypt-prod')])).toEqual([
      { apiGroups: ['cert-manager.io'], resources: ['clusterissuers'], verbs: ['get', 'patch'], resourceNames: ['letsencrypt-prod'] },
      { apiGroups: ['cert-manager.io'], resources: ['clusterissuers'], verbs: ['list'] },
    ]);
  });

  test('a kind only pruned is listed and deleted; one also emitted keeps every verb; a cluster-scoped one only pruned is listed', () => {
    const hpa = resourceTypeOf('autoscaling/v2', 'HorizontalPodAutoscaler')!;
    const deployments = resourceTypeOf('apps/v1', 'Deployment')!;
    const issuers = resourceTypeOf('cert-manager.io/v1', 'ClusterIssuer')!;
    expect(rulesFor([emittedAs('apps/v1', 'Deployment', 'web')], undefined, [hpa, deployments, issuers])).toEqual([
      { apiGroups: ['apps'], resources: ['deployments'], verbs: ['get', 'list', 'create', 'patch', 'delete'] },
      { apiGroups: ['autoscaling'], resources: ['horizontalpodautoscalers'], verbs: ['list', 'delete'] },
      { apiGroups: ['cert-manager.io'], resources: ['clusterissuers'], verbs: ['list'] },
    ]);
  });

  test('only the core group\'s Secrets and Namespaces are special: a same-named resource of another group is an ordinary kind', () => {
    // rulesFor takes any ResourceType (a CRD's plural may be "secrets" or "namespaces"): only core Secrets hold the cluster's credentials.
    const widgetSecrets = { group: 'example.com', resource: 'secrets', clusterScoped: false };
    expect(rulesFor([{ kind: 'Secret', name: 's', type: widgetSecrets }])).toEqual([
      { apiGroups: ['example.com'], resources: ['secrets'], verbs: ['get', 'list', 'create', 'patch', 'delete'] },
    ]);
    // close-preview deletes its own core Namespace only; any other cluster-scoped kind is never deleted.
    const tenantNamespaces = { group: 'example.com', resource: 'namespaces', clusterScoped: true };
    expect(rulesFor([{ kind: 'Namespace', name: 't', type: tenantNamespaces }])).toEqual([
      { apiGroups: ['example.com'], resources: ['namespaces'], verbs: ['get', 'patch'], resourceNames: ['t'] },
      { apiGroups: ['example.com'], resources: ['namespaces'], verbs: ['list'] },
    ]);
    expect(rulesFor([emittedAs('v1', 'PersistentVolume', 'data')])).toEqual([
      { apiGroups: [''], resources: ['persistentvolumes'], verbs: ['get', 'patch'], resourceNames: ['data'] },
      { apiGroups: [''], resources: ['persistentvolumes'], verbs: ['list'] },
    ]);
  });

  test('pruning Secrets or RBAC objects is refused: it would list them all', () => {
    expect(() => rulesFor([], undefined, [resourceTypeOf('v1', 'Secret')!])).toThrow('Deployer: pruning secrets would need listing every one of the namespace');
    expect(() => rulesFor([], undefined, [resourceTypeOf('rbac.authorization.k8s.io/v1', 'Role')!])).toThrow('Deployer: pruning roles would need');
  });
});

describe('Deployer objects', () => {
  const chartWith = (add: (chart: Chart) => void, props: ConstructorParameters<typeof Deployer>[2] = {}): KubeObject[] => {
    const chart = new Chart(new App(), 'test', { namespace: props.namespace });
    add(chart);
    new Deployer(chart, 'Deployer', props);
    return chart.toJson();
  };

  test('carry the deployer component label; the ClusterRoleBinding binds the ClusterRole', () => {
    const objects = chartWith((chart) => new kplus.k8s.KubeNamespace(chart, 'Namespace', { metadata: { name: 'ns' } }), { namespace: 'ns' });
    const mine = objects.filter((o) => o.metadata.name?.startsWith(DEPLOYER_NAME));
    expect(mine.map((o) => o.kind).sort()).toEqual(['ClusterRole', 'ClusterRoleBinding', 'Role', 'RoleBinding', 'ServiceAccount']);
    for (const o of mine) expect(o.metadata.labels).toMatchObject({ 'app.kubernetes.io/component': 'deployer' });
    expect(find(objects, 'RoleBinding', DEPLOYER_NAME).subjects).toEqual([{ kind: 'ServiceAccount', name: DEPLOYER_NAME, namespace: 'ns' }]);
    expect(find(objects, 'ClusterRoleBinding', `${DEPLOYER_NAME}-ns`).roleRef).toEqual({ apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: `${DEPLOYER_NAME}-ns` });
  });

  test('cluster-scoped objects without a namespace are refused with every such kind named once', () => {
    expect(() => chartWith((chart) => {
      new kplus.k8s.KubeNamespace(chart, 'A', { metadata: { name: 'a' } });
      new kplus.k8s.KubeNamespace(chart, 'B', { metadata: { name: 'b' } });
      new kplus.k8s.KubeClusterRole(chart, 'C', { metadata: { name: 'c' } });
    })).toThrow('Deployer: the chart emits or prunes cluster-scoped Namespace, ClusterRole, whose ClusterRoleBinding must name');
  });

  test('without a namespace of its own, the ClusterRoleBinding names accountNamespace', () => {
    const objects = chartWith((chart) => new kplus.k8s.KubeNamespace(chart, 'Namespace', { metadata: { name: 'x' } }), { accountNamespace: 'apps' });
    expect(find(objects, 'ClusterRoleBinding', `${DEPLOYER_NAME}-apps`).subjects).toEqual([{ kind: 'ServiceAccount', name: DEPLOYER_NAME, namespace: 'apps' }]);
    // The RoleBinding keeps to the namespace it is applied to.
    expect(find(objects, 'RoleBinding', DEPLOYER_NAME).subjects).toEqual([{ kind: 'ServiceAccount', name: DEPLOYER_NAME }]);
  });

  test('a cluster-scoped kind only pruned gets a ClusterRole that lists it; namespaced pruned kinds stay in the Role', () => {
    const objects = chartWith(() => undefined, { namespace: 'ns', pruneKinds: ['autoscaling/v2/HorizontalPodAutoscaler', 'cert-manager.io/v1/ClusterIssuer'] });
    // Besides its own two RBAC objects (read and re-applied by name), the ClusterRole holds the pruned kind's list, and nothing namespaced.
    const clusterRole = find(objects, 'ClusterRole', `${DEPLOYER_NAME}-ns`).rules;
    expect(clusterRole.filter((r: Rule) => r.apiGroups?.[0] !== 'rbac.authorization.k8s.io')).toEqual([{ apiGroups: ['cert-manager.io'], resources: ['clusterissuers'], verbs: ['list'] }]);
    expect(find(objects, 'ClusterRoleBinding', `${DEPLOYER_NAME}-ns`).subjects).toEqual([{ kind: 'ServiceAccount', name: DEPLOYER_NAME, namespace: 'ns' }]);
    const role = find(objects, 'Role', DEPLOYER_NAME).rules;
    expect(role.filter((r: Rule) => r.resources?.includes('horizontalpodautoscalers'))).toEqual([
      { apiGroups: ['autoscaling'], resources: ['horizontalpodautoscalers'], verbs: ['list', 'delete'] },
    ]);
    expect(role.filter((r: Rule) => r.resources?.includes('clusterissuers'))).toEqual([]);
  });

  test('a cluster-scoped kind only pruned, without a namespace for the ServiceAccount, is refused, named with the emitted ones (not the namespaced pruned kinds)', () => {
    expect(() => chartWith((chart) => new kplus.k8s.KubeNamespace(chart, 'A', { metadata: { name: 'a' } }), {
      pruneKinds: ['autoscaling/v2/HorizontalPodAutoscaler', 'cert-manager.io/v1/ClusterIssuer'],
    })).toThrow('Deployer: the chart emits or prunes cluster-scoped Namespace, clusterissuers, whose ClusterRoleBinding must name the ServiceAccount\'s namespace: give the chart a namespace, or the Deployer an accountNamespace (DEPLOYER_NAMESPACE)');
    expect(() => chartWith(() => undefined, { pruneKinds: ['cert-manager.io/v1/ClusterIssuer'] }))
      .toThrow('Deployer: the chart emits or prunes cluster-scoped clusterissuers, whose ClusterRoleBinding');
  });

  test('a prune allowlist entry it has no resource for fails the synth, naming it', () => {
    expect(() => chartWith(() => undefined, { pruneKinds: ['example.com/v1/Widget'] }))
      .toThrow('Deployer: no RBAC resource is known for the prune allowlist\'s example.com/v1/Widget: add its CRD\'s group, kind and plural to CRD_GROUPS in lib/components/resource-types.ts');
  });
});
