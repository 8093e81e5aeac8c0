import { isDnsLabel, isDnsSubdomain, isLabelValue, labelKeyProblem } from '../../lib/validate/names';

describe('Kubernetes name rules', () => {
  test('DNS labels', () => {
    expect(['a', 'pr-12', 'a'.repeat(63)].every((n) => isDnsLabel(n))).toBe(true);
    expect(['', 'A', '-a', 'a-', 'a.b', 'a_b', 'a'.repeat(64)].some((n) => isDnsLabel(n))).toBe(false);
    expect(isDnsLabel('a'.repeat(51), 50)).toBe(false);
  });

  test('DNS subdomains', () => {
    expect(['a', 'a.b-c', 'preview.example.com'].every((n) => isDnsSubdomain(n))).toBe(true);
    expect(['', 'a..b', '.a', 'a.', 'Example.com', 'a'.repeat(254)].some((n) => isDnsSubdomain(n))).toBe(false);
    expect(isDnsSubdomain('a'.repeat(191), 190)).toBe(false);
    expect(isDnsSubdomain('a'.repeat(190), 190)).toBe(true);
    expect(isDnsSubdomain('a.b.c')).toBe(true);
  });

  test('label keys and values', () => {
    expect(labelKeyProblem('app')).toBeUndefined();
    expect(labelKeyProblem('app.kubernetes.io/name')).toBeUndefined();
    expect(labelKeyProblem('Bad_Prefix/name')).toBe('prefix');
    expect(labelKeyProblem('/name')).toBe('prefix');
    expect(labelKeyProblem('bad key')).toBe('name');
    expect(labelKeyProblem(`x/${'n'.repeat(64)}`)).toBe('name');
    expect(['', 'web', 'v1.2_3', 'a'.repeat(63)].every(isLabelValue)).toBe(true);
    expect(['-x', 'a b', 'a'.repeat(64)].some(isLabelValue)).toBe(false);
  });

  test('a label key name and a label value of one character are valid', () => {
    expect(labelKeyProblem('a')).toBeUndefined();
    expect(labelKeyProblem('example.com/9')).toBeUndefined();
    expect(['a', 'Z', '7'].every(isLabelValue)).toBe(true);
    expect(['-', '_', '.'].some(isLabelValue)).toBe(false);
  });
});
