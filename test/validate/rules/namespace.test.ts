import { KubeObject } from '../../../lib/validate/problem';
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

  test.each(['secrets', 'imagePullSecrets'])('a Secret in %s whose name is not a DNS subdomain is reported', (field) => {
    expectOnly(breakValid((o) => { account(o)[field] = [{ name: 'registry' }, { name: 'Registry_Key' }]; }, ['api']),
      { check: 'api', object: 'ServiceAccount/shop-app', path: `${field}[1].name`, message: 'Secret name "Registry_Key" is not valid' });
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
