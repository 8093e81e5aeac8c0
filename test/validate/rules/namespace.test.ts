import { KubeObject } from '../../../lib/validate/problem';
import { collector } from '../../../lib/validate/rules/common';
import { checkNamespace } from '../../../lib/validate/rules/namespace';
import { expectOnly } from '../../helpers';
import { apiRulesOf, breakValid, the } from '../../support/valid-fixtures';

const namespace = (o: KubeObject[]) => the(o, 'Namespace', 'shop');
const account = (o: KubeObject[]) => the(o, 'ServiceAccount', 'shop-app');

// core ValidateNamespace (finalizers) and ValidateServiceAccount (the Secrets it names).
describe('Namespace and ServiceAccount rules', () => {
  test('a finalizer that is not a qualified name is reported, the second of two', () => {
    expectOnly(breakValid((o) => { namespace(o).spec = { finalizers: ['kubernetes', 'example.com/clean up'] }; }, ['api']),
      { check: 'api', object: 'Namespace/shop', path: 'spec.finalizers[1]', message: 'finalizer "example.com/clean up" is not a qualified name' });
  });

  // core ValidateServiceAccount judges the ObjectMeta only (the real API server accepts these):
  // a warning, as no Secret can have such a name.
  test.each(['secrets', 'imagePullSecrets'])('a Secret in %s whose name is not a DNS subdomain is a warning', (field) => {
    expectOnly(breakValid((o) => { account(o)[field] = [{ name: 'registry' }, { name: 'Registry_Key' }]; }, ['api']),
      { check: 'api', object: 'ServiceAccount/shop-app', path: `${field}[1].name`, message: 'Secret name "Registry_Key" is not valid: no Secret can have this name', severity: 'warning' });
  });

  // The PodSecurity admission plugin refuses a Namespace whose pod-security labels do not parse.
  test.each([
    ['an empty enforce level', { 'pod-security.kubernetes.io/enforce': '' }, ['metadata.labels.pod-security.kubernetes.io/enforce: Pod Security level "" is not a level']],
    ['a warn level in capitals', { 'pod-security.kubernetes.io/warn': 'Restricted' }, ['metadata.labels.pod-security.kubernetes.io/warn: Pod Security level "Restricted" is not a level']],
    ['an audit version without the v', { 'pod-security.kubernetes.io/audit-version': '1.34' }, ['metadata.labels.pod-security.kubernetes.io/audit-version: Pod Security version "1.34" is not a version']],
    ['a version v1.034', { 'pod-security.kubernetes.io/enforce-version': 'v1.034' }, ['metadata.labels.pod-security.kubernetes.io/enforce-version: Pod Security version "v1.034" is not a version']],
    // helpers.go ParseVersion: versionRegexp is anchored at both ends, and strconv.Atoi refuses a
    // minor version beyond Go's int (9223372036854775807).
    ['a version with text before the v', { 'pod-security.kubernetes.io/warn-version': 'xv1.34' }, ['metadata.labels.pod-security.kubernetes.io/warn-version: Pod Security version "xv1.34" is not a version']],
    ['minor versions beyond Go\'s int', { 'pod-security.kubernetes.io/audit-version': 'v1.9223372036854775808', 'pod-security.kubernetes.io/warn-version': 'v1.10000000000000000000' }, [
      'metadata.labels.pod-security.kubernetes.io/audit-version: Pod Security version "v1.9223372036854775808" is not a version',
      'metadata.labels.pod-security.kubernetes.io/warn-version: Pod Security version "v1.10000000000000000000" is not a version',
    ]],
    ['minor versions of three digits and of Go\'s largest int', { 'pod-security.kubernetes.io/enforce-version': 'v1.100', 'pod-security.kubernetes.io/audit-version': 'v1.9223372036854775807', 'pod-security.kubernetes.io/warn-version': 'v1.9' }, []],
    ['every level and version form', { 'pod-security.kubernetes.io/enforce': 'restricted', 'pod-security.kubernetes.io/enforce-version': 'latest', 'pod-security.kubernetes.io/audit': 'baseline', 'pod-security.kubernetes.io/audit-version': 'v1.0', 'pod-security.kubernetes.io/warn': 'privileged', 'pod-security.kubernetes.io/warn-version': 'v1.34' }, []],
  ])('Pod Security labels: %s', (_what, labels, expected) => {
    const problems = apiRulesOf((o) => { namespace(o).metadata.labels = labels; });
    expect(problems.map((p) => `${p.path}: ${p.message}`)).toEqual(expected);
  });

  test('Pod Security labels: each finding names what is allowed', () => {
    const problems = apiRulesOf((o) => { namespace(o).metadata.labels = { 'pod-security.kubernetes.io/enforce': 'strict', 'pod-security.kubernetes.io/enforce-version': '1.34' }; });
    expect(problems.map((p) => `${p.path}: ${p.allowed}`)).toEqual([
      'metadata.labels.pod-security.kubernetes.io/enforce: one of privileged, baseline, restricted',
      'metadata.labels.pod-security.kubernetes.io/enforce-version: "latest" or "v1.x", e.g. v1.34',
    ]);
  });

  test.each([
    ['finalizers kubernetes and a prefixed one', (o: KubeObject[]) => { namespace(o).spec = { finalizers: ['kubernetes', 'example.com/cleanup'] }; }],
    ['a finalizer that is not a string (the schema check reports it)', (o: KubeObject[]) => { namespace(o).spec = { finalizers: [7] }; }],
    ['finalizers that are not a list (the schema check reports it)', (o: KubeObject[]) => { namespace(o).spec = { finalizers: 'example.com/clean up' }; }],
    ['Secret references that are null or name nothing (the schema check reports them)', (o: KubeObject[]) => { account(o).secrets = [null, { name: 7 }]; account(o).imagePullSecrets = [{}]; }],
    ['a list of Secrets that is not a list (the schema check reports it)', (o: KubeObject[]) => { account(o).imagePullSecrets = { name: 'Registry_Key' }; }],
  ])('%s passes: the API server accepts it', (_what, change) => {
    expect(breakValid(change, ['api'])).toEqual([]);
    expect(apiRulesOf(change)).toEqual([]);
  });
});

// ValidateNamespace on an object without metadata (the schema check reports that): judged as
// having no labels, not a crash.
test('a Namespace without metadata has no Pod Security finding', () => {
  const { findings, add } = collector();
  checkNamespace({ apiVersion: 'v1', kind: 'Namespace' }, add);
  expect(findings).toEqual([]);
});
