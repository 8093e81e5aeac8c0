// lib/plan/rules.ts refusalWarning and replaceWarnings: which changes the API server refuses on
// update, and the command named instead. The first describe blocks hold the rules to exact
// outputs without a cluster (they are what the mutation runs see); the last one asks the real API
// server (test/support/envtest) whether each change the model warns about is refused, and each it
// lets through is accepted.
import { changedPaths } from '../../lib/plan/field-diff';
import { KubeObject } from '../../lib/plan/objects';
import { PlanWarning, refusalWarning, replaceWarnings } from '../../lib/plan/rules';
import { describeWithCluster } from '../support/envtest';

/** The warnings for one object changed from `before` to `after`, paths as the plan computes them. */
const warned = (before: KubeObject, after: KubeObject): PlanWarning[] => replaceWarnings({ before, after, paths: changedPaths(before, after) });

const replace = (object: string, message: string): PlanWarning => ({ kind: 'replace', object, message });

const CLAIM_TAIL = '(its volume and data go too unless the volume\'s reclaim policy is Retain), then apply and restore';
const STATEFULSET_TAIL = 'then apply (the pods keep running and the new StatefulSet adopts them; existing claims keep their size)';
const SELECTOR_TAIL = 'then apply (its pods stop until the new ones are ready)';
const IMMUTABLE_TAIL = 'then apply (pods read the new values when they restart: `kubectl rollout restart` their Deployments)';

function workload(kind: string, apiVersion: string, component: string, spec: KubeObject = {}): KubeObject {
  return {
    apiVersion, kind, metadata: { name: 'web' },
    spec: { selector: { matchLabels: { component } }, template: { metadata: { labels: { component } }, spec: { containers: [{ name: 'web', image: 'nginx:1.27' }] } }, ...spec },
  };
}

function statefulSet(spec: KubeObject = {}, apiVersion = 'apps/v1'): KubeObject {
  return {
    apiVersion, kind: 'StatefulSet', metadata: { name: 'db' },
    spec: { serviceName: 'db', selector: { matchLabels: { component: 'db' } }, template: { metadata: { labels: { component: 'db' } }, spec: { containers: [{ name: 'db', image: 'postgres:16' }] } }, ...spec },
  };
}

function claim(spec: KubeObject = {}, apiVersion = 'v1'): KubeObject {
  return { apiVersion, kind: 'PersistentVolumeClaim', metadata: { name: 'data' }, spec: { accessModes: ['ReadWriteOnce'], resources: { requests: { storage: '2Gi' } }, ...spec } };
}

function service(spec: KubeObject = {}, apiVersion = 'v1'): KubeObject {
  return { apiVersion, kind: 'Service', metadata: { name: 'db' }, spec: { ports: [{ port: 5432 }], ...spec } };
}

function job(spec: KubeObject = {}, apiVersion = 'batch/v1', kind = 'Job'): KubeObject {
  return { apiVersion, kind, metadata: { name: 'migrate' }, spec: { template: { spec: { restartPolicy: 'Never', containers: [{ name: 'migrate', image: 'migrate:1' }] } }, ...spec } };
}

function values(kind: string, fields: KubeObject, apiVersion = 'v1'): KubeObject {
  return { apiVersion, kind, metadata: { name: 'settings' }, ...fields };
}

describe('refusalWarning: the API server\'s refusal of an update, as the command that re-creates the object', () => {
  // Each message is the API server's own text (k8s.io/apimachinery pkg/api/errors NewInvalid), as
  // kube-apiserver v1.34 printed it through `kubectl apply` in the cluster test at the end of this file.
  test('a claim: copy the data out, delete, apply, restore', () => {
    const message = 'The PersistentVolumeClaim "data" is invalid: spec: Forbidden: spec is immutable after creation except resources.requests and volumeAttributesClassName for bound claims';
    expect(refusalWarning(message, 'pr-12')).toEqual(replace('PersistentVolumeClaim/data (pr-12)',
      `the API server refuses to change spec in place: copy its data out, run \`kubectl delete persistentvolumeclaim data -n pr-12\` ${CLAIM_TAIL}`));
  });

  test('a StatefulSet: delete it orphaning its pods; without a namespace the command has none', () => {
    const message = 'The StatefulSet "db" is invalid: spec: Forbidden: updates to statefulset spec for fields other than \'replicas\', \'ordinals\', \'template\', \'updateStrategy\', \'revisionHistoryLimit\', \'persistentVolumeClaimRetentionPolicy\' and \'minReadySeconds\' are forbidden';
    expect(refusalWarning(message)).toEqual(replace('StatefulSet/db',
      'the API server refuses to change spec in place: run `kubectl delete statefulset db --cascade=orphan`, then apply (the pods keep running and the new StatefulSet adopts them)'));
  });

  test('any other kind: delete and apply', () => {
    expect(refusalWarning('The Deployment "web" is invalid: spec.selector: Invalid value: {"matchLabels":{"c":"b"}}: field is immutable', 'prod')).toEqual(
      replace('Deployment/web (prod)', 'the API server refuses to change spec.selector in place: run `kubectl delete deployment web -n prod`, then apply'));
    expect(refusalWarning('The Secret "s" is invalid: data: Forbidden: field is immutable when `immutable` is set')).toEqual(
      replace('Secret/s', 'the API server refuses to change data in place: run `kubectl delete secret s`, then apply'));
  });

  test('a Pod\'s fields other than its images, and a bound claim\'s smaller size: refusals of the update, in the server\'s words', () => {
    expect(refusalWarning('The Pod "web" is invalid: spec: Forbidden: pod updates may not change fields other than `spec.containers[*].image`,`spec.initContainers[*].image`,`spec.activeDeadlineSeconds`,`spec.tolerations` (only additions to existing tolerations),`spec.terminationGracePeriodSeconds` (allow it to be set to 1 if it was previously negative)')).toEqual(
      replace('Pod/web', 'the API server refuses to change spec in place: run `kubectl delete pod web`, then apply'));
    expect(refusalWarning('The PersistentVolumeClaim "data" is invalid: spec.resources.requests.storage: Forbidden: field can not be less than previous value')).toEqual(
      replace('PersistentVolumeClaim/data', `the API server refuses to change spec.resources.requests.storage in place: copy its data out, run \`kubectl delete persistentvolumeclaim data\` ${CLAIM_TAIL}`));
  });

  test('a Service\'s clusterIP: the server says "may not change once set", which is a refusal of the update too', () => {
    expect(refusalWarning('The Service "db" is invalid: spec.clusterIPs[0]: Invalid value: ["10.0.0.78"]: may not change once set')).toEqual(
      replace('Service/db', 'the API server refuses to change spec.clusterIPs[0] in place: run `kubectl delete service db`, then apply'));
  });

  test('several causes (kubectl prints one per line after the header): the first that forbids the update is named', () => {
    const message = 'The Service "db" is invalid: \n* spec.loadBalancerClass: Forbidden: may only be used when `type` is \'LoadBalancer\'\n* spec.clusterIPs[0]: Invalid value: ["10.0.0.78"]: may not change once set\n';
    expect(refusalWarning(message)).toEqual(replace('Service/db', 'the API server refuses to change spec.clusterIPs[0] in place: run `kubectl delete service db`, then apply'));
  });

  test.each([
    // Refused on create as much as on update: deleting the object would not help, the manifest is wrong.
    ['a value forbidden in any object', 'The Service "db" is invalid: spec.loadBalancerClass: Forbidden: may only be used when `type` is \'LoadBalancer\''],
    ['an invalid value', 'The Deployment "web" is invalid: spec.template.metadata.labels: Invalid value: {"c":"a"}: `selector` does not match template `labels`'],
    ['another error', 'Error from server (NotFound): namespaces "pr-12" not found'],
    ['no message', ''],
  ])('%s is no replace warning', (_what, message) => {
    expect(refusalWarning(message)).toBeUndefined();
  });
});

describe('replaceWarnings: Deployments, ReplicaSets and DaemonSets keep their selector', () => {
  test.each(['Deployment', 'ReplicaSet', 'DaemonSet'])('an apps/v1 %s whose selector changes: delete and re-create', (kind) => {
    expect(warned(workload(kind, 'apps/v1', 'web'), workload(kind, 'apps/v1', 'frontend'))).toEqual([
      replace(`${kind}/web`, `spec.selector is immutable: run \`kubectl delete ${kind.toLowerCase()} web\`, ${SELECTOR_TAIL}`),
    ]);
  });

  test('a selector key that is not a plain word (a path with brackets right after spec.selector) is under spec.selector', () => {
    const before = workload('Deployment', 'apps/v1', 'web');
    const after = structuredClone(before);
    after.spec.selector['example.com/extra'] = 'x'; // a field no API version has: the path is spec.selector["example.com/extra"]
    expect(changedPaths(before, after)).toEqual(['spec.selector["example.com/extra"]']);
    expect(warned(before, after)).toEqual([replace('Deployment/web', `spec.selector is immutable: run \`kubectl delete deployment web\`, ${SELECTOR_TAIL}`)]);
  });

  test('an object without a name (a folder plan compares may hold one): no command, rather than one deleting an object named "undefined"', () => {
    const before = workload('Deployment', 'apps/v1', 'web');
    const after = workload('Deployment', 'apps/v1', 'frontend');
    delete before.metadata;
    delete after.metadata;
    const none = 'spec.selector is immutable: run (no kubectl command: the object has no name), then apply (its pods stop until the new ones are ready)';
    expect(warned(before, after)).toEqual([replace('Deployment/"undefined"', none)]);
    before.metadata = { name: '' };
    after.metadata = { name: '' };
    expect(warned(before, after)).toEqual([replace('Deployment/', none)]);
  });

  test('a selector changes in place on a Service, and on a custom resource named Deployment (its own validation, not apps\')', () => {
    expect(warned(service({ selector: { component: 'db' } }), service({ selector: { component: 'postgres' } }))).toEqual([]);
    expect(warned(workload('Deployment', 'example.com/v1', 'web'), workload('Deployment', 'example.com/v1', 'frontend'))).toEqual([]);
  });
});

describe('replaceWarnings: a StatefulSet changes only some spec fields in place', () => {
  const ORPHAN = '`kubectl delete statefulset db --cascade=orphan`';

  test.each([
    ['replicas', 3],
    ['ordinals', { start: 1 }],
    ['updateStrategy', { type: 'RollingUpdate', rollingUpdate: { partition: 1 } }],
    ['revisionHistoryLimit', 4],
    ['persistentVolumeClaimRetentionPolicy', { whenDeleted: 'Delete', whenScaled: 'Retain' }],
    ['minReadySeconds', 5],
  ])('spec.%s changes in place', (field, value) => {
    expect(warned(statefulSet(), statefulSet({ [field]: value }))).toEqual([]);
  });

  test('other fields are named, each once, joined by commas', () => {
    const after = statefulSet({ serviceName: 'postgres', podManagementPolicy: 'Parallel', replicas: 2 });
    after.spec.selector.matchLabels.tier = 'data';
    after.spec.template.metadata.labels.tier = 'data';
    expect(warned(statefulSet(), after)).toEqual([
      replace('StatefulSet/db', `spec.podManagementPolicy, spec.selector, spec.serviceName cannot change on a StatefulSet: run ${ORPHAN}, ${STATEFULSET_TAIL}`),
    ]);
  });

  test('a field inside a list (volumeClaimTemplates[data]) is named by its spec field; a key that is not a plain word by its quoted key; a spec that appears whole as spec', () => {
    const templates = (size: string) => statefulSet({ volumeClaimTemplates: [{ metadata: { name: 'data' }, spec: { resources: { requests: { storage: size } } } }] });
    expect(warned(templates('1Gi'), templates('2Gi'))).toEqual([
      replace('StatefulSet/db', `spec.volumeClaimTemplates cannot change on a StatefulSet: run ${ORPHAN}, ${STATEFULSET_TAIL}`),
    ]);
    // A field no API version has, as a manifest may still hold it: field-diff.ts writes it spec["example.com/x"].
    expect(warned(statefulSet(), statefulSet({ 'example.com/x': 'y', replicas: 2 }))).toEqual([
      replace('StatefulSet/db', `spec["example.com/x"] cannot change on a StatefulSet: run ${ORPHAN}, ${STATEFULSET_TAIL}`),
    ]);
    const bare: KubeObject = { apiVersion: 'apps/v1', kind: 'StatefulSet', metadata: { name: 'db' } };
    expect(warned(bare, statefulSet())).toEqual([replace('StatefulSet/db', `spec cannot change on a StatefulSet: run ${ORPHAN}, ${STATEFULSET_TAIL}`)]);
  });

  test('a StatefulSet of another API group (a custom resource) is not judged by the apps rule', () => {
    expect(warned(statefulSet({}, 'example.com/v1'), statefulSet({ serviceName: 'postgres' }, 'example.com/v1'))).toEqual([]);
  });
});

describe('replaceWarnings: PersistentVolumeClaims', () => {
  const DELETE = 'run `kubectl delete persistentvolumeclaim data`';

  test('several fixed fields and a smaller size are named together', () => {
    expect(warned(claim(), claim({ accessModes: ['ReadWriteMany'], resources: { requests: { storage: '1Gi' } } }))).toEqual([
      replace('PersistentVolumeClaim/data', `spec.accessModes, spec.resources.requests.storage (smaller) cannot change on a claim: copy its data out, ${DELETE} ${CLAIM_TAIL}`),
    ]);
  });

  test('volumeName may be set once, while it is empty (the binder sets it); a set one cannot change', () => {
    expect(warned(claim(), claim({ volumeName: 'pv-a' }))).toEqual([]);
    expect(warned(claim({ volumeName: 'pv-a' }), claim({ volumeName: 'pv-b' }))).toEqual([
      replace('PersistentVolumeClaim/data', `spec.volumeName cannot change on a claim: copy its data out, ${DELETE} ${CLAIM_TAIL}`),
    ]);
  });

  test('volumeAttributesClassName changes in place (on a bound claim)', () => {
    expect(warned(claim({ volumeAttributesClassName: 'fast' }), claim({ volumeAttributesClassName: 'faster' }))).toEqual([]);
  });

  test('a claim whose spec is missing on one side: the whole spec is named; nothing throws', () => {
    const bare: KubeObject = { apiVersion: 'v1', kind: 'PersistentVolumeClaim', metadata: { name: 'data' } };
    const expected = [replace('PersistentVolumeClaim/data', `spec cannot change on a claim: copy its data out, ${DELETE} ${CLAIM_TAIL}`)];
    expect(warned(bare, claim())).toEqual(expected);
    expect(warned(claim(), bare)).toEqual(expected);
  });

  test('a claim without resources, or with resources but no requests, on either side: the field is named; nothing throws', () => {
    const noResources = claim();
    delete noResources.spec.resources;
    expect(warned(noResources, claim())).toEqual([replace('PersistentVolumeClaim/data', `spec.resources cannot change on a claim: copy its data out, ${DELETE} ${CLAIM_TAIL}`)]);
    expect(warned(claim(), noResources)).toEqual([replace('PersistentVolumeClaim/data', `spec.resources cannot change on a claim: copy its data out, ${DELETE} ${CLAIM_TAIL}`)]);
    const noRequests = claim({ resources: { limits: { storage: '2Gi' } } });
    const requests = claim({ resources: { limits: { storage: '2Gi' }, requests: { storage: '2Gi' } } });
    expect(warned(noRequests, requests)).toEqual([replace('PersistentVolumeClaim/data', `spec.resources.requests cannot change on a claim: copy its data out, ${DELETE} ${CLAIM_TAIL}`)]);
    expect(warned(requests, noRequests)).toEqual([replace('PersistentVolumeClaim/data', `spec.resources.requests cannot change on a claim: copy its data out, ${DELETE} ${CLAIM_TAIL}`)]);
  });

  test('replaceWarnings is exported: a pair whose paths name volumeMode while a side has no spec does not throw', () => {
    // The plan's own pairs come from changedPaths, which names `spec` whole when a side lacks it;
    // another caller's paths need not. A missing spec means the default volumeMode, Filesystem.
    const bare: KubeObject = { apiVersion: 'v1', kind: 'PersistentVolumeClaim', metadata: { name: 'data' } };
    expect(replaceWarnings({ before: bare, after: claim({ volumeMode: 'Filesystem' }), paths: ['spec.volumeMode'] })).toEqual([]);
    expect(replaceWarnings({ before: claim({ volumeMode: 'Filesystem' }), after: bare, paths: ['spec.volumeMode'] })).toEqual([]);
  });

  test('a custom resource named PersistentVolumeClaim is not judged by the core rule', () => {
    expect(warned(claim({}, 'example.com/v1'), claim({ accessModes: ['ReadWriteMany'] }, 'example.com/v1'))).toEqual([]);
  });
});

describe('replaceWarnings: a Service keeps its clusterIP, unless it is or becomes an ExternalName', () => {
  const CLUSTER_IP = replace('Service/db', 'spec.clusterIP is immutable once assigned: run `kubectl delete service db`, then apply (the Service is unreachable in between and gets a new address)');

  test('clusterIPs alone (the list the server fills from clusterIP) is the same address', () => {
    expect(warned(service({ clusterIPs: ['10.0.0.7'] }), service({ clusterIPs: ['10.0.0.8'] }))).toEqual([CLUSTER_IP]);
  });

  test('an address no longer named stays as assigned: in place', () => {
    expect(warned(service({ clusterIP: '10.0.0.7' }), service())).toEqual([]);
    expect(warned(service({ clusterIP: '10.0.0.7', clusterIPs: ['10.0.0.7'] }), service({ clusterIP: '10.0.0.7' }))).toEqual([]);
  });

  test('an address named where the last manifest named none (the server assigned one): headless now, say', () => {
    expect(warned(service(), service({ clusterIP: 'None' }))).toEqual([CLUSTER_IP]);
  });

  test('dual-stack: a second address added or released changes in place; a second address changed does not', () => {
    // The envtest API server is single-stack, so it cannot show this; the rule is
    // validateUpgradeDowngradeClusterIPs (k8s.io/kubernetes pkg/apis/core/validation/validation.go).
    const single = service({ clusterIP: '10.0.0.7', clusterIPs: ['10.0.0.7'] });
    const dual = (second: string) => service({ clusterIP: '10.0.0.7', clusterIPs: ['10.0.0.7', second], ipFamilyPolicy: 'PreferDualStack' });
    expect(warned(single, dual('fd00::7'))).toEqual([]);
    expect(warned(dual('fd00::7'), { ...single, spec: { ...single.spec, ipFamilyPolicy: 'SingleStack' } })).toEqual([]);
    expect(warned(dual('fd00::7'), dual('fd00::8'))).toEqual([CLUSTER_IP]);
    expect(warned(single, { ...dual('fd00::7'), spec: { ...dual('fd00::7').spec, clusterIP: '10.0.0.8', clusterIPs: ['10.0.0.8', 'fd00::7'] } })).toEqual([CLUSTER_IP]);
  });

  test('an empty clusterIPs list names nothing: clusterIP is the address', () => {
    expect(warned(service({ clusterIP: '10.0.0.7', clusterIPs: [] }), service({ clusterIP: '10.0.0.8', clusterIPs: [] }))).toEqual([CLUSTER_IP]);
  });

  test('an ExternalName that names an address is a wrong manifest, not a replace', () => {
    // validateServiceClusterIPsRelatedFields (k8s.io/kubernetes pkg/apis/core/validation/validation.go):
    // clusterIPs "may not be set for ExternalName services", refused on create as on update.
    expect(warned(service({ clusterIP: '10.0.0.7' }), service({ type: 'ExternalName', externalName: 'db.example.com', clusterIP: '10.0.0.8' }))).toEqual([]);
    expect(warned(service({ type: 'ExternalName', externalName: 'db.example.com', clusterIP: '10.0.0.7' }), service({ clusterIP: '10.0.0.8' }))).toEqual([]);
  });

  test('from an ExternalName to a headless Service, and back: in place', () => {
    const external = service({ type: 'ExternalName', externalName: 'db.example.com' });
    const headless = service({ clusterIP: 'None' });
    expect(warned(external, headless)).toEqual([]);
    expect(warned(headless, external)).toEqual([]);
  });

  test('a Service without a spec on either side: nothing throws; it names no address', () => {
    const bare: KubeObject = { apiVersion: 'v1', kind: 'Service', metadata: { name: 'db' } };
    expect(warned(bare, service({ clusterIP: 'None' }))).toEqual([CLUSTER_IP]);
    expect(warned(service({ clusterIP: 'None' }), bare)).toEqual([]);
  });

  test('a custom resource named Service is not judged by the core rule', () => {
    expect(warned(service({ clusterIP: '10.0.0.7' }, 'example.com/v1'), service({ clusterIP: '10.0.0.8' }, 'example.com/v1'))).toEqual([]);
  });
});

describe('replaceWarnings: a Job keeps its selector, template and completionMode', () => {
  const DELETE = 'run `kubectl delete job migrate`, then apply (the Job runs again)';

  test.each([
    // manualSelector goes with a selector the Job's author writes; it is no fixed field, so it is not named.
    ['selector', { selector: { matchLabels: { run: 'migrate-2' } }, manualSelector: true }],
    ['completionMode', { completionMode: 'Indexed', completions: 1 }],
  ])('spec.%s is named', (field, spec) => {
    expect(warned(job(), job(spec))).toEqual([replace('Job/migrate', `spec.${field} cannot change on a Job: ${DELETE}`)]);
  });

  test('several fixed fields are joined by commas', () => {
    const after = job({ selector: { matchLabels: { run: 'migrate' } } });
    after.spec.template.spec.containers[0].image = 'migrate:2';
    expect(warned(job(), after)).toEqual([replace('Job/migrate', `spec.selector, spec.template cannot change on a Job: ${DELETE}`)]);
  });

  test.each([
    ['completions (not Indexed)', job({ completions: 2 }), job({ completions: 3 }), 'spec.completions'],
    ['podFailurePolicy', job(), job({ podFailurePolicy: { rules: [{ action: 'FailJob', onExitCodes: { operator: 'In', values: [42] } }] } }), 'spec.podFailurePolicy'],
    ['managedBy', job(), job({ managedBy: 'example.com/queue' }), 'spec.managedBy'],
    ['backoffLimitPerIndex', job({ completionMode: 'Indexed', completions: 1, backoffLimitPerIndex: 1 }), job({ completionMode: 'Indexed', completions: 1, backoffLimitPerIndex: 2 }), 'spec.backoffLimitPerIndex'],
    ['successPolicy', job({ completionMode: 'Indexed', completions: 2 }), job({ completionMode: 'Indexed', completions: 2, successPolicy: { rules: [{ succeededCount: 1 }] } }), 'spec.successPolicy'],
  ])('spec.%s cannot change either', (_field, before, after, named) => {
    expect(warned(before, after)).toEqual([replace('Job/migrate', `${named} cannot change on a Job: ${DELETE}`)]);
  });

  test('an Indexed Job\'s completions change in place (with parallelism)', () => {
    expect(warned(job({ completionMode: 'Indexed', completions: 2, parallelism: 2 }), job({ completionMode: 'Indexed', completions: 3, parallelism: 3 }))).toEqual([]);
  });

  test('a Job suspended that never started may move its pods (labels, annotations, nodeSelector, tolerations, schedulingGates, node affinity); nothing else of its template', () => {
    const scheduled = (suspend: boolean, image = 'migrate:1') => job({
      suspend,
      template: {
        metadata: { labels: { queue: 'b' }, annotations: { note: 'b' } },
        spec: {
          restartPolicy: 'Never', containers: [{ name: 'migrate', image }], nodeSelector: { disk: 'ssd' }, tolerations: [{ key: 'batch', operator: 'Exists' }],
          schedulingGates: [{ name: 'example.com/quota' }], affinity: { nodeAffinity: { requiredDuringSchedulingIgnoredDuringExecution: { nodeSelectorTerms: [{ matchExpressions: [{ key: 'zone', operator: 'In', values: ['b'] }] }] } } },
        },
      },
    });
    const placed = (suspend: boolean) => {
      const j = scheduled(suspend);
      j.spec.template.metadata = { labels: { queue: 'a' }, annotations: { note: 'a' } };
      Object.assign(j.spec.template.spec, { nodeSelector: { disk: 'hdd' }, tolerations: [{ key: 'other', operator: 'Exists' }], schedulingGates: [{ name: 'example.com/other' }] });
      j.spec.template.spec.affinity.nodeAffinity.requiredDuringSchedulingIgnoredDuringExecution.nodeSelectorTerms[0].matchExpressions[0].values = ['a'];
      return j;
    };
    const TEMPLATE = [replace('Job/migrate', `spec.template cannot change on a Job: ${DELETE}`)];
    expect(warned(placed(true), scheduled(true))).toEqual([]);
    expect(warned(placed(true), scheduled(false))).toEqual([]); // resumed by the same apply: the server judges by the Job as it was
    expect(warned(placed(true), scheduled(true, 'migrate:2'))).toEqual(TEMPLATE);
    expect(warned(placed(false), scheduled(false))).toEqual(TEMPLATE);
    // Node affinity that appears or goes whole; any other affinity does not move with it.
    const bare = scheduled(true);
    delete bare.spec.template.spec.affinity;
    expect(warned(bare, scheduled(true))).toEqual([]);
    expect(warned(scheduled(true), bare)).toEqual([]);
    const podAffinity = scheduled(true);
    podAffinity.spec.template.spec.affinity.podAffinity = { preferredDuringSchedulingIgnoredDuringExecution: [] };
    expect(warned(bare, podAffinity)).toEqual(TEMPLATE);
    expect(warned(podAffinity, bare)).toEqual(TEMPLATE);
    const odd = scheduled(true);
    for (const value of ['zone-b', null, []]) {
      odd.spec.template.spec.affinity = value;
      expect(warned(bare, odd)).toEqual(TEMPLATE);
    }
    // One that started (status.startTime, in a live object) is held to the whole template.
    expect(warned({ ...placed(true), status: { startTime: '2026-12-06T10:00:00Z' } }, scheduled(true))).toEqual(TEMPLATE);
  });

  test('parallelism changes in place', () => {
    expect(warned(job(), job({ parallelism: 2 }))).toEqual([]);
  });

  test('a custom resource named Job, and a batch CronJob carrying a misplaced spec.template, are not judged by the Job rule', () => {
    expect(warned(job({}, 'example.com/v1'), job({ parallelism: 2, selector: { matchLabels: { a: 'b' } } }, 'example.com/v1'))).toEqual([]);
    const cron = job({ schedule: '@daily' }, 'batch/v1', 'CronJob');
    const changed = structuredClone(cron);
    changed.spec.template.spec.containers[0].image = 'migrate:2';
    expect(warned(cron, changed)).toEqual([]);
  });
});

describe('replaceWarnings: an immutable Secret or ConfigMap keeps its values', () => {
  const message = (kind: string, fields: string) => `${fields} cannot change: the ${kind} is immutable; run \`kubectl delete ${kind.toLowerCase()} settings\`, ${IMMUTABLE_TAIL}`;

  test('a Secret\'s data, stringData and immutable, named in that order, joined by commas; no value printed', () => {
    const before = values('Secret', { immutable: true, data: { KEY: 'b2xkLXNlY3JldA==' } });
    const after = values('Secret', { immutable: false, data: { KEY: 'bmV3LXNlY3JldA==' }, stringData: { OTHER: 'plain-secret' } });
    const warnings = warned(before, after);
    expect(warnings).toEqual([replace('Secret/settings', message('Secret', 'data, stringData, immutable'))]);
    for (const value of ['b2xkLXNlY3JldA==', 'bmV3LXNlY3JldA==', 'plain-secret']) expect(JSON.stringify(warnings)).not.toContain(value);
  });

  test('a ConfigMap\'s binaryData, and a data key that is not a plain word (a file name: data["app.conf"])', () => {
    expect(warned(values('ConfigMap', { immutable: true, binaryData: { blob: 'YQ==' } }), values('ConfigMap', { immutable: true, binaryData: { blob: 'Yg==' } }))).toEqual([
      replace('ConfigMap/settings', message('ConfigMap', 'binaryData')),
    ]);
    expect(warned(values('ConfigMap', { immutable: true, data: { 'app.conf': 'a' } }), values('ConfigMap', { immutable: true, data: { 'app.conf': 'b' } }))).toEqual([
      replace('ConfigMap/settings', message('ConfigMap', 'data')),
    ]);
  });

  test('immutable set back to false, alone', () => {
    expect(warned(values('ConfigMap', { immutable: true, data: { a: 'b' } }), values('ConfigMap', { immutable: false, data: { a: 'b' } }))).toEqual([
      replace('ConfigMap/settings', message('ConfigMap', 'immutable')),
    ]);
  });

  test('data that is not a map on one side (a YAML slip: the value without its key) is named whole', () => {
    const before = values('Secret', { immutable: true, data: { KEY: 'YQ==' } });
    const after = values('Secret', { immutable: true, data: 'YQ==' });
    expect(changedPaths(before, after)).toEqual(['data (values hidden)']);
    expect(warned(before, after)).toEqual([replace('Secret/settings', message('Secret', 'data'))]);
  });

  test('labels change in place, alone or beside a value change (which alone is named)', () => {
    const before = values('Secret', { immutable: true, data: { KEY: 'YQ==' } });
    const relabelled = structuredClone(before);
    relabelled.metadata.labels = { tier: 'db' };
    expect(warned(before, relabelled)).toEqual([]);
    const both = structuredClone(relabelled);
    both.data.KEY = 'Yg==';
    expect(warned(before, both)).toEqual([replace('Secret/settings', message('Secret', 'data'))]);
  });

  test('a Secret\'s type cannot change, immutable or not; naming the default, Opaque, is no change', () => {
    const TYPE = [replace('Secret/settings', `type cannot change on a Secret: run \`kubectl delete secret settings\`, ${IMMUTABLE_TAIL}`)];
    expect(warned(values('Secret', { data: { a: 'YQ==' } }), values('Secret', { type: 'Opaque', data: { a: 'YQ==' } }))).toEqual([]);
    expect(warned(values('Secret', { data: { a: 'YQ==' } }), values('Secret', { type: 'example.com/token', data: { a: 'YQ==' } }))).toEqual(TYPE);
    expect(warned(values('Secret', { type: 'example.com/token', immutable: true, data: { a: 'YQ==' } }), values('Secret', { immutable: true, data: { a: 'Yg==' } }))).toEqual(TYPE);
    // A ConfigMap has no type: a field of that name is not the Secret's rule.
    expect(warned(values('ConfigMap', { data: { a: 'b' } }), values('ConfigMap', { type: 'x', data: { a: 'b' } }))).toEqual([]);
    expect(warned(values('Secret', { data: { a: 'YQ==' } }, 'example.com/v1'), values('Secret', { type: 'x', data: { a: 'YQ==' } }, 'example.com/v1'))).toEqual([]);
  });

  test('values of a Secret or ConfigMap that is not immutable change in place', () => {
    expect(warned(values('ConfigMap', { data: { a: 'b' } }), values('ConfigMap', { data: { a: 'c' } }))).toEqual([]);
  });

  test('the rule is the core Secret\'s and ConfigMap\'s: another core kind carrying `immutable`, or a custom resource named Secret, is not told to be re-created', () => {
    expect(warned(values('ServiceAccount', { immutable: true }), values('ServiceAccount', { immutable: false }))).toEqual([]);
    expect(warned(values('Secret', { immutable: true, data: { a: 'YQ==' } }, 'example.com/v1'), values('Secret', { immutable: true, data: { a: 'Yg==' } }, 'example.com/v1'))).toEqual([]);
  });
});

describeWithCluster('the API server agrees: what the model warns about is refused, what it lets through is accepted', (cluster) => {
  /** Each case: the object as the last apply left it, and the manifest applied over it. */
  const cases: [string, KubeObject, KubeObject][] = [];
  const add = (name: string, before: KubeObject, after: KubeObject) => cases.push([name, before, after]);
  for (const kind of ['Deployment', 'ReplicaSet', 'DaemonSet']) add(`${kind} selector`, workload(kind, 'apps/v1', 'web'), workload(kind, 'apps/v1', 'frontend'));
  add('Service selector', service({ selector: { component: 'db' } }), service({ selector: { component: 'postgres' } }));
  for (const [field, value] of [['replicas', 3], ['ordinals', { start: 1 }], ['updateStrategy', { type: 'RollingUpdate', rollingUpdate: { partition: 1 } }], ['revisionHistoryLimit', 4], ['persistentVolumeClaimRetentionPolicy', { whenDeleted: 'Delete', whenScaled: 'Retain' }], ['minReadySeconds', 5]] as const) {
    add(`StatefulSet ${field}`, statefulSet(), statefulSet({ [field]: value }));
  }
  add('StatefulSet serviceName and podManagementPolicy', statefulSet(), statefulSet({ serviceName: 'postgres', podManagementPolicy: 'Parallel' }));
  add('claim accessModes', claim(), claim({ accessModes: ['ReadWriteMany'] }));
  add('claim smaller', claim(), claim({ resources: { requests: { storage: '1Gi' } } }));
  add('claim volumeName set', claim(), claim({ volumeName: 'pv-a' }));
  add('claim volumeName changed', claim({ volumeName: 'pv-a' }), claim({ volumeName: 'pv-b' }));
  add('claim volumeMode named', claim(), claim({ volumeMode: 'Filesystem' }));
  // ASSIGNED stands for the address the server gave the Service when it was made without one (an
  // address named in a manifest may still be held by an object of an earlier run); OTHER for another.
  add('Service clusterIP changed', service({ clusterIP: 'ASSIGNED' }), service({ clusterIP: 'OTHER' }));
  add('Service clusterIP no longer named', service({ clusterIP: 'ASSIGNED' }), service());
  add('Service clusterIP named as it was, with clusterIPs', service({ clusterIP: 'ASSIGNED' }), service({ clusterIP: 'ASSIGNED', clusterIPs: ['ASSIGNED'] }));
  add('Service made headless after the server assigned an address', service(), service({ clusterIP: 'None' }));
  add('Service ExternalName to headless', service({ type: 'ExternalName', externalName: 'db.example.com' }), service({ clusterIP: 'None' }));
  add('Service headless to ExternalName', service({ clusterIP: 'None' }), service({ type: 'ExternalName', externalName: 'db.example.com' }));
  add('Service type', service({ type: 'ClusterIP' }), service({ type: 'NodePort' }));
  const manual = (run: string) => job({ manualSelector: true, selector: { matchLabels: { run } }, template: { metadata: { labels: { run } }, spec: { restartPolicy: 'Never', containers: [{ name: 'migrate', image: 'migrate:1' }] } } });
  add('Job selector', manual('a'), manual('b'));
  add('Job template', job(), job({ template: { spec: { restartPolicy: 'Never', containers: [{ name: 'migrate', image: 'migrate:2' }] } } }));
  add('Job completionMode', job(), job({ completionMode: 'Indexed', completions: 1 }));
  add('Job parallelism', job(), job({ parallelism: 2 }));
  add('Job completions', job({ completions: 2 }), job({ completions: 3 }));
  add('Indexed Job completions with parallelism', job({ completionMode: 'Indexed', completions: 2, parallelism: 2 }), job({ completionMode: 'Indexed', completions: 3, parallelism: 3 }));
  add('Job podFailurePolicy', job(), job({ podFailurePolicy: { rules: [{ action: 'FailJob', onExitCodes: { operator: 'In', values: [42] } }] } }));
  add('Job managedBy', job(), job({ managedBy: 'example.com/queue' }));
  add('Job backoffLimitPerIndex', job({ completionMode: 'Indexed', completions: 1, backoffLimitPerIndex: 1 }), job({ completionMode: 'Indexed', completions: 1, backoffLimitPerIndex: 2 }));
  add('Job successPolicy', job({ completionMode: 'Indexed', completions: 2 }), job({ completionMode: 'Indexed', completions: 2, successPolicy: { rules: [{ succeededCount: 1 }] } }));
  const placedJob = (suspend: boolean, disk: string, image = 'migrate:1') => job({ suspend, template: { metadata: { labels: { disk } }, spec: { restartPolicy: 'Never', containers: [{ name: 'migrate', image }], nodeSelector: { disk } } } });
  add('suspended Job moved', placedJob(true, 'hdd'), placedJob(true, 'ssd'));
  add('suspended Job new image', placedJob(true, 'hdd'), placedJob(true, 'hdd', 'migrate:2'));
  add('running Job moved', placedJob(false, 'hdd'), placedJob(false, 'ssd'));
  const nodeAffinity = { nodeAffinity: { requiredDuringSchedulingIgnoredDuringExecution: { nodeSelectorTerms: [{ matchExpressions: [{ key: 'zone', operator: 'In', values: ['b'] }] }] } } };
  const withAffinity = (affinity: KubeObject) => job({ suspend: true, template: { spec: { restartPolicy: 'Never', containers: [{ name: 'migrate', image: 'migrate:1' }], affinity } } });
  add('suspended Job gains node affinity', job({ suspend: true }), withAffinity(nodeAffinity));
  add('suspended Job loses node affinity', withAffinity(nodeAffinity), job({ suspend: true }));
  add('suspended Job gains pod affinity', job({ suspend: true }), withAffinity({ ...nodeAffinity, podAffinity: { requiredDuringSchedulingIgnoredDuringExecution: [{ topologyKey: 'zone', labelSelector: { matchLabels: { a: 'b' } } }] } }));
  add('immutable Secret data', values('Secret', { immutable: true, data: { KEY: 'YQ==' } }), values('Secret', { immutable: true, data: { KEY: 'Yg==' } }));
  add('immutable Secret stringData', values('Secret', { immutable: true, data: { KEY: 'YQ==' } }), values('Secret', { immutable: true, data: { KEY: 'YQ==' }, stringData: { OTHER: 'b' } }));
  add('immutable Secret made mutable', values('Secret', { immutable: true, data: { KEY: 'YQ==' } }), values('Secret', { immutable: false, data: { KEY: 'YQ==' } }));
  add('immutable Secret labels', values('Secret', { immutable: true, data: { KEY: 'YQ==' } }), { ...values('Secret', { immutable: true, data: { KEY: 'YQ==' } }), metadata: { name: 'settings', labels: { tier: 'db' } } });
  add('immutable ConfigMap binaryData', values('ConfigMap', { immutable: true, binaryData: { blob: 'YQ==' } }), values('ConfigMap', { immutable: true, binaryData: { blob: 'Yg==' } }));
  add('immutable ConfigMap data key app.conf', values('ConfigMap', { immutable: true, data: { 'app.conf': 'a' } }), values('ConfigMap', { immutable: true, data: { 'app.conf': 'b' } }));
  add('ConfigMap data', values('ConfigMap', { data: { a: 'b' } }), values('ConfigMap', { data: { a: 'c' } }));
  add('Secret type named as its default', values('Secret', { data: { a: 'YQ==' } }), values('Secret', { type: 'Opaque', data: { a: 'YQ==' } }));
  add('Secret type changed', values('Secret', { data: { a: 'YQ==' } }), values('Secret', { type: 'example.com/token', data: { a: 'YQ==' } }));

  test.each(cases)('%s', async (_name, manifest, next) => {
    const ns = await cluster().namespace('replace');
    let [before, after] = [manifest, next];
    if (JSON.stringify(manifest).includes('ASSIGNED')) {
      await cluster().kubectlOk(['create', '-n', ns, '-f', '-'], { input: JSON.stringify(service()) });
      const assigned = await cluster().kubectlOk(['get', '-n', ns, 'service', 'db', '-o', 'jsonpath={.spec.clusterIP}']);
      const other = assigned.replace(/\d+$/, (octet) => String(Number(octet) === 254 ? 253 : Number(octet) + 1));
      [before, after] = [manifest, next].map((o) => JSON.parse(JSON.stringify(o).replace(/ASSIGNED/g, assigned).replace(/OTHER/g, other)));
    }
    await cluster().kubectlOk(['apply', '-n', ns, '-f', '-'], { input: JSON.stringify(before) });
    const update = await cluster().kubectl(['apply', '-n', ns, '--dry-run=server', '-f', '-'], { input: JSON.stringify(after) });
    const warnings = warned(before, after);
    // On a mismatch the failure shows what the server said.
    expect(update.code === 0 ? 'accepted' : `refused: ${update.stderr}`).toEqual(warnings.length > 0 ? expect.stringMatching(/^refused: /) : 'accepted');
    if (update.code !== 0) {
      // kubectl's refusal, read by refusalWarning (what plan --cluster does with it), names the same object.
      expect(refusalWarning(update.stderr, ns)).toEqual({ kind: 'replace', object: `${warnings[0].object} (${ns})`, message: expect.stringMatching(/^the API server refuses to change \S+ in place: /) });
    }
  });
});
