import { KubeObject } from '../../../lib/validate/problem';
import { expectOnly } from '../../helpers';
import { apiRulesOf, BreakCase, breakValid, the } from '../../support/valid-fixtures';

const role = (o: KubeObject[]) => the(o, 'Role', 'shop:deployer');
const view = (o: KubeObject[]) => the(o, 'ClusterRole', 'system:aggregate-to-view-shop');
const metrics = (o: KubeObject[]) => the(o, 'ClusterRole', 'shop:metrics-reader');
const binding = (o: KubeObject[]) => the(o, 'RoleBinding', 'shop:deployer');
const clusterBinding = (o: KubeObject[]) => the(o, 'ClusterRoleBinding', 'system:shop-metrics');

// rbac ValidateRole, ValidateClusterRole, ValidateRoleBinding, ValidateClusterRoleBinding.
const CASES: BreakCase[] = [
  ['an RBAC name with a slash', (o) => { role(o).metadata.name = 'shop/deployer'; }, 'Role/shop/deployer', 'metadata.name', /^Role name "shop\/deployer" is not valid$/],
  ['a rule without verbs', (o) => { role(o).rules[0].verbs = []; }, 'Role/shop:deployer', 'rules[0].verbs', /^the rule grants no verbs$/],
  ['a resource rule without apiGroups', (o) => { delete role(o).rules[0].apiGroups; }, 'Role/shop:deployer', 'rules[0].apiGroups', /^a resource rule names no apiGroups$/],
  ['a resource rule without resources', (o) => { view(o).rules[0].resources = []; }, 'ClusterRole/system:aggregate-to-view-shop', 'rules[0].resources', /^a resource rule names no resources$/],
  ['nonResourceURLs in a Role', (o) => { role(o).rules.push({ nonResourceURLs: ['/healthz'], verbs: ['get'] }); }, 'Role/shop:deployer', 'rules[1].nonResourceURLs', /^a Role rule names nonResourceURLs$/],
  ['nonResourceURLs mixed with resources', (o) => { metrics(o).rules[0].resources = ['pods']; }, 'ClusterRole/shop:metrics-reader', 'rules[0].nonResourceURLs', /^the rule names both resources and nonResourceURLs$/],
  ['an aggregationRule without selectors', (o) => { metrics(o).aggregationRule.clusterRoleSelectors = []; }, 'ClusterRole/shop:metrics-reader', 'aggregationRule.clusterRoleSelectors', /^the aggregationRule has no clusterRoleSelectors$/],
  ['a roleRef in another API group', (o) => { binding(o).roleRef.apiGroup = 'rbac.authorization.k8s.io/v1'; }, 'RoleBinding/shop:deployer', 'roleRef.apiGroup', /^"rbac.authorization.k8s.io\/v1" is not a supported value$/],
  ['a roleRef kind outside the enum', (o) => { binding(o).roleRef.kind = 'Roles'; }, 'RoleBinding/shop:deployer', 'roleRef.kind', /^"Roles" is not a supported value$/],
  ['a ClusterRoleBinding to a Role', (o) => { clusterBinding(o).roleRef.kind = 'Role'; }, 'ClusterRoleBinding/system:shop-metrics', 'roleRef.kind', /^"Role" is not a supported value$/],
  ['a ServiceAccount subject of a ClusterRoleBinding without namespace', (o) => { delete clusterBinding(o).subjects[0].namespace; }, 'ClusterRoleBinding/system:shop-metrics', 'subjects[0].namespace', /^a ServiceAccount subject of a ClusterRoleBinding has no namespace$/],
  ['a ServiceAccount subject with the RBAC apiGroup', (o) => { binding(o).subjects[0].apiGroup = 'rbac.authorization.k8s.io'; }, 'RoleBinding/shop:deployer', 'subjects[0].apiGroup', /^apiGroup "rbac.authorization.k8s.io" on a ServiceAccount subject$/],
  ['a User subject in the core group', (o) => { binding(o).subjects[1].apiGroup = 'v1'; }, 'RoleBinding/shop:deployer', 'subjects[1].apiGroup', /^apiGroup "v1" on a User subject$/],
  ['a subject kind outside the enum', (o) => { binding(o).subjects[1].kind = 'Person'; }, 'RoleBinding/shop:deployer', 'subjects[1].kind', /^"Person" is not a supported value$/],
  // Accepted by the API server, which drops the field: a warning (expectOnly sees warnings too).
  ['a ClusterRole with a namespace', (o) => { view(o).metadata.namespace = 'shop'; }, 'ClusterRole/system:aggregate-to-view-shop', 'metadata.namespace', /^ClusterRole is cluster-scoped: the API server drops metadata.namespace$/],
];

// Changes that may also break links (the role a binding reaches, the ServiceAccount a subject
// names): judged by the API rules alone.
const API_ONLY_CASES: BreakCase[] = [
  ['nonResourceURLs mixed with apiGroups', (o) => { metrics(o).rules[0].apiGroups = ['']; }, 'ClusterRole/shop:metrics-reader', 'rules[0].nonResourceURLs', /^the rule names both resources and nonResourceURLs$/],
  ['nonResourceURLs mixed with resourceNames', (o) => { metrics(o).rules[0].resourceNames = ['x']; }, 'ClusterRole/shop:metrics-reader', 'rules[0].nonResourceURLs', /^the rule names both resources and nonResourceURLs$/],
  ['a rule whose verbs are not a list', (o) => { role(o).rules[0].verbs = 'get'; }, 'Role/shop:deployer', 'rules[0].verbs', /^the rule grants no verbs$/],
  ['an aggregationRule whose selectors are not a list', (o) => { metrics(o).aggregationRule.clusterRoleSelectors = { matchLabels: {} }; }, 'ClusterRole/shop:metrics-reader', 'aggregationRule.clusterRoleSelectors', /^the aggregationRule has no clusterRoleSelectors$/],
  ['an aggregationRule selector that is not valid', (o) => { metrics(o).aggregationRule.clusterRoleSelectors[0].matchLabels = { 'shop.example.com/aggregate-to-metrics': 'yes please' }; }, 'ClusterRole/shop:metrics-reader', 'aggregationRule.clusterRoleSelectors[0].matchLabels.shop.example.com/aggregate-to-metrics', /^label value "yes please" is not valid$/],
  ['a roleRef with an empty name', (o) => { binding(o).roleRef.name = ''; }, 'RoleBinding/shop:deployer', 'roleRef.name', /^roleRef names no role$/],
  ['a roleRef name that is not a path segment', (o) => { binding(o).roleRef.name = 'shop/deployer'; }, 'RoleBinding/shop:deployer', 'roleRef.name', /^role name "shop\/deployer" is not valid$/],
  ['a subject with an empty name', (o) => { binding(o).subjects[1].name = ''; }, 'RoleBinding/shop:deployer', 'subjects[1].name', /^the subject has an empty name$/],
  ['a ServiceAccount subject with an empty name (that finding alone)', (o) => { binding(o).subjects[0].name = ''; }, 'RoleBinding/shop:deployer', 'subjects[0].name', /^the subject has an empty name$/],
  ['a ServiceAccount subject name that is not a DNS subdomain', (o) => { binding(o).subjects[0].name = 'Shop_App'; }, 'RoleBinding/shop:deployer', 'subjects[0].name', /^ServiceAccount name "Shop_App" is not valid$/],
  ['a ServiceAccount subject of a ClusterRoleBinding with an empty namespace', (o) => { clusterBinding(o).subjects[0].namespace = ''; }, 'ClusterRoleBinding/system:shop-metrics', 'subjects[0].namespace', /^a ServiceAccount subject of a ClusterRoleBinding has no namespace$/],
  ['a Group subject in another group', (o) => { clusterBinding(o).subjects[1].apiGroup = 'example.com'; }, 'ClusterRoleBinding/system:shop-metrics', 'subjects[1].apiGroup', /^apiGroup "example.com" on a Group subject$/],
];

describe('RBAC rules', () => {
  test.each(CASES)('%s is reported, and nothing else', (_what, breakIt, object, path, message) => {
    expectOnly(breakValid(breakIt), { check: 'api', object, path, message });
  });

  test.each(API_ONLY_CASES)('%s is reported by the API rules, and nothing else by them', (_what, breakIt, object, path, message) => {
    expectOnly(breakValid(breakIt, ['api']), { check: 'api', object, path, message });
  });

  test('RBAC names are path segments: system: names with colons pass, as do dots and capitals', () => {
    expect(breakValid((o) => { role(o).metadata.name = 'System:Deployer.v2'; binding(o).roleRef.name = 'System:Deployer.v2'; })).toEqual([]);
  });
  test.each([
    ['a ClusterRole rule for nonResourceURLs alone', (o: KubeObject[]) => { metrics(o).rules.push({ nonResourceURLs: ['/healthz', '/readyz'], verbs: ['get'] }); }],
    ['a RoleBinding to a ClusterRole', (o: KubeObject[]) => { binding(o).roleRef.kind = 'ClusterRole'; }],
    ['a ServiceAccount subject with the core group written out, or a null one', (o: KubeObject[]) => { binding(o).subjects[0].apiGroup = ''; clusterBinding(o).subjects[0].apiGroup = null; }],
    ['a ServiceAccount subject of a RoleBinding without namespace (the binding\'s own)', (o: KubeObject[]) => { delete binding(o).subjects[0].namespace; }],
    ['User and Group subjects without apiGroup, or a null one (defaulted to RBAC\'s)', (o: KubeObject[]) => { delete binding(o).subjects[1].apiGroup; clusterBinding(o).subjects[1].apiGroup = null; }],
    ['a subject without kind (the schema check requires it)', (o: KubeObject[]) => { delete binding(o).subjects[1].kind; }],
    ['a ClusterRole without an aggregationRule, and null rule and subject entries (the schema check reports them)', (o: KubeObject[]) => {
      delete metrics(o).aggregationRule;
      role(o).rules.push(null);
      binding(o).subjects.push(null);
    }],
    ['a binding without a roleRef (the schema check requires it)', (o: KubeObject[]) => { delete binding(o).roleRef; }],
  ])('%s passes: the API server accepts it', (_what, change) => {
    expect(breakValid(change, ['api'])).toEqual([]);
    expect(apiRulesOf(change)).toEqual([]);
  });
  // What each finding says is allowed, for the one who fixes it.
  test.each([
    ['a rule without verbs', (o: KubeObject[]) => { role(o).rules[0].verbs = []; }, 'at least one verb, e.g. get, list, watch'],
    ['nonResourceURLs in a Role', (o: KubeObject[]) => { role(o).rules.push({ nonResourceURLs: ['/healthz'], verbs: ['get'] }); }, 'nonResourceURLs only in a ClusterRole'],
    ['nonResourceURLs with resources', (o: KubeObject[]) => { metrics(o).rules[0].resources = ['pods']; }, 'a rule for resources, or one for nonResourceURLs'],
    ['no apiGroups', (o: KubeObject[]) => { delete role(o).rules[0].apiGroups; }, 'at least one group ("" for the core group)'],
    ['no resources', (o: KubeObject[]) => { view(o).rules[0].resources = []; }, 'at least one resource, e.g. pods'],
    ['no clusterRoleSelectors', (o: KubeObject[]) => { metrics(o).aggregationRule.clusterRoleSelectors = []; }, 'at least one label selector'],
    ['a roleRef in another group', (o: KubeObject[]) => { binding(o).roleRef.apiGroup = 'rbac'; }, 'one of rbac.authorization.k8s.io'],
    ['a RoleBinding roleRef kind outside the enum', (o: KubeObject[]) => { binding(o).roleRef.kind = 'Roles'; }, 'one of Role, ClusterRole'],
    ['a ClusterRoleBinding to a Role', (o: KubeObject[]) => { clusterBinding(o).roleRef.kind = 'Role'; }, 'one of ClusterRole'],
    ['a roleRef without a name', (o: KubeObject[]) => { binding(o).roleRef.name = ''; }, 'the name of the role'],
    ['a subject with an empty name', (o: KubeObject[]) => { binding(o).subjects[1].name = ''; }, 'a name'],
    ['a ServiceAccount subject in a group', (o: KubeObject[]) => { binding(o).subjects[0].apiGroup = 'v1'; }, '"" (the core group) or unset'],
    ['a ServiceAccount subject of a ClusterRoleBinding without namespace', (o: KubeObject[]) => { delete clusterBinding(o).subjects[0].namespace; }, 'the ServiceAccount\'s namespace'],
    ['a User subject in another group', (o: KubeObject[]) => { binding(o).subjects[1].apiGroup = 'v1'; }, 'rbac.authorization.k8s.io'],
    ['a subject kind outside the enum', (o: KubeObject[]) => { binding(o).subjects[1].kind = 'Person'; }, 'one of ServiceAccount, User, Group'],
  ])('%s: the finding names what is allowed', (_what, breakIt, allowed) => {
    expect(breakValid(breakIt, ['api']).map((p) => p.allowed)).toEqual([allowed]);
  });
});

// SetDefaults_Subject fills the RBAC group for a User or Group whose apiGroup is empty: the real
// server accepts it (test/validate/differential.test.ts).
test('a Group subject with an empty apiGroup is accepted', () => {
  expect(apiRulesOf((o) => { binding(o).subjects = [{ kind: 'Group', name: 'system:masters', apiGroup: '' }]; })).toEqual([]);
});
