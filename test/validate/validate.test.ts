import { validate } from '../../lib/validate';

describe('validate', () => {
  test('a check that throws costs one line on that object, and every other object is still judged', () => {
    const broken = { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'broken' } };
    // No manifest can hold a getter; it stands for a shape no rule foresaw.
    Object.defineProperty(broken, 'data', { enumerable: true, get() { throw new Error('boom'); } });
    const other = { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'other' }, dta: {} };
    const { problems } = validate([{ file: 'a.yaml', object: broken }, { file: 'b.yaml', object: other }], { checks: ['schema', 'api'] });
    expect(problems.filter((p) => p.object === 'ConfigMap/broken').map((p) => p.message)).toContain('the validator failed on this object (boom); its other checks ran');
    expect(problems.filter((p) => p.object === 'ConfigMap/other').map((p) => p.path)).toEqual(['dta']);
  });
});
