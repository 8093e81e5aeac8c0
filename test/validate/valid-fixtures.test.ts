import { validateManifests } from '../../lib/validate';
import { API_RULE_KINDS } from '../../lib/validate/api-rules';
import { builtinKind } from '../../lib/validate/rules/metadata';
import { validItems } from '../support/valid-fixtures';

describe('the valid fixtures (test/fixtures/valid)', () => {
  test('cover every kind the API rules know, and a custom resource', () => {
    const kinds = new Set(validItems().map((item) => builtinKind(item.object)).filter(Boolean));
    expect([...API_RULE_KINDS].filter((kind) => !kinds.has(kind))).toEqual([]);
    expect(validItems().some((item) => builtinKind(item.object) === undefined)).toBe(true);
  });

  test('have no API or link problem, not even a warning', () => {
    const problems = validateManifests(validItems(), { checks: ['api', 'link'] });
    expect(problems.map((p) => `${p.file}: ${p.object}: ${p.path}: ${p.message}`)).toEqual([]);
  });

  // Custom resources have no schema here: how they are reported is the schema family's concern.
  test('have no schema problem in their built-in objects', () => {
    const items = validItems().filter((item) => builtinKind(item.object) !== undefined);
    const problems = validateManifests(items, { checks: ['schema'] });
    expect(problems.map((p) => `${p.file}: ${p.object}: ${p.path}: ${p.message}`)).toEqual([]);
  });

  test('get policy findings only as policy, each naming its rule', () => {
    const problems = validateManifests(validItems(), { checks: ['policy'] });
    expect(problems.length).toBeGreaterThan(0);
    for (const problem of problems) {
      expect(problem.check).toBe('policy');
      expect(problem.message).toMatch(/^\[[a-z-]+\] /);
    }
  });
});
