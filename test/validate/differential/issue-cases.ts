import { KubeObject } from '../../../lib/validate/problem';
import type { Case } from './judge';

/**
 * The cases of issue 18, each with what the server does: the validator had them wrong both ways.
 * Names are unique to this file where the kind is cluster-scoped.
 */

const meta = (name: string, extra: KubeObject = {}) => ({ name, namespace: 'app', ...extra });
const container = (extra: KubeObject = {}) => ({ name: 'app', image: 'nginx:1.27', ...extra });
const podSpec = (extra: KubeObject = {}) => ({ containers: [container()], ...extra });
const template = (labels: KubeObject = { app: 'web' }, spec: KubeObject = podSpec()) => ({ metadata: { labels }, spec });
const service = (ports: KubeObject[]) => ({ apiVersion: 'v1', kind: 'Service', metadata: meta('web'), spec: { selector: { app: 'web' }, ports } });
const secret = (data: KubeObject) => ({ apiVersion: 'v1', kind: 'Secret', metadata: meta('s'), data });
const configMap = (binaryData: KubeObject) => ({ apiVersion: 'v1', kind: 'ConfigMap', metadata: meta('c'), binaryData });
const deployment = (spec: KubeObject) => ({ apiVersion: 'apps/v1', kind: 'Deployment', metadata: meta('web'), spec: { selector: { matchLabels: { app: 'web' } }, template: template({ app: 'web' }, spec) } });
const job = (podFailurePolicy: KubeObject) => ({ apiVersion: 'batch/v1', kind: 'Job', metadata: meta('j'), spec: { podFailurePolicy, template: { spec: podSpec({ restartPolicy: 'Never' }) } } });
const webhook = (kind: string, caBundle: string) => ({
  apiVersion: 'admissionregistration.k8s.io/v1', kind, metadata: { name: `diff-${kind.toLowerCase()}-${caBundle.length}` },
  webhooks: [{ name: 'check.example.com', admissionReviewVersions: ['v1'], sideEffects: 'None', clientConfig: { url: 'https://hooks.example.com/check', caBundle } }],
});
const pv = (storage: unknown) => ({ apiVersion: 'v1', kind: 'PersistentVolume', metadata: { name: `diff-pv-${String(storage).replace(/[^a-z0-9]/gi, 'x').toLowerCase()}` }, spec: { capacity: { storage }, accessModes: ['ReadWriteOnce'], hostPath: { path: '/data' } } });
const quota = (hard: KubeObject) => ({ apiVersion: 'v1', kind: 'ResourceQuota', metadata: meta('q'), spec: { hard } });
const limitRange = (limit: KubeObject) => ({ apiVersion: 'v1', kind: 'LimitRange', metadata: meta('l'), spec: { limits: [{ type: 'Container', ...limit }] } });
const annotations = (value: string) => ({ apiVersion: 'v1', kind: 'ConfigMap', metadata: meta('big', { annotations: { note: value } }) });
const rc = (spec: KubeObject) => ({ apiVersion: 'v1', kind: 'ReplicationController', metadata: meta('rc'), spec });
const statefulSet = (volumes: KubeObject[]) => ({
  apiVersion: 'apps/v1', kind: 'StatefulSet', metadata: meta('db'),
  spec: {
    serviceName: 'db', selector: { matchLabels: { app: 'db' } },
    template: template({ app: 'db' }, podSpec({ containers: [container({ volumeMounts: [{ name: 'data', mountPath: '/data' }] })], volumes })),
    volumeClaimTemplates: [{ metadata: { name: 'data' }, spec: { accessModes: ['ReadWriteOnce'], resources: { requests: { storage: '1Gi' } } } }],
  },
});
// 262,144 bytes is the limit: in UTF-8, é is 2 bytes but 1 UTF-16 unit.
const ACCENTS = 'é'.repeat(131072 - 2);

export const ISSUE_CASES: readonly Case[] = [
  { label: 'a Service with one port number and protocol twice', object: service([{ name: 'a', port: 80 }, { name: 'b', port: 80 }]) },
  { label: 'a Service with one port number under two protocols', object: service([{ name: 'a', port: 53 }, { name: 'b', port: 53, protocol: 'UDP' }]) },
  { label: 'a Secret value without base64 padding', object: secret({ key: 'abc' }) },
  { label: 'a Secret value with a space inside', object: secret({ key: 'aGVs bG8=' }) },
  { label: 'a Secret value that is base64 over lines', object: secret({ key: 'aGVs\nbG8=' }) },
  { label: 'a Secret value that is good base64', object: secret({ key: 'aGVsbG8=' }) },
  { label: 'a ConfigMap binaryData value without padding', object: configMap({ key: 'abc' }) },
  { label: 'a ConfigMap binaryData value that is base64', object: configMap({ key: 'aGVsbG8=' }) },
  { label: 'annotations of 262,144 UTF-16 units but more bytes', object: annotations(ACCENTS) },
  { label: 'annotations of 262,140 bytes', object: annotations('e'.repeat(262140)) },
  { label: 'an emptyDir sizeLimit of -1Gi', object: deployment(podSpec({ volumes: [{ name: 'tmp', emptyDir: { sizeLimit: '-1Gi' } }] })) },
  { label: 'an emptyDir sizeLimit that is no quantity', object: deployment(podSpec({ volumes: [{ name: 'tmp', emptyDir: { sizeLimit: '1Gb' } }] })) },
  { label: 'an emptyDir sizeLimit of 1Gi', object: deployment(podSpec({ volumes: [{ name: 'tmp', emptyDir: { sizeLimit: '1Gi' } }] })) },
  { label: 'an object with no metadata', object: { apiVersion: 'v1', kind: 'ConfigMap', data: { a: 'b' } } },
  { label: 'a cluster-scoped object with metadata.namespace', object: { apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'ClusterRole', metadata: { name: 'diff-reader', namespace: 'app' }, rules: [] } },
  { label: 'a Namespace with metadata.namespace', object: { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'diff-ns-with-ns', namespace: 'app' } } },
  { label: 'runAsNonRoot without runAsUser', object: deployment(podSpec({ securityContext: { runAsNonRoot: true } })) },
  { label: 'runAsNonRoot with runAsUser 0', object: deployment(podSpec({ securityContext: { runAsNonRoot: true, runAsUser: 0 } })) },
  { label: 'a podFailurePolicy rule without onPodConditions status', object: job({ rules: [{ action: 'Ignore', onPodConditions: [{ type: 'DisruptionTarget' }] }] }) },
  { label: 'a podFailurePolicy rule with onPodConditions status', object: job({ rules: [{ action: 'Ignore', onPodConditions: [{ type: 'DisruptionTarget', status: 'True' }] }] }) },
  { label: 'a ClusterRoleBinding without roleRef.apiGroup', object: { apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'ClusterRoleBinding', metadata: { name: 'diff-binding' }, roleRef: { kind: 'ClusterRole', name: 'view' }, subjects: [{ kind: 'User', name: 'ann' }] } },
  { label: 'a RoleBinding without roleRef.apiGroup', object: { apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'RoleBinding', metadata: meta('b'), roleRef: { kind: 'Role', name: 'r' }, subjects: [{ kind: 'User', name: 'ann' }] } },
  { label: 'a StatefulSet claim template named like a pod volume', object: statefulSet([{ name: 'data', emptyDir: {} }]) },
  { label: 'a StatefulSet claim template alone', object: statefulSet([]) },
  { label: 'an object exported with uid and resourceVersion', object: { apiVersion: 'v1', kind: 'ConfigMap', metadata: meta('exported', { uid: '6c1f1c1e-8f3d-4d7e-9a55-3b7c1f0a2b11', resourceVersion: '12345' }) } },
  { label: 'an object exported with resourceVersion', object: { apiVersion: 'v1', kind: 'ConfigMap', metadata: meta('exported', { resourceVersion: '12345' }) } },
  { label: 'an object exported with uid', object: { apiVersion: 'v1', kind: 'ConfigMap', metadata: meta('exported', { uid: '6c1f1c1e-8f3d-4d7e-9a55-3b7c1f0a2b11' }) } },
  { label: 'an object exported with creationTimestamp and generation', object: { apiVersion: 'v1', kind: 'ConfigMap', metadata: meta('exported', { creationTimestamp: '2024-01-01T00:00:00Z', generation: 3 }) } },
  { label: 'a ValidatingWebhookConfiguration caBundle that is not base64', object: webhook('ValidatingWebhookConfiguration', 'not base64!') },
  { label: 'a MutatingWebhookConfiguration caBundle that is not base64', object: webhook('MutatingWebhookConfiguration', 'abc') },
  { label: 'a ValidatingWebhookConfiguration caBundle that is base64', object: webhook('ValidatingWebhookConfiguration', 'aGVsbG8=') },
  { label: 'a ReplicationController without a selector or template labels', object: rc({ template: { spec: podSpec() } }) },
  { label: 'a ReplicationController without a selector', object: rc({ template: template() }) },
  { label: 'a ReplicationController without a template', object: rc({ selector: { app: 'web' } }) },
  { label: 'a PersistentVolume capacity that is no quantity', object: pv('10 Gi') },
  { label: 'a PersistentVolume capacity that is negative', object: pv('-1Gi') },
  { label: 'a PersistentVolume capacity of 10Gi', object: pv('10Gi') },
  { label: 'a ResourceQuota hard limit that is no quantity', object: quota({ 'requests.cpu': 'lots' }) },
  { label: 'a ResourceQuota hard limit that is negative', object: quota({ pods: '-1' }) },
  { label: 'a ResourceQuota hard limit of 10', object: quota({ pods: '10' }) },
  { label: 'a LimitRange max that is no quantity', object: limitRange({ max: { memory: '1GB!' } }) },
  { label: 'a LimitRange default that is negative', object: limitRange({ default: { cpu: '-100m' } }) },
  { label: 'a LimitRange of sound quantities', object: limitRange({ max: { memory: '1Gi' }, default: { cpu: '100m' } }) },
];
