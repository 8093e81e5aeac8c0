import { ApiObject, Chart, JsonPatch, Lazy } from 'cdk8s';
import * as kplus from 'cdk8s-plus-27';
import { Construct } from 'constructs';
import { ResourceType, resourceTypeOf, resourceTypeOfEntry } from './resource-types';
import { APP_NAME } from './workload';

/** The ServiceAccount, Role and RoleBinding of the deployer are all named this. */
export const DEPLOYER_NAME = `${APP_NAME}-deployer`;


/** Where an unknown kind is to be added: every built-in kind is known, so it is a custom resource's. */
const ADD_KIND = 'add its CRD\'s group, kind and plural to CRD_GROUPS in lib/components/resource-types.ts';

/*
 * The verbs, from kubectl's own requests (k8s.io/kubernetes staging/src/k8s.io/kubectl/pkg/cmd/):
 * - apply/apply.go applyOneObject: GET the live object, POST (create) it when missing, else PATCH
 *   (patcher.go; `--server-side` sends one apply PATCH). No PUT: `update` is never needed.
 * - apply/prune.go: LIST each kind of --prune-allowlist by label selector, namespaced kinds in
 *   each namespace the apply visited, cluster-scoped kinds cluster-wide, then DELETE what left the
 *   output. Every allowlisted kind is listed, whether or not the output holds one (the dev apply
 *   lists the autoscalers prod left, to delete them).
 * - diff/diff.go (`kubectl diff`, what `npm run plan --cluster` wraps): GET, then the same PATCH
 *   or POST with dryRun=All, which RBAC authorizes as the verb itself; `--prune` adds the LIST
 *   (diff/prune.go).
 * - apply/applyset.go: GET the ApplySet parent, then a server-side apply PATCH of it; an apply
 *   that creates an object is also authorized as `create` with the object's name
 *   (staging/src/k8s.io/apiserver/pkg/endpoints/handlers/patch.go createAuthorizerAttributes).
 * resourceNames cannot narrow a POST create or a list: their requests carry no name, and a rule
 * with resourceNames matches only a request naming one of them
 * (pkg/apis/rbac/v1/evaluation_helpers.go ResourceNameMatches).
 */
/** apply (get, create, patch), plan (get, patch and create as dry runs) and prune (list, delete). */
export const MANAGE_VERBS = ['get', 'list', 'create', 'patch', 'delete'] as const;
/** What a name-scoped rule can carry of MANAGE_VERBS: the verbs whose requests name the object. */
export const NAMED_VERBS = ['get', 'patch', 'delete'] as const;
/** A kind the apply prunes but this output does not emit (prod's autoscalers, seen from dev): list it, delete what left. */
export const PRUNE_VERBS = ['list', 'delete'] as const;
/** The RBAC objects are an admin's to create and delete; CI's apply only reads and re-applies them. */
export const RBAC_VERBS = ['get', 'patch'] as const;

const RBAC_GROUP = 'rbac.authorization.k8s.io';

type PolicyRule = kplus.k8s.PolicyRule;

export interface DeployerProps {
  /** The namespace the chart owns; the deployer's ServiceAccount lives there. @default - the namespace kubectl applies to */
  readonly namespace?: string;
  /**
   * Where the ServiceAccount lives when the chart has no namespace of its own (the namespace the
   * main environment is applied to): the ClusterRoleBinding of cluster-scoped rights must name
   * it. @default - the chart's namespace; a chart without one can have no cluster-scoped rights
   */
  readonly accountNamespace?: string;
  /**
   * The `--prune-allowlist` of the pruning apply this output is deployed with (built-in kinds;
   * the kinds the chart emits are added): each is listed, and what left the output deleted, so
   * each gets `list` and `delete`. @default - the kinds the chart emits
   */
  readonly pruneKinds?: readonly string[];
  /** Name of the ApplySet parent Secret when pruning uses `kubectl apply --applyset`. @default - no ApplySet: label-selected prune */
  readonly applySetParent?: string;
}

/**
 * A ServiceAccount for CI with exactly the rights that `kubectl apply`, its prune and `kubectl
 * diff` need on exactly the objects the chart emits and the kinds the apply prunes: a Role (and
 * RoleBinding) for the namespaced kinds, and a ClusterRole (and ClusterRoleBinding) only when
 * cluster-scoped objects are emitted or pruned, such as a preview's Namespace or a ClusterIssuer.
 * No wildcard, no `escalate`, `bind` or `impersonate`, no `update`, no Secret beyond those named,
 * no `create` of a cluster-scoped kind (which RBAC cannot narrow by name: the admin's first apply
 * creates those objects, and a new one changes the ClusterRole, which only an admin can apply).
 * Add it last: it reads the chart's objects.
 */
export class Deployer extends Construct {
  public readonly serviceAccount: kplus.k8s.KubeServiceAccount;
  public readonly role: kplus.k8s.KubeRole;
  public readonly clusterRole?: kplus.k8s.KubeClusterRole;

  constructor(scope: Construct, id: string, props: DeployerProps = {}) {
    super(scope, id);
    const chart = Chart.of(this);
    const labels = { 'app.kubernetes.io/component': 'deployer' };
    const pruned = (props.pruneKinds ?? []).map((entry) => {
      const type = resourceTypeOfEntry(entry);
      if (!type) throw new Error(`Deployer: no RBAC resource is known for the prune allowlist's ${entry}: ${ADD_KIND}`);
      return type;
    });
    const prunedIn = (clusterScoped: boolean) => pruned.filter((type) => type.clusterScoped === clusterScoped);
    // Its token comes from `kubectl create token`, never from a pod: no pod mounts it.
    this.serviceAccount = new kplus.k8s.KubeServiceAccount(this, 'ServiceAccount', {
      metadata: { name: DEPLOYER_NAME, labels }, automountServiceAccountToken: false,
    });
    this.role = new kplus.k8s.KubeRole(this, 'Role', {
      metadata: { name: DEPLOYER_NAME, labels },
      rules: Lazy.any({
        produce: () => {
          if (emitted(chart, true).length > 0 && !this.clusterRole) {
            throw new Error('Deployer: cluster-scoped objects were added to the chart after the Deployer, which grants only what the chart held when it was added: add it last');
          }
          return [...rulesFor(emitted(chart, false), props.applySetParent, prunedIn(false)), ...applySetParentRules(props.applySetParent)];
        },
      }),
    });
    const accountNamespace = props.namespace ?? props.accountNamespace;
    // A RoleBinding's ServiceAccount subject without a namespace is the binding's own
    // (pkg/registry/rbac/validation/rule.go appliesToUser), which is where the account is.
    new kplus.k8s.KubeRoleBinding(this, 'RoleBinding', {
      metadata: { name: DEPLOYER_NAME, labels },
      roleRef: { apiGroup: RBAC_GROUP, kind: 'Role', name: DEPLOYER_NAME },
      subjects: [{ kind: 'ServiceAccount', name: DEPLOYER_NAME, ...(props.namespace ? { namespace: props.namespace } : {}) }],
    });

    const clusterScoped = emitted(chart, true);
    if (clusterScoped.length > 0 || prunedIn(true).length > 0) {
      if (!accountNamespace) {
        const kinds = [...new Set([...clusterScoped.map((o) => o.kind), ...prunedIn(true).map((t) => t.resource)])];
        throw new Error(`Deployer: the chart emits or prunes cluster-scoped ${kinds.join(', ')}, whose ClusterRoleBinding must name the ServiceAccount's namespace: give the chart a namespace, or the Deployer an accountNamespace (DEPLOYER_NAMESPACE)`);
      }
      // One per namespace, so that previews' grants stay apart and go with their preview.
      const name = `${DEPLOYER_NAME}-${accountNamespace}`;
      this.clusterRole = new kplus.k8s.KubeClusterRole(this, 'ClusterRole', {
        metadata: { name, labels },
        rules: Lazy.any({ produce: () => rulesFor(emitted(chart, true), props.applySetParent, prunedIn(true)) }),
      });
      const binding = new kplus.k8s.KubeClusterRoleBinding(this, 'ClusterRoleBinding', {
        metadata: { name, labels },
        roleRef: { apiGroup: RBAC_GROUP, kind: 'ClusterRole', name },
        subjects: [{ kind: 'ServiceAccount', name: DEPLOYER_NAME, namespace: accountNamespace }],
      });
      // The chart's namespace goes on every object it holds; these two are cluster-scoped.
      for (const object of [this.clusterRole, binding]) object.addJsonPatch(JsonPatch.remove('/metadata/namespace'));
    }
  }
}

/** One object the chart emits, as RBAC sees it. */
export interface Emitted {
  readonly kind: string;
  readonly name: string;
  readonly type: ResourceType;
}

function emitted(chart: Chart, clusterScoped: boolean): Emitted[] {
  const objects = chart.node.findAll().filter((c): c is ApiObject => c instanceof ApiObject);
  return objects.map((object) => {
    const type = resourceTypeOf(object.apiVersion, object.kind);
    if (!type) throw new Error(`Deployer: no RBAC resource is known for ${object.apiVersion} ${object.kind}: ${ADD_KIND}`);
    return { kind: object.kind, name: object.name, type };
  }).filter((o) => o.type.clusterScoped === clusterScoped);
}

/**
 * The rules for these objects and pruned kinds: every verb of MANAGE_VERBS on a namespaced kind
 * emitted, list and delete (PRUNE_VERBS) on one only pruned; on a cluster-scoped kind, get and
 * patch only of the objects emitted (and delete, for a Namespace: close-preview's) and an unnamed
 * `list` for the prune, no `create`; on a Secret, the named verbs, an unnamed `create`, and no `list`, which would read
 * every Secret of the namespace; the RBAC objects only get and patch by name.
 */
export function rulesFor(objects: readonly Emitted[], applySetParent?: string, pruned: readonly ResourceType[] = []): PolicyRule[] {
  const byResource = new Map<string, { type: ResourceType; names: Set<string>; emitted: boolean; pruned: boolean }>();
  const entry = (type: ResourceType) => {
    const key = `${type.group}/${type.resource}`;
    if (!byResource.has(key)) byResource.set(key, { type, names: new Set(), emitted: false, pruned: false });
    return byResource.get(key)!;
  };
  for (const { type, name } of objects) {
    const found = entry(type);
    found.emitted = true;
    found.names.add(name);
  }
  for (const type of pruned) entry(type).pruned = true;
  const rules: PolicyRule[] = [];
  const sorted = [...byResource.values()].sort((a, b) => `${a.type.group}/${a.type.resource}`.localeCompare(`${b.type.group}/${b.type.resource}`));
  for (const { type, names, emitted: isEmitted, pruned: isPruned } of sorted) {
    const base = { apiGroups: [type.group], resources: [type.resource] };
    const resourceNames = [...names].sort();
    const secrets = type.group === '' && type.resource === 'secrets';
    if ((type.group === RBAC_GROUP || secrets) && isPruned) {
      throw new Error(`Deployer: pruning ${type.resource} would need listing every one of the namespace (and, for Secrets, reading their values): leave it out of the prune allowlist`);
    }
    if (type.group === RBAC_GROUP) {
      rules.push({ ...base, verbs: [...RBAC_VERBS], resourceNames });
      // ApplySet prunes every kind it ever applied, listing each; label-selected prune leaves RBAC out.
      if (applySetParent) rules.push({ ...base, verbs: ['list'] });
    } else if (secrets) {
      rules.push({ ...base, verbs: [...NAMED_VERBS], resourceNames });
      rules.push({ ...base, verbs: ['create'] });
    } else if (type.clusterScoped) {
      // Its own preview's Namespace is deleted by close-preview. Any other cluster-scoped object
      // it never deletes: one that leaves the output leaves the ClusterRole's names with it, so
      // an admin applies that output, and the admin's apply prunes it.
      const verbs = type.group === '' && type.resource === 'namespaces' ? NAMED_VERBS : RBAC_VERBS;
      if (isEmitted) rules.push({ ...base, verbs: [...verbs], resourceNames });
      rules.push({ ...base, verbs: ['list'] });
    } else {
      rules.push({ ...base, verbs: isEmitted ? [...MANAGE_VERBS] : [...PRUNE_VERBS] });
    }
  }
  return rules;
}

/** The ApplySet parent Secret: read, and server-side applied (which also creates it), by name only. */
export function applySetParentRules(applySetParent: string | undefined): PolicyRule[] {
  return applySetParent ? [{ apiGroups: [''], resources: ['secrets'], verbs: ['get', 'patch', 'create'], resourceNames: [applySetParent] }] : [];
}
