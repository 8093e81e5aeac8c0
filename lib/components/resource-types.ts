/** How the API serves one kind: its group, its resource (the URL's plural) and its scope. */
export interface ResourceType {
  /** The API group, `''` for the core group. */
  readonly group: string;
  /** The resource name RBAC rules use, e.g. `deployments`. */
  readonly resource: string;
  /** Cluster-scoped (Namespace, ClusterRole...) rather than namespaced. */
  readonly clusterScoped: boolean;
}

/** The kinds of one API group: namespaced and cluster-scoped, each with its resource name. */
interface GroupKinds {
  readonly namespaced?: Readonly<Record<string, string>>;
  readonly clusterScoped?: Readonly<Record<string, string>>;
}

/*
 * Every kind Kubernetes 1.34's kube-apiserver serves that an output can hold: each resource that
 * `kubectl apply` can create, read, patch, and its prune list and delete (the review kinds,
 * which can only be created, and Binding are left out), in any served version. Names and scopes
 * as the API server registers them: k8s.io/kubernetes pkg/registry/<group>/<kind>/storage/storage.go
 * (DefaultQualifiedResource: the plural) and the strategy's NamespaceScoped (strategy.go); the
 * CRD-served ones from the CRDs' spec.names.plural and spec.scope (cert-manager v1.21,
 * Gateway API v1.6). test/components/deployer-cluster.test.ts holds the table to the real
 * server's discovery both ways: each entry is served as written, and each served kind is here.
 * Why a table: cdk8s-plus's ApiResource has the group and plural but names the kind only in a
 * comment and has no scope; kubernetes-models has neither plural nor scope.
 */
const BY_GROUP: Readonly<Record<string, GroupKinds>> = {
  '': {
    namespaced: {
      ConfigMap: 'configmaps', Endpoints: 'endpoints', Event: 'events', LimitRange: 'limitranges',
      PersistentVolumeClaim: 'persistentvolumeclaims', Pod: 'pods', PodTemplate: 'podtemplates',
      ReplicationController: 'replicationcontrollers', ResourceQuota: 'resourcequotas', Secret: 'secrets',
      Service: 'services', ServiceAccount: 'serviceaccounts',
    },
    clusterScoped: { Namespace: 'namespaces', Node: 'nodes', PersistentVolume: 'persistentvolumes' },
  },
  'admissionregistration.k8s.io': {
    clusterScoped: {
      MutatingWebhookConfiguration: 'mutatingwebhookconfigurations', ValidatingAdmissionPolicy: 'validatingadmissionpolicies',
      ValidatingAdmissionPolicyBinding: 'validatingadmissionpolicybindings', ValidatingWebhookConfiguration: 'validatingwebhookconfigurations',
    },
  },
  'apiextensions.k8s.io': { clusterScoped: { CustomResourceDefinition: 'customresourcedefinitions' } },
  'apiregistration.k8s.io': { clusterScoped: { APIService: 'apiservices' } },
  apps: {
    namespaced: { ControllerRevision: 'controllerrevisions', DaemonSet: 'daemonsets', Deployment: 'deployments', ReplicaSet: 'replicasets', StatefulSet: 'statefulsets' },
  },
  autoscaling: { namespaced: { HorizontalPodAutoscaler: 'horizontalpodautoscalers' } },
  batch: { namespaced: { CronJob: 'cronjobs', Job: 'jobs' } },
  'certificates.k8s.io': { clusterScoped: { CertificateSigningRequest: 'certificatesigningrequests' } },
  'coordination.k8s.io': { namespaced: { Lease: 'leases' } },
  'discovery.k8s.io': { namespaced: { EndpointSlice: 'endpointslices' } },
  'events.k8s.io': { namespaced: { Event: 'events' } },
  'flowcontrol.apiserver.k8s.io': { clusterScoped: { FlowSchema: 'flowschemas', PriorityLevelConfiguration: 'prioritylevelconfigurations' } },
  'networking.k8s.io': {
    namespaced: { Ingress: 'ingresses', NetworkPolicy: 'networkpolicies' },
    clusterScoped: { IPAddress: 'ipaddresses', IngressClass: 'ingressclasses', ServiceCIDR: 'servicecidrs' },
  },
  'node.k8s.io': { clusterScoped: { RuntimeClass: 'runtimeclasses' } },
  policy: { namespaced: { PodDisruptionBudget: 'poddisruptionbudgets' } },
  'rbac.authorization.k8s.io': {
    namespaced: { Role: 'roles', RoleBinding: 'rolebindings' },
    clusterScoped: { ClusterRole: 'clusterroles', ClusterRoleBinding: 'clusterrolebindings' },
  },
  'resource.k8s.io': {
    namespaced: { ResourceClaim: 'resourceclaims', ResourceClaimTemplate: 'resourceclaimtemplates' },
    clusterScoped: { DeviceClass: 'deviceclasses', ResourceSlice: 'resourceslices' },
  },
  'scheduling.k8s.io': { clusterScoped: { PriorityClass: 'priorityclasses' } },
  'storage.k8s.io': {
    namespaced: { CSIStorageCapacity: 'csistoragecapacities' },
    clusterScoped: {
      CSIDriver: 'csidrivers', CSINode: 'csinodes', StorageClass: 'storageclasses',
      VolumeAttachment: 'volumeattachments', VolumeAttributesClass: 'volumeattributesclasses',
    },
  },
};

/** The groups served by CRDs the chart's settings use (HTTPS: cert-manager; ROUTING=gateway: Gateway API). */
const CRD_GROUPS: Readonly<Record<string, GroupKinds>> = {
  'cert-manager.io': { namespaced: { Certificate: 'certificates', Issuer: 'issuers' }, clusterScoped: { ClusterIssuer: 'clusterissuers' } },
  'gateway.networking.k8s.io': { namespaced: { Gateway: 'gateways', HTTPRoute: 'httproutes' } },
};

function table(groups: Readonly<Record<string, GroupKinds>>): Record<string, ResourceType> {
  const types: Record<string, ResourceType> = {};
  for (const [group, kinds] of Object.entries(groups)) {
    for (const [kind, resource] of Object.entries(kinds.namespaced ?? {})) types[`${group}/${kind}`] = { group, resource, clusterScoped: false };
    for (const [kind, resource] of Object.entries(kinds.clusterScoped ?? {})) types[`${group}/${kind}`] = { group, resource, clusterScoped: true };
  }
  return types;
}

/** The built-in kinds of Kubernetes 1.34, by `group/Kind` (`/Kind` for the core group). */
export const BUILTIN_RESOURCE_TYPES: Readonly<Record<string, ResourceType>> = table(BY_GROUP);

/** Every kind the deployer can be granted, by `group/Kind`: the built-in ones and those of the CRDs the settings use. */
export const RESOURCE_TYPES: Readonly<Record<string, ResourceType>> = { ...BUILTIN_RESOURCE_TYPES, ...table(CRD_GROUPS) };

/** The group, resource and scope of an apiVersion and kind; undefined for a kind not in the table. */
export function resourceTypeOf(apiVersion: string, kind: string): ResourceType | undefined {
  const group = apiVersion.includes('/') ? apiVersion.split('/')[0] : '';
  const key = `${group}/${kind}`;
  return Object.prototype.hasOwnProperty.call(RESOURCE_TYPES, key) ? RESOURCE_TYPES[key] : undefined;
}

/** The resource of a `--prune-allowlist` entry (`group/version/Kind`, `core` for the core group); undefined for one not in the table. */
export function resourceTypeOfEntry(entry: string): ResourceType | undefined {
  const [group, version, kind] = entry.split('/');
  return resourceTypeOf(group === 'core' ? version : `${group}/${version}`, kind);
}
