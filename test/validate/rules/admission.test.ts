import { checkApiRules } from '../../../lib/validate/api-rules';

// A webhook's clientConfig.caBundle is []byte: base64 the API server decodes with the object
// (issue 18: it was not checked).
const webhook = (kind: string, caBundle: unknown) => ({
  apiVersion: 'admissionregistration.k8s.io/v1', kind, metadata: { name: 'checks.example.com' },
  webhooks: [{ name: 'check.example.com', admissionReviewVersions: ['v1'], sideEffects: 'None', clientConfig: { url: 'https://hooks.example.com/check', caBundle } }],
});

describe('webhook configuration rules', () => {
  test.each(['ValidatingWebhookConfiguration', 'MutatingWebhookConfiguration'])('a %s caBundle that is not base64 is refused', (kind) => {
    expect(checkApiRules(webhook(kind, 'not base64!')).map((f) => `${f.path}: ${f.message}`)).toEqual(['webhooks[0].clientConfig.caBundle: caBundle is not base64: the API server cannot decode the object']);
  });

  test.each([['base64', 'aGVsbG8='], ['base64 over lines', 'aGVs\nbG8='], ['no caBundle', undefined]])('a caBundle of %s is accepted', (_what, caBundle) => {
    expect(checkApiRules(webhook('ValidatingWebhookConfiguration', caBundle))).toEqual([]);
  });

  test('webhooks that are not objects, or without a clientConfig, have nothing to judge', () => {
    expect(checkApiRules({ ...webhook('MutatingWebhookConfiguration', 'x'), webhooks: [null, { name: 'a' }] })).toEqual([]);
  });
});

test('a webhook\'s namespace and object selectors are label selectors', () => {
  const hook = webhook('ValidatingWebhookConfiguration', undefined);
  Object.assign(hook.webhooks[0], { namespaceSelector: { matchLabels: { team: 'has space' } }, objectSelector: { matchExpressions: [{ key: 'app', operator: 'In', values: [] }] } });
  expect(checkApiRules(hook).map((f) => f.path)).toEqual(['webhooks[0].namespaceSelector.matchLabels.team', 'webhooks[0].objectSelector.matchExpressions[0].values']);
});
