import * as path from 'path';
import { parse } from 'yaml';
import { explainKubectlTyping, goFloatKey, TypedScalar, typedScalarCount, yaml12Resolve } from '../../lib/validate/kubectl-yaml';
import { readManifests } from '../../lib/validate/load';
import { tempDir } from '../helpers';
import { write } from '../support/cli';
import { kubectlReading } from '../support/real-kubectl';

// Every plain-scalar form whose type differs between readers, and a few that do not.
const SCALARS: Record<string, string> = {
  on: 'on', yes: 'yes', y: 'y', n: 'n', off: 'off', True: 'True', NO: 'NO',
  octal: '0777', notOctal: '08', zero: '00', octal12: '0o17', hex: '0x1F', negHex: '-0x10', binary: '0b101', negBinary: '-0b11',
  underscores: '1_000', doubleUnderscore: '1__0', floatUnderscore: '1_0.5', exponent: '1e3', dotFloat: '.5', trailingDot: '0.', plus: '+12',
  sexagesimal: '1:20', date: '2001-12-14', timestamp: '2001-12-14T21:59:43.10Z', tilde: '~', null: 'null', empty: '', big: '9223372036854775808',
  text: 'hello', plain: '80', version: '1.27.0', colonText: 'a:b',
  // Every spelling of goyaml.v2 resolve.go resolveMapList but the infinities and NaN (below), and
  // the numbers of resolve.go yamlStyleFloat and strconv.ParseInt at their edges.
  Y: 'Y', Yes: 'Yes', YES: 'YES', true: 'true', TRUE: 'TRUE', On: 'On', ON: 'ON', N: 'N', no: 'no', No: 'No',
  false: 'false', False: 'False', FALSE: 'FALSE', Off: 'Off', OFF: 'OFF', NullTitle: 'Null', NULL: 'NULL',
  plusFloat: '+1.5', minusDot: '-.25', negExponent: '1e-3', twoDigitExponent: '1e10', dotTwoDigits: '.55', dotExponent: '.5e3',
  dotNegExponent: '.5e-3', dotLongExponent: '.5e10', dotText: '.x5', dotTrailing: '.5x', yText: 'yesterday', tagged: '!!int "5"',
  hugeHex: '0x1FFFFFFFFFFFFFFFFF', hugeDecimal: '99999999999999999999', maxUint: '18446744073709551615',
  // Explicit tags: goyaml.v2 resolve.go `resolve(tag, in)` types the text as a plain scalar and
  // takes the result only if its tag is the one asked (an int for a float too); a tag it does not
  // know leaves the text a string.
  intOctal: '!!int 0777', intOctal12: '!!int 0o17', intHex: '!!int 0x1F', intUnderscore: '!!int 1_000', intPlus: '!!int +12', intNegBinary: '!!int -0b11',
  intMaxUint: '!!int 18446744073709551615', intQuoted: '!!int "12"', floatInt: '!!float 1', floatBinary: '!!float 0b11', floatHex: '!!float 0x10',
  floatQuoted: '!!float "1e3"', floatDot: '!!float "-.5"', boolOn: '!!bool on', boolQuotedYes: '!!bool "yes"', nullEmpty: "!!null ''", nullTilde: '!!null ~',
  nullBare: '!!null', strNumber: '!!str 12', strBare: '!!str', localOn: '!foo on', localNumber: '!foo 12', globalOn: '!<tag:example.com,2000:x> on',
  localMap: '!foo {b: 1}', localList: '!foo [1, on]', localEmpty: '!foo', strMap: '!!str {b: 1}', intList: '!!int [1]', set: '!!set {b}',
  omap: '!!omap [b: 1]', intZeros: '!!int 00', floatLeadingZero: '!!float 08', floatUnderscore2: '!!float 1_0.5',
  intBinary64: '!!int 0b1111111111111111111111111111111111111111111111111111111111111111',
  mapEmpty: '!!map', seqEmpty: '!!seq', floatLeadingDot: '!!float .5', intMin: '!!int -9223372036854775808', intPlusMax: '!!int +9223372036854775807',
};

function manifest(): string {
  const data = Object.entries(SCALARS).map(([key, value]) => `  v_${key}: ${value}`).join('\n');
  // `on` as a key, a merge key and an alias, as kubectl meets them in real manifests.
  return `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: scalars\n  labels: &labels\n    app: web\n  annotations:\n    <<: *labels\n    on: key\ndata:\n${data}\n`;
}

describe('YAML read as kubectl reads it', () => {
  test('every plain scalar is typed exactly as `kubectl label --local -o json` types it', () => {
    const file = write(tempDir(), 'scalars.yaml', manifest());
    const { items, errors } = readManifests([file]);
    expect(errors).toEqual([]);
    const kubectl = kubectlReading(file);
    if (!kubectl.available) {
      // The comparison needs kubectl (installed here and in CI); the facts it established stay asserted below.
      console.warn('kubectl is not on this machine: the comparison with its decoder was not run');
    } else {
      expect(kubectl.stderr).toBeUndefined();
      expect(items[0].object).toEqual(kubectl.object);
    }
    expect(items[0].object.data).toMatchObject({ v_on: true, v_octal: 511, v_notOctal: 8, v_underscores: 1000, v_exponent: 1000, v_sexagesimal: '1:20', v_date: '2001-12-14', v_empty: null });
    expect(items[0].object.metadata.annotations).toEqual({ app: 'web', true: 'key' });
  });

  test('kubectl refuses .inf and .nan, which JSON cannot hold; so does the validator, naming the value', () => {
    const file = write(tempDir(), 'inf.yaml', 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: inf\ndata:\n  a: -.inf\n');
    const kubectl = kubectlReading(file);
    if (kubectl.available) expect(kubectl.stderr).toContain('json: unsupported value: -Inf');
    expect(readManifests([file]).errors).toEqual([{ path: file, message: 'document 1: data.a: -.inf is not a number JSON can hold: kubectl refuses the file' }]);
  });

  test('each kubectl-typed scalar is noted with its text, for the quoting advice', () => {
    const file = write(tempDir(), 'scalars.yaml', manifest());
    const [item] = readManifests([file]).items;
    const noted = Object.fromEntries((item.kubectlScalars ?? []).map((s) => [s.segments.join('.'), s.source]));
    expect(noted).toMatchObject({ 'data.v_on': 'on', 'data.v_octal': '0777', 'data.v_underscores': '1_000', 'data.v_exponent': '1e3' });
    // Plain text, and numbers spelled as kubectl writes them back, need no advice.
    expect(Object.keys(noted)).not.toContain('data.v_text');
    expect(Object.keys(noted)).not.toContain('data.v_plain');
  });

  test('the YAML 1.2 core schema reads these as strings or other numbers (why a manifest looks right in other tools)', () => {
    expect(yaml12Resolve('on')).toBe('on');
    expect(yaml12Resolve('1_000')).toBe('1_000');
    expect(yaml12Resolve('0777')).toBe(777);
    expect(yaml12Resolve('0o17')).toBe(15);
    expect(yaml12Resolve('true')).toBe(true);
    expect(yaml12Resolve('~')).toBeNull();
  });

  test('the yaml package\'s own YAML 1.1 schema is not kubectl\'s reader (it reads sexagesimal): hence goyaml.v2\'s rules, written out', () => {
    const read = (text: string) => parse(`v: ${text}`, { version: '1.1' }).v;
    expect(read('1:20')).toBe(80);
    const [item] = readManifests([write(tempDir(), 'x.yaml', 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: x\ndata:\n  a: 1:20\n  b: 1e3\n')]).items;
    expect(item.object.data).toEqual({ a: '1:20', b: 1000 });
    expect(path.basename(item.file)).toBe('x.yaml');
  });
});

describe('goyaml.v2 resolve.go, spelled out', () => {
  /** How the validator reads `v: TEXT` in a ConfigMap's data. */
  function read(text: string): unknown {
    const { items, errors } = readManifests([write(tempDir(), 'one.yaml', `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: one\ndata:\n  v: ${text}\n`)]);
    expect(errors).toEqual([]);
    return items[0].object.data.v;
  }

  // resolveMapList, bools and nulls; the comparison with kubectl above holds every one of them.
  test.each([
    ...['y', 'Y', 'yes', 'Yes', 'YES', 'true', 'True', 'TRUE', 'on', 'On', 'ON'].map((t): [string, unknown] => [t, true]),
    ...['n', 'N', 'no', 'No', 'NO', 'false', 'False', 'FALSE', 'off', 'Off', 'OFF'].map((t): [string, unknown] => [t, false]),
    ...['~', 'null', 'Null', 'NULL'].map((t): [string, unknown] => [t, null]),
    ['yesterday', 'yesterday'], ['Onward', 'Onward'], ['nULL', 'nULL'],
  ])('%s is %j', (text, value) => {
    expect(read(text)).toBe(value);
  });

  // yamlStyleFloat, reached by a leading sign or digit; a leading dot is ParseFloat of the text.
  test.each([
    ['+1.5', 1.5], ['-.25', -0.25], ['1e-3', 0.001], ['1e10', 1e10], ['.55', 0.55], ['.5e3', 500], ['.5e-3', 0.0005], ['.5e10', 5e9],
    ['.x5', '.x5'], ['.x.5', '.x.5'], ['.5x', '.5x'], ['1e', '1e'], ['1.5.2', '1.5.2'],
  ])('%s is %j', (text, value) => {
    expect(read(text)).toBe(value);
  });

  test.each(['.nan', '.NaN', '.NAN', '.inf', '.Inf', '.INF', '+.inf', '+.Inf', '+.INF', '-.inf', '-.Inf', '-.INF'])('%s is a number JSON cannot hold, which kubectl refuses', (text) => {
    const file = write(tempDir(), 'inf.yaml', `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: inf\ndata:\n  a: ${text}\n`);
    expect(readManifests([file]).errors).toEqual([{ path: file, message: `document 1: data.a: ${text} is not a number JSON can hold: kubectl refuses the file` }]);
  });

  // resolve.go `resolve(tag, in)` fails where the text is not of the tag, and kubectl refuses the
  // file; and js-yaml refuses the two tags goyaml.v2 decodes further (a time, base64), which the
  // validator does not read as kubectl does (so it refuses a file kubectl may take).
  test.each([
    ['!!int 1.5', 'int'], ['!!int 08', 'int'], ['!!int 2001-01-01', 'int'], ['!!int -9223372036854775809', 'int'], ['!!int 99999999999999999999', 'int'],
    ['!!int', 'int'], ['!!bool 1', 'bool'], ['!!bool ""', 'bool'], ['!!null x', 'null'], ['!!float nan', 'float'], ['!!float x1', 'float'],
    ['!!int +9223372036854775808', 'int'], ['!!int 18446744073709551616', 'int'], ['!!timestamp 2001-01-01', 'timestamp'], ['!!binary aGk=', 'binary'],
  ])('%s is refused, naming the tag, as kubectl refuses the file', (value, tag) => {
    const file = write(tempDir(), 'tagged.yaml', `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: tagged\ndata:\n  a: ${value}\n`);
    const kubectl = kubectlReading(file);
    if (kubectl.available && tag !== 'timestamp' && tag !== 'binary') expect(kubectl.stderr).toContain(`as a !!${tag}`);
    // js-yaml names where the node ends: after the text, or the next line's start for an empty one.
    const at = value.includes(' ') ? `line 6 column ${6 + value.length}` : 'line 7 column 1';
    expect(readManifests([file]).errors).toEqual([{ path: file, message: `${at}: YAML syntax error: cannot resolve a node with !<tag:yaml.org,2002:${tag}> explicit tag` }]);
  });

  test('!!float .inf is refused as kubectl refuses it: JSON holds no infinity', () => {
    const file = write(tempDir(), 'inf.yaml', 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: inf\ndata:\n  a: !!float .inf\n');
    const kubectl = kubectlReading(file);
    if (kubectl.available) expect(kubectl.stderr).toContain('json: unsupported value: +Inf');
    expect(readManifests([file]).errors).toEqual([{ path: file, message: 'document 1: data.a: .inf is not a number JSON can hold: kubectl refuses the file' }]);
  });

  test('an explicit tag takes what kubectl takes: a leading dot for !!float, int64\'s edges with either sign for !!int', () => {
    // Past int64, a signed integer is no uint64 either (strconv.ParseUint takes no sign): it is a float, refused above.
    expect(read('!!float .5')).toBe(0.5);
    expect(read('!!int -9223372036854775808')).toBe(-(2 ** 63));
    expect(read('!!int +9223372036854775807')).toBe(2 ** 63);
  });

  test('a plain scalar kubectl keeps as text is neither counted nor noted, whatever its first character', () => {
    const before = typedScalarCount();
    const [item] = readManifests([write(tempDir(), 'text.yaml', 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: t\ndata:\n  a: .x5\n  b: 1.5.2\n  c: -x\n  d: 1e\n')]).items;
    expect(typedScalarCount() - before).toBe(0);
    expect(item.kubectlScalars ?? []).toEqual([]);
    expect(item.object.data).toEqual({ a: '.x5', b: '1.5.2', c: '-x', d: '1e' });
  });

  test('!!float .inf beside a kubectl-typed scalar is refused all the same', () => {
    const file = write(tempDir(), 'inf.yaml', 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: inf\ndata:\n  a: on\n  b: !!float .inf\n');
    const kubectl = kubectlReading(file);
    if (kubectl.available) expect(kubectl.stderr).toContain('json: unsupported value: +Inf');
    expect(readManifests([file]).errors).toEqual([{ path: file, message: 'document 1: data.b: .inf is not a number JSON can hold: kubectl refuses the file' }]);
  });

  test('a node of a tag goyaml.v2 does not know is read as if untagged, a scalar as its text', () => {
    const file = write(tempDir(), 'local.yaml', 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: l\ndata:\n  a: !foo on\n  b: !foo\n  c: !foo {b: 1}\n  d: !foo [1, on]\n  e: !!set {b}\n');
    const kubectl = kubectlReading(file);
    if (kubectl.available) expect(kubectl.object?.data).toEqual({ a: 'on', b: '', c: { b: 1 }, d: [1, true], e: { b: null } });
    const { items, errors } = readManifests([file]);
    expect(errors).toEqual([]);
    expect(items[0].object.data).toEqual({ a: 'on', b: '', c: { b: 1 }, d: [1, true], e: { b: null } });
  });

  test('an empty node tagged !!map or !!seq is the empty string, as kubectl reads it; a mapping or a sequence of the tag is itself', () => {
    const file = write(tempDir(), 'empty.yaml', 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: e\ndata:\n  a: !!map\n  b: !!seq\n  c: [!!map , !!seq ]\n  d: !!map {b: 1}\n  e: !!seq [1]\n  f: !!map on\n');
    const expected = { a: '', b: '', c: ['', ''], d: { b: 1 }, e: [1], f: 'on' };
    const kubectl = kubectlReading(file);
    if (kubectl.available) expect(kubectl.object?.data).toEqual(expected);
    const { items, errors } = readManifests([file]);
    expect(errors).toEqual([]);
    expect(items[0].object.data).toEqual(expected);
  });

  test('an explicitly tagged scalar is what its author asked for: no quoting advice', () => {
    const file = write(tempDir(), 'tagged.yaml', 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: tagged\ndata:\n  a: !!int 0777\n  b: !!bool on\n  c: on\n');
    const [item] = readManifests([file]).items;
    expect(item.object.data).toEqual({ a: 511, b: true, c: true });
    expect((item.kubectlScalars ?? []).map((s) => s.segments.join('.'))).toEqual(['data.c']);
  });

  test('an explicit !!int tag on a quoted scalar keeps its meaning, as in goyaml.v2', () => {
    expect(read('!!int "5"')).toBe(5);
  });

  test('an empty quoted scalar with the verbatim tag !<?> is the empty string, as kubectl reads it (not the null of an empty plain scalar)', () => {
    // js-yaml resolves a `!<?>` node as it resolves a plain scalar; goyaml.v2 keeps a scalar of a tag it does not know as its text.
    const file = write(tempDir(), 'q.yaml', "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: q\ndata:\n  a: !<?> ''\n");
    const kubectl = kubectlReading(file);
    if (kubectl.available) expect(kubectl.object?.data).toEqual({ a: '' });
    const { items, errors } = readManifests([file]);
    expect(errors).toEqual([]);
    expect(items[0].object.data).toEqual({ a: '' });
  });

  test('typedScalarCount counts each TypedScalar the reader makes, and only those', () => {
    const before = typedScalarCount();
    readManifests([write(tempDir(), 'count.yaml', 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: c\ndata:\n  a: on\n  b: 0777\n  c: 80\n  d: true\n  e: text\n')]);
    expect(typedScalarCount() - before).toBe(2);
  });

  test('a kubectl-typed scalar as a mapping key is the string kubectl makes of it: a float as strconv.FormatFloat(key, \'g\', -1, 32)', () => {
    const keys = ['-.inf', '.inf', '!!float .NaN', '1e6', '1.5e10', '1e-5', '-.5e-3', '1e3', '1.0', '3.14159265358979e0', '-0.0e0', '16777217e0', '0.000123e0', '0.1e-40',
      '123456.7e0', '0x100000', '1_000_000', '0777', 'Off', '10.190845489501953e0', '301979.625e0', '+1.401298464324817e-45', '+1.2676506002282294e30', '+1.1754943508222875e-38', '301979.875e0'];
    const file = write(tempDir(), 'keys.yaml', `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: keys\n  annotations:\n${keys.map((k, i) => `    ${k}: v${i}`).join('\n')}\n`);
    const expected = {
      '-.inf': 'v0', '.inf': 'v1', '.nan': 'v2', '1e+06': 'v3', '1.5e+10': 'v4', '1e-05': 'v5', '-0.0005': 'v6', '1000': 'v7', '1': 'v8', '3.1415927': 'v9', '-0': 'v10',
      '1.6777216e+07': 'v11', '0.000123': 'v12', '1e-41': 'v13', '123456.7': 'v14', '1048576': 'v15', '1000000': 'v16', '511': 'v17', 'false': 'v18',
      // Nine digits; a tie between two of eight, to the even (twice); the least float32, the least normal one, and 2^100.
      '10.1908455': 'v19', '301979.62': 'v20', '1e-45': 'v21', '1.2676506e+30': 'v22', '1.1754944e-38': 'v23', '301979.88': 'v24',
    };
    const kubectl = kubectlReading(file);
    if (kubectl.available) expect(kubectl.object?.metadata.annotations).toEqual(expected);
    const { items, errors } = readManifests([file]);
    expect(errors).toEqual([]);
    expect(items[0].object.metadata.annotations).toEqual(expected);
  });

  test('goFloatKey writes a float as Go writes a float32 key: shortest digits, e-notation below 1e-4 and from 1e6, an overflow an infinity', () => {
    expect([1e40, -1e40, -Infinity, NaN, 0, 123456.7, 999999, 1e-4, -1.5e-7, 2.5e-5, 1e21, 0.1].map(goFloatKey))
      .toEqual(['.inf', '-.inf', '-.inf', '.nan', '0', '123456.7', '999999', '0.0001', '-1.5e-07', '2.5e-05', '1e+21', '0.1']);
  });

  test('goFloatKey keeps every digit of a float32 no shorter decimal reads back as, odd last digit included (as `kubectl label --local -o json` writes 4194304.5)', () => {
    // Between 2^22 and 2^23 a float32 is a multiple of 0.5: 4194304.5 needs all eight digits, and
    // strconv.FormatFloat(key, 'g', -1, 32) writes them as they are, not rounded to an even neighbour.
    expect([4194304.5, -4194304.5, 4194305.5].map(goFloatKey)).toEqual(['4.1943045e+06', '-4.1943045e+06', '4.1943055e+06']);
  });

  test('a TypedScalar names its class to Object.prototype.toString, and reads as its value where a key needs a string', () => {
    const scalar = new TypedScalar(511, '0777');
    expect(Object.prototype.toString.call(scalar)).toBe('[object TypedScalar]');
    expect(String(scalar)).toBe('511');
  });

  test('a scalar kubectl writes back as written (true, null, ~, 80) needs no advice; True and 0x1F do', () => {
    const [item] = readManifests([write(tempDir(), 'x.yaml', 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: x\ndata:\n  a: true\n  b: null\n  c: ~\n  d: 80\n  e: True\n  f: 0x1F\n')]).items;
    expect((item.kubectlScalars ?? []).map((s) => `${s.segments.join('.')}=${s.source}`)).toEqual(['data.e=True', 'data.f=0x1F']);
  });
});

describe('yaml12Resolve: the YAML 1.2 core schema (YAML 1.2.2 section 10.3.2)', () => {
  test.each([
    ['null', null], ['Null', null], ['NULL', null], ['~', null], ['', null],
    ['true', true], ['True', true], ['TRUE', true], ['false', false], ['False', false], ['FALSE', false],
    ['12', 12], ['-12', -12], ['+12', 12], ['0o17', 15], ['0x1F', 31], ['0x1f', 31],
    ['1.5', 1.5], ['-.5', -0.5], ['+1.5', 1.5], ['1.', 1], ['.5', 0.5], ['1e3', 1000], ['1e-3', 0.001], ['1E10', 1e10], ['12.25', 12.25], ['.55', 0.55],
    ['.inf', Infinity], ['-.Inf', -Infinity], ['+.INF', Infinity], ['.nan', NaN], ['.NaN', NaN],
    ['xtrue', 'xtrue'], ['truex', 'truex'], ['xfalse', 'xfalse'], ['falsex', 'falsex'], ['on', 'on'], ['1_000', '1_000'],
    ['x0o17', 'x0o17'], ['0o17x', '0o17x'], ['0o8', '0o8'], ['x0x1F', 'x0x1F'], ['0x1Fg', '0x1Fg'], ['0x', '0x'], ['0xg', '0xg'],
    ['x12', 'x12'], ['a-12', 'a-12'], ['1e', '1e'], ['1e+', '1e+'], ['x.inf', 'x.inf'], ['.infx', '.infx'], ['x.nan', 'x.nan'], ['.nanx', '.nanx'], ['1.5.2', '1.5.2'], ['12a', '12a'],
  ])('%j is %p', (text, value) => {
    expect(yaml12Resolve(text)).toBe(value);
  });
});

describe('explainKubectlTyping', () => {
  const object = { spec: { name: 'on', port: 80, other: 1 } };
  // A field `name` that takes only strings, `port` an int or a string.
  const judge = (o: Record<string, any>) => [
    ...(typeof o.spec.name === 'string' ? [] : [{ path: 'spec.name', message: 'not a string', allowed: 'a string' }]),
    ...(o.spec.other === 'x' ? [{ path: 'spec.other', message: 'bad', allowed: 'good' }] : []),
  ];
  const typed = { ...object, spec: { ...object.spec, name: true } };
  const scalar = { segments: ['spec', 'name'], source: 'on', value: true };

  test('a scalar the field refuses as kubectl reads it, and takes as a string, gets the quoting advice in place of the findings', () => {
    const result = explainKubectlTyping(typed, [scalar], judge(typed), judge);
    expect(result.findings).toEqual([{ path: 'spec.name', message: 'kubectl reads the unquoted on as the boolean true (YAML 1.1), but the field takes a string (YAML 1.2 tools read the string "on")', allowed: 'quote it: "on"' }]);
    expect([...result.superseded]).toEqual(['spec.name']);
  });

  test('a number gets the advice without the YAML 1.2 remark when YAML 1.2 tools read a number too', () => {
    const numbered = { spec: { name: 511 } };
    expect(explainKubectlTyping(numbered, [{ segments: ['spec', 'name'], source: '0777', value: 511 }], judge(numbered), judge).findings.map((f) => f.message))
      .toEqual(['kubectl reads the unquoted 0777 as the number 511 (YAML 1.1), but the field takes a string']);
  });

  test('a scalar without a finding at its path, even beside another finding, gets no advice', () => {
    const port = { segments: ['spec', 'port'], source: '0x50', value: 80 };
    expect(explainKubectlTyping(object, [port], [], judge)).toEqual({ findings: [], superseded: new Set() });
    expect(explainKubectlTyping(object, [port], [{ path: 'spec.other', message: 'bad', allowed: 'good' }], judge)).toEqual({ findings: [], superseded: new Set() });
  });

  test('a scalar whose path does not lead to a mapping of the object (a caller\'s mismatch) is judged on the object as it is', () => {
    // Through a null, through a missing field, and into a string and a number: nothing to set, and no throw.
    const odd = { spec: { name: 'on', port: 80, gone: null } };
    const paths = [['spec', 'gone', 'x', 'y'], ['spec', 'missing', 'x', 'y'], ['spec', 'gone', 'x'], ['spec', 'name', 'length'], ['spec', 'port', 'x']];
    const scalars = paths.map((segments) => ({ segments, source: 'on', value: true }));
    const everywhere = (_o: unknown) => paths.map((segments) => ({ path: segments.join('.'), message: 'refused', allowed: 'nothing' }));
    expect(explainKubectlTyping(odd, scalars, everywhere(odd), everywhere)).toEqual({ findings: [], superseded: new Set() });
    // With no finding left once set as a string, the advice is given at each path all the same.
    let calls = 0;
    const firstOnly = (_o: unknown) => (calls++ === 0 ? everywhere(_o) : []);
    expect(explainKubectlTyping(odd, scalars, firstOnly(odd), firstOnly).findings.map((f) => f.path)).toEqual(paths.map((segments) => segments.join('.')));
    expect(odd).toEqual({ spec: { name: 'on', port: 80, gone: null } });
  });

  test('a scalar the field refuses as a string too gets no advice: the schema\'s findings stand', () => {
    const strict = (_o: unknown) => [{ path: 'spec.name', message: 'refused', allowed: 'nothing' }, { path: 'spec.x', message: 'x', allowed: 'y' }];
    expect(explainKubectlTyping(typed, [scalar], strict(typed), strict)).toEqual({ findings: [], superseded: new Set() });
  });
});
