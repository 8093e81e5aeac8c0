import { checkApiRules } from '../../../lib/validate/api-rules';
import { builtinKind } from '../../../lib/validate/rules/metadata';
import { expectOnly } from '../../helpers';
import { BreakCase, breakValid, the } from '../../support/valid-fixtures';

// apimachinery ValidateObjectMetaAccessor with each kind's name rule.
const CASES: BreakCase[] = [
  ['a ConfigMap name with capitals (subdomain)', (o) => { the(o, 'ConfigMap', 'web-settings').metadata.name = 'Web-Settings'; }, 'ConfigMap/Web-Settings', 'metadata.name', /^ConfigMap name "Web-Settings" is not valid$/],
  ['a Namespace name with a dot (label)', (o) => { o.push({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'shop.eu' } }); }, 'Namespace/shop.eu', 'metadata.name', /^Namespace name "shop.eu" is not valid$/],
  ['a ServiceAccount name with an underscore', (o) => { o.push({ apiVersion: 'v1', kind: 'ServiceAccount', metadata: { name: 'ci_deployer', namespace: 'shop' } }); }, 'ServiceAccount/ci_deployer', 'metadata.name', /^ServiceAccount name "ci_deployer" is not valid$/],
  ['a Namespace finalizer that is not a qualified name', (o) => { the(o, 'Namespace', 'shop').spec = { finalizers: ['example.com/clean up'] }; }, 'Namespace/shop', 'spec.finalizers[0]', /^finalizer "example.com\/clean up" is not a qualified name$/],
  ['a ServiceAccount pull Secret with capitals', (o) => { the(o, 'ServiceAccount', 'shop-app').imagePullSecrets = [{ name: 'Registry' }]; }, 'ServiceAccount/shop-app', 'imagePullSecrets[0].name', /^Secret name "Registry" is not valid$/],
];

describe('ObjectMeta rules', () => {
  test.each(CASES)('%s is reported, and nothing else', (_what, breakIt, object, path, message) => {
    expectOnly(breakValid(breakIt), { check: 'api', object, path, message });
  });

  // A kind the validator has no schema for is skipped whole (lib/validate/index.ts); when it has
  // one (a bundled or given CRD), the API rules judge its ObjectMeta and nothing else.
  test.each([
    ['a custom resource name with an underscore (subdomain)', { name: 'web_listener' }, 'metadata.name', 'Listener name "web_listener" is not valid'],
    ['a label value with a space on a custom resource', { name: 'web.listener', labels: { tier: 'front end' } }, 'metadata.labels.tier', 'label value "front end" is not valid'],
  ])('%s is reported by the API rules, and nothing else', (_what, metadata, path, message) => {
    const listener = { apiVersion: 'example.com/v1', kind: 'Listener', metadata, spec: { ports: [{ name: 'web', port: 80, protocol: 'HTTP' }] } };
    expect(checkApiRules(listener).map((f) => [f.path, f.message])).toEqual([[path, message]]);
  });

  test('metadata.creationTimestamp: null (kubectl create --dry-run output) passes', () => {
    expect(breakValid((o) => { the(o, 'ConfigMap', 'web-settings').metadata.creationTimestamp = null; })).toEqual([]);
  });

  test('a custom resource\'s own fields get no core rules: ports[].protocol HTTP passes', () => {
    expect(breakValid((o) => { the(o, 'Listener', 'web.listener').spec.ports.push({ name: 'grpc', port: 81, protocol: 'GRPC' }); })).toEqual([]);
  });

  test.each([
    [{ apiVersion: 'apps/v1', kind: 'Deployment' }, 'Deployment'],
    [{ apiVersion: 'extensions/v1beta1', kind: 'Deployment' }, 'Deployment'],
    [{ apiVersion: 'argoproj.io/v1alpha1', kind: 'Deployment' }, undefined],
    [{ apiVersion: 'v1', kind: 'Job' }, undefined],
    [{ apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'Role' }, 'Role'],
    [{ apiVersion: 'example.com/v1', kind: 'toString' }, undefined],
    [{ kind: 'constructor' }, undefined],
  ])('builtinKind(%j) is %s', (object, kind) => {
    expect(builtinKind(object)).toBe(kind);
  });
});
