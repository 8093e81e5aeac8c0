import { parseQuantity, QUANTITY_SYNTAX } from '../../lib/validate/quantity';

describe('parseQuantity', () => {
  test.each([
    ['250m', 0.25], ['1', 1], ['1.5', 1.5], ['.5', 0.5], ['128Mi', 128 * 2 ** 20], ['2Gi', 2 * 2 ** 30], ['1k', 1000], ['1M', 1e6],
    ['1.25', 1.25], ['.25', 0.25], ['1e12', 1e12], ['100n', 1e-7], ['5u', 5e-6], ['1e3', 1000], ['1E-2', 0.01], ['+2', 2], ['-1', -1], [3, 3],
    // Exa, decimal and binary: suffixes, not exponents.
    ['2E', 2e18], ['1Ei', 2 ** 60],
  ])('%j is %d', (text, value) => {
    expect(parseQuantity(text)).toBeCloseTo(value as number, 12);
  });

  test.each([
    ['1Ki', 2 ** 10], ['1Mi', 2 ** 20], ['1Gi', 2 ** 30], ['1Ti', 2 ** 40], ['1Pi', 2 ** 50],
    ['1n', 1e-9], ['1u', 1e-6], ['1m', 1e-3], ['1k', 1e3], ['1M', 1e6], ['1G', 1e9], ['1T', 1e12], ['1P', 1e15],
  ])('the suffix of %s multiplies by exactly %d (resource.Quantity\'s suffixer)', (text, value) => {
    expect(parseQuantity(text)).toBe(value);
  });

  test.each(['', '1 CPU', '2GB', 'Mi', '1.2.3', '1Ki5', 'NaN', null, undefined, {}, Infinity, ['1'], '1 Gi', '\t1', '1\n', ' ', '\u20281'])('%j does not parse', (text) => {
    expect(parseQuantity(text)).toBeUndefined();
  });

  // Quantity.UnmarshalJSON trims Go's white space first (the real API server accepts " 1"); control
  // characters reach it escaped by kubectl's JSON encoder, and are refused.
  test.each([[' 1', 1], ['2Gi  ', 2 * 2 ** 30], ['\u00a0500m\u3000', 0.5]])('%j, spaces around it trimmed, is %d', (text, value) => {
    expect(parseQuantity(text)).toBe(value);
  });
});

describe('QUANTITY_SYNTAX, the allowed text of a quantity that does not parse', () => {
  test.each(['n', 'u', 'm', 'k', 'M', 'G', 'T', 'P', 'E', 'Ki', 'Mi', 'Gi', 'Ti', 'Pi', 'Ei'])('names the suffix %s, which parses', (suffix) => {
    expect(parseQuantity(`1${suffix}`)).toBeDefined();
    expect(QUANTITY_SYNTAX.split(/[\s,:()]+/)).toContain(suffix);
  });

  test('its examples parse', () => {
    const examples = /\(e\.g\. ([^)]*)\)/.exec(QUANTITY_SYNTAX)?.[1].split(', ') ?? [];
    expect(examples.length).toBeGreaterThan(0);
    expect(examples.filter((e) => parseQuantity(e) === undefined)).toEqual([]);
  });
});
