import { isObject } from '../pods';
import { KubeObject } from '../problem';
import { Add, checkName, checkQualifiedName } from './common';

// k8s.io/kubernetes pkg/apis/core/validation ValidateNamespace: finalizers are qualified names.
export function checkNamespace(object: KubeObject, add: Add): void {
  (Array.isArray(object.spec?.finalizers) ? object.spec.finalizers : []).forEach((f: unknown, i: number) => {
    if (typeof f === 'string') checkQualifiedName(f, `spec.finalizers[${i}]`, 'finalizer', add);
  });
}

// core ValidateServiceAccount: the Secrets and pull Secrets it names are object names.
export function checkServiceAccount(object: KubeObject, add: Add): void {
  for (const field of ['secrets', 'imagePullSecrets']) {
    (Array.isArray(object[field]) ? object[field] : []).forEach((ref: KubeObject, i: number) => {
      if (isObject(ref) && typeof ref.name === 'string') checkName(ref.name, `${field}[${i}].name`, 'Secret name', 'subdomain', add);
    });
  }
}
