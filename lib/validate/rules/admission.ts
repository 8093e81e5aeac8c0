import { isObject } from '../pods';
import { KubeObject } from '../problem';
import { Add, checkBase64, checkLabelSelector } from './common';

// Validating and mutating webhook configurations: a webhook's clientConfig.caBundle is []byte,
// so the API server decodes it as base64 with the object (k8s.io/api admissionregistration/v1
// WebhookClientConfig; "illegal base64 data at input byte N" otherwise), and its namespace and
// object selectors are label selectors (pkg/apis/admissionregistration/validation/validation.go
// validateValidatingWebhook / validateMutatingWebhook: ValidateLabelSelector).
export function checkWebhookConfiguration(object: KubeObject, add: Add): void {
  (Array.isArray(object.webhooks) ? object.webhooks : []).forEach((webhook: KubeObject, i: number) => {
    if (!isObject(webhook)) return;
    if (isObject(webhook.clientConfig)) checkBase64(webhook.clientConfig.caBundle, `webhooks[${i}].clientConfig.caBundle`, 'caBundle', add);
    checkLabelSelector(webhook.namespaceSelector, `webhooks[${i}].namespaceSelector`, add);
    checkLabelSelector(webhook.objectSelector, `webhooks[${i}].objectSelector`, add);
  });
}
