import * as fs from 'fs';
import * as path from 'path';
import { parse } from '@bufbuild/cel';
import { validate } from '../../lib/validate';
import { CostSchema, estimateCost, maxElements, minSize, ruleRoot, valueSizer } from '../../lib/validate/cel-cost';
import { crdSchemaFindings, validateCustom } from '../../lib/validate/crd';
import { readManifests } from '../../lib/validate/load';
import { tempDir } from '../helpers';
import { describeWithCluster, describeWithCrds } from '../support/envtest';

// A CRD whose spec has one field `l` (a list or map) and one rule on spec.
const crdWith = (name: string, field: Record<string, unknown>, rule: string) => ({
  apiVersion: 'apiextensions.k8s.io/v1', kind: 'CustomResourceDefinition', metadata: { name: `${name}s.example.com` },
  spec: {
    group: 'example.com', scope: 'Namespaced', names: { plural: `${name}s`, kind: name[0].toUpperCase() + name.slice(1) },
    versions: [{ name: 'v1', served: true, storage: true, schema: { openAPIV3Schema: { type: 'object', properties: { spec: { type: 'object', properties: { l: field }, 'x-kubernetes-validations': [{ rule }] } } } } }],
  },
});
const specSchema = (crd: ReturnType<typeof crdWith>) => crd.spec.versions[0].schema.openAPIV3Schema.properties.spec;
const staticCost = (crd: ReturnType<typeof crdWith>) => estimateCost(parse(specSchema(crd)['x-kubernetes-validations'][0].rule), ruleRoot(specSchema(crd), false));

const strings = (maxItems: number | undefined, maxLength?: number) => ({ type: 'array', ...(maxItems === undefined ? {} : { maxItems }), items: { type: 'string', ...(maxLength === undefined ? {} : { maxLength }) } });
const THREE_DEEP = "self.l.all(a, self.l.all(b, self.l.all(c, a != '' || b != '' || c != '')))";

// Each: a name, the field, the rule, and the server's verdict on the CRD: 'accepted', or the
// factor it prints ("estimated rule cost exceeds budget by factor of F"), read from a 1.34.2
// server (and asked again in the cluster test below).
const CASES: [string, Record<string, unknown>, string, string][] = [
  ['three-deep all() over a list without maxItems', strings(undefined), THREE_DEEP, 'more than 100x'],
  ['three-deep all() over 100 items', strings(100), THREE_DEEP, 'accepted'],
  ['two-deep all() comparing strings of 100 runes over 1000 items', strings(1000, 100), 'self.l.all(a, self.l.all(b, a == b))', '4.5x'],
  ['two-deep exists() over 3000 integers', { type: 'array', maxItems: 3000, items: { type: 'integer' } }, 'self.l.exists(a, self.l.exists(b, a + b == 7))', '7.2x'],
  ['matches() over 2000 strings of 500 runes', strings(2000, 500), "self.l.all(a, a.matches('^[a-z]+(-[a-z]+)*$'))", 'accepted'],
  ['map, filter and exists_one over 5000 objects', { type: 'array', maxItems: 5000, items: { type: 'object', properties: { n: { type: 'string', maxLength: 64 } } } }, "self.l.map(x, x.n).filter(n, n.startsWith('a')).size() < 10 && self.l.all(x, self.l.exists_one(y, y.n == x.n))", '80.0x'],
  ['split() of 300 strings of 2000 runes', strings(300, 2000), "self.l.all(a, a.split(',').all(p, p.size() < 5))", '1.488150x'],
  ['contains() over an unbounded list of short strings', strings(undefined, 20), "self.l.all(a, a.contains('x'))", '1.258290x'],
  ['a map of 400 values, indexed', { type: 'object', maxProperties: 400, additionalProperties: { type: 'string', maxLength: 300 } }, 'self.l.all(k, self.l[k].lowerAscii() == self.l[k] && k.size() > 0)', 'accepted'],
];

/** The factor as the server prints it (apiextensions validation.go getCostErrorMessage). */
function factor(cost: number): string {
  const f = cost / 10_000_000;
  if (f <= 1) return 'accepted';
  if (f > 100) return 'more than 100x';
  return f < 1.5 ? `${f.toFixed(6)}x` : `${f.toFixed(1)}x`;
}

describe('CEL rule cost, estimated as the API server estimates it', () => {
  test.each(CASES)('%s', (_name, field, rule, server) => {
    const crd = crdWith('cost', field, rule);
    expect(factor(staticCost(crd))).toBe(server);
    const findings = crdSchemaFindings(crd);
    if (server === 'accepted') expect(findings).toEqual([]);
    else expect(findings).toContainEqual(expect.objectContaining({ path: 'spec.versions[0].schema.openAPIV3Schema.properties.spec.x-kubernetes-validations[0].rule', message: expect.stringContaining("exceeds the API server's limit of 10,000,000: it refuses the CustomResourceDefinition") }));
  });

  test('a rule under an unbounded list runs once per item: its cost is multiplied by what fits in a request, and the total is bounded too', () => {
    // 10 rules of cost ~ 1.5M each under a list of at most 10 items: 15M a rule, over 10M.
    const item = { type: 'object', properties: { s: { type: 'string', maxLength: 1000 } }, 'x-kubernetes-validations': [{ rule: "self.s.matches('^(a|b|c|d|e|f|g|h|i|j|k|l|m|n|o|p)+$')" }] };
    const crd = crdWith('card', { type: 'array', maxItems: 10, items: item }, 'true');
    expect(crdSchemaFindings(crd)).toEqual([]);
    const unbounded = crdWith('card', { type: 'array', items: item }, 'true');
    expect(crdSchemaFindings(unbounded).map((f) => f.path)).toEqual([
      'spec.versions[0].schema.openAPIV3Schema.properties.spec.properties.l.items.x-kubernetes-validations[0].rule',
      'spec.versions[0].schema.openAPIV3Schema',
    ]);
  });

  test('sizes: a list\'s maxItems or what fits in 3 MiB; strings 4 bytes a rune; formats and enums bound strings', () => {
    expect(maxElements(strings(7))).toBe(7);
    expect(maxElements(strings(undefined))).toBe(Math.floor((3 * 1024 * 1024 - 2) / 3));
    expect(maxElements({ type: 'string', maxLength: 10 })).toBe(40);
    expect(maxElements({ type: 'string', enum: ['a', 'abc'] })).toBe(3);
    expect(maxElements({ type: 'string', format: 'date-time' })).toBe(32);
    expect(minSize({ type: 'object', required: ['name', 'port'], properties: { name: { type: 'string' }, port: { type: 'integer', default: 80 } } })).toBe(2 + 4 + 2 + 4);
  });

  test('a property named by a CEL keyword is reached by its escaped name', () => {
    const schema = { type: 'object', properties: { namespace: { type: 'string', maxLength: 10 }, 'x-y': { type: 'string', maxLength: 10 } } };
    expect(estimateCost(parse("self.__namespace__ == self.x__dash__y"), schema)).toBe(1 + 1 + 1 + 1 + 4);
  });

  // k8s.io/apiserver pkg/cel escaping.go celReservedSymbols: each keyword is `__keyword__` in a rule.
  test('every CEL keyword names its property by its escaped name', () => {
    const KEYWORDS = ['true', 'false', 'null', 'in', 'as', 'break', 'const', 'continue', 'else', 'for', 'function', 'if', 'import', 'let', 'loop', 'package', 'namespace', 'return', 'var', 'void', 'while'];
    const costs = KEYWORDS.map((keyword) => {
      const schema = { type: 'object', properties: { [keyword]: { type: 'string', maxLength: 10 }, u: { type: 'string', maxLength: 1000 } } };
      return [keyword, estimateCost(parse(`self.__${keyword}__ == self.u`), schema)];
    });
    // 1 + 1 for each select, and the shorter string's tenth (40 bytes: 4); an unknown name would compare by u's 4000 bytes.
    expect(costs).toEqual(KEYWORDS.map((keyword) => [keyword, 2 + 2 + 4]));
  });

});

// The schema of `self` in the cost tables below: strings of 10, 100 and 1000 runes (40, 400 and
// 4000 bytes, SchemaDeclType's 4 a rune), int-or-strings, lists, a map, and a free-form object.
const COST_SELF = {
  type: 'object',
  properties: {
    s: { type: 'string', maxLength: 10 },
    t: { type: 'string', maxLength: 100 },
    u: { type: 'string', maxLength: 1000 },
    i: { type: 'integer' },
    x: { 'x-kubernetes-int-or-string': true, 'maxLength': 10 },
    y: { 'x-kubernetes-int-or-string': true, 'maxLength': 1000 },
    b: { type: 'string', format: 'byte', maxLength: 100 },
    k: { type: 'array', maxItems: 10, items: { type: 'string', maxLength: 10 } },
    l: { type: 'array', maxItems: 20, items: { type: 'string', maxLength: 100 } },
    n: { type: 'array', maxItems: 10, items: { type: 'integer' } },
    m: { type: 'object', maxProperties: 10, additionalProperties: { type: 'string', maxLength: 100 } },
    o: { type: 'object', additionalProperties: true },
  },
};

// Each: a rule on COST_SELF and its estimated cost. A select or an identifier costs 1, a constant
// 0; `==` on strings a tenth of the shorter's size (rounded up), `<` the same on strings and 1
// otherwise; a list literal 10, a map literal 30, a message literal 40; all() its range times
// (2 for the condition `@not_strictly_false(r)`, 1 for `r && `, and the predicate), plus 1 for the result.
const COST_RULES: [string, number][] = [
  // comparisons: strings by the shorter's tenth (40 bytes: 4), other values 1; the result is a bool (size 1)
  ['self.s < self.u', 2 + 2 + 4],
  ['self.s <= self.u', 2 + 2 + 4],
  ['self.s > self.u', 2 + 2 + 4],
  ['self.s >= self.u', 2 + 2 + 4],
  ['self.x < self.y', 2 + 2 + 4],
  ['self.i < self.i', 2 + 2 + 1],
  ['self.s < self.i', 2 + 2 + 0],
  ['self.i < self.s', 2 + 2 + 0],
  ['self.i != self.i', 2 + 2 + 0],
  ['(self.s < self.u) == (self.s < self.u)', 8 + 8 + 1],
  ['(self.s == self.u) == (self.s == self.u)', 8 + 8 + 1],
  ['(true && true) == (true || false)', 1],
  // `in` a list: its size (20)
  ['(self.s in self.l) == (self.s in self.l)', (4 + 20) * 2 + 1],
  // `+`: strings and lists their total size's tenth; other values 1
  ['self.s + self.t < self.i', 4 + 44 + 2 + 0],
  ['self.s + self.t < self.u', 4 + 44 + 2 + 44],
  ['self.l + self.l < self.i', 4 + 4 + 2 + 1],
  ['(self.l + self.l).all(x, x == self.u)', 8 + 1 + 40 * (2 + 1 + 1 + 2 + 40)],
  ['self.i + self.i == self.i + self.i', 5 + 5 + 1],
  // indexing: 1, and the value is an element (400 bytes; a list literal's element: the largest)
  ['self.l[0] < self.u', 3 + 2 + 40],
  ['self.m[\'a\'] < self.u', 3 + 2 + 40],
  ['self.m.z == self.u', 3 + 2 + 40],
  ['[][0] == \'abc\'', 11 + 0 + 0],
  ['[1, self.t][1] < self.i', 13 + 2 + 0],
  ['[self.s, self.t][1] == self.u', 15 + 2 + 40],
  ['{\'a\': self.s, \'b\': self.t}[\'a\'] == self.u', 35 + 2 + 40],
  ['{self.s: \'x\', \'b\': self.t}[\'a\'] == self.u', 35 + 2 + 40],
  ['Foo{a: self.s}', 40 + 2],
  // a field of a literal, or of what the schema does not bound, has no known size (2^64): the other side's
  ['{\'a\': \'xyz\'}.a == \'abcdefghijklmnopqrstu\'', 31 + 3],
  ['self.nope == self.s', 2 + 2 + 4],
  ['self.nope.x == \'a\'', 3 + 1],
  ['self.o[0] == self.u', 3 + 2 + 400],
  ['self.o.z == self.u', 3 + 2 + 400],
  ['self.nope.all(x, true)', 2 ** 64],
  // matches, find, findAll: the subject's (size + 1) tenth times the pattern's quarter; findAll's result a list of strings
  ['self.s.find(\'abcdefgh\') < self.i', 2 + 5 * 2 + 2 + 0],
  ['self.s.findAll(\'abcdefgh\').all(x, x < self.i)', 12 + 1 + 40 * (2 + 1 + 3 + 0)],
  // contains: the two sizes' tenths multiplied; startsWith and endsWith the argument's tenth; a bool
  ['self.s.contains(self.t) == self.s.contains(self.t)', (4 + 4 * 40) * 2 + 1],
  ['self.s.startsWith(self.t) == self.s.startsWith(self.t)', (4 + 40) * 2 + 1],
  ['self.s.endsWith(self.t) == self.s.endsWith(self.t)', (4 + 40) * 2 + 1],
  // lowerAscii, upperAscii, substring, trim: the string's tenth, and a string of its size
  ['self.s.lowerAscii() < self.i', 2 + 4 + 2 + 0],
  ['self.s.upperAscii() < self.i', 2 + 4 + 2 + 0],
  ['self.s.substring(1) < self.i', 2 + 4 + 2 + 0],
  ['self.s.trim() < self.i', 2 + 4 + 2 + 0],
  // replace: the string's fifth; the result keeps its size unless the replacement is longer
  ['self.s.replace(\'ab\', \'c\') == self.u', 2 + 8 + 2 + 4],
  ['self.s.replace(\'a\', \'b\') == self.u', 2 + 8 + 2 + 4],
  ['self.s.replace(\'a\', \'bc\') == self.u', 2 + 8 + 2 + 400],
  ['self.s.replace(\'a\', \'b\') < self.i', 2 + 8 + 2 + 0],
  // split: the string's fifth, a list of strings; join: the joined size's tenth (10 x 40 + 9 separators)
  ['self.s.split(\',\').all(p, p < self.i)', 2 + 8 + 1 + 40 * (2 + 1 + 3 + 0)],
  ['self.k.join(\', \') == self.u', 2 + 42 + 2 + 42],
  ['self.k.join() == self.u', 2 + 40 + 2 + 40],
  ['self.k.join(\', \') < self.i', 2 + 42 + 2 + 0],
  // indexOf, lastIndexOf on a string: its tenth; isSorted, sum, max, min, indexOf on a list: 1 an element, plus a string element's tenth
  ['self.s.indexOf(\'a\') == self.s.indexOf(\'a\')', (2 + 4) * 2 + 1],
  ['self.s.lastIndexOf(\'a\')', 2 + 4],
  ['self.k.isSorted() == self.k.isSorted()', (2 + 10 * 5) * 2 + 1],
  ['self.k.sum()', 2 + 10 * 5],
  ['self.k.max()', 2 + 10 * 5],
  ['self.k.min()', 2 + 10 * 5],
  ['self.n.min()', 2 + 10 * 1],
  ['max(self.i, self.i) == max(self.i, self.i)', 5 + 5 + 1],
  // the Kubernetes parsers and checks: the string's tenth, and a value of size 1
  ...['isIP', 'isCIDR', 'cidr', 'ip', 'url', 'quantity', 'isQuantity', 'semver', 'isSemver'].map((f): [string, number] => [`${f}(self.t) == ${f}(self.t)`, (2 + 40) * 2 + 1]),
  ['self.s.size() == self.s.size()', 3 + 3 + 1],
  ['duration(self.s) == duration(self.s)', 3 + 3 + 1],
  // conversions to text have no known size
  ['string(self.i) == self.u', 3 + 2 + 400],
  ['bytes(self.s) == self.u', 3 + 2 + 400],
  ['\'%s\'.format([self.s]) == self.u', 13 + 2 + 400],
  // dyn() costs 1 and keeps its argument's size
  ['dyn(self.s) == self.u', 3 + 2 + 4],
  ['dyn(self.s, self.t) == self.u', 5 + 2 + 1],
  // constants: a string's size in runes, bytes' in bytes; strings compare by size, bytes by 1
  ['self.b == b\'abcdefghijklmnopqrstuvwxyz\'', 2 + 3],
  ['b\'abcdefghijklmnopqrstuvwxyz\' < b\'abcdefghijklmnopqrstuvwxyz\'', 1],
  ['\'abcdefghijklmnopqrstuvwxyz\' < \'abcdefghijklmnopqrstuvwxyz\'', 3],
  // has() costs nothing more than its operand (PresenceTestHasCost(false)), and is a bool
  ['has(self.s)', 1],
  ['has(self.s) == has(self.t)', 3],
  // map() makes a list of its range's size: map itself 2 + 10 (the []) + 1 + 20 x (0 + 1 + 10 + 1 + 1)
  ['self.l.map(x, x).all(y, true)', 273 + 1 + 20 * 3],
  ['self.l.all(x, true) == self.l.all(x, true)', 63 + 63 + 1],
  // a map's keys have no size (MaxElements 0) and are strings; its values are the additionalProperties
  ['self.m.all(k, k + k == \'\')', 2 + 1 + 10 * (2 + 1 + 2 + 0)],
  ['[self.m, self.m].all(x, x.all(k, k + k == \'\'))', 2 ** 64],
  // escaped names (apiserver pkg/cel escaping.go): only a whole `__keyword__` is a keyword
  ['self.__namespace__ == self.u', 2 + 2 + 4],
  ['self.__in__ == self.u', 2 + 2 + 4],
  ['self.x__dash__y == self.u', 2 + 2 + 4],
  ['self.__underscores__foo__underscores__ == self.u', 2 + 2 + 4],
  ['self.a__in__ == self.u', 2 + 2 + 400],
  ['self.__in__x == self.u', 2 + 2 + 400],
];
const ESCAPED = { namespace: { type: 'string', maxLength: 10 }, 'in': { type: 'string', maxLength: 10 }, 'x-y': { type: 'string', maxLength: 10 }, '__foo__': { type: 'string', maxLength: 10 } };

describe('the cost of each kind of expression and function', () => {
  test.each(COST_RULES)('%s costs %d', (rule, expected) => {
    const self = { ...COST_SELF, properties: { ...COST_SELF.properties, ...ESCAPED } };
    expect(estimateCost(parse(rule), self)).toBe(expected);
  });
});

describe('the parts of the estimate', () => {
  test('additionalProperties: null is no map (the API server reads it as absent): the same estimate as without it', () => {
    const object = { type: 'object', properties: { n: { type: 'string', maxLength: 10 } }, required: ['n'] };
    const nulled = { ...object, additionalProperties: null } as unknown as CostSchema;
    expect([minSize(nulled), maxElements(nulled)]).toEqual([minSize(object), maxElements(object)]);
    const rule = "self.n.startsWith('a') && self.all(k, k != '')";
    const within = (schema: CostSchema) => ({ type: 'array', maxItems: 1000, items: schema });
    const cost = (schema: CostSchema) => estimateCost(parse(`self.all(x, ${rule.replaceAll('self', 'x')})`), ruleRoot(within(schema), false));
    expect(cost(nulled)).toBe(cost(object));
  });

  test('minSize: the shortest JSON of each type; an object its required properties without a default that have a type', () => {
    const table: [CostSchema | undefined, number][] = [
      [undefined, 0],
      [{}, 0],
      [{ 'x-kubernetes-int-or-string': true }, 1],
      [{ type: 'array' }, 2],
      [{ type: 'boolean' }, 4],
      [{ type: 'number' }, 1],
      [{ type: 'integer' }, 1],
      [{ type: 'string' }, 2],
      [{ type: 'string', format: 'duration' }, 3],
      [{ type: 'string', format: 'date' }, 12],
      [{ type: 'string', format: 'date-time' }, 21],
      // a map is `{}` whatever its properties
      [{ type: 'object', additionalProperties: { type: 'string' }, required: ['a'], properties: { a: { type: 'string' } } }, 2],
      // `"a":0,` for a; b has no type
      [{ type: 'object', required: ['a', 'b'], properties: { a: { type: 'integer' }, b: {} } }, 2 + 1 + 1 + 4],
      [{ type: 'object', required: ['a'], properties: { a: { 'x-kubernetes-int-or-string': true } } }, 2 + 1 + 1 + 4],
      // no required list (none, or a corrupt one) requires nothing, whatever the properties are named
      [{ type: 'object', properties: { a: { type: 'string' }, 'Stryker was here': { type: 'string' }, 'a b': { type: 'integer' } } }, 2],
      [{ type: 'object', required: 'a' as unknown as string[], properties: { a: { type: 'string' }, 'Stryker was here': { type: 'string' } } }, 2],
    ];
    expect(table.map(([schema]) => minSize(schema))).toEqual(table.map(([, size]) => size));
  });

  test('maxElements: int-or-strings, maps and strings by their bounds, or what fits in 3 MiB', () => {
    const fits = 3 * 1024 * 1024 - 2;
    const table: [CostSchema | undefined, number | undefined][] = [
      [undefined, undefined],
      [{ 'x-kubernetes-int-or-string': true, 'maxLength': 5 }, 20],
      [{ 'x-kubernetes-int-or-string': true, 'maxLength': -1 }, 0],
      [{ 'x-kubernetes-int-or-string': true }, fits],
      [{ type: 'object' }, 0],
      [{ type: 'object', properties: { a: { type: 'string' } } }, 0],
      [{ type: 'object', additionalProperties: { type: 'string' }, maxProperties: 5 }, 5],
      [{ type: 'object', additionalProperties: { type: 'string' }, maxProperties: -1 }, 0],
      // an entry is at least `"":"",` (6 + the value's 2)
      [{ type: 'object', additionalProperties: { type: 'string' } }, Math.floor(fits / 8)],
      [{ type: 'object', additionalProperties: { type: 'integer' } }, Math.floor(fits / 7)],
      [{ type: 'string', format: 'duration' }, 32],
      [{ type: 'string', format: 'date' }, 12],
      [{ type: 'string', format: 'byte', maxLength: 10 }, 10],
      [{ type: 'string', format: 'byte', enum: ['abc'] }, fits],
      [{ type: 'string', enum: [1, 'ab'] }, 2],
      [{ type: 'string' }, fits],
      [{ type: 'boolean' }, 0],
    ];
    expect(table.map(([schema]) => maxElements(schema))).toEqual(table.map(([, size]) => size));
  });

  test('a resource root\'s `self` also has apiVersion, kind and metadata.name and generateName; other schemas are as they are', () => {
    const schema = { type: 'object', properties: { spec: { type: 'object' } } };
    expect(ruleRoot(schema, false)).toBe(schema);
    expect(ruleRoot(schema, true)).toEqual({
      type: 'object',
      properties: {
        spec: { type: 'object' }, apiVersion: { type: 'string' }, kind: { type: 'string' },
        metadata: { type: 'object', properties: { name: { type: 'string' }, generateName: { type: 'string' } } },
      },
    });
  });

  test('the value sizer looks only into objects and lists by name, and sizes null and scalars 0', () => {
    const size = valueSizer({ s: 'ab', n: null, l: ['abc'] });
    expect(size(['s', { keys: true }], undefined)).toBe(0);
    expect(size(['s', { items: true }], undefined)).toBe(0);
    expect(size(['n'], undefined)).toBe(0);
    expect(size(['n', 'x'], undefined)).toBe(0);
    expect(size(['l', '0'], undefined)).toBe(0);
    // a value of no known size and no path is not asked of the sizer: string() has no size (2^64), 'abc' 3
    expect(estimateCost(parse('string(self.i) == \'abc\''), COST_SELF, valueSizer({ i: 1 }))).toBe(3 + 1);
  });

  test('where the sizer knows no size, integers, numbers and booleans have size 1, other values 2^64', () => {
    const self = { type: 'object', properties: { i: { type: 'integer' }, f: { type: 'number' }, t: { type: 'boolean' }, s: { type: 'string' } } };
    const cost = (rule: string) => estimateCost(parse(rule), self, () => undefined);
    expect(cost('self.i == self.i')).toBe(4 + 1);
    expect(cost('self.f == self.f')).toBe(4 + 1);
    expect(cost('self.t == self.t')).toBe(4 + 1);
    expect(cost('self.s == self.s')).toBe(4 + Math.ceil(0.1 * 2 ** 64));
  });

  test('the sizer is asked for sizes by the path from self: names, then {items: true} for elements or values, {keys: true} for keys', () => {
    const paths = (parsed: ReturnType<typeof parse>) => {
      const asked: unknown[] = [];
      estimateCost(parsed, COST_SELF, (path) => {
        asked.push(path);
        return 1;
      });
      return asked;
    };
    expect(paths(parse('self.l[0] == \'\''))).toEqual([['l', { items: true }]]);
    expect(paths(parse('self.l.all(x, x == \'\')'))).toEqual([['l', { items: true }], ['l']]);
    expect(paths(parse('self.m.all(k, k == \'\')'))).toEqual([['m', { keys: true }], ['m']]);
    const twoVariables = parse('self.m.all(k, k == \'\' && v == \'\')');
    if (twoVariables.expr.exprKind.case !== 'comprehensionExpr') throw new Error('not a comprehension');
    twoVariables.expr.exprKind.value.iterVar2 = 'v';
    expect(paths(twoVariables)).toEqual([['m', { keys: true }], ['m', { items: true }], ['m']]);
  });

  test('expressions built by hand: an empty one costs 0, a two-variable comprehension, accumulators that are maps or missing', () => {
    const none = parse('true');
    expect(estimateCost({ ...none, expr: { ...none.expr!, exprKind: { case: undefined } } }, COST_SELF)).toBe(0);
    const comprehension = (expr: ReturnType<typeof parse>['expr'] | undefined) => {
      if (expr?.exprKind.case !== 'comprehensionExpr') throw new Error('not a comprehension');
      return expr.exprKind.value;
    };
    // all(k, v, ...) (cel-go's two-variable comprehensions): over a map the keys (size 0) and the
    // values (400); over a list the index (an integer, size 1) and the elements (400)
    const overMap = parse('self.m.all(k, k + k == \'\' && v == self.u)');
    comprehension(overMap.expr).iterVar2 = 'v';
    expect(estimateCost(overMap, COST_SELF)).toBe(2 + 1 + 10 * (2 + 1 + 2 + 0 + 43));
    const overList = parse('self.l.all(i, i == i && v == self.u)');
    comprehension(overList.expr).iterVar2 = 'v';
    expect(estimateCost(overList, COST_SELF)).toBe(2 + 1 + 20 * (2 + 1 + 3 + 43));
    // a map() whose accumulator starts as a map literal (30) still makes a list of its range's size
    const intoMap = parse('self.l.map(x, x).all(y, true)');
    comprehension(comprehension(intoMap.expr).iterRange).accuInit = parse('{}').expr;
    expect(estimateCost(intoMap, COST_SELF)).toBe(2 + 30 + 1 + 20 * 13 + 1 + 20 * 3);
    // no accumulator init: it costs 0 (an expression not there costs nothing)
    const noInit = parse('self.l.all(x, true)');
    comprehension(noInit.expr).accuInit = undefined;
    expect(estimateCost(noInit, COST_SELF)).toBe(2 + 1 + 20 * 3);
  });
});

// spec.l: at most 1000 integers, and a rule pairing every two (accepted: estimated 7M, under 10M).
const PAIRS = crdWith('celcostpair', { type: 'array', maxItems: 1000, items: { type: 'integer' } }, 'self.l.all(a, self.l.all(b, a + b >= 0))');
const pairs = (n: number) => ({ apiVersion: 'example.com/v1', kind: 'Celcostpair', metadata: { name: 'p' }, spec: { l: Array.from({ length: n }, (_, i) => i) } });

describeWithCrds('the shared CRDs', ['gateway-api-v1.6.1', 'cert-manager-v1.21.1', 'argo-cd-v3.5.1', 'flux-kustomize-controller-v1.9.4', 'flux-source-controller-v1.9.1'], (folders) => {
  test('which the API server installs, are within every limit', () => {
    const crds = readManifests(Object.values(folders)).items.map((item) => item.object).filter((o) => o.kind === 'CustomResourceDefinition');
    expect(crds.length).toBeGreaterThan(15);
    expect(crds.flatMap((crd) => crdSchemaFindings(crd).map((f) => `${crd.metadata.name}: ${f.path}: ${f.message}`))).toEqual([]);
  });
});

describe('one evaluation within the per-call limit', () => {
  test('a rule whose cost on this object is over 1,000,000 is not run: a finding, as the server refuses the object', () => {
    expect(crdSchemaFindings(PAIRS)).toEqual([]);
    const schema = PAIRS.spec.versions[0].schema.openAPIV3Schema;
    expect(validateCustom(pairs(377), schema)).toEqual([]);
    expect(validateCustom(pairs(378), schema)).toEqual([expect.objectContaining({
      path: 'spec',
      message: 'rule not run: its cost on this object, estimated from its sizes, is 1,002,459, over the API server\'s per-call limit of 1,000,000: the server stops it ("call cost exceeds limit for rule") and refuses the object (CustomResourceDefinition)',
    })]);
  });

  test('three-deep all() over 400 items of a list without maxItems ends in well under a second (it ran 91 s)', () => {
    const crd = crdWith('deep', strings(undefined), THREE_DEEP);
    const object = { apiVersion: 'example.com/v1', kind: 'Deep', metadata: { name: 'd' }, spec: { l: Array.from({ length: 400 }, (_, i) => `s${i}`) } };
    const started = process.hrtime.bigint();
    const { problems } = validate([{ file: 'crd.yaml', object: crd }, { file: 'd.yaml', object }], { checks: ['schema', 'api'] });
    const ms = Number(process.hrtime.bigint() - started) / 1e6;
    expect(ms).toBeLessThan(1000);
    expect(problems).toContainEqual(expect.objectContaining({ file: 'crd.yaml', check: 'api', message: expect.stringMatching(/^estimated rule cost [\d,]+ exceeds the API server's limit of 10,000,000/) }));
    expect(problems).toContainEqual(expect.objectContaining({ file: 'd.yaml', check: 'schema', message: expect.stringContaining('rule not run: its cost on this object') }));
  });

  test('the value sizer takes the largest size at a path: lists, strings in runes, map keys', () => {
    const size = valueSizer({ l: ['ab', 'ä😀c'], m: { a: 1, b: 2 } });
    expect(size(['l'], undefined)).toBe(2);
    expect(size(['l', { items: true }], undefined)).toBe(3);
    expect(size(['m'], undefined)).toBe(2);
    expect(size(['m', { keys: true }], undefined)).toBe(1);
    expect(size(['missing'], undefined)).toBe(0);
  });
});

describeWithCluster('CEL rule cost on the real server', (cluster) => {
  test.each(CASES)('%s: the server\'s verdict on the CRD is the one above', async (_name, field, rule, server) => {
    const answer = await cluster().request('POST', '/apis/apiextensions.k8s.io/v1/customresourcedefinitions?dryRun=All', crdWith('cost', field, rule));
    if (server === 'accepted') expect(answer.status).toBe(201);
    else expect(JSON.stringify(answer.body)).toContain(`estimated rule cost exceeds budget by factor of ${server}`);
  });

  test('the three-deep all() is accepted up to the maxItems the estimate allows, and refused one item later', async () => {
    // Estimated 6(n^3) + lower terms: 118 items stay under 10,000,000, 119 go over.
    expect(factor(staticCost(crdWith('cost', strings(118), THREE_DEEP)))).toBe('accepted');
    expect(factor(staticCost(crdWith('cost', strings(119), THREE_DEEP)))).not.toBe('accepted');
    const at = (n: number) => cluster().request('POST', '/apis/apiextensions.k8s.io/v1/customresourcedefinitions?dryRun=All', crdWith('cost', strings(n), THREE_DEEP));
    expect((await at(118)).status).toBe(201);
    expect((await at(119)).status).toBe(422);
  });

  test('the per-call limit: the server creates 377 pairs and stops at 378, as the validator does', async () => {
    await cluster().installCrds(writeTemp(PAIRS));
    try {
      const ns = await cluster().namespace('celcost');
      const create = (n: number) => cluster().request('POST', `/apis/example.com/v1/namespaces/${ns}/celcostpairs?dryRun=All`, { ...pairs(n), metadata: { name: 'p', namespace: ns } });
      expect((await create(377)).status).toBe(201);
      const refused = await create(378);
      expect(refused.status).toBe(422);
      expect(JSON.stringify(refused.body)).toContain('call cost exceeds limit for rule');
    } finally {
      await cluster().request('DELETE', `/apis/apiextensions.k8s.io/v1/customresourcedefinitions/${PAIRS.metadata.name}`);
    }
  });
});

function writeTemp(object: unknown): string {
  const dir = tempDir();
  fs.writeFileSync(path.join(dir, 'crd.yaml'), JSON.stringify(object));
  return dir;
}
