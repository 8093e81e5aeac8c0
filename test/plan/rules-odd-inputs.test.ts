// lib/plan/rules.ts refusalWarning and replaceWarnings on type-valid odd inputs: messages with
// CRLF line endings or line separators inside a reason, an admission policy's denial (a cause
// without a field), and objects without a `spec` on one side with the changed paths given
// directly (replaceWarnings is exported: its callers may pass any paths). The rules' ordinary
// inputs are in rules-replace.test.ts; the real API server's own words for a policy's denial are
// in the API-server block at the end of this file.
import { KubeObject } from '../../lib/plan/objects';
import { PlanWarning, refusalWarning, replaceWarnings } from '../../lib/plan/rules';
import { describeWithCluster } from '../support/envtest';

const replace = (object: string, message: string): PlanWarning => ({ kind: 'replace', object, message });

const CLAIM_TAIL = '(its volume and data go too unless the volume\'s reclaim policy is Retain), then apply and restore';
const JOB_DELETE = 'run `kubectl delete job migrate`, then apply (the Job runs again)';

function job(spec: KubeObject = {}): KubeObject {
  return { apiVersion: 'batch/v1', kind: 'Job', metadata: { name: 'migrate' }, spec: { template: { spec: { restartPolicy: 'Never', containers: [{ name: 'migrate', image: 'migrate:1' }] } }, ...spec } };
}

/** A Job or claim manifest without a spec (the server would refuse it; a folder may still hold it). */
const bare = (apiVersion: string, kind: string, name: string): KubeObject => ({ apiVersion, kind, metadata: { name } });

describe('refusalWarning: how a cause line is read', () => {
  test('a message with CRLF line endings reads as the same message with LF ones (several causes, and one)', () => {
    const several = 'The Service "db" is invalid: \r\n* spec.loadBalancerClass: Forbidden: may only be used when `type` is \'LoadBalancer\'\r\n* spec.clusterIPs[0]: Invalid value: ["10.0.0.78"]: may not change once set\r\n';
    expect(refusalWarning(several)).toEqual(replace('Service/db', 'the API server refuses to change spec.clusterIPs[0] in place: run `kubectl delete service db`, then apply'));
    expect(refusalWarning('The Deployment "web" is invalid: spec.selector: Invalid value: {"matchLabels":{"c":"b"}}: field is immutable\r\n', 'prod')).toEqual(
      replace('Deployment/web (prod)', 'the API server refuses to change spec.selector in place: run `kubectl delete deployment web -n prod`, then apply'));
  });

  // A CRD's validation rule (x-kubernetes-validations) gives its own message, any text: kubectl
  // splits causes on line feeds only, so another line-breaking character is part of the reason.
  test.each([
    ['a line separator (U+2028)', '\u2028'],
    ['a paragraph separator (U+2029)', '\u2029'],
    ['a carriage return alone', '\r'],
  ])('a reason with %s before its refusal words is read whole', (_what, separator) => {
    const message = `The Widget "w" is invalid: spec.size: Invalid value: "string": the size was set at creation${separator}(field is immutable)`;
    expect(refusalWarning(message, 'shop')).toEqual(replace('Widget/w (shop)', 'the API server refuses to change spec.size in place: run `kubectl delete widget w -n shop`, then apply'));
  });

  test('an admission policy\'s denial is a cause without a field: no field is named, whatever words follow', () => {
    // The form kube-apiserver v1.34 gives (the API-server block below checks it): deleting the
    // object to get past a policy is not the plan's advice to give; the policy may deny the create too.
    const denial = 'The configmaps "settings" is invalid: : ValidatingAdmissionPolicy \'frozen\' with binding \'frozen\' denied request: data is immutable\n';
    expect(refusalWarning(denial)).toBeUndefined();
    // The same cause among several (kubectl's `* field: reason` lines, the field empty).
    const several = 'The configmaps "settings" is invalid: \n* : ValidatingAdmissionPolicy \'frozen\' denied request: data is immutable\n* data.a: Invalid value: "x": must be shorter\n';
    expect(refusalWarning(several)).toBeUndefined();
  });
});

describe('replaceWarnings: a Job or claim without a spec on one side, the paths given directly', () => {
  test('a Job that had no spec is not read as suspended: its template is judged whole', () => {
    expect(replaceWarnings({ before: bare('batch/v1', 'Job', 'migrate'), after: job(), paths: ['spec.template.spec.containers[migrate].image'] }))
      .toEqual([replace('Job/migrate', `spec.template cannot change on a Job: ${JOB_DELETE}`)]);
  });

  // A suspended Job's affinity that appears or goes whole moves with it when it holds node affinity
  // alone; a side with no affinity at all (no template, or a template without a spec) holds none.
  test.each([
    ['the suspended Job had no template', { spec: { suspend: true } }, job({ suspend: true })],
    ['the suspended Job\'s template had no spec', { spec: { suspend: true, template: {} } }, job({ suspend: true })],
    ['the new Job has no spec', job({ suspend: true }), {}],
  ])('affinity of a suspended Job: %s', (_what, before, after) => {
    const [old, next] = [before, after].map((o) => ({ ...bare('batch/v1', 'Job', 'migrate'), ...o }));
    expect(replaceWarnings({ before: old, after: next, paths: ['spec.template.spec.affinity'] })).toEqual([]);
  });

  test('a new Job without a spec is not Indexed: its completions cannot change', () => {
    expect(replaceWarnings({ before: job({ completions: 2 }), after: bare('batch/v1', 'Job', 'migrate'), paths: ['spec.completions'] }))
      .toEqual([replace('Job/migrate', `spec.completions cannot change on a Job: ${JOB_DELETE}`)]);
  });

  test('a claim that had no spec had no volumeName: setting it is the binder\'s one change, not a refusal; other fields still are', () => {
    const after = { ...bare('v1', 'PersistentVolumeClaim', 'data'), spec: { accessModes: ['ReadWriteMany'], volumeName: 'pv-a' } };
    expect(replaceWarnings({ before: bare('v1', 'PersistentVolumeClaim', 'data'), after, paths: ['spec.accessModes', 'spec.volumeName'] }))
      .toEqual([replace('PersistentVolumeClaim/data', `spec.accessModes cannot change on a claim: copy its data out, run \`kubectl delete persistentvolumeclaim data\` ${CLAIM_TAIL}`)]);
  });
});

describeWithCluster('the API server\'s words for an admission policy\'s denial of an update', (cluster) => {
  // Cluster-scoped: unique names, matching only this test's namespace (the server is shared by the
  // worker's test files), deleted afterwards.
  const names: string[] = [];
  afterAll(async () => {
    for (const name of names) {
      await cluster().request('DELETE', `/apis/admissionregistration.k8s.io/v1/validatingadmissionpolicybindings/${name}`);
      await cluster().request('DELETE', `/apis/admissionregistration.k8s.io/v1/validatingadmissionpolicies/${name}`);
    }
  });

  test('a cause without a field, as refusalWarning reads it: no replace warning', async () => {
    const ns = await cluster().namespace('policy');
    const name = `frozen-${ns}`;
    names.push(name);
    const inNamespace = { namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': ns } } };
    const policy = {
      apiVersion: 'admissionregistration.k8s.io/v1', kind: 'ValidatingAdmissionPolicy', metadata: { name },
      spec: {
        failurePolicy: 'Fail',
        matchConstraints: { ...inNamespace, resourceRules: [{ apiGroups: [''], apiVersions: ['v1'], operations: ['UPDATE'], resources: ['configmaps'] }] },
        validations: [{ expression: 'object.data == oldObject.data', message: 'data is immutable' }],
      },
    };
    const binding = { apiVersion: 'admissionregistration.k8s.io/v1', kind: 'ValidatingAdmissionPolicyBinding', metadata: { name }, spec: { policyName: name, validationActions: ['Deny'], matchResources: inNamespace } };
    await cluster().kubectlOk(['apply', '-f', '-'], { input: JSON.stringify({ apiVersion: 'v1', kind: 'List', items: [policy, binding] }) });
    const settings = (value: string) => JSON.stringify({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'settings' }, data: { a: value } });
    await cluster().kubectlOk(['apply', '-n', ns, '-f', '-'], { input: settings('a') });
    // The server enforces a new policy once its informers have it: the update is retried until refused.
    let stderr = '';
    await cluster().waitFor('the policy to refuse the update', async () => {
      const update = await cluster().kubectl(['apply', '-n', ns, '--dry-run=server', '-f', '-'], { input: settings('b') });
      stderr = update.stderr;
      return update.code !== 0;
    });
    expect(stderr).toBe(`The configmaps "settings" is invalid: : ValidatingAdmissionPolicy '${name}' with binding '${name}' denied request: data is immutable\n`);
    expect(refusalWarning(stderr, ns)).toBeUndefined();
  });
});
