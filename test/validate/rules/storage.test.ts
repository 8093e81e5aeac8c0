import { KubeObject } from '../../../lib/validate/problem';
import { expectOnly } from '../../helpers';
import { BreakCase, breakValid, the } from '../../support/valid-fixtures';

const claim = (o: KubeObject[]) => the(o, 'PersistentVolumeClaim', 'exports');

// core ValidatePersistentVolumeClaimSpec.
const CASES: BreakCase[] = [
  ['a claim without access modes', (o) => { claim(o).spec.accessModes = []; }, 'PersistentVolumeClaim/exports', 'spec.accessModes', /^no access mode$/],
  ['ReadWriteOncePod with another mode', (o) => { claim(o).spec.accessModes.push('ReadOnlyMany'); }, 'PersistentVolumeClaim/exports', 'spec.accessModes', /^ReadWriteOncePod is combined with other modes$/],
  ['a claim of size 0', (o) => { claim(o).spec.resources.requests.storage = '0Gi'; }, 'PersistentVolumeClaim/exports', 'spec.resources.requests.storage', /^storage 0Gi is not positive$/],
  ['a StorageClass name with capitals', (o) => { claim(o).spec.storageClassName = 'Fast-SSD'; }, 'PersistentVolumeClaim/exports', 'spec.storageClassName', /^StorageClass name "Fast-SSD" is not valid$/],
  ['a volumeMode outside the enum', (o) => { claim(o).spec.volumeMode = 'Raw'; }, 'PersistentVolumeClaim/exports', 'spec.volumeMode', /^"Raw" is not a supported value$/],
];

describe('PersistentVolumeClaim rules', () => {
  test.each(CASES)('%s is reported, and nothing else', (_what, breakIt, object, path, message) => {
    expectOnly(breakValid(breakIt), { check: 'api', object, path, message });
  });
});
