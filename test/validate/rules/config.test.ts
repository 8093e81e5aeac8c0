import { KubeObject } from '../../../lib/validate/problem';
import { expectOnly } from '../../helpers';
import { BreakCase, breakValid, the } from '../../support/valid-fixtures';

const settings = (o: KubeObject[]) => the(o, 'ConfigMap', 'web-settings');
const credentials = (o: KubeObject[]) => the(o, 'Secret', 'web-credentials');
const tls = (o: KubeObject[]) => the(o, 'Secret', 'web-tls');

// core ValidateConfigMap and ValidateSecret.
const CASES: BreakCase[] = [
  ['a ConfigMap key with a slash', (o) => { settings(o).data['conf/app'] = 'x'; }, 'ConfigMap/web-settings', 'data.conf/app', /^key "conf\/app" is not valid$/],
  ['a ConfigMap key starting with ..', (o) => { settings(o).data['..data'] = 'x'; }, 'ConfigMap/web-settings', 'data...data', /^key "..data" is not valid$/],
  ['a key in both data and binaryData', (o) => { settings(o).binaryData.LOG_LEVEL = 'aW5mbw=='; }, 'ConfigMap/web-settings', 'binaryData.LOG_LEVEL', /^key "LOG_LEVEL" is in both data and binaryData$/],
  ['a ConfigMap over 1 MiB', (o) => { settings(o).data = { big: 'x'.repeat(1024 * 1024 + 1) }; delete settings(o).binaryData; }, 'ConfigMap/web-settings', 'data', /^the ConfigMap holds \d+ bytes$/],
  ['a Secret over 1 MiB', (o) => { credentials(o).stringData = { big: 'x'.repeat(1024 * 1024 + 1) }; }, 'Secret/web-credentials', 'data', /^the Secret holds \d+ bytes$/],
  ['a Secret key with a space', (o) => { credentials(o).stringData['DB PASSWORD'] = 'x'; }, 'Secret/web-credentials', 'stringData.DB PASSWORD', /^key "DB PASSWORD" is not valid$/],
  ['Secret data that is not base64', (o) => { tls(o).data['tls.crt'] = 'not base64!'; }, 'Secret/web-tls', 'data.tls.crt', /^the value of "tls.crt" is not base64$/],
  ['a TLS Secret without its key', (o) => { delete tls(o).data['tls.key']; }, 'Secret/web-tls', 'data', /^a kubernetes.io\/tls Secret has no "tls.key" key$/],
  ['a docker config Secret that is not JSON', (o) => { o.push({ apiVersion: 'v1', kind: 'Secret', metadata: { name: 'registry', namespace: 'shop' }, type: 'kubernetes.io/dockerconfigjson', stringData: { '.dockerconfigjson': '{auths: ' } }); }, 'Secret/registry', 'data..dockerconfigjson', /^.dockerconfigjson of a kubernetes.io\/dockerconfigjson Secret is not JSON$/],
  ['a basic-auth Secret without username or password', (o) => { credentials(o).type = 'kubernetes.io/basic-auth'; }, 'Secret/web-credentials', 'data', /^a kubernetes.io\/basic-auth Secret has neither username nor password$/],
];

describe('ConfigMap and Secret rules', () => {
  test.each(CASES)('%s is reported, and nothing else', (_what, breakIt, object, path, message) => {
    expectOnly(breakValid(breakIt), { check: 'api', object, path, message });
  });

  test('exactly 1 MiB of values passes: the limit counts values, not keys', () => {
    expect(breakValid((o) => { settings(o).data = { big: 'x'.repeat(1024 * 1024) }; delete settings(o).binaryData; })).toEqual([]);
  });
});
