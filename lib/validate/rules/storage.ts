import { isObject } from '../pods';
import { KubeObject } from '../problem';
import { parseQuantity, QUANTITY_SYNTAX } from '../quantity';
import { Add, checkEnum, checkLabelSelector, checkName, checkQuantity } from './common';

const ACCESS_MODES = ['ReadWriteOnce', 'ReadOnlyMany', 'ReadWriteMany', 'ReadWriteOncePod'];
const CAPACITY_RULE = 'a capacity of storage alone, a quantity > 0 (e.g. storage: 10Gi)';

export function checkClaim(object: KubeObject, add: Add): void {
  // Without a spec the claim is judged as an empty one, as the API server does.
  checkClaimSpec(isObject(object.spec) ? object.spec : {}, 'spec', add);
}

function isClaimOrSnapshot(ref: KubeObject): boolean {
  const group = typeof ref.apiGroup === 'string' ? ref.apiGroup : '';
  return (ref.kind === 'PersistentVolumeClaim' && group === '') || (ref.kind === 'VolumeSnapshot' && group === 'snapshot.storage.k8s.io');
}

// core ValidatePersistentVolume / ValidatePersistentVolumeSpec: a capacity of storage alone, a
// quantity above zero (validateBasicResource and the storage check).
export function checkPersistentVolume(object: KubeObject, add: Add): void {
  // With a spec the schema requires nothing of it; without one the zero value has no capacity,
  // no access mode and no volume source, which ValidatePersistentVolumeSpec refuses.
  if (!isObject(object.spec)) {
    add('spec', 'the PersistentVolume has no spec', 'a spec with capacity.storage, accessModes and a volume source (e.g. nfs, csi)');
    return;
  }
  // ValidatePersistentVolumeSpec: ValidateClassName (an empty class is no class).
  if (typeof object.spec.storageClassName === 'string' && object.spec.storageClassName !== '') checkName(object.spec.storageClassName, 'spec.storageClassName', 'StorageClass name', 'subdomain', add);
  // ValidatePersistentVolumeSpec: a capacity is required, of storage alone ("Unsupported value"),
  // each quantity in it above zero (validateBasicResource, ValidatePositiveQuantityValue). A
  // capacity that is no map is the schema's finding.
  const capacity = object.spec.capacity;
  if (capacity !== undefined && capacity !== null && !isObject(capacity)) return;
  const resources = Object.keys(capacity ?? {});
  if (resources.length === 0) add('spec.capacity', 'the PersistentVolume has no capacity', CAPACITY_RULE);
  else if (resources.length > 1 || resources[0] !== 'storage') add('spec.capacity', `capacity sets ${resources.join(', ')}: only storage is supported`, CAPACITY_RULE);
  for (const resource of resources) checkQuantity(capacity[resource], `spec.capacity.${resource}`, add, 'positive');
}

// k8s.io/kubernetes pkg/apis/core/validation ValidatePersistentVolumeClaimSpec (also the
// claims a StatefulSet's volumeClaimTemplates make).
export function checkClaimSpec(spec: KubeObject, at: string, add: Add): void {
  const modes = spec.accessModes;
  if (!Array.isArray(modes) || modes.length === 0) add(`${at}.accessModes`, 'no access mode', `at least one of ${ACCESS_MODES.join(', ')}`);
  else {
    modes.forEach((mode: unknown, i: number) => {
      if (!ACCESS_MODES.includes(mode as string)) add(`${at}.accessModes[${i}]`, `access mode "${mode}" is not supported`, ACCESS_MODES.join(', '));
    });
    // ReadWriteOncePod with another mode; the same mode twice is no other mode.
    if (modes.includes('ReadWriteOncePod') && modes.some((mode: unknown) => mode !== 'ReadWriteOncePod' && ACCESS_MODES.includes(mode as string))) add(`${at}.accessModes`, 'ReadWriteOncePod is combined with other modes', 'ReadWriteOncePod alone');
  }
  const storage = spec.resources?.requests?.storage;
  const size = parseQuantity(storage);
  if (storage === undefined || storage === null) add(`${at}.resources.requests.storage`, 'the claim requests no storage size', 'a quantity > 0, e.g. 2Gi');
  else if (size === undefined) add(`${at}.resources.requests.storage`, `"${storage}" is not a quantity`, QUANTITY_SYNTAX);
  else if (size <= 0) add(`${at}.resources.requests.storage`, `storage ${storage} is not positive`, 'a quantity > 0, e.g. 2Gi');
  // ValidateClassName: an empty class asks for no class (static binding), which is valid.
  if (typeof spec.storageClassName === 'string' && spec.storageClassName !== '') checkName(spec.storageClassName, `${at}.storageClassName`, 'StorageClass name', 'subdomain', add);
  checkEnum(spec.volumeMode, ['Filesystem', 'Block'], `${at}.volumeMode`, add);
  checkLabelSelector(spec.selector, `${at}.selector`, add);
  for (const field of ['dataSource', 'dataSourceRef']) {
    const ref = spec[field];
    if (!isObject(ref)) continue;
    // pkg/api/persistentvolumeclaim/util.go EnforceDataSourceBackwardsCompatibility: without a
    // dataSourceRef, a dataSource other than a PersistentVolumeClaim or a VolumeSnapshot is
    // dropped before validation (accepted, and lost).
    if (field === 'dataSource' && !isObject(spec.dataSourceRef) && !isClaimOrSnapshot(ref)) {
      add(`${at}.dataSource`, 'a dataSource other than a PersistentVolumeClaim or a VolumeSnapshot is dropped by the API server', 'kind PersistentVolumeClaim, or kind VolumeSnapshot of apiGroup snapshot.storage.k8s.io (a populator goes in dataSourceRef)', 'warning');
      continue;
    }
    if (typeof ref.kind !== 'string' || ref.kind === '') add(`${at}.${field}.kind`, `${field} has no kind`, 'PersistentVolumeClaim, VolumeSnapshot or a populator kind');
    if (typeof ref.name !== 'string' || ref.name === '') add(`${at}.${field}.name`, `${field} has no name`, 'the name of the source object');
  }
}
