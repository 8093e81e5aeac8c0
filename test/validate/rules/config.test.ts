import { checkApiRules } from '../../../lib/validate/api-rules';
import { KubeObject } from '../../../lib/validate/problem';
import { expectOnly } from '../../helpers';
import { apiRulesOf, BreakCase, breakValid, the } from '../../support/valid-fixtures';

const settings = (o: KubeObject[]) => the(o, 'ConfigMap', 'web-settings');
const credentials = (o: KubeObject[]) => the(o, 'Secret', 'web-credentials');
const tls = (o: KubeObject[]) => the(o, 'Secret', 'web-tls');
const MIB = 1024 * 1024;
const b64 = (text: string) => Buffer.from(text).toString('base64');
/** A Secret added to the objects, in namespace shop. */
const secret = (o: KubeObject[], name: string, fields: KubeObject) => { o.push({ apiVersion: 'v1', kind: 'Secret', metadata: { name, namespace: 'shop' }, ...fields }); };

// core ValidateConfigMap and ValidateSecret.
const CASES: BreakCase[] = [
  ['a ConfigMap key with a slash', (o) => { settings(o).data['conf/app'] = 'x'; }, 'ConfigMap/web-settings', 'data.conf/app', /^key "conf\/app" is not valid$/],
  ['a ConfigMap key starting with ..', (o) => { settings(o).data['..data'] = 'x'; }, 'ConfigMap/web-settings', 'data...data', /^key "..data" is not valid$/],
  ['a key in both data and binaryData', (o) => { settings(o).binaryData.LOG_LEVEL = 'aW5mbw=='; }, 'ConfigMap/web-settings', 'binaryData.LOG_LEVEL', /^key "LOG_LEVEL" is in both data and binaryData$/],
  ['a ConfigMap over 1 MiB', (o) => { settings(o).data = { big: 'x'.repeat(1024 * 1024 + 1) }; delete settings(o).binaryData; }, 'ConfigMap/web-settings', 'data', /^the ConfigMap holds \d+ bytes$/],
  ['a Secret over 1 MiB', (o) => { credentials(o).stringData = { big: 'x'.repeat(1024 * 1024 + 1) }; }, 'Secret/web-credentials', 'data', /^the Secret holds \d+ bytes$/],
  ['a Secret key with a space', (o) => { credentials(o).stringData['DB PASSWORD'] = 'x'; }, 'Secret/web-credentials', 'stringData.DB PASSWORD', /^key "DB PASSWORD" is not valid$/],
  ['Secret data that is not base64', (o) => { tls(o).data['tls.crt'] = 'not base64!'; }, 'Secret/web-tls', 'data.tls.crt', /^the value of "tls.crt" \(plain text belongs in stringData\) is not base64: the API server cannot decode the object$/],
  ['a TLS Secret without its key', (o) => { delete tls(o).data['tls.key']; }, 'Secret/web-tls', 'data', /^a kubernetes.io\/tls Secret has no "tls.key" key$/],
  ['a docker config Secret that is not JSON', (o) => { o.push({ apiVersion: 'v1', kind: 'Secret', metadata: { name: 'registry', namespace: 'shop' }, type: 'kubernetes.io/dockerconfigjson', stringData: { '.dockerconfigjson': '{auths: ' } }); }, 'Secret/registry', 'data..dockerconfigjson', /^.dockerconfigjson of a kubernetes.io\/dockerconfigjson Secret is not JSON$/],
  ['a basic-auth Secret without username or password', (o) => { credentials(o).type = 'kubernetes.io/basic-auth'; }, 'Secret/web-credentials', 'data', /^a kubernetes.io\/basic-auth Secret has neither username nor password$/],
  ['a ConfigMap key "."', (o) => { settings(o).data['.'] = 'x'; }, 'ConfigMap/web-settings', 'data..', /^key "." is not valid$/],
  ['an empty ConfigMap key', (o) => { settings(o).data[''] = 'x'; }, 'ConfigMap/web-settings', 'data.', /^key "" is not valid$/],
  ['a ConfigMap key of 254 characters', (o) => { settings(o).data['k'.repeat(254)] = 'x'; }, 'ConfigMap/web-settings', `data.${'k'.repeat(254)}`, /^key "k+" is not valid$/],
  ['a binaryData key with a colon', (o) => { settings(o).binaryData['logo:png'] = 'aW5mbw=='; }, 'ConfigMap/web-settings', 'binaryData.logo:png', /^key "logo:png" is not valid$/],
  ['a ConfigMap whose binaryData, decoded, takes it over 1 MiB', (o) => { settings(o).data = {}; settings(o).binaryData = { big: b64('x'.repeat(MIB + 1)) }; }, 'ConfigMap/web-settings', 'data', /^the ConfigMap holds 1048577 bytes$/],
  ['a ConfigMap over 1 MiB by one number value', (o) => { settings(o).data = { big: 'x'.repeat(MIB), n: 5 }; delete settings(o).binaryData; }, 'ConfigMap/web-settings', 'data', /^the ConfigMap holds 1048577 bytes$/],
  ['a ConfigMap over 1 MiB in UTF-8 bytes, under it in characters', (o) => { settings(o).data = { big: 'é'.repeat(MIB / 2 + 1) }; delete settings(o).binaryData; }, 'ConfigMap/web-settings', 'data', /^the ConfigMap holds 1048578 bytes$/],
  ['a Secret over 1 MiB in its data, decoded', (o) => { tls(o).data['ca.crt'] = b64('x'.repeat(MIB)); }, 'Secret/web-tls', 'data', /^the Secret holds 1048583 bytes$/],
  ['a Secret data key that is not valid', (o) => { tls(o).data['tls crt'] = 'Y2VydA=='; }, 'Secret/web-tls', 'data.tls crt', /^key "tls crt" is not valid$/],
  ['Secret data with text after its padding', (o) => { tls(o).data['tls.crt'] = 'Y2VydA==x'; }, 'Secret/web-tls', 'data.tls.crt', /^the value of "tls.crt" \(plain text belongs in stringData\) is not base64: the API server cannot decode the object$/],
  ['Secret data with three padding characters', (o) => { tls(o).data['tls.crt'] = 'Y2VydA==='; }, 'Secret/web-tls', 'data.tls.crt', /^the value of "tls.crt" \(plain text belongs in stringData\) is not base64: the API server cannot decode the object$/],
  ['a TLS Secret without its certificate', (o) => { delete tls(o).data['tls.crt']; }, 'Secret/web-tls', 'data', /^a kubernetes.io\/tls Secret has no "tls.crt" key$/],
  ['a dockercfg Secret without its key', (o) => { secret(o, 'registry', { type: 'kubernetes.io/dockercfg', data: {} }); }, 'Secret/registry', 'data', /^a kubernetes.io\/dockercfg Secret has no ".dockercfg" key$/],
  ['a dockerconfigjson Secret without its key', (o) => { secret(o, 'registry', { type: 'kubernetes.io/dockerconfigjson', stringData: { other: '{}' } }); }, 'Secret/registry', 'data', /^a kubernetes.io\/dockerconfigjson Secret has no ".dockerconfigjson" key$/],
  ['an ssh-auth Secret without its private key', (o) => { secret(o, 'deploy-key', { type: 'kubernetes.io/ssh-auth', stringData: { 'ssh-publickey': 'ssh-ed25519 AAAA' } }); }, 'Secret/deploy-key', 'data', /^a kubernetes.io\/ssh-auth Secret has no "ssh-privatekey" key$/],
  ['a dockercfg Secret whose base64 data is not JSON', (o) => { secret(o, 'registry', { type: 'kubernetes.io/dockercfg', data: { '.dockercfg': b64('{auths: ') } }); }, 'Secret/registry', 'data..dockercfg', /^.dockercfg of a kubernetes.io\/dockercfg Secret is not JSON$/],
  ['a service-account-token Secret that names no ServiceAccount', (o) => { secret(o, 'token', { type: 'kubernetes.io/service-account-token', metadata: { name: 'token', namespace: 'shop', annotations: { other: 'x' } } }); }, 'Secret/token', 'metadata.annotations', /^a service-account-token Secret does not name its ServiceAccount$/],
];

describe('ConfigMap and Secret rules', () => {
  test.each(CASES)('%s is reported, and nothing else', (_what, breakIt, object, path, message) => {
    expectOnly(breakValid(breakIt), { check: 'api', object, path, message });
  });

  test('exactly 1 MiB of values passes: the limit counts values, not keys', () => {
    expect(breakValid((o) => { settings(o).data = { big: 'x'.repeat(1024 * 1024) }; delete settings(o).binaryData; })).toEqual([]);
  });
  test.each([
    ['a ConfigMap key of 253 characters', (o: KubeObject[]) => { settings(o).data['k'.repeat(253)] = 'x'; }],
    ['exactly 1 MiB of binaryData, decoded (more as base64)', (o: KubeObject[]) => { settings(o).data = {}; settings(o).binaryData = { big: b64('x'.repeat(MIB)) }; }],
    ['exactly 1 MiB of UTF-8 bytes, and a null value', (o: KubeObject[]) => { settings(o).data = { big: 'é'.repeat(MIB / 2), none: null }; delete settings(o).binaryData; }],
    ['a Secret key in data and stringData counted once, as stringData', (o: KubeObject[]) => { credentials(o).data = { DB_PASSWORD: b64('x'.repeat(MIB)) }; }],
    ['exactly 1 MiB of Secret data, decoded (more as base64)', (o: KubeObject[]) => { secret(o, 'blob', { data: { big: b64('x'.repeat(MIB)) } }); }],
    ['Secret data wrapped over lines, as base64 -w76 writes it', (o: KubeObject[]) => { tls(o).data['tls.crt'] = 'Y2Vy\ndA==\n'; }],
    ['Secret data with every base64 character', (o: KubeObject[]) => { tls(o).data['tls.crt'] = 'AZaz09+/'; }],
    ['a Secret value that is not a string (the schema check reports it)', (o: KubeObject[]) => { tls(o).data['ca.crt'] = 5; }],
    ['a TLS Secret whose keys come from stringData', (o: KubeObject[]) => { tls(o).stringData = { 'tls.key': 'key' }; delete tls(o).data['tls.key']; }],
    ['a Secret whose type is not a string (the schema check reports it) is judged as Opaque', (o: KubeObject[]) => { credentials(o).type = 7; }],
    ['a Secret whose type is a list holding a type (the schema check reports it) is judged as Opaque', (o: KubeObject[]) => { credentials(o).type = ['kubernetes.io/tls']; }],
    ['a Secret data value that is a map (the schema check reports it), not judged as base64', (o: KubeObject[]) => { tls(o).data['ca.crt'] = { pem: 'x' }; }],
    ['a Secret type the API server does not know, with any keys', (o: KubeObject[]) => { credentials(o).type = 'example.com/custom'; }],
    ['docker config Secrets holding JSON, in data and in stringData', (o: KubeObject[]) => {
      secret(o, 'registry-old', { type: 'kubernetes.io/dockercfg', data: { '.dockercfg': b64('{"registry.example.com":{}}') } });
      secret(o, 'registry', { type: 'kubernetes.io/dockerconfigjson', stringData: { '.dockerconfigjson': '{"auths":{}}' } });
    }],
    ['an Opaque Secret with a .dockerconfigjson key that is not JSON', (o: KubeObject[]) => { credentials(o).stringData['.dockerconfigjson'] = '{auths: '; }],
    ['a basic-auth Secret with only a username, and one with only a password', (o: KubeObject[]) => {
      secret(o, 'user-only', { type: 'kubernetes.io/basic-auth', stringData: { username: 'shop' } });
      secret(o, 'password-only', { type: 'kubernetes.io/basic-auth', data: { password: b64('x') } });
    }],
    ['a service-account-token Secret that names its ServiceAccount', (o: KubeObject[]) => { secret(o, 'token', { type: 'kubernetes.io/service-account-token', metadata: { name: 'token', namespace: 'shop', annotations: { 'kubernetes.io/service-account.name': 'shop-app' } } }); }],
  ])('%s passes: the API server accepts it', (_what, change) => {
    expect(breakValid(change, ['api'])).toEqual([]);
    expect(apiRulesOf(change)).toEqual([]);
  });
  test('a service-account-token Secret without metadata is reported, not a crash', () => {
    expect(checkApiRules({ apiVersion: 'v1', kind: 'Secret', type: 'kubernetes.io/service-account-token' }).map((f) => f.message))
      .toContain('a service-account-token Secret does not name its ServiceAccount');
  });

  // What each finding says is allowed, for the one who fixes it.
  test.each([
    ['a key that is not valid', (o: KubeObject[]) => { settings(o).data['a b'] = 'x'; }, 'at most 253 characters of A-Z a-z 0-9 - _ ., not "." or ".." and not starting with ".."'],
    ['a key in data and binaryData', (o: KubeObject[]) => { settings(o).binaryData.LOG_LEVEL = 'aW5mbw=='; }, 'each key in one of them'],
    ['a ConfigMap over 1 MiB', (o: KubeObject[]) => { settings(o).data = { big: 'x'.repeat(MIB + 1) }; delete settings(o).binaryData; }, 'at most 1048576 bytes (1 MiB) in all'],
    ['a Secret over 1 MiB', (o: KubeObject[]) => { credentials(o).stringData = { big: 'x'.repeat(MIB + 1) }; }, 'at most 1048576 bytes (1 MiB) in all'],
    ['data that is not base64', (o: KubeObject[]) => { tls(o).data['tls.crt'] = 'not base64!'; }, 'base64 (standard alphabet, padded with = to a multiple of 4 characters, no spaces), e.g. the output of `base64 -w0`'],
    ['a TLS Secret without its key', (o: KubeObject[]) => { delete tls(o).data['tls.key']; }, 'the keys tls.crt, tls.key'],
    ['a docker config that is not JSON', (o: KubeObject[]) => { secret(o, 'registry', { type: 'kubernetes.io/dockerconfigjson', stringData: { '.dockerconfigjson': '{' } }); }, 'the JSON of a Docker config (e.g. kubectl create secret docker-registry --dry-run=client -o yaml)'],
    ['a basic-auth Secret without username or password', (o: KubeObject[]) => { credentials(o).type = 'kubernetes.io/basic-auth'; }, 'username and/or password keys'],
    ['a token Secret that names no ServiceAccount', (o: KubeObject[]) => { secret(o, 'token', { type: 'kubernetes.io/service-account-token' }); }, 'annotation kubernetes.io/service-account.name'],
  ])('%s: the finding names what is allowed', (_what, breakIt, allowed) => {
    expect(breakValid(breakIt, ['api']).map((p) => p.allowed)).toEqual([allowed]);
  });
});

// Go's base64.StdEncoding, as the real API server (1.34) decodes []byte fields
// (test/validate/differential.test.ts): padding required, line breaks skipped, other spaces refused.
describe('base64 in Secret data and ConfigMap binaryData, as the API server decodes it', () => {
  const found = (change: (o: KubeObject[]) => void) => apiRulesOf(change).map((p) => `${p.object} ${p.path}`);
  test.each([
    ['without padding', 'abc'],
    ['with a space inside', 'aGVs bG8='],
    ['with a tab at the end', 'aGVsbG8=\t'],
    ['of a length that is no multiple of 4', 'aGVsbG8'],
    ['in the URL alphabet', 'aGk_'],
  ])('Secret data %s is refused', (_what, value) => {
    expect(found((o) => { tls(o).data['tls.crt'] = value; })).toEqual(['Secret/web-tls data.tls.crt']);
  });

  test.each([
    ['split over lines', 'aGVs\nbG8='],
    ['ending in CRLF', 'aGVsbG8=\r\n'],
    ['empty', ''],
    ['with unused bits set (Go is not strict about them)', 'aGl='],
  ])('Secret data %s is accepted', (_what, value) => {
    expect(found((o) => { tls(o).data['tls.crt'] = value; })).toEqual([]);
  });

  test('binaryData that is not base64: the finding names the key and what is allowed', () => {
    const problems = apiRulesOf((o) => { settings(o).binaryData = { logo: 'abc' }; });
    expect(problems.map((p) => `${p.path}: ${p.message} (${p.allowed})`)).toEqual([
      'binaryData.logo: the value of "logo" is not base64: the API server cannot decode the object (base64 (standard alphabet, padded with = to a multiple of 4 characters, no spaces), e.g. the output of `base64 -w0`)',
    ]);
  });

  test('ConfigMap binaryData is judged the same way', () => {
    expect(found((o) => { settings(o).binaryData = { logo: 'abc', icon: 'aGVsbG8=' }; })).toEqual(['ConfigMap/web-settings binaryData.logo']);
  });
});

// A null []byte value decodes to no bytes: an empty Docker config, which is no JSON.
test('a dockerconfigjson Secret whose .dockerconfigjson data is null is reported as not JSON', () => {
  const problems = apiRulesOf((o) => { secret(o, 'registry', { type: 'kubernetes.io/dockerconfigjson', data: { '.dockerconfigjson': null } }); });
  expect(problems.map((p) => `${p.object} ${p.path}: ${p.message}`)).toEqual(['Secret/registry data..dockerconfigjson: .dockerconfigjson of a kubernetes.io/dockerconfigjson Secret is not JSON']);
});

// A Secret's type is free text (core ValidateSecret checks only the types it knows): one named
// like an object's inherited property is a type of its own, with no keys required.
test.each(['constructor', 'toString', '__proto__', 'hasOwnProperty'])('a Secret of type %j is judged as a custom type', (type) => {
  expect(apiRulesOf((o) => { secret(o, 'custom', { type, data: { key: 'dmFsdWU=' } }); })).toEqual([]);
});
