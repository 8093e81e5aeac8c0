import { withServerDefaults } from '../../lib/validate/defaults';
import { KubeObject } from '../../lib/validate/problem';

const one = (object: KubeObject): KubeObject => withServerDefaults([{ file: 'f.yaml', object }])[0].object;

const job = (patterns: unknown[]): KubeObject => ({
  apiVersion: 'batch/v1', kind: 'Job', metadata: { name: 'migrate' },
  spec: { podFailurePolicy: { rules: [{ action: 'Ignore', onPodConditions: patterns }] }, template: {} },
});

describe('withServerDefaults: what the API server fills in or drops before it validates', () => {
  test('a podFailurePolicy pattern without status gets True, as SetDefaults_PodFailurePolicyOnPodConditionsPattern sets it; a status given stays', () => {
    const out = one(job([{ type: 'DisruptionTarget' }, { type: 'ConfigIssue', status: 'False' }, { type: 'Other', status: '' }]));
    expect(out.spec.podFailurePolicy.rules[0].onPodConditions).toEqual([
      { type: 'DisruptionTarget', status: 'True' }, { type: 'ConfigIssue', status: 'False' }, { type: 'Other', status: 'True' },
    ]);
  });

  test('the same inside a CronJob\'s job template', () => {
    const cron = { apiVersion: 'batch/v1', kind: 'CronJob', metadata: { name: 'nightly' }, spec: { schedule: '0 3 * * *', jobTemplate: { spec: job([{ type: 'DisruptionTarget' }]).spec } } };
    expect(one(cron).spec.jobTemplate.spec.podFailurePolicy.rules[0].onPodConditions[0].status).toBe('True');
  });

  test('RoleBinding and ClusterRoleBinding: a missing or empty roleRef.apiGroup is rbac.authorization.k8s.io; another group stays (the rules judge it)', () => {
    for (const kind of ['RoleBinding', 'ClusterRoleBinding']) {
      const binding = (roleRef: Record<string, unknown>) => ({ apiVersion: 'rbac.authorization.k8s.io/v1', kind, metadata: { name: 'b' }, roleRef, subjects: [] });
      expect(one(binding({ kind: 'ClusterRole', name: 'view' })).roleRef.apiGroup).toBe('rbac.authorization.k8s.io');
      expect(one(binding({ kind: 'ClusterRole', name: 'view', apiGroup: '' })).roleRef.apiGroup).toBe('rbac.authorization.k8s.io');
      expect(one(binding({ kind: 'ClusterRole', name: 'view', apiGroup: 'example.com' })).roleRef.apiGroup).toBe('example.com');
    }
  });

  test('a claim\'s dataSource that is neither a claim nor a VolumeSnapshot is dropped on create, unless dataSourceRef is set', () => {
    const claim = (spec: Record<string, unknown>) => ({ apiVersion: 'v1', kind: 'PersistentVolumeClaim', metadata: { name: 'data' }, spec: { accessModes: ['ReadWriteOnce'], ...spec } });
    expect(one(claim({ dataSource: { name: 'src' } })).spec).not.toHaveProperty('dataSource');
    expect(one(claim({ dataSource: { kind: 'Populator', apiGroup: 'example.com', name: 'p' } })).spec).not.toHaveProperty('dataSource');
    expect(one(claim({ dataSource: { kind: 'VolumeSnapshot', name: 's' } })).spec).not.toHaveProperty('dataSource');
    expect(one(claim({ dataSource: { kind: 'PersistentVolumeClaim', name: 'src' } })).spec.dataSource).toEqual({ kind: 'PersistentVolumeClaim', name: 'src' });
    expect(one(claim({ dataSource: { kind: 'VolumeSnapshot', apiGroup: 'snapshot.storage.k8s.io', name: 's' } })).spec.dataSource.kind).toBe('VolumeSnapshot');
    const ref = { kind: 'Populator', apiGroup: 'example.com', name: 'p' };
    expect(one(claim({ dataSource: ref, dataSourceRef: ref })).spec.dataSource).toEqual(ref);
  });

  test('the input is not changed, and objects it does not default are passed through as they are', () => {
    const input = job([{ type: 'DisruptionTarget' }]);
    const before = JSON.stringify(input);
    one(input);
    expect(JSON.stringify(input)).toBe(before);
    const item = { file: 'f.yaml', object: { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'c' } } };
    expect(withServerDefaults([item])[0]).toBe(item);
    const odd = [null, 'text', [], { apiVersion: 'batch/v1', kind: 'Job', spec: { podFailurePolicy: { rules: 'x' } } }];
    for (const object of odd) expect(withServerDefaults([{ file: 'f.yaml', object: object as KubeObject }])[0].object).toBe(object);
  });

  test('an object with nothing to default is passed through as the same item: a Job or CronJob whose patterns all have a status, a claim without dataSource', () => {
    const unchanged: KubeObject[] = [
      job([{ type: 'ConfigIssue', status: 'False' }]),
      { apiVersion: 'batch/v1', kind: 'CronJob', metadata: { name: 'nightly' }, spec: { schedule: '0 3 * * *', jobTemplate: { spec: { template: {} } } } },
      { apiVersion: 'v1', kind: 'PersistentVolumeClaim', metadata: { name: 'data' }, spec: { accessModes: ['ReadWriteOnce'] } },
    ];
    for (const object of unchanged) {
      const item = { file: 'f.yaml', object };
      expect(withServerDefaults([item])[0]).toBe(item);
    }
  });

  test('only a Job, a CronJob and the two bindings are defaulted: other kinds of their groups with the same fields stay as they are', () => {
    const pattern = { podFailurePolicy: { rules: [{ action: 'Ignore', onPodConditions: [{ type: 'DisruptionTarget' }] }] }, template: {} };
    const others: KubeObject[] = [
      { apiVersion: 'batch/v1', kind: 'JobSet', metadata: { name: 'j' }, spec: { jobTemplate: { spec: pattern } } },
      { apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'Role', metadata: { name: 'r' }, roleRef: { kind: 'ClusterRole', name: 'view' } },
    ];
    for (const object of others) {
      const item = { file: 'f.yaml', object };
      expect(withServerDefaults([item])[0]).toBe(item);
    }
  });

  test('the same kinds of another group (a custom resource\'s), and a core object of another kind with a dataSource, stay as they are', () => {
    const pattern = { podFailurePolicy: { rules: [{ action: 'Ignore', onPodConditions: [{ type: 'DisruptionTarget' }] }] }, template: {} };
    const others: KubeObject[] = [
      { apiVersion: 'example.com/v1', kind: 'Job', metadata: { name: 'j' }, spec: pattern },
      { apiVersion: 'example.com/v1', kind: 'CronJob', metadata: { name: 'c' }, spec: { jobTemplate: { spec: pattern } } },
      { apiVersion: 'example.com/v1', kind: 'RoleBinding', metadata: { name: 'r' }, roleRef: { kind: 'ClusterRole', name: 'view' } },
      { apiVersion: 'example.com/v1', kind: 'ClusterRoleBinding', metadata: { name: 'cr' }, roleRef: { kind: 'ClusterRole', name: 'view' } },
      { apiVersion: 'example.com/v1', kind: 'PersistentVolumeClaim', metadata: { name: 'p' }, spec: { dataSource: { kind: 'Other', name: 'x' } } },
      { apiVersion: 'v1', kind: 'PersistentVolume', metadata: { name: 'pv' }, spec: { dataSource: { kind: 'Other', name: 'x' } } },
    ];
    for (const object of others) {
      const item = { file: 'f.yaml', object };
      expect(withServerDefaults([item])[0]).toBe(item);
    }
  });

  test('podFailurePolicy rules that are not objects, or have no onPodConditions list, are kept as they are beside one that is defaulted', () => {
    const out = one({
      apiVersion: 'batch/v1', kind: 'Job', metadata: { name: 'migrate' },
      spec: { podFailurePolicy: { rules: [null, { action: 'FailJob', onExitCodes: { operator: 'In', values: [1] } }, { action: 'Ignore', onPodConditions: [{ type: 'DisruptionTarget' }] }] }, template: {} },
    });
    expect(out.spec.podFailurePolicy.rules).toEqual([
      null, { action: 'FailJob', onExitCodes: { operator: 'In', values: [1] } }, { action: 'Ignore', onPodConditions: [{ type: 'DisruptionTarget', status: 'True' }] },
    ]);
  });

  test('dataSource: a null one is dropped; a claim of another group, or another kind of the snapshot group, is neither a claim nor a snapshot (util.go dataSourceIsPvcOrSnapshot)', () => {
    const claim = (dataSource: unknown) => ({ apiVersion: 'v1', kind: 'PersistentVolumeClaim', metadata: { name: 'data' }, spec: { accessModes: ['ReadWriteOnce'], dataSource } });
    expect(one(claim(null)).spec).toEqual({ accessModes: ['ReadWriteOnce'] });
    expect(one(claim({ kind: 'PersistentVolumeClaim', apiGroup: 'example.com', name: 'src' })).spec).toEqual({ accessModes: ['ReadWriteOnce'] });
    expect(one(claim({ kind: 'VolumeSnapshotContent', apiGroup: 'snapshot.storage.k8s.io', name: 's' })).spec).toEqual({ accessModes: ['ReadWriteOnce'] });
  });
});
