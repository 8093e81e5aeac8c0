import { isObject } from '../pods';
import { KubeObject } from '../problem';
import { parseQuantity, QUANTITY_SYNTAX } from '../quantity';
import { Add, checkEnum, checkLabelSelector, checkName } from './common';

const ACCESS_MODES = ['ReadWriteOnce', 'ReadOnlyMany', 'ReadWriteMany', 'ReadWriteOncePod'];

export function checkClaim(object: KubeObject, add: Add): void {
  if (isObject(object.spec)) checkClaimSpec(object.spec, 'spec', add);
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
    if (modes.includes('ReadWriteOncePod') && modes.length > 1) add(`${at}.accessModes`, 'ReadWriteOncePod is combined with other modes', 'ReadWriteOncePod alone');
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
    if (typeof ref.kind !== 'string' || ref.kind === '') add(`${at}.${field}.kind`, `${field} has no kind`, 'PersistentVolumeClaim, VolumeSnapshot or a populator kind');
    if (typeof ref.name !== 'string' || ref.name === '') add(`${at}.${field}.name`, `${field} has no name`, 'the name of the source object');
  }
}
