import { isObject } from './pods';
import { Finding, KubeObject } from './problem';

/** k8s.io/kubernetes pkg/apis/core/types.go MaxSecretSize: the most data one Secret or ConfigMap holds. */
export const MAX_SECRET_SIZE = 1 * 1024 * 1024;

function base64Bytes(value: string): number {
  return Buffer.from(value, 'base64').length;
}

function utf8Bytes(value: string): number {
  return Buffer.byteLength(value, 'utf8');
}

function strings(map: unknown): [string, string][] {
  return isObject(map) ? Object.entries(map).filter((entry): entry is [string, string] => typeof entry[1] === 'string') : [];
}

/**
 * The API server's size limit on the data of a ConfigMap or a Secret, in decoded bytes:
 * k8s.io/kubernetes pkg/apis/core/validation/validation.go ValidateConfigMap (data plus
 * binaryData, reported on the whole object) and ValidateSecret (data, reported on `data`). A
 * Secret's stringData is merged into data before validation, a key of both counted once
 * (pkg/apis/core/v1/conversion.go Convert_v1_Secret_To_core_Secret: "StringData overwrites Data").
 */
export function checkDataSize(object: KubeObject): Finding[] {
  if (object.apiVersion !== 'v1') return [];
  let total = 0;
  if (object.kind === 'ConfigMap') {
    for (const [, value] of strings(object.data)) total += utf8Bytes(value);
    for (const [, value] of strings(object.binaryData)) total += base64Bytes(value);
  } else if (object.kind === 'Secret') {
    const data = new Map<string, number>();
    for (const [key, value] of strings(object.data)) data.set(key, base64Bytes(value));
    for (const [key, value] of strings(object.stringData)) data.set(key, utf8Bytes(value));
    for (const bytes of data.values()) total += bytes;
  } else {
    return [];
  }
  if (total <= MAX_SECRET_SIZE) return [];
  return [{
    path: object.kind === 'Secret' ? 'data' : '',
    message: `${object.kind} data is ${total} bytes, over the API server's limit of ${MAX_SECRET_SIZE} bytes (1 MiB) for one ${object.kind}`,
    allowed: `at most ${MAX_SECRET_SIZE} bytes of data in total: split it, or mount the data another way`,
  }];
}
