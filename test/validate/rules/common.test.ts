import { QUANTITY_SYNTAX } from '../../../lib/validate/quantity';
import {
  BASE64_RULE, checkBase64, checkEnum, checkIntOrPercent, checkLabels, checkLabelSelector, checkName, checkPort, checkPortName, checkPortNumOrName,
  checkQualifiedName, checkQuantity, collector, DNS1035_RULE, intOrPercentValue, isDns1035Label, isEmptySelector, isInt, isPathSegmentName,
  isGoBase64, isPortName, LABEL_RULE, LABEL_VALUE_RULE, nonNegative, PATH_SEGMENT_RULE, PORT_NAME_RULE, QUALIFIED_NAME_RULE, show, SUBDOMAIN_RULE,
} from '../../../lib/validate/rules/common';

/** The findings one check makes, as [path, message, allowed]. */
function findings(check: (add: ReturnType<typeof collector>['add']) => void): [string, string, string][] {
  const { findings: found, add } = collector();
  check(add);
  return found.map((f) => [f.path, f.message, f.allowed]);
}

// The apimachinery validators the rule files share (k8s.io/apimachinery pkg/util/validation,
// pkg/apis/meta/v1/validation), each on its own.
describe('collector', () => {
  test('keeps a finding\'s severity when given, and has none otherwise', () => {
    const { findings: found, add } = collector();
    add('a', 'm', 'x', 'warning');
    add('b', 'n', 'y');
    expect(found).toEqual([{ path: 'a', message: 'm', allowed: 'x', severity: 'warning' }, { path: 'b', message: 'n', allowed: 'y' }]);
    expect('severity' in found[1]).toBe(false);
  });
});

describe('name predicates', () => {
  test.each([['a', true], ['a-1', true], ['a'.repeat(63), true], ['a'.repeat(64), false], ['1a', false], ['a-', false], ['A', false], ['', false]])(
    'isDns1035Label(%j) is %s', (name, ok) => { expect(isDns1035Label(name as string)).toBe(ok); });

  test.each([['system:aggregate-to-edit', true], ['...', true], ['.', false], ['..', false], ['a/b', false], ['a%b', false]])(
    'isPathSegmentName(%j) is %s', (name, ok) => { expect(isPathSegmentName(name as string)).toBe(ok); });

  // k8s.io/apimachinery IsValidPortName: 1 to 15 characters, so a one-letter name such as "a" is valid.
  test.each([['http', true], ['h'.repeat(15), true], ['h'.repeat(16), false], ['8080', false], ['a--b', false], ['a-b', true], ['-a', false], ['web-', false], ['http_alt', false], ['A', false], ['h2', true], ['a', true], ['z9', true]])(
    'isPortName(%j) is %s', (name, ok) => { expect(isPortName(name as string)).toBe(ok); });

  test.each([[1, true], [0, true], [1.5, false], ['1', false], [null, false]])('isInt(%j) is %s', (value, ok) => {
    expect(isInt(value)).toBe(ok);
  });
});

describe('numbers and ports', () => {
  test('nonNegative reports a negative number by the field\'s last name, and passes 0 and non-numbers', () => {
    expect(findings((add) => nonNegative(-1, 'spec.a.count', add))).toEqual([['spec.a.count', 'count is -1', 'a whole number >= 0']]);
    expect(findings((add) => { nonNegative(0, 'x', add); nonNegative('-1', 'x', add); })).toEqual([]);
  });

  test('checkPort reports 0, 65536 and fractions, as "port" or the name given; passes 1, 65535 and non-numbers', () => {
    expect(findings((add) => { checkPort(0, 'a', add); checkPort(65536, 'b', add); checkPort(80.5, 'c', add, 'endPort'); })).toEqual([
      ['a', 'port 0 is out of range', 'a whole number from 1 to 65535'],
      ['b', 'port 65536 is out of range', 'a whole number from 1 to 65535'],
      ['c', 'endPort 80.5 is out of range', 'a whole number from 1 to 65535'],
    ]);
    expect(findings((add) => { checkPort(1, 'a', add); checkPort(65535, 'a', add); checkPort('0', 'a', add); })).toEqual([]);
  });

  test('checkPortName reports an invalid name and leaves non-strings alone', () => {
    expect(findings((add) => { checkPortName('HTTP', 'p', add); checkPortName(80, 'p', add); checkPortName('http', 'p', add); })).toEqual([['p', 'port name "HTTP" is not valid', PORT_NAME_RULE]]);
  });

  test('checkPortNumOrName judges a string as a name (with advice for digits) and a number as a port', () => {
    expect(findings((add) => { checkPortNumOrName('8080', 'a', add); checkPortNumOrName('HTTP', 'b', add); checkPortNumOrName(70000, 'c', add); checkPortNumOrName('http', 'd', add); checkPortNumOrName(8080, 'e', add); checkPortNumOrName('-80', 'f', add); checkPortNumOrName('80-', 'g', add); })).toEqual([
      ['a', 'port name "8080" is not valid (a quoted number is a name: write the number unquoted)', PORT_NAME_RULE],
      ['b', 'port name "HTTP" is not valid', PORT_NAME_RULE],
      ['c', 'port 70000 is out of range', 'a whole number from 1 to 65535'],
      ['f', 'port name "-80" is not valid', PORT_NAME_RULE],
      ['g', 'port name "80-" is not valid', PORT_NAME_RULE],
    ]);
  });

  test('checkIntOrPercent: a whole number >= 0, or a percentage of at most 100 unless told otherwise', () => {
    expect(findings((add) => {
      for (const ok of [0, 5, '0%', '25%', '100%', undefined, null, [-1], true]) checkIntOrPercent(ok, 'ok', add);
      checkIntOrPercent('101%', 'spec.over', add, false);
      checkIntOrPercent('101%', 'spec.maxUnavailable', add);
      checkIntOrPercent('25', 'spec.text', add);
      checkIntOrPercent('-5%', 'spec.minus', add);
      checkIntOrPercent('x25%', 'spec.prefixed', add);
      checkIntOrPercent('25%x', 'spec.suffixed', add);
      checkIntOrPercent(-1, 'spec.minAvailable', add);
    })).toEqual([
      ['spec.maxUnavailable', '101% is more than 100%', 'at most 100%'],
      ['spec.text', '"25" is not a number or a percentage', 'a whole number >= 0, or a percentage such as 25%'],
      ['spec.minus', '"-5%" is not a number or a percentage', 'a whole number >= 0, or a percentage such as 25%'],
      ['spec.prefixed', '"x25%" is not a number or a percentage', 'a whole number >= 0, or a percentage such as 25%'],
      ['spec.suffixed', '"25%x" is not a number or a percentage', 'a whole number >= 0, or a percentage such as 25%'],
      ['spec.minAvailable', 'minAvailable is -1', 'a whole number >= 0, or a percentage such as 25%'],
    ]);
  });

  test.each([[5, 5], ['25%', 25], ['25', 25], ['x25%', 0], ['25%x', 0], ['%', 0], [null, 0], [true, 0], [['50%'], 0]])('intOrPercentValue(%j) is %j', (value, n) => {
    expect(intOrPercentValue(value)).toBe(n);
  });
});

describe('labels and selectors', () => {
  test('checkQualifiedName names a bad prefix, or a bad name, or passes', () => {
    expect(findings((add) => {
      checkQualifiedName('Example.com/app', 'a', 'label key', add);
      checkQualifiedName('x y', 'b', 'finalizer', add);
      checkQualifiedName('example.com/a/b', 'c', 'label key', add);
      checkQualifiedName('example.com/app', 'ok', 'label key', add);
      checkQualifiedName('app', 'ok', 'label key', add);
    })).toEqual([
      ['a', 'label key "Example.com/app" has an invalid prefix "Example.com"', QUALIFIED_NAME_RULE],
      ['b', 'finalizer "x y" is not a qualified name', QUALIFIED_NAME_RULE],
      ['c', 'label key "example.com/a/b" has an invalid prefix "example.com/a"', QUALIFIED_NAME_RULE],
    ]);
  });

  test('checkLabels judges each key and each string value; a non-object is left to the schema', () => {
    expect(findings((add) => {
      checkLabels({ 'bad key': 'v', app: 'bad value', n: 5, empty: '' }, 'metadata.labels', add);
      checkLabels(['app'], 'x', add);
      checkLabels(null, 'x', add);
    })).toEqual([
      ['metadata.labels.bad key', 'label key "bad key" is not a qualified name', QUALIFIED_NAME_RULE],
      ['metadata.labels.app', 'label value "bad value" is not valid', LABEL_VALUE_RULE],
    ]);
  });

  test('checkLabelSelector: operators, their values, keys and values', () => {
    expect(findings((add) => checkLabelSelector({
      matchLabels: { app: 'bad value' },
      matchExpressions: [
        { key: 'a', operator: 'Equals', values: ['x'] },
        { key: 'b', operator: 'In' },
        { key: 'c', operator: 'NotIn', values: [] },
        { key: 'd', operator: 'Exists', values: ['x'] },
        { key: 'e', operator: 'DoesNotExist', values: ['x'] },
        { key: 'bad key', operator: 'Exists' },
        { key: 'f', operator: 'In', values: ['ok', 'bad value', 5] },
        null,
        { key: 7, operator: 'In', values: ['x'] },
        { key: 'g', operator: 'NotIn', values: ['x'] },
        { key: 'h', operator: 'DoesNotExist' },
      ],
    }, 's', add))).toEqual([
      ['s.matchLabels.app', 'label value "bad value" is not valid', LABEL_VALUE_RULE],
      ['s.matchExpressions[0].operator', '"Equals" is not a supported value', 'one of In, NotIn, Exists, DoesNotExist'],
      ['s.matchExpressions[1].values', 'operator In has no values', 'at least one value with In and NotIn'],
      ['s.matchExpressions[2].values', 'operator NotIn has no values', 'at least one value with In and NotIn'],
      ['s.matchExpressions[3].values', 'operator Exists has values', 'no values with Exists and DoesNotExist'],
      ['s.matchExpressions[4].values', 'operator DoesNotExist has values', 'no values with Exists and DoesNotExist'],
      ['s.matchExpressions[5].key', 'selector key "bad key" is not a qualified name', QUALIFIED_NAME_RULE],
      ['s.matchExpressions[6].values[1]', 'label value "bad value" is not valid', LABEL_VALUE_RULE],
    ]);
    expect(findings((add) => { checkLabelSelector(null, 's', add); checkLabelSelector({ matchExpressions: { key: 'a', operator: 'Equals' } }, 's', add); })).toEqual([]);
  });

  test.each([
    [{}, true],
    [{ matchLabels: {}, matchExpressions: [] }, true],
    [{ matchLabels: 'app=web', matchExpressions: 'x' }, true],
    [{ matchLabels: { app: 'web' } }, false],
    [{ matchExpressions: [{ key: 'app', operator: 'Exists' }] }, false],
  ])('isEmptySelector(%j) is %s', (selector, empty) => {
    expect(isEmptySelector(selector)).toBe(empty);
  });
});

describe('enums, names and values in messages', () => {
  test('checkEnum reports a value outside the set with the set, and passes unset values', () => {
    expect(findings((add) => { checkEnum('x', ['A', 'B'], 'p', add); checkEnum(undefined, ['A'], 'p', add); checkEnum(null, ['A'], 'p', add); checkEnum('A', ['A'], 'p', add); }))
      .toEqual([['p', '"x" is not a supported value', 'one of A, B']]);
  });

  test('checkName judges by the rule named and says it', () => {
    expect(findings((add) => {
      checkName('a.b', 'l', 'Namespace name', 'label', add);
      checkName('A', 's', 'ConfigMap name', 'subdomain', add);
      checkName('a.b', 'd', 'Service name', 'dns1035', add);
      checkName('a/b', 'g', 'Role name', 'segment', add);
      checkName(5, 'n', 'x', 'label', add);
      for (const rule of ['label', 'subdomain', 'dns1035', 'segment'] as const) checkName('web', 'ok', 'x', rule, add);
      checkName('web.v2', 'ok', 'x', 'subdomain', add);
      checkName('a.b', 'ok', 'x', 'segment', add);
    })).toEqual([
      ['l', 'Namespace name "a.b" is not valid', LABEL_RULE],
      ['s', 'ConfigMap name "A" is not valid', SUBDOMAIN_RULE],
      ['d', 'Service name "a.b" is not valid', DNS1035_RULE],
      ['g', 'Role name "a/b" is not valid', PATH_SEGMENT_RULE],
    ]);
  });

  test('each rule text names the rule\'s limit, for the user who reads the finding', () => {
    expect(SUBDOMAIN_RULE).toMatch(/^a DNS-1123 subdomain: at most 253 characters/);
    expect(LABEL_RULE).toMatch(/^a DNS-1123 label: at most 63 characters/);
    expect(DNS1035_RULE).toMatch(/^a DNS-1035 label: at most 63 characters of a-z 0-9 -, starting with a-z/);
    expect(PORT_NAME_RULE).toMatch(/^an IANA service name: at most 15 characters/);
    expect(PATH_SEGMENT_RULE).toMatch(/except "." and "..", without "\/" or "%"/);
    expect(QUALIFIED_NAME_RULE).toMatch(/at most 63 characters of A-Z a-z 0-9 - _ \./);
    expect(LABEL_VALUE_RULE).toMatch(/^empty, or at most 63 characters/);
  });

  test('show writes a value as JSON', () => {
    expect(show('a')).toBe('"a"');
    expect(show(5)).toBe('5');
  });
});

// k8s.io/apimachinery pkg/api/resource: a Quantity field, with the minimum its validation adds
// (core ValidateNonnegativeQuantity, ValidatePositiveQuantityValue).
describe('checkQuantity', () => {
  test('an unset or null quantity is no value: no finding, no number', () => {
    const { findings: found, add } = collector();
    expect(checkQuantity(undefined, 'a', add, 'positive')).toBeUndefined();
    expect(checkQuantity(null, 'b', add, 'positive')).toBeUndefined();
    expect(checkQuantity(null, 'c', add)).toBeUndefined();
    expect(found).toEqual([]);
  });

  test('a text that is no quantity is reported with the syntax, and returns no number', () => {
    const { findings: found, add } = collector();
    expect(checkQuantity('10 Gi', 'spec.size', add)).toBeUndefined();
    expect(found).toEqual([{ path: 'spec.size', message: '"10 Gi" is not a quantity', allowed: QUANTITY_SYNTAX }]);
  });

  test('nonnegative: 0 passes, a negative quantity is reported', () => {
    expect(findings((add) => { checkQuantity('0', 'zero', add, 'nonnegative'); checkQuantity('-1Mi', 'spec.sizeLimit', add, 'nonnegative'); })).toEqual([
      ['spec.sizeLimit', '-1Mi is negative', 'a quantity >= 0'],
    ]);
  });

  test('positive: 0 and a negative quantity are reported, 1m passes', () => {
    expect(findings((add) => { checkQuantity('0', 'spec.zero', add, 'positive'); checkQuantity(-2, 'spec.minus', add, 'positive'); checkQuantity('1m', 'spec.milli', add, 'positive'); })).toEqual([
      ['spec.zero', '0 is not positive', 'a quantity > 0'],
      ['spec.minus', '-2 is not positive', 'a quantity > 0'],
    ]);
  });

  test('with no minimum given, any quantity passes and its value is returned', () => {
    const { findings: found, add } = collector();
    expect(checkQuantity('-1', 'a', add)).toBe(-1);
    expect(checkQuantity('0', 'b', add)).toBe(0);
    expect(checkQuantity('2Ki', 'c', add)).toBe(2048);
    expect(found).toEqual([]);
  });
});

// Go's base64.StdEncoding, as the API server decodes a []byte field.
describe('base64', () => {
  test.each([
    ['', true], ['QQ==', true], ['QUI=', true], ['QUJD', true], ['QUJDRA==', true], ['QUJD\nRA==', true],
    ['Q===', false], ['====', false], ['QUJDR===', false], ['QQ=', false], ['QQ', false], ['QU=I', false], ['QQ==QQ==', false], ['QUJ D', false], ['QUJD\t', false],
  ])('isGoBase64(%j) is %s', (text, ok) => {
    expect(isGoBase64(text as string)).toBe(ok);
  });

  test('checkBase64 reports a text that is not base64 and leaves non-strings alone', () => {
    expect(findings((add) => { checkBase64('abc', 'data.key', 'the value of "key"', add); checkBase64(7, 'data.n', 'n', add); checkBase64('QQ==', 'data.ok', 'ok', add); })).toEqual([
      ['data.key', 'the value of "key" is not base64: the API server cannot decode the object', BASE64_RULE],
    ]);
  });

  test('a base64 finding says what the API server decodes, in words', () => {
    const { findings: found, add } = collector();
    checkBase64('abc', 'data.key', 'the value of "key"', add);
    expect(found.map((f) => f.allowed)).toEqual(['base64 (standard alphabet, padded with = to a multiple of 4 characters, no spaces), e.g. the output of `base64 -w0`']);
  });
});
