import { KubeObject } from '../../../lib/validate/problem';
import { expectOnly } from '../../helpers';
import { apiRulesOf, BreakCase, breakValid, the } from '../../support/valid-fixtures';

const claim = (o: KubeObject[]) => the(o, 'PersistentVolumeClaim', 'exports');
const uploads = (o: KubeObject[]) => the(o, 'PersistentVolumeClaim', 'uploads');
const R = 'spec.resources.requests.storage';

// core ValidatePersistentVolumeClaimSpec.
const CASES: BreakCase[] = [
  ['a claim without access modes', (o) => { claim(o).spec.accessModes = []; }, 'PersistentVolumeClaim/exports', 'spec.accessModes', /^no access mode$/],
  ['ReadWriteOncePod with another mode', (o) => { claim(o).spec.accessModes.push('ReadOnlyMany'); }, 'PersistentVolumeClaim/exports', 'spec.accessModes', /^ReadWriteOncePod is combined with other modes$/],
  ['a claim of size 0', (o) => { claim(o).spec.resources.requests.storage = '0Gi'; }, 'PersistentVolumeClaim/exports', 'spec.resources.requests.storage', /^storage 0Gi is not positive$/],
  ['a StorageClass name with capitals', (o) => { claim(o).spec.storageClassName = 'Fast-SSD'; }, 'PersistentVolumeClaim/exports', 'spec.storageClassName', /^StorageClass name "Fast-SSD" is not valid$/],
  ['a volumeMode outside the enum', (o) => { claim(o).spec.volumeMode = 'Raw'; }, 'PersistentVolumeClaim/exports', 'spec.volumeMode', /^"Raw" is not a supported value$/],
  ['access modes that are not a list', (o) => { claim(o).spec.accessModes = 'ReadWriteOnce'; }, 'PersistentVolumeClaim/exports', 'spec.accessModes', /^no access mode$/],
  ['an access mode outside the enum', (o) => { uploads(o).spec.accessModes = ['ReadWriteMany', 'ReadWriteAll']; }, 'PersistentVolumeClaim/uploads', 'spec.accessModes[1]', /^access mode "ReadWriteAll" is not supported$/],
  ['a claim without a storage size', (o) => { delete claim(o).spec.resources.requests.storage; }, 'PersistentVolumeClaim/exports', R, /^the claim requests no storage size$/],
  ['a claim with a null storage size', (o) => { claim(o).spec.resources = { requests: { storage: null } }; }, 'PersistentVolumeClaim/exports', R, /^the claim requests no storage size$/],
  ['a claim with resources but no requests', (o) => { claim(o).spec.resources = { limits: { storage: '1Gi' } }; }, 'PersistentVolumeClaim/exports', R, /^the claim requests no storage size$/],
  ['a claim without resources', (o) => { delete claim(o).spec.resources; }, 'PersistentVolumeClaim/exports', R, /^the claim requests no storage size$/],
  ['a storage size that is not a quantity', (o) => { claim(o).spec.resources.requests.storage = '5 GB'; }, 'PersistentVolumeClaim/exports', R, /^"5 GB" is not a quantity$/],
  ['a negative storage size', (o) => { claim(o).spec.resources.requests.storage = '-1Gi'; }, 'PersistentVolumeClaim/exports', R, /^storage -1Gi is not positive$/],
  ['a dataSourceRef with an empty name', (o) => { claim(o).spec.dataSourceRef = { kind: 'PersistentVolumeClaim', name: '' }; }, 'PersistentVolumeClaim/exports', 'spec.dataSourceRef.name', /^dataSourceRef has no name$/],
  ['a dataSourceRef with an empty kind', (o) => { claim(o).spec.dataSourceRef = { kind: '', name: 'uploads' }; }, 'PersistentVolumeClaim/exports', 'spec.dataSourceRef.kind', /^dataSourceRef has no kind$/],
  ['a dataSource whose name is not a string', (o) => { claim(o).spec.dataSource = { kind: 'PersistentVolumeClaim', name: 7 }; }, 'PersistentVolumeClaim/exports', 'spec.dataSource.name', /^dataSource has no name$/],
  ['a claim selector that is not valid', (o) => { claim(o).spec.selector = { matchLabels: { tier: 'fast disk' } }; }, 'PersistentVolumeClaim/exports', 'spec.selector.matchLabels.tier', /^label value "fast disk" is not valid$/],
];

describe('PersistentVolumeClaim rules', () => {
  test.each(CASES)('%s is reported, and nothing else', (_what, breakIt, object, path, message) => {
    expectOnly(breakValid(breakIt), { check: 'api', object, path, message });
  });
  test('a null storage size is reported by the rule itself too (validateManifests drops the null first)', () => {
    expectOnly(apiRulesOf((o) => { claim(o).spec.resources.requests.storage = null; }), { object: 'PersistentVolumeClaim/exports', path: R, message: 'the claim requests no storage size' });
  });

  // What each finding says is allowed, for the one who fixes it.
  test.each([
    ['no access mode', (o: KubeObject[]) => { claim(o).spec.accessModes = []; }, 'at least one of ReadWriteOnce, ReadOnlyMany, ReadWriteMany, ReadWriteOncePod'],
    ['an unknown access mode', (o: KubeObject[]) => { uploads(o).spec.accessModes = ['ReadWriteAll']; }, 'ReadWriteOnce, ReadOnlyMany, ReadWriteMany, ReadWriteOncePod'],
    ['ReadWriteOncePod with another mode', (o: KubeObject[]) => { claim(o).spec.accessModes.push('ReadOnlyMany'); }, 'ReadWriteOncePod alone'],
    ['no storage size', (o: KubeObject[]) => { delete claim(o).spec.resources; }, 'a quantity > 0, e.g. 2Gi'],
    ['a storage size of 0', (o: KubeObject[]) => { claim(o).spec.resources.requests.storage = '0'; }, 'a quantity > 0, e.g. 2Gi'],
    ['a dataSourceRef without kind', (o: KubeObject[]) => { claim(o).spec.dataSourceRef = { name: 'nightly' }; }, 'PersistentVolumeClaim, VolumeSnapshot or a populator kind'],
    ['a dataSource without name', (o: KubeObject[]) => { claim(o).spec.dataSource = { kind: 'PersistentVolumeClaim' }; }, 'the name of the source object'],
  ])('%s: the finding names what is allowed', (_what, breakIt, allowed) => {
    expect(breakValid(breakIt, ['api']).map((p) => p.allowed)).toEqual([allowed]);
  });

  test('a dataSource that the API server drops: the warning names what is allowed', () => {
    const problems = apiRulesOf((o) => { claim(o).spec.dataSource = { apiGroup: 'example.com', kind: 'Backup', name: 'nightly' }; });
    expect(problems.map((p) => p.allowed)).toEqual(['kind PersistentVolumeClaim, or kind VolumeSnapshot of apiGroup snapshot.storage.k8s.io (a populator goes in dataSourceRef)']);
  });

  test('a dataSourceRef missing both kind and name is two findings', () => {
    const problems = breakValid((o) => { claim(o).spec.dataSourceRef = {}; }, ['api']);
    expect(problems.map((p) => p.path).sort()).toEqual(['spec.dataSourceRef.kind', 'spec.dataSourceRef.name']);
  });

  test.each([
    ['every access mode but ReadWriteOncePod, together', (o: KubeObject[]) => { uploads(o).spec.accessModes = ['ReadWriteOnce', 'ReadOnlyMany', 'ReadWriteMany']; }],
    ['ReadWriteOncePod alone', (o: KubeObject[]) => { uploads(o).spec.accessModes = ['ReadWriteOncePod']; }],
    ['a numeric storage size', (o: KubeObject[]) => { claim(o).spec.resources.requests.storage = 1073741824; }],
    ['a StorageClass name that is a DNS subdomain, and an empty one (no class)', (o: KubeObject[]) => { claim(o).spec.storageClassName = 'fast.ssd-1'; }],
    ['volumeMode Block', (o: KubeObject[]) => { claim(o).spec.volumeMode = 'Block'; }],
    ['a dataSource and a dataSourceRef naming a claim', (o: KubeObject[]) => {
      claim(o).spec.dataSource = { kind: 'PersistentVolumeClaim', name: 'uploads' };
      claim(o).spec.dataSourceRef = { kind: 'PersistentVolumeClaim', name: 'uploads' };
    }],
  ])('%s passes: the API server accepts it', (_what, change) => {
    expect(breakValid(change, ['api'])).toEqual([]);
    expect(apiRulesOf(change)).toEqual([]);
  });
});

// What the real API server (1.34) showed the rules had wrong (test/validate/differential.test.ts).
describe('claim and volume rules as the API server applies them', () => {
  const found = (change: (o: KubeObject[]) => void) => apiRulesOf(change).map((p) => `${p.object} ${p.path}: ${p.message}${p.severity ? ` [${p.severity}]` : ''}`);
  const pv = (capacity: KubeObject | null | undefined) => ({ apiVersion: 'v1', kind: 'PersistentVolume', metadata: { name: 'archive' }, spec: { capacity, accessModes: ['ReadWriteOnce'], hostPath: { path: '/data' } } });

  test.each([
    // EnforceDataSourceBackwardsCompatibility drops such a dataSource (without a dataSourceRef).
    ['a dataSource without kind', (o: KubeObject[]) => { claim(o).spec.dataSource = { apiGroup: 'snapshot.storage.k8s.io', name: 'nightly' }; }, ['PersistentVolumeClaim/exports spec.dataSource: a dataSource other than a PersistentVolumeClaim or a VolumeSnapshot is dropped by the API server [warning]']],
    ['a dataSource of a populator kind', (o: KubeObject[]) => { claim(o).spec.dataSource = { apiGroup: 'example.com', kind: 'Backup', name: 'nightly' }; }, ['PersistentVolumeClaim/exports spec.dataSource: a dataSource other than a PersistentVolumeClaim or a VolumeSnapshot is dropped by the API server [warning]']],
    ['a VolumeSnapshot dataSource', (o: KubeObject[]) => { claim(o).spec.dataSource = { apiGroup: 'snapshot.storage.k8s.io', kind: 'VolumeSnapshot', name: 'nightly' }; }, []],
    // The same mode twice is no other mode.
    ['ReadWriteOncePod twice', (o: KubeObject[]) => { claim(o).spec.accessModes = ['ReadWriteOncePod', 'ReadWriteOncePod']; }, []],
    ['a PersistentVolume of 10Gi', (o: KubeObject[]) => { o.push(pv({ storage: '10Gi' })); }, []],
    // dataSourceIsEnabled: a claim of the core group, or a VolumeSnapshot of snapshot.storage.k8s.io.
    ['a PersistentVolumeClaim dataSource with an explicit empty apiGroup', (o: KubeObject[]) => { claim(o).spec.dataSource = { apiGroup: '', kind: 'PersistentVolumeClaim', name: 'uploads' }; }, []],
    ['a populator kind of the core group', (o: KubeObject[]) => { claim(o).spec.dataSource = { kind: 'Backup', name: 'nightly' }; }, ['PersistentVolumeClaim/exports spec.dataSource: a dataSource other than a PersistentVolumeClaim or a VolumeSnapshot is dropped by the API server [warning]']],
    ['a PersistentVolumeClaim dataSource of another group', (o: KubeObject[]) => { claim(o).spec.dataSource = { apiGroup: 'example.com', kind: 'PersistentVolumeClaim', name: 'uploads' }; }, ['PersistentVolumeClaim/exports spec.dataSource: a dataSource other than a PersistentVolumeClaim or a VolumeSnapshot is dropped by the API server [warning]']],
    ['a VolumeSnapshot dataSource of the core group', (o: KubeObject[]) => { claim(o).spec.dataSource = { kind: 'VolumeSnapshot', name: 'nightly' }; }, ['PersistentVolumeClaim/exports spec.dataSource: a dataSource other than a PersistentVolumeClaim or a VolumeSnapshot is dropped by the API server [warning]']],
    // With a dataSourceRef, a populator in dataSource is kept (it must match the dataSourceRef).
    ['a populator in both dataSource and dataSourceRef', (o: KubeObject[]) => {
      claim(o).spec.dataSource = { apiGroup: 'example.com', kind: 'Backup', name: 'nightly' };
      claim(o).spec.dataSourceRef = { apiGroup: 'example.com', kind: 'Backup', name: 'nightly' };
    }, []],
  ])('%s is accepted (with any warning)', (_what, change, expected) => {
    expect(found(change)).toEqual(expected);
  });

  test.each([
    // A missing spec is the zero value: no access mode, no size.
    ['a claim without a spec', (o: KubeObject[]) => { delete claim(o).spec; }, [
      'PersistentVolumeClaim/exports spec.accessModes: no access mode',
      'PersistentVolumeClaim/exports spec.resources.requests.storage: the claim requests no storage size',
    ]],
    // core ValidatePersistentVolumeSpec: capacity is a quantity (decoding) above zero (validateBasicResource).
    ['a PersistentVolume capacity that is no quantity', (o: KubeObject[]) => { o.push(pv({ storage: '10 Gi' })); }, ['PersistentVolume/archive spec.capacity.storage: "10 Gi" is not a quantity']],
    ['a negative PersistentVolume capacity', (o: KubeObject[]) => { o.push(pv({ storage: '-1Gi' })); }, ['PersistentVolume/archive spec.capacity.storage: -1Gi is not positive']],
    ['a PersistentVolume without a spec', (o: KubeObject[]) => { o.push({ apiVersion: 'v1', kind: 'PersistentVolume', metadata: { name: 'archive' } }); }, ['PersistentVolume/archive spec: the PersistentVolume has no spec']],
    // ValidatePersistentVolumeSpec: capacity required, storage alone ("Unsupported value"), every quantity > 0.
    ['a PersistentVolume without a capacity', (o: KubeObject[]) => { o.push(pv(undefined)); }, ['PersistentVolume/archive spec.capacity: the PersistentVolume has no capacity']],
    ['a PersistentVolume with a null capacity', (o: KubeObject[]) => { o.push(pv(null)); }, ['PersistentVolume/archive spec.capacity: the PersistentVolume has no capacity']],
    ['a PersistentVolume with an empty capacity', (o: KubeObject[]) => { o.push(pv({})); }, ['PersistentVolume/archive spec.capacity: the PersistentVolume has no capacity']],
    ['a PersistentVolume capacity of 0', (o: KubeObject[]) => { o.push(pv({ storage: '0' })); }, ['PersistentVolume/archive spec.capacity.storage: 0 is not positive']],
    ['a PersistentVolume capacity with cpu besides storage', (o: KubeObject[]) => { o.push(pv({ storage: '10Gi', cpu: '1' })); }, ['PersistentVolume/archive spec.capacity: capacity sets storage, cpu: only storage is supported']],
    ['a PersistentVolume capacity of cpu alone, 0', (o: KubeObject[]) => { o.push(pv({ cpu: '0' })); }, [
      'PersistentVolume/archive spec.capacity: capacity sets cpu: only storage is supported',
      'PersistentVolume/archive spec.capacity.cpu: 0 is not positive',
    ]],
    ['a PersistentVolume of a StorageClass name that is no DNS subdomain', (o: KubeObject[]) => { o.push({ ...pv({ storage: '1Gi' }), spec: { ...pv({ storage: '1Gi' }).spec, storageClassName: 'Fast_SSD' } }); }, ['PersistentVolume/archive spec.storageClassName: StorageClass name "Fast_SSD" is not valid']],
  ])('%s is refused', (_what, change, expected) => {
    expect(found(change)).toEqual(expected);
  });
});

test('a PersistentVolume capacity that is no map is left to the schema check (the API server cannot decode it)', () => {
  const problems = apiRulesOf((o) => { o.push({ apiVersion: 'v1', kind: 'PersistentVolume', metadata: { name: 'archive' }, spec: { capacity: '10Gi', accessModes: ['ReadWriteOnce'], hostPath: { path: '/data' } } }); });
  expect(problems).toEqual([]);
});

// What a PersistentVolume finding says is allowed, for the one who fixes it.
test.each([
  ['no spec', {}, 'a spec with capacity.storage, accessModes and a volume source (e.g. nfs, csi)'],
  ['no capacity', { spec: { accessModes: ['ReadWriteOnce'], nfs: { server: 'nfs.example.com', path: '/x' } } }, 'a capacity of storage alone, a quantity > 0 (e.g. storage: 10Gi)'],
  ['a capacity of memory', { spec: { capacity: { memory: '1Gi' }, accessModes: ['ReadWriteOnce'], nfs: { server: 'nfs.example.com', path: '/x' } } }, 'a capacity of storage alone, a quantity > 0 (e.g. storage: 10Gi)'],
])('a PersistentVolume with %s: the finding names what is allowed', (_what, fields, allowed) => {
  const problems = apiRulesOf((o) => { o.push({ apiVersion: 'v1', kind: 'PersistentVolume', metadata: { name: 'archive' }, ...fields }); });
  expect(problems.map((p) => p.allowed)).toEqual([allowed]);
});
