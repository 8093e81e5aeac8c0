import { checkDataSize, MAX_SECRET_SIZE } from '../../lib/validate/sizes';

const b64 = (bytes: number) => Buffer.alloc(bytes, 1).toString('base64');

describe('checkDataSize (ValidateConfigMap / ValidateSecret total size)', () => {
  test('exactly 1 MiB of ConfigMap data and binaryData passes; one byte more is a problem on the whole object', () => {
    const at = { apiVersion: 'v1', kind: 'ConfigMap', data: { a: 'x'.repeat(MAX_SECRET_SIZE - 10) }, binaryData: { b: b64(10) } };
    expect(checkDataSize(at)).toEqual([]);
    const over = { ...at, binaryData: { b: b64(11) } };
    expect(checkDataSize(over)).toEqual([expect.objectContaining({ path: '', message: `ConfigMap data is ${MAX_SECRET_SIZE + 1} bytes, over the API server's limit of ${MAX_SECRET_SIZE} bytes (1 MiB) for one ConfigMap` })]);
  });

  test('ConfigMap data counts UTF-8 bytes, not characters', () => {
    expect(checkDataSize({ apiVersion: 'v1', kind: 'ConfigMap', data: { a: 'é'.repeat(MAX_SECRET_SIZE / 2) } })).toEqual([]);
    expect(checkDataSize({ apiVersion: 'v1', kind: 'ConfigMap', data: { a: 'é'.repeat(MAX_SECRET_SIZE / 2 + 1) } })).toHaveLength(1);
  });

  test('a Secret counts decoded data, with stringData replacing a data key of the same name', () => {
    const secret = { apiVersion: 'v1', kind: 'Secret', data: { a: b64(MAX_SECRET_SIZE) }, stringData: {} as Record<string, string> };
    expect(checkDataSize(secret)).toEqual([]);
    secret.stringData.a = 'small';
    expect(checkDataSize(secret)).toEqual([]);
    secret.stringData.b = 'x'.repeat(MAX_SECRET_SIZE);
    expect(checkDataSize(secret)).toEqual([expect.objectContaining({ path: 'data', message: `Secret data is ${MAX_SECRET_SIZE + 5} bytes, over the API server's limit of ${MAX_SECRET_SIZE} bytes (1 MiB) for one Secret` })]);
  });

  test('applies to the core v1 kinds only, not to a custom resource of the same kind name', () => {
    expect(checkDataSize({ apiVersion: 'example.com/v1', kind: 'ConfigMap', data: { a: 'x'.repeat(MAX_SECRET_SIZE + 1) } })).toEqual([]);
  });
});
