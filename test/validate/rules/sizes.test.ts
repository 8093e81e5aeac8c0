import { checkApiRules } from '../../../lib/validate/api-rules';
import { MAX_DATA_BYTES } from '../../../lib/validate/rules/config';

// The size rules of lib/validate/rules/config.ts (ValidateConfigMap / ValidateSecret total size), at their edges.
const b64 = (bytes: number) => Buffer.alloc(bytes, 1).toString('base64');
const sizeProblems = (object: object) => checkApiRules({ metadata: { name: 'x' }, ...object }).filter((f) => /bytes \(1 MiB\)/.test(f.allowed));

describe('the 1 MiB limit of a ConfigMap or a Secret', () => {
  test('exactly 1 MiB of ConfigMap data and binaryData passes; one byte more is a problem', () => {
    const at = { apiVersion: 'v1', kind: 'ConfigMap', data: { a: 'x'.repeat(MAX_DATA_BYTES - 10) }, binaryData: { b: b64(10) } };
    expect(sizeProblems(at)).toEqual([]);
    expect(sizeProblems({ ...at, binaryData: { b: b64(11) } })).toEqual([expect.objectContaining({ path: 'data', message: `the ConfigMap holds ${MAX_DATA_BYTES + 1} bytes` })]);
  });

  test('ConfigMap data counts UTF-8 bytes, not characters', () => {
    expect(sizeProblems({ apiVersion: 'v1', kind: 'ConfigMap', data: { a: 'é'.repeat(MAX_DATA_BYTES / 2) } })).toEqual([]);
    expect(sizeProblems({ apiVersion: 'v1', kind: 'ConfigMap', data: { a: 'é'.repeat(MAX_DATA_BYTES / 2 + 1) } })).toHaveLength(1);
  });

  test('a Secret counts decoded data, with stringData replacing a data key of the same name', () => {
    const secret = { apiVersion: 'v1', kind: 'Secret', data: { a: b64(MAX_DATA_BYTES) }, stringData: {} as Record<string, string> };
    expect(sizeProblems(secret)).toEqual([]);
    secret.stringData.a = 'small';
    expect(sizeProblems(secret)).toEqual([]);
    secret.stringData.b = 'x'.repeat(MAX_DATA_BYTES);
    expect(sizeProblems(secret)).toEqual([expect.objectContaining({ path: 'data', message: `the Secret holds ${MAX_DATA_BYTES + 5} bytes` })]);
  });

  test('applies to the core v1 kinds only, not to a custom resource of the same kind name', () => {
    expect(sizeProblems({ apiVersion: 'example.com/v1', kind: 'ConfigMap', data: { a: 'x'.repeat(MAX_DATA_BYTES + 1) } })).toEqual([]);
  });
});
