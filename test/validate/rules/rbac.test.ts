import { KubeObject } from '../../../lib/validate/problem';
import { expectOnly } from '../../helpers';
import { BreakCase, breakValid, the } from '../../support/valid-fixtures';

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
  ['a ClusterRole with a namespace', (o) => { view(o).metadata.namespace = 'shop'; }, 'ClusterRole/system:aggregate-to-view-shop', 'metadata.namespace', /^ClusterRole is cluster-scoped and takes no namespace$/],
];

describe('RBAC rules', () => {
  test.each(CASES)('%s is reported, and nothing else', (_what, breakIt, object, path, message) => {
    expectOnly(breakValid(breakIt), { check: 'api', object, path, message });
  });

  test('RBAC names are path segments: system: names with colons pass, as do dots and capitals', () => {
    expect(breakValid((o) => { role(o).metadata.name = 'System:Deployer.v2'; binding(o).roleRef.name = 'System:Deployer.v2'; })).toEqual([]);
  });
});
