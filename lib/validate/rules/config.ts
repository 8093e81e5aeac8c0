import { isObject } from '../pods';
import { KubeObject } from '../problem';
import { Add, checkBase64 } from './common';

/** ConfigMaps and Secrets as k8s.io/kubernetes pkg/apis/core/validation judges them. */

/** The API server's limit on a ConfigMap's or Secret's data: core MaxSecretSize (1 MiB). */
export const MAX_DATA_BYTES = 1024 * 1024;
export const KEY_RULE = 'at most 253 characters of A-Z a-z 0-9 - _ ., not "." or ".." and not starting with ".."';

// k8s.io/apimachinery pkg/util/validation IsConfigMapKey
export function isConfigMapKey(key: string): boolean {
  return key.length > 0 && key.length <= 253 && /^[-._a-zA-Z0-9]+$/.test(key) && key !== '.' && key !== '..' && !key.startsWith('..');
}

function checkKeys(map: unknown, path: string, add: Add): string[] {
  if (!isObject(map)) return [];
  const keys = Object.keys(map);
  for (const key of keys) if (!isConfigMapKey(key)) add(`${path}.${key}`, `key "${key}" is not valid`, KEY_RULE);
  return keys;
}

function bytes(value: unknown, base64: boolean): number {
  const text = typeof value === 'string' ? value : String(value ?? '');
  return base64 ? Buffer.from(text, 'base64').length : Buffer.byteLength(text, 'utf8');
}

// core ValidateConfigMap: valid keys, no key in both data and binaryData, at most 1 MiB.
export function checkConfigMap(object: KubeObject, add: Add): void {
  const data = checkKeys(object.data, 'data', add);
  const binary = checkKeys(object.binaryData, 'binaryData', add);
  for (const key of binary) if (data.includes(key)) add(`binaryData.${key}`, `key "${key}" is in both data and binaryData`, 'each key in one of them');
  // binaryData is map[string][]byte: each value is decoded as base64 with the object.
  for (const key of binary) checkBase64(object.binaryData[key], `binaryData.${key}`, `the value of "${key}"`, add);
  let size = 0;
  // The limit counts the values only (ValidateConfigMap's totalSize).
  for (const key of data) size += bytes(object.data[key], false);
  for (const key of binary) size += bytes(object.binaryData[key], true);
  if (size > MAX_DATA_BYTES) add('data', `the ConfigMap holds ${size} bytes`, `at most ${MAX_DATA_BYTES} bytes (1 MiB) in all`);
}

// Keys a Secret type requires: core ValidateSecret.
const REQUIRED_KEYS: Record<string, readonly string[]> = {
  'kubernetes.io/dockercfg': ['.dockercfg'],
  'kubernetes.io/dockerconfigjson': ['.dockerconfigjson'],
  'kubernetes.io/ssh-auth': ['ssh-privatekey'],
  'kubernetes.io/tls': ['tls.crt', 'tls.key'],
};

// core ValidateSecret: valid keys (stringData is merged into data first), at most 1 MiB, and
// the keys each type requires.
export function checkSecret(object: KubeObject, add: Add): void {
  const data = checkKeys(object.data, 'data', add);
  const strings = checkKeys(object.stringData, 'stringData', add);
  const keys = new Set([...data, ...strings]);
  let size = 0;
  for (const key of data) if (!strings.includes(key)) size += bytes(object.data[key], true);
  for (const key of strings) size += bytes(object.stringData[key], false);
  if (size > MAX_DATA_BYTES) add('data', `the Secret holds ${size} bytes`, `at most ${MAX_DATA_BYTES} bytes (1 MiB) in all`);
  // data is map[string][]byte: each value is decoded as Go's base64 with the object, padding
  // required and no spaces ("abc" and "aGVs bG8=" are refused, "aGVs\nbG8=" is not).
  for (const key of data) checkBase64(object.data[key], `data.${key}`, `the value of "${key}" (plain text belongs in stringData)`, add);
  const type = typeof object.type === 'string' ? object.type : 'Opaque';
  // Own keys only (an object literal): a custom type named "constructor" requires nothing.
  const required = Object.hasOwn(REQUIRED_KEYS, type) ? REQUIRED_KEYS[type] : [];
  for (const key of required) {
    if (!keys.has(key)) add('data', `a ${type} Secret has no "${key}" key`, `the keys ${required.join(', ')}`);
  }
  // The Docker config types must hold well-formed JSON (the value is never echoed).
  for (const key of ['.dockercfg', '.dockerconfigjson']) {
    if (required[0] !== key || !keys.has(key)) continue;
    const text = strings.includes(key) ? String(object.stringData[key]) : Buffer.from(String(object.data[key] ?? ''), 'base64').toString('utf8');
    try {
      JSON.parse(text);
    } catch {
      add(`data.${key}`, `${key} of a ${type} Secret is not JSON`, 'the JSON of a Docker config (e.g. kubectl create secret docker-registry --dry-run=client -o yaml)');
    }
  }
  if (type === 'kubernetes.io/basic-auth' && !keys.has('username') && !keys.has('password')) add('data', 'a kubernetes.io/basic-auth Secret has neither username nor password', 'username and/or password keys');
  if (type === 'kubernetes.io/service-account-token' && typeof object.metadata?.annotations?.['kubernetes.io/service-account.name'] !== 'string') {
    add('metadata.annotations', 'a service-account-token Secret does not name its ServiceAccount', 'annotation kubernetes.io/service-account.name');
  }
}
