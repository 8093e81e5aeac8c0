import { isObject } from '../pods';
import { KubeObject } from '../problem';
import { Add, checkEnum, checkLabelSelector, checkName } from './common';

const RBAC_GROUP = 'rbac.authorization.k8s.io';

// k8s.io/kubernetes pkg/apis/rbac/validation ValidatePolicyRule
function checkRules(rules: unknown, namespaced: boolean, add: Add): void {
  (Array.isArray(rules) ? rules : []).forEach((rule: KubeObject, i: number) => {
    if (!isObject(rule)) return;
    const at = `rules[${i}]`;
    const count = (field: string) => (Array.isArray(rule[field]) ? rule[field].length : 0);
    if (count('verbs') === 0) add(`${at}.verbs`, 'the rule grants no verbs', 'at least one verb, e.g. get, list, watch');
    if (count('nonResourceURLs') > 0) {
      if (namespaced) add(`${at}.nonResourceURLs`, 'a Role rule names nonResourceURLs', 'nonResourceURLs only in a ClusterRole');
      else if (count('apiGroups') + count('resources') + count('resourceNames') > 0) add(`${at}.nonResourceURLs`, 'the rule names both resources and nonResourceURLs', 'a rule for resources, or one for nonResourceURLs');
      return;
    }
    if (count('apiGroups') === 0) add(`${at}.apiGroups`, 'a resource rule names no apiGroups', 'at least one group ("" for the core group)');
    if (count('resources') === 0) add(`${at}.resources`, 'a resource rule names no resources', 'at least one resource, e.g. pods');
  });
}

// ValidateRole
export function checkRole(object: KubeObject, add: Add): void {
  checkRules(object.rules, true, add);
}

// ValidateClusterRole: rules, and an aggregationRule with at least one valid selector.
export function checkClusterRole(object: KubeObject, add: Add): void {
  checkRules(object.rules, false, add);
  const aggregation = object.aggregationRule;
  if (isObject(aggregation)) {
    const selectors = Array.isArray(aggregation.clusterRoleSelectors) ? aggregation.clusterRoleSelectors : [];
    if (selectors.length === 0) add('aggregationRule.clusterRoleSelectors', 'the aggregationRule has no clusterRoleSelectors', 'at least one label selector');
    selectors.forEach((s: unknown, i: number) => checkLabelSelector(s, `aggregationRule.clusterRoleSelectors[${i}]`, add));
  }
}

// ValidateRoleBinding / ValidateClusterRoleBinding: roleRef is rbac.authorization.k8s.io, of kind
// Role or ClusterRole (a ClusterRoleBinding: ClusterRole only), with a valid name; each subject
// per ValidateRoleBindingSubject. The roleRef cannot change after creation (update validation):
// change it by deleting and re-creating the binding.
export function checkBinding(object: KubeObject, add: Add): void {
  const cluster = object.kind === 'ClusterRoleBinding';
  const ref = object.roleRef;
  if (isObject(ref)) {
    checkEnum(ref.apiGroup, [RBAC_GROUP], 'roleRef.apiGroup', add);
    checkEnum(ref.kind, cluster ? ['ClusterRole'] : ['Role', 'ClusterRole'], 'roleRef.kind', add);
    if (ref.name === '') add('roleRef.name', 'roleRef names no role', 'the name of the role');
    else checkName(ref.name, 'roleRef.name', 'role name', 'segment', add);
  }
  (Array.isArray(object.subjects) ? object.subjects : []).forEach((subject: KubeObject, i: number) => {
    if (!isObject(subject)) return;
    const at = `subjects[${i}]`;
    if (subject.name === '') add(`${at}.name`, 'the subject has an empty name', 'a name');
    switch (subject.kind) {
      case 'ServiceAccount':
        if (typeof subject.name === 'string' && subject.name !== '') checkName(subject.name, `${at}.name`, 'ServiceAccount name', 'subdomain', add);
        if (subject.apiGroup !== undefined && subject.apiGroup !== null && subject.apiGroup !== '') add(`${at}.apiGroup`, `apiGroup "${subject.apiGroup}" on a ServiceAccount subject`, '"" (the core group) or unset');
        if (cluster && (typeof subject.namespace !== 'string' || subject.namespace === '')) add(`${at}.namespace`, 'a ServiceAccount subject of a ClusterRoleBinding has no namespace', 'the ServiceAccount\'s namespace');
        break;
      case 'User':
      case 'Group':
        // SetDefaults_Subject (pkg/apis/rbac/v1/defaults.go) fills rbac.authorization.k8s.io for
        // User and Group when unset or empty.
        if (subject.apiGroup !== undefined && subject.apiGroup !== null && subject.apiGroup !== '' && subject.apiGroup !== RBAC_GROUP) add(`${at}.apiGroup`, `apiGroup "${subject.apiGroup}" on a ${subject.kind} subject`, RBAC_GROUP);
        break;
      case undefined:
        break; // a required field: the schema's finding
      default:
        add(`${at}.kind`, `"${subject.kind}" is not a supported value`, 'one of ServiceAccount, User, Group');
    }
  });
}
