import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { stringify } from 'yaml';
import { validate, validateManifests } from '../../lib/validate';
import { run } from '../../lib/validate/cli';
import { crdGroupFindings, crdSchemaFindings, customResourceKinds, customResourceSchemas, notEvaluated, validateCustom, withDefaults } from '../../lib/validate/crd';
import { readManifests } from '../../lib/validate/load';
import { isBuiltinGroup } from '../../lib/validate/schema';
import { describeWithCluster, describeWithCrds } from '../support/envtest';
import { Finding } from '../../lib/validate/problem';

// A small CRD written for these tests, shaped like Gateway API's HTTPRoute rules.
const routeCrd = {
  apiVersion: 'apiextensions.k8s.io/v1',
  kind: 'CustomResourceDefinition',
  metadata: { name: 'routes.example.com' },
  spec: {
    group: 'example.com',
    names: { kind: 'Route', plural: 'routes' },
    scope: 'Namespaced',
    versions: [
      { name: 'v1alpha1', served: false, storage: false, schema: { openAPIV3Schema: { type: 'object' } } },
      {
        name: 'v1', served: true, storage: true,
        schema: {
          openAPIV3Schema: {
            type: 'object',
            properties: {
              spec: {
                type: 'object',
                required: ['rules'],
                'x-kubernetes-validations': [{ rule: '!has(self.rules) || self.rules.all(r, r.port != 0)', message: 'port must not be 0' }],
                properties: {
                  hostname: { type: 'string', maxLength: 20, pattern: '^[-a-z0-9.]+$', 'x-kubernetes-validations': [{ rule: '!isIP(self)', message: 'hostname must not be an IP' }] },
                  extra: { type: 'object', 'x-kubernetes-preserve-unknown-fields': true },
                  mode: { type: 'string', enum: ['Exact', 'PathPrefix'], default: 'PathPrefix' },
                  note: { type: 'string', 'x-kubernetes-validations': [{ rule: 'self.frobnicate()' }, { rule: 'self == oldSelf', message: 'immutable' }] },
                  rules: {
                    type: 'array',
                    maxItems: 2,
                    items: {
                      type: 'object',
                      properties: {
                        port: { type: 'integer', minimum: 0, maximum: 65535 },
                        rewrite: { type: 'string' },
                      },
                    },
                  },
                },
              },
            },
            'x-kubernetes-validations': [{
              rule: "!has(self.spec.rules) || !self.spec.rules.exists(r, has(r.rewrite)) || self.spec.mode == 'PathPrefix'",
              message: 'a rewrite needs a PathPrefix mode', fieldPath: '.spec.mode',
            }],
          },
        },
      },
    ],
  },
};
const schema = (routeCrd.spec.versions[1].schema as any).openAPIV3Schema;
const route = (spec: Record<string, unknown>) => ({ apiVersion: 'example.com/v1', kind: 'Route', metadata: { name: 'r', creationTimestamp: null }, spec });
const ok = { hostname: 'k8s-multi.com', rules: [{ port: 80 }] };

describe('custom objects judged by their CustomResourceDefinition', () => {
  test('a valid object passes, metadata and nulls included', () => {
    expect(validateCustom(route({ ...ok, extra: { anything: [1] }, note: null }), schema)).toEqual([]);
  });

  test('unknown fields, types, enums, patterns, lengths, bounds, items and required fields are reported', () => {
    const findings = validateCustom(route({ hostname: 'UPPER.example.com.toolong', mode: 'Regex', rules: [{ port: 70000, bogus: 1 }, { port: 'x' }, { port: 1 }] }), schema);
    const at = (p: string) => findings.filter((f) => f.path === p).map((f) => f.message);
    expect(at('spec.hostname')).toEqual(['longer than 20 characters (CustomResourceDefinition)', 'value does not match the pattern (CustomResourceDefinition)']);
    expect(at('spec.mode')).toEqual(['value not allowed (CustomResourceDefinition)']);
    expect(at('spec.rules')).toEqual(['more than 2 items (CustomResourceDefinition)']);
    expect(at('spec.rules[0].port')).toEqual(['number out of range (CustomResourceDefinition)']);
    expect(at('spec.rules[0].bogus')).toEqual(['unknown field "bogus" (CustomResourceDefinition)']);
    expect(at('spec.rules[1].port')).toEqual(['wrong type (CustomResourceDefinition)']);
    expect(validateCustom(route({ hostname: 'a.b' }), schema)).toEqual([expect.objectContaining({ path: 'spec.rules', message: 'missing required field "rules" (CustomResourceDefinition)' })]);
  });

  test('a failing CEL rule fails with its own message, at its fieldPath', () => {
    expect(validateCustom(route({ ...ok, mode: 'Exact', rules: [{ port: 80, rewrite: '/' }] }), schema)).toEqual([
      expect.objectContaining({ path: 'spec.mode', message: 'a rewrite needs a PathPrefix mode (CustomResourceDefinition)' }),
    ]);
    expect(validateCustom(route({ ...ok, rules: [{ port: 0 }] }), schema)).toEqual([expect.objectContaining({ path: 'spec', message: 'port must not be 0 (CustomResourceDefinition)' })]);
  });

  test('defaults apply before the rules, as the API server defaults before validating', () => {
    // mode is missing: its default PathPrefix satisfies the rewrite rule.
    expect(validateCustom(route({ ...ok, rules: [{ port: 80, rewrite: '/' }] }), schema)).toEqual([]);
  });

  test('Kubernetes\' isIP extension is supplied', () => {
    const findings = validateCustom(route({ ...ok, hostname: '10.0.0.1' }), schema);
    expect(findings).toEqual([expect.objectContaining({ path: 'spec.hostname', message: 'hostname must not be an IP (CustomResourceDefinition)' })]);
  });

  test('a rule with a function the validator lacks is noted as not evaluated, not failed; oldSelf rules are skipped on create', () => {
    notEvaluated.clear();
    expect(validateCustom(route({ ...ok, note: 'x' }), schema)).toEqual([]);
    expect([...notEvaluated]).toEqual([expect.stringMatching(/^rule not evaluated at spec\.note: uses a function this validator lacks .*: self\.frobnicate\(\)$/)]);
  });

  describe('the rest of a structural schema', () => {
    const listener = { type: 'object', properties: { name: { type: 'string' }, port: { type: 'integer', format: 'int32' } } };
    const shapes: any = {
      type: 'object',
      properties: {
        spec: {
          type: 'object',
          maxProperties: 4,
          // One of two ways to name the target, as Gateway API's ParentReference/BackendRef rules do.
          oneOf: [{ required: ['host'] }, { required: ['address'] }],
          not: { required: ['forbidden'] },
          properties: {
            host: { type: 'string' }, forbidden: { type: 'string' },
            address: { type: 'string', anyOf: [{ format: 'ipv4' }, { format: 'ipv6' }] },
            since: { type: 'string', format: 'date-time' },
            data: { type: 'string', format: 'byte' },
            tags: { type: 'array', 'x-kubernetes-list-type': 'set', items: { type: 'string' } },
            listeners: { type: 'array', 'x-kubernetes-list-type': 'map', 'x-kubernetes-list-map-keys': ['name'], items: listener },
            timeout: { type: 'string', 'x-kubernetes-validations': [{ rule: "duration(self) >= duration('1ms')", message: 'at least 1ms' }] },
            limits: { type: 'object', 'x-kubernetes-validations': [{ rule: 'self.max > 0', message: 'max must be positive' }], properties: { max: { type: 'integer' } } },
          },
        },
      },
    };
    const judge = (spec: Record<string, unknown>) => validateCustom({ apiVersion: 'example.com/v1', kind: 'Shape', metadata: { name: 's' }, spec }, shapes);

    test('a value that meets all of it passes', () => {
      expect(judge({ address: '2001:db8::1', since: '2026-12-01T02:00:00Z', data: 'aGk=', tags: ['a', 'b'] })).toEqual([]);
      expect(judge({ host: 'a', timeout: '5s', listeners: [{ name: 'http', port: 80 }, { name: 'https', port: 443 }] })).toEqual([]);
    });

    test('oneOf, anyOf and not are judged with kube-openapi\'s messages', () => {
      expect(judge({ host: 'a', address: '10.0.0.1' }).map((f) => f.message)).toEqual(['must validate one and only one schema (oneOf) (CustomResourceDefinition)']);
      expect(judge({}).map((f) => f.message)).toEqual(['must validate one and only one schema (oneOf) (CustomResourceDefinition)']);
      expect(judge({ host: 'a', forbidden: 'x' }).map((f) => f.message)).toEqual(['must not validate the schema (not) (CustomResourceDefinition)']);
      expect(judge({ address: 'not-an-ip' }).map((f) => [f.path, f.message])).toEqual([['spec.address', 'must validate at least one schema (anyOf) (CustomResourceDefinition)']]);
    });

    test('formats, maxProperties and list types are enforced; an int32 overflow is a warning (the API server checks no int32)', () => {
      const findings = judge({ host: 'a', since: 'yesterday', data: '!!', tags: ['a', 'a'], listeners: [{ name: 'http', port: 80 }, { name: 'http', port: 2 ** 31 }] });
      // apiextensions formats.go StripUnsupportedFormatsPostProcess drops int32: port 2^31 is stored.
      expect(findings.map((f) => [f.path, f.severity ?? 'error'])).toContainEqual(['spec.listeners[1].port', 'warning']);
      expect(findings.filter((f) => !f.severity).map((f) => [f.path, f.message])).toEqual([
        ['spec', 'more than 4 fields (CustomResourceDefinition)'],
        ['spec.since', 'value is not a valid date-time (CustomResourceDefinition)'],
        ['spec.data', 'value is not a valid byte (CustomResourceDefinition)'],
        ['spec.tags[1]', 'duplicate value (CustomResourceDefinition)'],
        ['spec.listeners[1]', 'duplicate value for name (CustomResourceDefinition)'],
      ]);
    });

    test('CEL durations work; a rule that errors reports the error, as the API server does', () => {
      expect(judge({ host: 'a', timeout: '0s' }).map((f) => f.message)).toEqual(['at least 1ms (CustomResourceDefinition)']);
      expect(judge({ host: 'a', limits: {} }).map((f) => f.message)).toEqual([expect.stringMatching(/^rule could not be evaluated: .*max/)]);
    });
  });

  test('a CRD among the inputs judges the objects of its kind; an unserved version is not used', () => {
    const problems = validateManifests([
      { file: 'crd.yaml', object: routeCrd },
      { file: 'r.yaml', object: route({ ...ok, rules: [{ port: 0 }] }) },
    ], { checks: ['schema'] });
    expect(problems.filter((p) => p.object === 'Route/r').map((p) => p.message)).toEqual(['port must not be 0 (CustomResourceDefinition)']);
    // The CRD itself is a built-in object: its rule's fieldPath came with Kubernetes 1.28.
    expect(problems.filter((p) => p.object !== 'Route/r').map((p) => p.message)).toEqual(['unknown field "fieldPath" (Kubernetes 1.27.0 schema)']);
    const unserved = validateManifests([{ file: 'r.yaml', object: { ...route(ok), apiVersion: 'example.com/v1alpha1' } }], { checks: ['schema'], crds: [routeCrd] });
    expect(unserved.map((p) => [p.path, p.message])).toEqual([['apiVersion', 'example.com/v1alpha1 is not a version its CustomResourceDefinition serves for kind Route']]);
  });

  test('npm run validate -- --crd FILE judges custom objects by it', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'crd-cli-'));
    const log = jest.spyOn(console, 'log').mockImplementation(() => undefined);
    const error = jest.spyOn(console, 'error').mockImplementation(() => undefined);
    try {
      fs.writeFileSync(path.join(dir, 'crd.yaml'), stringify(routeCrd));
      fs.writeFileSync(path.join(dir, 'route.yaml'), stringify(route({ ...ok, mode: 'Exact', rules: [{ port: 80, rewrite: '/' }] })));
      expect(run(['--checks', 'schema', '--crd', path.join(dir, 'crd.yaml'), path.join(dir, 'route.yaml')])).toBe(1);
      expect(log.mock.calls.map((c) => String(c[0]))).toEqual([expect.stringContaining('Route/r: spec.mode: a rewrite needs a PathPrefix mode')]);
      // A rule the validator cannot evaluate is a note on stderr, not a problem.
      fs.writeFileSync(path.join(dir, 'noted.yaml'), stringify({ ...route({ ...ok, note: 'hello' }), metadata: { name: 'noted' } }));
      error.mockClear();
      expect(run(['--checks', 'schema', '--crd', path.join(dir, 'crd.yaml'), path.join(dir, 'noted.yaml')])).toBe(0);
      expect(error.mock.calls.map((c) => String(c[0]))).toContainEqual(expect.stringMatching(/^note: rule not evaluated at spec\.note: .*self\.frobnicate\(\)$/));
      expect(run(['--crd'])).toBe(2);
      expect(error.mock.calls.map((c) => String(c[0]))).toContainEqual(expect.stringMatching(/^error: --crd needs a file or folder/));
    } finally {
      log.mockRestore();
      error.mockRestore();
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('each keyword of a CRD schema on its own, as kube-openapi and apiextensions judge it', () => {
  const CRD = '(CustomResourceDefinition)';
  // One field, spec.value, under the schema given.
  const judgeValue = (property: Record<string, unknown>, value: unknown) => validateCustom(
    { apiVersion: 'example.com/v1', kind: 'Thing', metadata: { name: 't' }, spec: { value } },
    { type: 'object', properties: { spec: { type: 'object', properties: { value: property } } } },
  );
  const finding = (at: string, message: string, allowed: string) => ({ path: `spec.value${at}`, message: `${message} ${CRD}`, allowed });
  const wrongType = (at: string, type: string) => finding(at, 'wrong type', `type ${type}`);
  const rules = (...list: { rule: string; message?: string; fieldPath?: string }[]) => ({ 'x-kubernetes-validations': list });
  const intOrString = { 'x-kubernetes-int-or-string': true };
  const pair = { type: 'object', properties: { name: { type: 'string' }, protocol: { type: 'string' } } };
  const mapList = { type: 'array', 'x-kubernetes-list-type': 'map', 'x-kubernetes-list-map-keys': ['name', 'protocol'], items: pair };

  const cases: [string, Record<string, unknown>, unknown, Finding[]][] = [
    // Types (kube-openapi validate type.go).
    ['an integer field refuses a fraction', { type: 'integer' }, 1.5, [wrongType('', 'integer')]],
    ['a number field takes a whole number', { type: 'number' }, 2, []],
    ['a number field takes a fraction', { type: 'number' }, 1.5, []],
    ['a number field refuses a string', { type: 'number' }, 'x', [wrongType('', 'number')]],
    ['a nullable field judges a value that is not null', { type: 'string', nullable: true, maxLength: 1 }, 'abc', [finding('', 'longer than 1 characters', '<= 1 characters')]],
    ['int-or-string of the wrong type runs no rule', { ...intOrString, ...rules({ rule: 'self > 0' }) }, true, [finding('', 'wrong type', 'type integer or string')]],
    ['a string field refuses a number', { type: 'string' }, 2, [wrongType('', 'string')]],
    ['a wrong type is the only finding of its value: no enum, no rule', { type: 'string', enum: ['a'], ...rules({ rule: "self == 'a'" }) }, 5, [wrongType('', 'string')]],
    ['int-or-string takes a string', intOrString, 'a', []],
    ['int-or-string takes an integer', intOrString, 3, []],
    ['int-or-string refuses a fraction', intOrString, 1.5, [finding('', 'wrong type', 'type integer or string')]],
    ['int-or-string refuses a boolean', intOrString, true, [finding('', 'wrong type', 'type integer or string')]],
    ['a null list item is the wrong type', { type: 'array', items: { type: 'string' } }, ['a', null], [wrongType('[1]', 'string')]],
    ['a null list item is not an object', { type: 'array', items: { type: 'object' } }, [null], [wrongType('[0]', 'object')]],
    ['null passes a nullable field, enum and rules included', { type: 'string', nullable: true, enum: ['a'], ...rules({ rule: "self == 'a'" }) }, null, []],
    // Enum.
    ['a value outside the enum names every allowed value', { type: 'string', enum: ['a', 'b'] }, 'c', [finding('', 'value not allowed', 'one of "a", "b"')]],
    ['an enum of 20 values names them all', { type: 'string', enum: Array.from({ length: 20 }, (_, i) => `v${i}`) }, 'x', [finding('', 'value not allowed', `one of ${Array.from({ length: 20 }, (_, i) => `"v${i}"`).join(', ')}`)]],
    ['an enum of 21 values names the first 20 and counts the rest', { type: 'string', enum: Array.from({ length: 21 }, (_, i) => `v${i}`) }, 'x', [finding('', 'value not allowed', `one of ${Array.from({ length: 20 }, (_, i) => `"v${i}"`).join(', ')}, ... and 1 more`)]],
    // kube-openapi type.go: null is of type "null" (a type no structural schema may declare; the API server refuses such a CRD).
    ['a null item is of type null', { type: 'array', items: { type: 'null' } }, [null], []],
    // Strings: lengths count code points, as Go's utf8.RuneCountInString does.
    ['a string at maxLength passes', { type: 'string', maxLength: 3 }, 'abc', []],
    ['three emoji are three characters', { type: 'string', maxLength: 3 }, '👍👍👍', []],
    ['a string over maxLength', { type: 'string', maxLength: 3 }, 'abcd', [finding('', 'longer than 3 characters', '<= 3 characters')]],
    ['a string at minLength passes', { type: 'string', minLength: 2 }, 'ab', []],
    ['a string under minLength', { type: 'string', minLength: 2 }, 'a', [finding('', 'shorter than 2 characters', '>= 2 characters')]],
    ['a string off the pattern', { type: 'string', pattern: '^a+$' }, 'b', [finding('', 'value does not match the pattern', 'a string matching ^a+$')]],
    ['a pattern\'s . is one code point, as in RE2', { type: 'string', pattern: '^.$' }, '👍', []],
    // Formats (apiextensions formats.go; kube-openapi strfmt), strings only.
    ['date-time: UTC', { type: 'string', format: 'date-time' }, '2026-12-01T02:00:00Z', []],
    ['date-time: lowercase t and z, nanoseconds', { type: 'string', format: 'date-time' }, '2026-12-01t02:00:00.123456789z', []],
    ['date-time: an offset', { type: 'string', format: 'date-time' }, '2026-12-01T02:00:00.5+05:30', []],
    // kube-openapi strfmt IsDateTime splits at "t": a space for the T is refused (the real server agrees, below).
    ['date-time: a space for the T', { type: 'string', format: 'date-time' }, '2026-12-01 02:00:00.5+05:30', [finding('', 'value is not a valid date-time', 'an RFC 3339 date-time')]],
    ['date-time: text after the offset', { type: 'string', format: 'date-time' }, '2024-01-01T00:00:00Z AM', [finding('', 'value is not a valid date-time', 'an RFC 3339 date-time')]],
    ['date-time: a negative offset', { type: 'string', format: 'date-time' }, '2026-12-01T02:00:00-08:00', []],
    ['date-time: an extended year is not RFC 3339', { type: 'string', format: 'date-time' }, '+002026-12-01T02:00:00Z', [finding('', 'value is not a valid date-time', 'an RFC 3339 date-time')]],
    ['date-time: month 13', { type: 'string', format: 'date-time' }, '2026-13-45T02:00:00Z', [finding('', 'value is not a valid date-time', 'an RFC 3339 date-time')]],
    ['date-time: no offset', { type: 'string', format: 'date-time' }, '2026-12-01T02:00:00', [finding('', 'value is not a valid date-time', 'an RFC 3339 date-time')]],
    ['datetime is date-time (strfmt ignores dashes in names)', { type: 'string', format: 'datetime' }, 'yesterday', [finding('', 'value is not a valid datetime', 'an RFC 3339 date-time')]],
    ['ipv4 takes an IPv4 address', { type: 'string', format: 'ipv4' }, '10.0.0.1', []],
    ['ipv4 refuses an IPv6 address', { type: 'string', format: 'ipv4' }, '::1', [finding('', 'value is not a valid ipv4', 'an IPv4 address')]],
    ['ipv6 takes an IPv6 address', { type: 'string', format: 'ipv6' }, '::1', []],
    ['ipv6 refuses an IPv4 address', { type: 'string', format: 'ipv6' }, '10.0.0.1', [finding('', 'value is not a valid ipv6', 'an IPv6 address')]],
    ['byte: empty', { type: 'string', format: 'byte' }, '', []],
    ['byte: whole groups', { type: 'string', format: 'byte' }, 'aGVsbG8h', []],
    ['byte: one pad', { type: 'string', format: 'byte' }, 'aGVsbG8=', []],
    ['byte: two pads', { type: 'string', format: 'byte' }, 'aA==', []],
    ['byte: a group cut short', { type: 'string', format: 'byte' }, 'aGk', [finding('', 'value is not a valid byte', 'base64 data')]],
    ['a format judges strings only', { ...intOrString, format: 'byte' }, 5, []],
    // Not formats the API server checks: a warning, as the controller could not decode the object.
    ['int32 at its bounds', { type: 'integer', format: 'int32' }, -(2 ** 31), []],
    ['int32 at its top', { type: 'integer', format: 'int32' }, 2 ** 31 - 1, []],
    ['int32 past its top', { type: 'integer', format: 'int32' }, 2 ** 31, [{ ...finding('', 'outside int32: the API server stores it (it checks no integer format), but the controller, reading the field as a Go int32, cannot decode the object', '-2147483648 to 2147483647'), severity: 'warning' }]],
    ['int32 under its bottom', { type: 'integer', format: 'int32' }, -(2 ** 31) - 1, [{ ...finding('', 'outside int32: the API server stores it (it checks no integer format), but the controller, reading the field as a Go int32, cannot decode the object', '-2147483648 to 2147483647'), severity: 'warning' }]],
    ['int64 at its bounds', { type: 'integer', format: 'int64' }, -(2 ** 63), []],
    ['int64 past its top', { type: 'integer', format: 'int64' }, 2 ** 64, [{ ...finding('', 'outside int64: the API server stores it (it checks no integer format), but the controller, reading the field as a Go int64, cannot decode the object', '-9223372036854775808 to 9223372036854775807'), severity: 'warning' }]],
    ['a format named like an Object property is unknown, and passes', { type: 'string', format: 'constructor' }, 'x', []],
    // Numbers (kube-openapi validate: numbers only).
    ['a number at maximum passes', { type: 'integer', maximum: 5 }, 5, []],
    ['a number over maximum', { type: 'integer', maximum: 5 }, 6, [finding('', 'number out of range', '<= 5')]],
    ['under an exclusive maximum passes', { type: 'integer', maximum: 5, exclusiveMaximum: true }, 4, []],
    ['at an exclusive maximum', { type: 'integer', maximum: 5, exclusiveMaximum: true }, 5, [finding('', 'number out of range', '< 5')]],
    ['a number at minimum passes', { type: 'integer', minimum: 1 }, 1, []],
    ['a number under minimum', { type: 'integer', minimum: 1 }, 0, [finding('', 'number out of range', '>= 1')]],
    ['over an exclusive minimum passes', { type: 'integer', minimum: 1, exclusiveMinimum: true }, 2, []],
    ['at an exclusive minimum', { type: 'integer', minimum: 1, exclusiveMinimum: true }, 1, [finding('', 'number out of range', '> 1')]],
    ['bounds judge numbers only', { ...intOrString, maximum: 5, minimum: 10 }, '7', []],
    // Lists.
    ['a list at maxItems passes', { type: 'array', maxItems: 2 }, [1, 2], []],
    ['a list over maxItems', { type: 'array', maxItems: 2 }, [1, 2, 3], [finding('', 'more than 2 items', '<= 2 items')]],
    ['a list at minItems passes', { type: 'array', minItems: 2 }, [1, 2], []],
    ['a list under minItems', { type: 'array', minItems: 2 }, [1], [finding('', 'fewer than 2 items', '>= 2 items')]],
    ['item counts judge lists only', { ...intOrString, maxItems: 1 }, 'abc', []],
    ['a list without an items schema takes any items', { type: 'array' }, [1, 'a', { b: 2 }], []],
    ['a plain list may repeat items', { type: 'array', items: { type: 'string' } }, ['a', 'a'], []],
    ['an atomic list may repeat items', { type: 'array', 'x-kubernetes-list-type': 'atomic', items: { type: 'string' } }, ['a', 'a'], []],
    ['a set may not', { type: 'array', 'x-kubernetes-list-type': 'set', items: { type: 'string' } }, ['a', 'b', 'a'], [finding('[2]', 'duplicate value', 'unique items')]],
    ['a map list is unique by all its keys', mapList, [{ name: 'a', protocol: 'TCP' }, { name: 'a', protocol: 'UDP' }, { name: 'a', protocol: 'TCP' }], [finding('[2]', 'duplicate value for name, protocol', 'items with unique name, protocol')]],
    ['a null item of a map list is the wrong type, not a crash', mapList, [null, { name: 'a', protocol: 'TCP' }], [wrongType('[0]', 'object')]],
    // A map list without x-kubernetes-list-map-keys (a CRD the API server refuses): every item has the same (empty) key.
    ['a map list without keys makes every item after the first a duplicate', { type: 'array', 'x-kubernetes-list-type': 'map', items: { type: 'object', 'x-kubernetes-preserve-unknown-fields': true } }, [{ a: 1 }, { a: 2 }], [finding('[1]', 'duplicate value for ', 'items with unique ')]],
    // Objects.
    ['a required field that is null is missing (pruned)', { type: 'object', required: ['a'], properties: { a: { type: 'string' } } }, { a: null }, [finding('.a', 'missing required field "a"', 'the field set')]],
    ['a required nullable field that is null is there', { type: 'object', required: ['a'], properties: { a: { type: 'string', nullable: true } } }, { a: null }, []],
    ['a null field the schema does not name is pruned', { type: 'object', properties: { a: { type: 'string' } }, 'x-kubernetes-preserve-unknown-fields': true }, { b: null }, []],
    ['a null field of an open object without properties is pruned', { type: 'object', 'x-kubernetes-preserve-unknown-fields': true }, { b: null }, []],
    ['an object at maxProperties passes', { type: 'object', maxProperties: 1, additionalProperties: { type: 'string' } }, { a: '1' }, []],
    ['an object over maxProperties', { type: 'object', maxProperties: 1, additionalProperties: { type: 'string' } }, { a: '1', b: '2' }, [finding('', 'more than 1 fields', '<= 1 fields')]],
    ['an object at minProperties passes', { type: 'object', minProperties: 2, additionalProperties: { type: 'string' } }, { a: '1', b: '2' }, []],
    ['an object under minProperties', { type: 'object', minProperties: 2, additionalProperties: { type: 'string' } }, { a: '1' }, [finding('', 'fewer than 2 fields', '>= 2 fields')]],
    ['additionalProperties judges every value', { type: 'object', additionalProperties: { type: 'integer' } }, { a: 1, b: 'x' }, [wrongType('.b', 'integer')]],
    ['the values of additionalProperties are closed, apiVersion and kind too', { type: 'object', additionalProperties: { type: 'object', properties: { a: { type: 'string' } } } }, { m: { kind: 'x' } }, [finding('.m.kind', 'unknown field "kind"', 'only the fields the CustomResourceDefinition defines here')]],
    ['additionalProperties: true opens the object', { type: 'object', additionalProperties: true }, { x: 1 }, []],
    ['a field the schema does not define, apiVersion and kind too', { type: 'object', properties: { a: { type: 'string' } } }, { a: 'x', kind: 'K' }, [finding('.kind', 'unknown field "kind"', 'only the fields the CustomResourceDefinition defines here')]],
    ['an embedded resource has apiVersion, kind and metadata', { type: 'object', 'x-kubernetes-embedded-resource': true, properties: { spec: { type: 'object' } } }, { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'x' }, spec: {} }, []],
    ['a nested field named metadata is judged like any other', { type: 'object', properties: { metadata: { type: 'string', enum: ['a'] } } }, { metadata: 'b' }, [finding('.metadata', 'value not allowed', 'one of "a"')]],
    ['bounds that are not numbers (a CRD the API server refuses) are not compared: strings', { type: 'string', maxLength: '1', minLength: '9' }, 'abc', []],
    ['... numbers', { type: 'integer', maximum: '1', minimum: '9' }, 5, []],
    ['... lists', { type: 'array', maxItems: '1', minItems: '9' }, [1, 2], []],
    ['... patterns', { type: 'string', pattern: 5 }, 'abc', []],
    ['... objects', { type: 'object', maxProperties: '1', minProperties: '9', additionalProperties: { type: 'integer' } }, { a: 1, b: 2 }, []],
    // allOf, anyOf, oneOf, not (kube-openapi schema_props.go).
    ['an allOf schema adds checks and closes nothing', { type: 'object', properties: { a: { type: 'string' } }, allOf: [{ required: ['a'] }] }, { a: 'x' }, []],
    ['an allOf schema judges a nested field named metadata', { type: 'object', properties: { metadata: { type: 'string' } }, allOf: [{ properties: { metadata: { enum: ['a'] } } }] }, { metadata: 'c' }, [finding('.metadata', 'value not allowed', 'one of "a"')]],
    ['list items are closed, apiVersion and kind too', { type: 'array', items: { type: 'object', properties: { a: { type: 'string' } } } }, [{ kind: 'x' }], [finding('[0].kind', 'unknown field "kind"', 'only the fields the CustomResourceDefinition defines here')]],
    ['every allOf schema applies', { type: 'string', allOf: [{ maxLength: 3 }, { pattern: '^a' }] }, 'bcde', [finding('', 'longer than 3 characters', '<= 3 characters'), finding('', 'value does not match the pattern', 'a string matching ^a')]],
    ['anyOf: one schema is enough', { type: 'string', anyOf: [{ maxLength: 1 }, { pattern: '^a' }] }, 'ab', []],
    ['anyOf: none', { type: 'string', anyOf: [{ maxLength: 1 }, { pattern: '^a' }] }, 'bc', [finding('', 'must validate at least one schema (anyOf)', 'one of the anyOf schemas')]],
    ['oneOf: both is not one', { type: 'string', oneOf: [{ maxLength: 1 }, { pattern: '^a' }] }, 'a', [finding('', 'must validate one and only one schema (oneOf)', 'exactly one of the oneOf schemas')]],
    ['not', { type: 'string', not: { pattern: '^a' } }, 'ab', [finding('', 'must not validate the schema (not)', 'values the "not" schema refuses')]],
    ['a branch closes nothing: its fields are the node\'s', { type: 'object', properties: { a: { type: 'string' }, b: { type: 'string' } }, anyOf: [{ required: ['a'] }, { required: ['b'] }] }, { b: 'x' }, []],
    ['a branch judges a nested field named metadata', { type: 'object', properties: { metadata: { type: 'string' } }, anyOf: [{ properties: { metadata: { enum: ['a'] } } }, { properties: { metadata: { enum: ['b'] } } }] }, { metadata: 'c' }, [finding('', 'must validate at least one schema (anyOf)', 'one of the anyOf schemas')]],
    // x-kubernetes-validations (apiextensions pkg/apiserver/schema/cel).
    ['a rule is skipped where its value has the wrong type, not elsewhere', { type: 'object', properties: { a: { type: 'integer' }, b: { type: 'integer', ...rules({ rule: 'self > 0', message: 'b must be positive' }) } } }, { a: 'x', b: 0 }, [wrongType('.a', 'integer'), finding('.b', 'b must be positive', 'values that satisfy: self > 0')]],
    ['a rule runs beside the other findings of its value; without a message it names itself', { type: 'string', maxLength: 1, ...rules({ rule: "self != 'ab'" }) }, 'ab', [finding('', 'longer than 1 characters', '<= 1 characters'), finding('', "failed rule: self != 'ab'", "values that satisfy: self != 'ab'")]],
    ['a fieldPath is relative to the rule\'s node', { type: 'object', properties: { mode: { type: 'string' } }, ...rules({ rule: "self.mode == 'A'", message: 'mode must be A', fieldPath: '.mode' }) }, { mode: 'B' }, [finding('.mode', 'mode must be A', "values that satisfy: self.mode == 'A'")]],
    ['integers are CEL ints and numbers doubles, by schema', { type: 'object', properties: { count: { type: 'integer' }, ratio: { type: 'number' }, limits: { type: 'object', properties: { max: { type: 'integer' } } } }, ...rules({ rule: 'self.count / 2 == 2' }, { rule: 'self.ratio / 4.0 == 0.5' }, { rule: 'self.limits.max / 2 == 2' }) }, { count: 5, ratio: 2, limits: { max: 5 } }, []],
    ['the values of a map of numbers are doubles', { type: 'object', additionalProperties: { type: 'number' }, ...rules({ rule: 'self.a / 4.0 == 0.5' }) }, { a: 2 }, []],
    ['a fraction in an open object is a CEL double', { type: 'object', 'x-kubernetes-preserve-unknown-fields': true, ...rules({ rule: 'self.a > 1.0' }) }, { a: 1.5 }, []],
    ['a null field is not counted by a rule', { type: 'object', properties: { x: { type: 'string' } }, ...rules({ rule: 'size(self) == 0', message: 'x is counted' }) }, { x: null }, []],
    ['a null field is absent to a rule', { type: 'object', properties: { x: { type: 'string' } }, ...rules({ rule: '!has(self.x)', message: 'x is set' }) }, { x: null }, []],
  ];

  test.each(cases)('%s', (_title, property, value, expected) => {
    expect(judgeValue(property, value)).toEqual(expected);
  });

  test('a pattern or rule that cannot be evaluated here is noted, at its field or (root), and passes', () => {
    notEvaluated.clear();
    expect(judgeValue({ type: 'string', pattern: '(?=a)' }, 'A')).toEqual([]);
    expect(judgeValue({ type: 'string', ...rules({ rule: 'self ==' }) }, 'A')).toEqual([]);
    const root = { type: 'object', ...rules({ rule: 'self.frobnicate()' }), properties: { spec: { type: 'object' } } };
    expect(validateCustom({ apiVersion: 'example.com/v1', kind: 'Thing', metadata: { name: 't' }, spec: {} }, root)).toEqual([]);
    expect([...notEvaluated]).toEqual([
      expect.stringMatching(/^pattern not evaluated at spec\.value: error parsing regexp: invalid or unsupported Perl syntax: `\(\?=`$/),
      expect.stringMatching(/^rule not evaluated at spec\.value: does not compile here \(.+\): self ==$/),
      expect.stringMatching(/^rule not evaluated at \(root\): uses a function this validator lacks \(.+\): self\.frobnicate\(\)$/),
    ]);
  });

  test('patterns are RE2, as Go\'s regexp runs them: (?i) and \\z work, a search anywhere in the value', () => {
    expect(judgeValue({ type: 'string', pattern: '(?i)^abc$' }, 'ABC')).toEqual([]);
    expect(judgeValue({ type: 'string', pattern: '(?i)^abc$' }, 'abd')).toEqual([finding('', 'value does not match the pattern', 'a string matching (?i)^abc$')]);
    expect(judgeValue({ type: 'string', pattern: 'b\\z' }, 'ab')).toEqual([]);
    expect(judgeValue({ type: 'string', pattern: '[0-9]' }, 'a1b')).toEqual([]);
  });

  test('a pattern that backtracks exponentially in JavaScript ends at once (RE2 is linear)', () => {
    const started = process.hrtime.bigint();
    const long = `${'a'.repeat(5000)}b`;
    expect(judgeValue({ type: 'string', pattern: '^(a+)+$' }, long)).toEqual([finding('', 'value does not match the pattern', 'a string matching ^(a+)+$')]);
    expect(judgeValue({ type: 'string', pattern: '^(a+)+$' }, `${'a'.repeat(35)}b`)).toHaveLength(1);
    expect(Number(process.hrtime.bigint() - started) / 1e6).toBeLessThan(500);
  });

  test('the root\'s metadata is the API server\'s ObjectMeta, even where the schema says metadata: {type: object}', () => {
    const schema = { type: 'object', properties: { metadata: { type: 'object' }, spec: { type: 'object' } } };
    expect(validateCustom({ apiVersion: 'example.com/v1', kind: 'Thing', metadata: { name: 't', labels: { app: 'x' } }, spec: {} }, schema)).toEqual([]);
  });

  test('a schema is taken from each served version that has one, of apiextensions.k8s.io/v1 CustomResourceDefinitions only', () => {
    const versions = [
      { name: 'v1', served: true, schema: { openAPIV3Schema: { type: 'object' } } },
      { name: 'v2', served: true },
      { name: 'v3', served: false, schema: { openAPIV3Schema: { type: 'object' } } },
    ];
    const spec = { group: 'example.com', names: { kind: 'Route' }, versions };
    const schemas = customResourceSchemas([
      { apiVersion: 'apiextensions.k8s.io/v1', kind: 'CustomResourceDefinition', metadata: { name: 'routes.example.com' }, spec },
      { apiVersion: 'apiextensions.k8s.io/v1beta1', kind: 'CustomResourceDefinition', metadata: { name: 'old' }, spec: { ...spec, group: 'old.example.com' } },
      { apiVersion: 'apiextensions.k8s.io/v1', kind: 'Other', metadata: { name: 'other' }, spec: { ...spec, group: 'other.example.com' } },
      { apiVersion: 'apiextensions.k8s.io/v1', kind: 'CustomResourceDefinition', metadata: { name: 'empty' } },
    ]);
    expect([...schemas.keys()]).toEqual(['example.com/v1 Route']);
    // Without names (the API server refuses such a CRD): no crash.
    expect(() => customResourceSchemas([{ apiVersion: 'apiextensions.k8s.io/v1', kind: 'CustomResourceDefinition', metadata: { name: 'x' }, spec: { group: 'x.example.com', versions } }])).not.toThrow();
  });

  test('defaults reach the values of a map', () => {
    const schema = { type: 'object', additionalProperties: { type: 'object', properties: { mode: { type: 'string', default: 'A' } } } };
    expect(withDefaults({ a: {}, b: { mode: 'B' } }, schema)).toEqual({ a: { mode: 'A' }, b: { mode: 'B' } });
  });
});

// A CRD of a group and kind, with one open version, and optional annotations.
const groupCrd = (group: string, kind: string, annotations?: Record<string, string>, versions = [{ name: 'v1', served: true }]) => ({
  apiVersion: 'apiextensions.k8s.io/v1', kind: 'CustomResourceDefinition',
  metadata: { name: `${kind.toLowerCase()}s.${group}`, ...(annotations ? { annotations } : {}) },
  spec: {
    group, scope: 'Namespaced', names: { kind, plural: `${kind.toLowerCase()}s`, singular: kind.toLowerCase() },
    versions: versions.map((v, i) => ({ ...v, storage: i === 0, schema: { openAPIV3Schema: { type: 'object', 'x-kubernetes-preserve-unknown-fields': true } } })),
  },
});
const APPROVED = { 'api-approved.kubernetes.io': 'unapproved, a test' };

// A CRD of example.com's Widget with some of its name and names changed ('' kept, undefined dropped).
const namedCrd = ({ group = 'example.com', name, names = {} }: { group?: string; name?: string; names?: Record<string, unknown> }) => {
  const crd = groupCrd('example.com', 'Widget');
  const merged = Object.fromEntries(Object.entries({ ...crd.spec.names, ...names }).filter(([, v]) => v !== undefined));
  return { ...crd, metadata: { name: name ?? `${String(merged.plural)}.${group}` }, spec: { ...crd.spec, group, names: merged } };
};

// Each case: a change of the names, and the paths of the findings (validation.go
// ValidateCustomResourceDefinition, validateCustomResourceDefinitionSpec, ValidateCustomResourceDefinitionNames,
// after v1 defaults.go SetDefaults_CustomResourceDefinitionSpec); the real server is asked the same below.
const NAME_CASES: [string, Parameters<typeof namedCrd>[0], string[]][] = [
  ['an empty group, the name without it', { group: '', name: 'widgets' }, ['spec.group', 'metadata.name']],
  ['a name other than plural.group', { name: 'widget.example.com' }, ['metadata.name']],
  ['an empty plural', { names: { plural: '' }, name: 'widgets.example.com' }, ['spec.names.plural', 'metadata.name']],
  ['a plural that is no DNS-1035 label (a digit first)', { names: { plural: '1widgets' } }, ['spec.names.plural']],
  ['a singular in upper case', { names: { singular: 'Widget' } }, ['spec.names.singular']],
  ['a kind with an underscore (its default listKind too)', { names: { kind: 'Wid_get' } }, ['spec.names.kind', 'spec.names.listKind']],
  ['a listKind that is the kind', { names: { listKind: 'Widget' } }, ['spec.names.listKind']],
  ['an empty kind', { names: { kind: '', listKind: 'WidgetList' } }, ['spec.names.kind']],
  ['a short name in upper case', { names: { shortNames: ['wd', 'WD'] } }, ['spec.names.shortNames[1]']],
  ['a category with a space', { names: { categories: ['all', 'my things'] } }, ['spec.names.categories[1]']],
  ['a plural of 64 characters', { names: { plural: `w${'x'.repeat(63)}` } }, ['spec.names.plural']],
  ['a plural of 63 characters, the most a DNS-1035 label has', { names: { plural: `w${'x'.repeat(62)}` } }, []],
  ['a short name of one letter', { names: { shortNames: ['w'] } }, []],
  // defaults.go defaults listKind only from a kind that is not empty: left empty, it is required too.
  ['an empty kind, listKind left to its default', { names: { kind: '' } }, ['spec.names.kind', 'spec.names.listKind']],
  ['names of digits and dashes, singular and listKind left to their defaults', { names: { plural: 'wid-gets2', kind: 'Wid9et', singular: undefined } }, []],
  ['a kind in capitals, singular left to its default', { names: { kind: 'WIDGET', singular: undefined } }, []],
  ['an empty singular and listKind, defaulted from the kind', { names: { singular: '', listKind: '' } }, []],
];

// Each case: the group, its annotations, and the path and start of the finding (or none).
const GROUP_CASES: [string, string, Record<string, string> | undefined, string | undefined, string | undefined][] = [
  ['a group without a dot (apps)', 'apps', undefined, 'spec.group', '"apps" is not a domain with at least one dot: the API server refuses'],
  ['a group without a dot (batch)', 'batch', undefined, 'spec.group', '"batch" is not a domain with at least one dot'],
  ['a group that is no DNS subdomain', 'Example.com', undefined, 'spec.group', '"Example.com" is not a DNS subdomain'],
  ['a k8s.io group without approval', 'widgets.k8s.io', undefined, 'metadata.annotations.api-approved.kubernetes.io', 'missing: group "widgets.k8s.io" is protected'],
  ['a kubernetes.io group with an approval that is neither URL nor "unapproved"', 'kubernetes.io', { 'api-approved.kubernetes.io': 'yes' }, 'metadata.annotations.api-approved.kubernetes.io', '"yes" is neither a URL nor a reason starting with "unapproved"'],
  ['a k8s.io group with an empty approval', 'widgets.k8s.io', { 'api-approved.kubernetes.io': '' }, 'metadata.annotations.api-approved.kubernetes.io', 'missing: group "widgets.k8s.io" is protected'],
  // helpers.go GetAPIApprovalState: a URL needs a scheme and a host.
  ['a k8s.io group approved by a URL without a host', 'widgets.k8s.io', { 'api-approved.kubernetes.io': 'mailto:api@kubernetes.io' }, 'metadata.annotations.api-approved.kubernetes.io', '"mailto:api@kubernetes.io" is neither a URL nor a reason starting with "unapproved"'],
  ['a k8s.io group approved by URL', 'widgets.k8s.io', { 'api-approved.kubernetes.io': 'https://github.com/kubernetes/enhancements/pull/1111' }, undefined, undefined],
  ['a k8s.io group bypassing approval', 'widgets.k8s.io', APPROVED, undefined, undefined],
  ['a group of ones own', 'example.com', undefined, undefined, undefined],
];

describe('a CustomResourceDefinition\'s group, as the API server judges it', () => {
  test.each(GROUP_CASES)('%s', (_name, group, annotations, path, message) => {
    const findings = crdGroupFindings(groupCrd(group, 'Widget', annotations), isBuiltinGroup);
    if (!path) expect(findings).toEqual([]);
    else expect(findings).toEqual([expect.objectContaining({ path, message: expect.stringContaining(message!) })]);
  });

  test('an approved CRD in a built-in group is a warning: created, none of its kinds served', () => {
    expect(crdGroupFindings(groupCrd('networking.k8s.io', 'Widget', APPROVED), isBuiltinGroup)).toEqual([{
      path: 'spec.group', severity: 'warning',
      message: '"networking.k8s.io" is a group Kubernetes serves built in: the API server creates the CustomResourceDefinition but serves none of its kinds',
      allowed: 'a group under a domain of your own, e.g. widgets.example.com',
    }]);
  });

  test('a CRD claiming apps/v1 Deployment is refused, and real Deployments are still judged by their schema', () => {
    const deployment = { apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'd' }, spec: { replicas: 'two' } };
    const { problems } = validate([{ file: 'crd.yaml', object: groupCrd('apps', 'Deployment') }, { file: 'd.yaml', object: deployment }], { checks: ['schema', 'api'] });
    expect(problems).toContainEqual(expect.objectContaining({ file: 'crd.yaml', check: 'api', path: 'spec.group', message: expect.stringContaining('"apps" is not a domain with at least one dot') }));
    expect(problems).toContainEqual(expect.objectContaining({ file: 'd.yaml', check: 'schema', path: 'spec.replicas', message: expect.stringMatching(/^wrong type/) }));
    // Given with --crd (options.crds) it shadows nothing either.
    notEvaluated.clear();
    const given = validate([{ file: 'd.yaml', object: deployment }], { checks: ['schema'], crds: [groupCrd('apps', 'Deployment')] }).problems;
    expect(given.map((p) => p.path)).toContain('spec.replicas');
    expect([...notEvaluated]).toEqual([expect.stringMatching(/^the given CustomResourceDefinition deployments\.apps is one the API server refuses \(spec\.group: "apps" is not a domain with at least one dot/)]);
  });

  test('a version with served: false is unserved even where the bundled Gateway API package has a schema for it', () => {
    const tcpCrd = groupCrd('gateway.networking.k8s.io', 'TCPRoute', { 'api-approved.kubernetes.io': 'https://github.com/kubernetes-sigs/gateway-api/pull/4530' }, [{ name: 'v1', served: true }, { name: 'v1alpha2', served: false }]);
    const route = { apiVersion: 'gateway.networking.k8s.io/v1alpha2', kind: 'TCPRoute', metadata: { name: 't' }, spec: { rules: [{ backendRefs: [{ name: 's', port: 80 }] }] } };
    expect(validate([{ file: 't.yaml', object: route }], { checks: ['schema'] }).problems).toEqual([]);
    expect(validate([{ file: 't.yaml', object: route }], { checks: ['schema'], crds: [tcpCrd] }).problems).toEqual([expect.objectContaining({
      path: 'apiVersion', message: 'gateway.networking.k8s.io/v1alpha2 is not a version its CustomResourceDefinition serves for kind TCPRoute', allowed: 'apiVersion gateway.networking.k8s.io/v1',
    })]);
    const none = groupCrd('example.com', 'Widget', undefined, [{ name: 'v1', served: false }]);
    expect(validate([{ file: 'w.yaml', object: { apiVersion: 'example.com/v1', kind: 'Widget', metadata: { name: 'w' } } }], { checks: ['schema'], crds: [none] }).problems)
      .toEqual([expect.objectContaining({ path: 'apiVersion', allowed: 'none: its CustomResourceDefinition serves no version (served: true on one)' })]);
  });
});

describeWithCluster('a CustomResourceDefinition\'s group, on the real server', (cluster) => {
  const create = (crd: unknown, dryRun = true) => cluster().request('POST', `/apis/apiextensions.k8s.io/v1/customresourcedefinitions${dryRun ? '?dryRun=All' : ''}`, crd);

  test.each(GROUP_CASES)('%s: the server agrees', async (_name, group, annotations, path) => {
    const answer = await create(groupCrd(group, `Widget${Date.now()}`, annotations));
    expect(answer.status).toBe(path ? 422 : 201);
    if (path) expect(JSON.stringify(answer.body)).toContain(path === 'spec.group' ? 'spec.group' : 'api-approved.kubernetes.io');
  });

  test.each(NAME_CASES)('names: %s: the server refuses the CRD at the same fields, or creates it', async (_name, change, paths) => {
    const answer = await create(namedCrd(change));
    const body = JSON.parse(String(answer.body)) as { details?: { causes?: { field?: string }[] } };
    const fields = (body.details?.causes ?? []).map((c) => c.field);
    expect({ status: answer.status, fields: [...new Set(fields)].sort() }).toEqual({ status: paths.length ? 422 : 201, fields: [...paths].sort() });
  });

  test('additionalProperties: null is absent to the server: the CRD is created and the map is closed', async () => {
    const crd = rootCrd({ type: 'object', properties: { m: { type: 'object', additionalProperties: null } } });
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'crd-null-'));
    fs.writeFileSync(path.join(dir, 'crd.yaml'), JSON.stringify(crd));
    const ns = await cluster().namespace('nullmap');
    await cluster().installCrds(dir);
    try {
      const object = (m: object) => ({ apiVersion: 'example.com/v1', kind: 'Widget', metadata: { name: 'w', namespace: ns }, m });
      const strict = (m: object) => cluster().request('POST', `/apis/example.com/v1/namespaces/${ns}/widgets?dryRun=All&fieldValidation=Strict`, object(m));
      // Strict field validation answers an unknown field with 400 BadRequest.
      const refused = await strict({ a: 1 });
      expect(refused.status).toBe(400);
      expect(JSON.parse(String(refused.body)).message).toContain('unknown field "m.a"');
      expect(validateCustom(object({ a: 1 }), crd.spec.versions[0].schema.openAPIV3Schema as never).map((f) => f.path)).toEqual(['m.a']);
      expect((await strict({})).status).toBe(201);
    } finally {
      await cluster().request('DELETE', `/apis/apiextensions.k8s.io/v1/customresourcedefinitions/${crd.metadata.name}`);
      await cluster().kubectl(['wait', '--for=delete', '--timeout=30s', `crd/${crd.metadata.name}`]);
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  test('an approved CRD in networking.k8s.io is created, and none of its kinds is served', async () => {
    const kind = `Widget${Date.now()}`;
    const crd = groupCrd('networking.k8s.io', kind, APPROVED);
    const ns = await cluster().namespace('crdgroup');
    expect((await create(crd, false)).status).toBe(201);
    try {
      await cluster().kubectlOk(['wait', '--for=condition=Established', '--timeout=30s', `crd/${crd.metadata.name}`]);
      const answer = await cluster().request('POST', `/apis/networking.k8s.io/v1/namespaces/${ns}/${kind.toLowerCase()}s?dryRun=All`, { apiVersion: 'networking.k8s.io/v1', kind, metadata: { name: 'w' } });
      expect(answer.status).toBe(404);
      // The validator: the CRD is a warning, the object a kind networking.k8s.io does not have.
      const { problems } = validate([{ file: 'crd.yaml', object: crd }, { file: 'w.yaml', object: { apiVersion: 'networking.k8s.io/v1', kind, metadata: { name: 'w', namespace: ns } } }], { checks: ['schema', 'api'] });
      expect(problems).toContainEqual(expect.objectContaining({ file: 'crd.yaml', severity: 'warning' }));
      expect(problems).toContainEqual(expect.objectContaining({ file: 'w.yaml', path: 'apiVersion', message: expect.stringContaining(`kind "${kind}" is not a built-in kind`) }));
    } finally {
      await cluster().request('DELETE', `/apis/apiextensions.k8s.io/v1/customresourcedefinitions/${crd.metadata.name}`);
    }
  });

  describeWithCrds('Gateway API 1.6.1', ['gateway-api-v1.6.1'], (shared) => test('a TCPRoute in v1alpha2 (served: false) is refused by the server and the validator alike', async () => {
    const folder = shared['gateway-api-v1.6.1'];
    await cluster().installCrds(folder);
    const ns = await cluster().namespace('tcproute');
    const route = { apiVersion: 'gateway.networking.k8s.io/v1alpha2', kind: 'TCPRoute', metadata: { name: 't', namespace: ns }, spec: { parentRefs: [{ name: 'g' }], rules: [{ backendRefs: [{ name: 's', port: 80 }] }] } };
    const answer = await cluster().request('POST', `/apis/gateway.networking.k8s.io/v1alpha2/namespaces/${ns}/tcproutes?dryRun=All`, route);
    expect(answer.status).toBe(404);
    const ga = await cluster().request('POST', `/apis/gateway.networking.k8s.io/v1/namespaces/${ns}/tcproutes?dryRun=All`, { ...route, apiVersion: 'gateway.networking.k8s.io/v1' });
    expect(ga.status).toBe(201);
    const crds = readManifests([path.join(folder, 'gateway.networking.k8s.io_tcproutes.yaml')]).items.map((item) => item.object);
    const judged = (object: object) => validate([{ file: 't.yaml', object }], { checks: ['schema'], crds }).problems;
    expect(judged(route)).toEqual([expect.objectContaining({ path: 'apiVersion', allowed: 'apiVersion gateway.networking.k8s.io/v1' })]);
    expect(judged({ ...route, apiVersion: 'gateway.networking.k8s.io/v1' })).toEqual([]);
  }));
});

// A CRD with one string field `s` holding a pattern.
const patternCrd = (pattern: string) => ({
  apiVersion: 'apiextensions.k8s.io/v1', kind: 'CustomResourceDefinition', metadata: { name: 'crdpatterns.example.com' },
  spec: {
    group: 'example.com', scope: 'Namespaced', names: { plural: 'crdpatterns', kind: 'CrdPattern' },
    versions: [{ name: 'v1', served: true, storage: true, schema: { openAPIV3Schema: { type: 'object', properties: { spec: { type: 'object', properties: { s: { type: 'string', pattern } } } } } } }],
  },
});

describe('a CRD\'s patterns, as the API server reads them', () => {
  test('a pattern RE2 cannot read refuses the CRD; an RE2 one passes', () => {
    expect(crdSchemaFindings(patternCrd('(?=a)'))).toEqual([{
      path: 'spec.versions[0].schema.openAPIV3Schema.properties.spec.properties.s.pattern',
      message: 'not a valid RE2 regular expression (error parsing regexp: invalid or unsupported Perl syntax: `(?=`): the API server refuses the CustomResourceDefinition',
      allowed: 'RE2 syntax (Go regexp): no lookaround, no backreferences',
    }]);
    expect(crdSchemaFindings(patternCrd('(?i)^abc$'))).toEqual([]);
  });
});

describeWithCluster('a CRD\'s patterns, on the real server', (cluster) => {
  test('the server refuses a lookahead, and judges (?i) and ^(a+)+$ as the validator does', async () => {
    const refused = await cluster().request('POST', '/apis/apiextensions.k8s.io/v1/customresourcedefinitions?dryRun=All', patternCrd('(?=a)'));
    expect(refused.status).toBe(422);
    expect(JSON.stringify(refused.body)).toContain('must be a valid regular expression');
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'crd-pattern-'));
    const ns = await cluster().namespace('pattern');
    for (const pattern of ['(?i)^abc$', '^(a+)+$']) {
      const crd = patternCrd(pattern);
      fs.writeFileSync(path.join(dir, 'crd.yaml'), JSON.stringify(crd));
      await cluster().installCrds(dir);
      try {
        for (const value of ['ABC', 'abd', 'a'.repeat(35), `${'a'.repeat(35)}b`]) {
          const object = { apiVersion: 'example.com/v1', kind: 'CrdPattern', metadata: { name: 'p', namespace: ns }, spec: { s: value } };
          const answer = await cluster().request('POST', `/apis/example.com/v1/namespaces/${ns}/crdpatterns?dryRun=All`, object);
          const ours = validateCustom(object, crd.spec.versions[0].schema.openAPIV3Schema as never);
          expect([pattern, value, answer.status === 201]).toEqual([pattern, value, ours.length === 0]);
        }
      } finally {
        await cluster().request('DELETE', `/apis/apiextensions.k8s.io/v1/customresourcedefinitions/${crd.metadata.name}`);
        await cluster().kubectl(['wait', '--for=delete', '--timeout=30s', `crd/${crd.metadata.name}`]);
      }
    }
    fs.rmSync(dir, { recursive: true, force: true });
  });
});

// A CRD with a date-time field `at` and a number field `ratio` bounded by doubles
// (JSONSchemaProps' minimum, maximum and multipleOf are float64: k8s.io/apiextensions-apiserver
// pkg/apis/apiextensions/v1 types_jsonschema.go).
const dateTimeCrd = {
  apiVersion: 'apiextensions.k8s.io/v1', kind: 'CustomResourceDefinition', metadata: { name: 'crddatetimes.example.com' },
  spec: {
    group: 'example.com', scope: 'Namespaced', names: { plural: 'crddatetimes', kind: 'CrdDateTime' },
    versions: [{
      name: 'v1', served: true, storage: true,
      schema: { openAPIV3Schema: { type: 'object', properties: { spec: { type: 'object', properties: { at: { type: 'string', format: 'date-time' }, ratio: { type: 'number', minimum: 0.5, maximum: 2.5, multipleOf: 0.25, exclusiveMinimum: true } } } } } },
    }],
  },
};

// kube-openapi strfmt IsDateTime, value by value (lib/validate/crd.ts isDateTime): V8's Date.parse
// takes some of these that the server refuses, and the server takes some no RFC reader would.
const DATE_TIMES = [
  '2026-12-01T02:00:00Z', '2026-12-01t02:00:00.123456789z', '2026-12-01T02:00:00.5+05:30', '2026-12-01T02:00:00-08:00',
  '2026-12-01 02:00:00Z', '2024-01-01 00:00:00Z AM', '2024-01-01T00:00:00Z AM', '2026-12-01T02:00:00',
  '2024-02-29T00:00:00Z', '2023-02-29T00:00:00Z', '2026-04-31T00:00:00Z', '2026-12-01T24:00:00Z', '2026-12-01T23:59:60Z',
  '2026-12-01T02:00:00,5Z', '2026-12-01T02:00:00+99:99', '2026-12-01T02:00:00Zt', '+002026-12-01T02:00:00Z', 'yesterday',
  // The last hour, minute and second of a day, January; minute 60, day 00, a time or a date with
  // more before or after it, and February 29th of 1900 (no leap year) and 2000 (one); shorter than 4.
  '2026-12-01T23:59:59Z', '2026-01-15T00:00:00Z', '2026-12-01T02:60:00Z', '2026-12-00T00:00:00Z', '2026-12-01T102:00:00Z', '2026-12-01xT02:00:00Z',
  '1900-02-29T00:00:00Z', '2000-02-29T00:00:00Z', 'abc',
];

describe('date-time values and double bounds, as the validator judges them', () => {
  const schema = dateTimeCrd.spec.versions[0].schema.openAPIV3Schema as never;
  test('a space for the T, text after the offset, a day its month lacks and hour 24 are refused; a comma before the fraction and offset +99:99 pass', () => {
    const refused = DATE_TIMES.filter((at) => validateCustom({ apiVersion: 'example.com/v1', kind: 'CrdDateTime', metadata: { name: 'd' }, spec: { at } }, schema).length > 0);
    expect(refused).toEqual([
      '2026-12-01 02:00:00Z', '2024-01-01 00:00:00Z AM', '2024-01-01T00:00:00Z AM', '2026-12-01T02:00:00',
      '2023-02-29T00:00:00Z', '2026-04-31T00:00:00Z', '2026-12-01T24:00:00Z', '2026-12-01T23:59:60Z', '+002026-12-01T02:00:00Z', 'yesterday',
      '2026-12-01T02:60:00Z', '2026-12-00T00:00:00Z', '2026-12-01T102:00:00Z', '2026-12-01xT02:00:00Z', '1900-02-29T00:00:00Z', 'abc',
    ]);
  });

  test('a CRD whose minimum, maximum and multipleOf are not whole numbers is no wrong type', () => {
    const { problems } = validate([{ file: 'crd.yaml', object: dateTimeCrd }], { checks: ['schema', 'api'] });
    expect(problems).toEqual([]);
  });
});

describeWithCluster('date-time values and double bounds, on the real server', (cluster) => {
  test('the server takes the CRD, and judges each date-time as the validator does', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'crd-datetime-'));
    const ns = await cluster().namespace('datetime');
    fs.writeFileSync(path.join(dir, 'crd.yaml'), JSON.stringify(dateTimeCrd));
    await cluster().installCrds(dir);
    try {
      const schema = dateTimeCrd.spec.versions[0].schema.openAPIV3Schema as never;
      for (const at of DATE_TIMES) {
        const object = { apiVersion: 'example.com/v1', kind: 'CrdDateTime', metadata: { name: 'd', namespace: ns }, spec: { at, ratio: 0.75 } };
        const answer = await cluster().request('POST', `/apis/example.com/v1/namespaces/${ns}/crddatetimes?dryRun=All`, object);
        expect([at, answer.status === 201]).toEqual([at, validateCustom(object, schema).length === 0]);
      }
    } finally {
      await cluster().request('DELETE', `/apis/apiextensions.k8s.io/v1/customresourcedefinitions/${dateTimeCrd.metadata.name}`);
      await cluster().kubectl(['wait', '--for=delete', '--timeout=30s', `crd/${dateTimeCrd.metadata.name}`]);
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('a CustomResourceDefinition\'s group: what the finding says, and what it leaves to others', () => {
  test('a protected group without approval is told what the annotation must hold', () => {
    expect(crdGroupFindings(groupCrd('widgets.k8s.io', 'Widget'), isBuiltinGroup)).toEqual([{
      path: 'metadata.annotations.api-approved.kubernetes.io',
      message: 'missing: group "widgets.k8s.io" is protected for the Kubernetes community, and the API server refuses the CustomResourceDefinition without this annotation',
      allowed: 'a URL of the Kubernetes pull request that approved the API, or a reason starting with "unapproved"',
    }]);
  });

  test('an empty group is missing: the API server refuses the CRD (the schema check lets "" by, as it is present)', () => {
    expect(crdGroupFindings(groupCrd('', 'Widget'), isBuiltinGroup)).toEqual([
      { path: 'spec.group', message: 'missing: the API server refuses the CustomResourceDefinition', allowed: 'a group under a domain of your own, e.g. widgets.example.com' },
    ]);
  });

  test.each(NAME_CASES)('names: %s', (_name, change, paths) => {
    const findings = crdGroupFindings(namedCrd(change), isBuiltinGroup);
    expect(findings.map((f) => f.path).sort()).toEqual([...paths].sort());
    // Each says the server refuses it, and what it takes.
    for (const finding of findings) expect(finding).toEqual({ path: finding.path, message: expect.stringMatching(/the API server refuses the CustomResourceDefinition/), allowed: expect.any(String) });
  });

  test('the messages of the names: what is wrong and what is allowed', () => {
    const said = (change: Parameters<typeof namedCrd>[0]) => crdGroupFindings(namedCrd(change), isBuiltinGroup);
    expect(said({ name: 'widget.example.com' })).toEqual([{ path: 'metadata.name', message: '"widget.example.com" is not spec.names.plural + "." + spec.group: the API server refuses the CustomResourceDefinition', allowed: '"widgets.example.com"' }]);
    expect(said({ names: { plural: '1widgets' }, name: '1widgets.example.com' })).toEqual([{ path: 'spec.names.plural', message: '"1widgets" is not a DNS-1035 label: the API server refuses the CustomResourceDefinition', allowed: 'a DNS-1035 label: at most 63 characters of a-z 0-9 -, starting with a-z and ending with a-z or 0-9' }]);
    expect(said({ names: { kind: 'Wid_get' } }).map((f) => f.message)).toEqual([
      '"Wid_get" is not a DNS-1035 label in lower case: the API server refuses the CustomResourceDefinition',
      '"Wid_getList" is not a DNS-1035 label in lower case: the API server refuses the CustomResourceDefinition',
    ]);
    expect(said({ names: { listKind: 'Widget' } })).toEqual([{ path: 'spec.names.listKind', message: '"Widget" is the kind itself: the API server refuses the CustomResourceDefinition (kind and listKind may not be the same)', allowed: 'another name, e.g. WidgetList' }]);
    expect(said({ names: { plural: '' }, name: 'widgets.example.com' }).map((f) => `${f.path}: ${f.message}`)).toEqual([
      'spec.names.plural: missing: the API server refuses the CustomResourceDefinition',
      'metadata.name: "widgets.example.com" is not spec.names.plural + "." + spec.group: the API server refuses the CustomResourceDefinition',
    ]);
    // A name or names that are not strings are the schema's to report.
    expect(said({ names: { plural: 7 as unknown as string } })).toEqual([]);
    expect(crdGroupFindings({ ...namedCrd({}), spec: { ...namedCrd({}).spec, names: 'widgets' } }, isBuiltinGroup)).toEqual([]);
  });

  test('each finding on the names whole: kind and listKind are allowed any case, the others lower case', () => {
    const said = (change: Parameters<typeof namedCrd>[0]) => crdGroupFindings(namedCrd(change), isBuiltinGroup);
    const refused = 'the API server refuses the CustomResourceDefinition';
    const label = 'a DNS-1035 label: at most 63 characters of a-z 0-9 -, starting with a-z and ending with a-z or 0-9';
    // validation.go validateCustomResourceDefinitionSpec: each of the four names is required, after defaulting.
    expect(said({ names: { plural: '' }, name: '.example.com' })).toEqual([{ path: 'spec.names.plural', message: `missing: ${refused}`, allowed: label }]);
    expect(said({ names: { singular: '', kind: '' } })).toEqual([
      { path: 'spec.names.singular', message: `missing: ${refused}`, allowed: label },
      { path: 'spec.names.kind', message: `missing: ${refused}`, allowed: `${label} (any case)` },
      { path: 'spec.names.listKind', message: `missing: ${refused}`, allowed: `${label} (any case)` },
    ]);
    // defaults.go: singular defaults to the kind in lower case, an empty kind leaving it empty.
    expect(said({ names: { singular: undefined, kind: '', listKind: 'WidgetList' } })).toEqual([
      { path: 'spec.names.singular', message: `missing: ${refused}`, allowed: label },
      { path: 'spec.names.kind', message: `missing: ${refused}`, allowed: `${label} (any case)` },
    ]);
    // ValidateCustomResourceDefinitionNames: kind and listKind may have mixed case.
    expect(said({ names: { kind: 'Wid_get' } })).toEqual([
      { path: 'spec.names.kind', message: `"Wid_get" is not a DNS-1035 label in lower case: ${refused}`, allowed: `${label} (any case)` },
      { path: 'spec.names.listKind', message: `"Wid_getList" is not a DNS-1035 label in lower case: ${refused}`, allowed: `${label} (any case)` },
    ]);
    expect(said({ names: { singular: 'Widget' } })).toEqual([{ path: 'spec.names.singular', message: `"Widget" is not a DNS-1035 label: ${refused}`, allowed: label }]);
  });

  test('short names, categories, a name and a group that are not strings are the schema\'s to report, and no crash', () => {
    const crd = namedCrd({});
    const withNames = (names: Record<string, unknown>) => ({ ...crd, spec: { ...crd.spec, names: { ...crd.spec.names, ...names } } });
    expect(crdGroupFindings(withNames({ shortNames: [7, null, 'wd'], categories: [{}, 'all'] }), isBuiltinGroup)).toEqual([]);
    expect(crdGroupFindings(withNames({ shortNames: [7, 'W D'] }), isBuiltinGroup)).toEqual([
      { path: 'spec.names.shortNames[1]', message: '"W D" is not a DNS-1035 label: the API server refuses the CustomResourceDefinition', allowed: 'a DNS-1035 label: at most 63 characters of a-z 0-9 -, starting with a-z and ending with a-z or 0-9' },
    ]);
    expect(crdGroupFindings({ ...crd, metadata: {} }, isBuiltinGroup)).toEqual([]);
    expect(crdGroupFindings({ ...crd, metadata: { name: 7 } }, isBuiltinGroup)).toEqual([]);
    const { group: _group, ...noGroup } = crd.spec;
    expect(crdGroupFindings({ ...crd, spec: noGroup }, isBuiltinGroup)).toEqual([]);
    expect(crdGroupFindings({ ...crd, spec: { ...crd.spec, group: 7 } }, isBuiltinGroup)).toEqual([]);
  });

  test('without a built-in group test, every group of a dot is a CRD\'s: its served versions by kind', () => {
    const crd = groupCrd('example.com', 'Widget', undefined, [{ name: 'v1', served: true }, { name: 'v2', served: false }]);
    expect(customResourceKinds([crd])).toEqual(new Map([['example.com Widget', ['example.com/v1']]]));
  });
});

// A CRD whose root schema is the one given.
const rootCrd = (root: Record<string, unknown>) => ({
  apiVersion: 'apiextensions.k8s.io/v1', kind: 'CustomResourceDefinition', metadata: { name: 'widgets.example.com' },
  spec: { group: 'example.com', scope: 'Namespaced', names: { plural: 'widgets', kind: 'Widget' }, versions: [{ name: 'v1', served: true, storage: true, schema: { openAPIV3Schema: root } }] },
});
const BASE = 'spec.versions[0].schema.openAPIV3Schema';

describe('a CRD\'s schema, as the API server reads it when the CRD is written', () => {
  test('a pattern RE2 cannot read is a finding on the CRD, not a note', () => {
    notEvaluated.clear();
    expect(crdSchemaFindings(patternCrd('(?<=a)b'))).toHaveLength(1);
    expect([...notEvaluated]).toEqual([]);
  });

  test('rules that are not objects with a string, or do not parse, are the schema check\'s, and no crash', () => {
    const root = { type: 'object', 'x-kubernetes-validations': [null, { rule: 5 }, { rule: ['self.all(x, x == x)'] }, { rule: 'self ==' }] };
    expect(crdSchemaFindings(rootCrd(root))).toEqual([]);
  });

  // cel_validation.go: a rule under a list runs once per item; a list without maxItems has as many as fit in 3 MiB.
  const itemRule = (items: Record<string, unknown>, maxItems?: number) => rootCrd({ type: 'object', properties: { l: { type: 'array', ...(maxItems === undefined ? {} : { maxItems }), items } } });
  const matching = (maxLength: number) => ({ type: 'string', maxLength, 'x-kubernetes-validations': [{ rule: "self.matches('^a+$')" }] });

  test('a cheap rule on the strings of a list without maxItems runs once for each of the 1,048,576 that fit: 6 each, under 10,000,000', () => {
    expect(crdSchemaFindings(itemRule(matching(10)))).toEqual([]);
  });

  test('a list of bounded lists under a list without maxItems: as many items as fit, not a product with no bound', () => {
    const crd = itemRule({ type: 'array', maxItems: 2, items: matching(20) });
    expect(crdSchemaFindings(crd).map((f) => [f.path, f.message])).toEqual([
      [`${BASE}.properties.l.items.items.x-kubernetes-validations[0].rule`, "estimated rule cost 10,485,760 exceeds the API server's limit of 10,000,000: it refuses the CustomResourceDefinition"],
    ]);
  });

  test('a rule under a list of at most 1000 items runs 1000 times', () => {
    expect(crdSchemaFindings(itemRule(matching(100_000), 1000)).map((f) => [f.path, f.message])).toEqual([
      [`${BASE}.properties.l.items.x-kubernetes-validations[0].rule`, "estimated rule cost 40,002,000 exceeds the API server's limit of 10,000,000: it refuses the CustomResourceDefinition"],
    ]);
  });

  // An embedded resource's apiVersion, kind and metadata.name are declared strings; in an open object
  // that is not one, self.metadata is of no known type, and a rule reading it has no cost bound.
  const metadataRule = { 'x-kubernetes-preserve-unknown-fields': true, 'x-kubernetes-validations': [{ rule: "self.metadata.name.matches('^a+$')" }] };
  const embedded = { type: 'object', 'x-kubernetes-embedded-resource': true, ...metadataRule };
  const open = { type: 'object', ...metadataRule };
  const unbounded = (at: string) => [
    { path: `${BASE}.properties.${at}.x-kubernetes-validations[0].rule`, message: "estimated rule cost unbounded exceeds the API server's limit of 10,000,000: it refuses the CustomResourceDefinition", allowed: 'a simpler rule, or maxItems, maxProperties and maxLength where the lists, maps and strings it reads are declared' },
    { path: BASE, message: "the estimated cost of all its rules, unbounded, exceeds the API server's limit of 100,000,000 for one schema: it refuses the CustomResourceDefinition", allowed: 'simpler rules, or maxItems, maxProperties and maxLength where the lists, maps and strings they read are declared' },
  ];

  test('the items of a list: an embedded resource\'s metadata has a cost, an open object\'s has none', () => {
    expect(crdSchemaFindings(itemRule(embedded, 10))).toEqual([]);
    expect(crdSchemaFindings(itemRule(open, 10))).toEqual(unbounded('l.items'));
  });

  test('the values of a map: an embedded resource\'s metadata has a cost, an open object\'s has none', () => {
    const map = (values: Record<string, unknown>) => rootCrd({ type: 'object', properties: { m: { type: 'object', maxProperties: 10, additionalProperties: values } } });
    expect(crdSchemaFindings(map(embedded))).toEqual([]);
    expect(crdSchemaFindings(map(open))).toEqual(unbounded('m.additionalProperties'));
  });
});

describe('defaulting, as the API server defaults', () => {
  test('a schema whose parts are shared (YAML aliases) is searched for defaults once per part, not once per path to it', () => {
    // 12 levels, each naming the one below twice: 4,096 paths to the bottom, 13 schemas.
    let reads = 0;
    const bottom: Record<string, unknown> = { type: 'object' };
    Object.defineProperty(bottom, 'properties', { get: () => { reads += 1; return { s: { type: 'string' } }; }, enumerable: true });
    let schema = bottom;
    for (let depth = 0; depth < 12; depth++) schema = { type: 'object', properties: { a: schema, b: schema } };
    const value = { a: { b: { s: 'x' } } };
    expect(withDefaults(value, schema)).toBe(value);
    expect(withDefaults({ b: {} }, schema)).toEqual({ b: {} });
    expect(reads).toBeLessThanOrEqual(4);
  });

  test('defaults reach the items of a list', () => {
    const schema = { type: 'array', items: { type: 'object', properties: { mode: { type: 'string', default: 'A' } } } };
    expect(withDefaults([{}, { mode: 'B' }], schema)).toEqual([{ mode: 'A' }, { mode: 'B' }]);
  });

  test('a value that is not an object where the schema has defaults is left as it is (its wrong type is the check\'s)', () => {
    const schema = { type: 'object', properties: { mode: { type: 'string', default: 'A' } } };
    expect(withDefaults('x', schema)).toBe('x');
    expect(withDefaults(null, schema)).toBeNull();
  });

  // JSON.parse makes "__proto__" an own key; the copy defaulting makes drops it, wherever it is.
  test('a "__proto__" key is dropped from the copy, in an object, nested, or in any item of a list', () => {
    const keys = (value: unknown) => Object.keys(value as object);
    expect(keys(withDefaults(JSON.parse('{"__proto__": {"a": 1}}'), { type: 'object' }))).toEqual([]);
    const nested = withDefaults(JSON.parse('{"m": {"__proto__": {"a": 1}}}'), { type: 'object', properties: { m: { type: 'object' } } }) as Record<string, unknown>;
    expect(keys(nested.m)).toEqual([]);
    const list = withDefaults(JSON.parse('[{}, {"__proto__": {"a": 1}}]'), { type: 'array', items: { type: 'object' } }) as unknown[];
    expect(keys(list[1])).toEqual([]);
  });

  test('the values of a map with additionalProperties: true have no schema: they are kept as they are', () => {
    const value = withDefaults(JSON.parse('{"m": {"__proto__": {"a": 1}}}'), { type: 'object', additionalProperties: true }) as Record<string, unknown>;
    expect(Object.keys(value.m as object)).toEqual(['__proto__']);
  });
});

describe('a rule\'s cost at its limits, and where the object is a resource', () => {
  test('a rule whose estimated cost is the limit exactly, 10,000,000, is within it', () => {
    // 1000 strings of at most 24,995 runes: matches() costs 10,000 on each.
    const crd = rootCrd({ type: 'object', properties: { l: { type: 'array', maxItems: 1000, items: { type: 'string', maxLength: 24_995, 'x-kubernetes-validations': [{ rule: "self.matches('^a+$')" }] } } } });
    expect(crdSchemaFindings(crd)).toEqual([]);
  });

  test('a rule cost of 2^63 exactly is told as unbounded', () => {
    // 2^49 strings of at most 40,955 runes: matches() costs 2^14 on each.
    const crd = rootCrd({ type: 'object', properties: { l: { type: 'array', maxItems: 2 ** 49, items: { type: 'string', maxLength: 40_955, 'x-kubernetes-validations': [{ rule: "self.matches('^a+$')" }] } } } });
    expect(crdSchemaFindings(crd).map((f) => f.message)).toEqual([
      "estimated rule cost unbounded exceeds the API server's limit of 10,000,000: it refuses the CustomResourceDefinition",
      "the estimated cost of all its rules, unbounded, exceeds the API server's limit of 100,000,000 for one schema: it refuses the CustomResourceDefinition",
    ]);
  });

  test('a rule whose cost on the object is the per-call limit exactly, 1,000,000, is run', () => {
    // 3 for each item, 4 besides.
    const schema = { type: 'object', properties: { l: { type: 'array', items: { type: 'integer' } } }, 'x-kubernetes-validations': [{ rule: 'self.l.all(a, true) == true' }] };
    const object = (n: number) => ({ apiVersion: 'example.com/v1', kind: 'Widget', metadata: { name: 'w' }, l: Array.from({ length: n }, () => 1) });
    expect(validateCustom(object(333_332), schema)).toEqual([]);
    expect(validateCustom(object(333_333), schema)).toEqual([{
      path: '',
      message: 'rule not run: its cost on this object, estimated from its sizes, is 1,000,003, over the API server\'s per-call limit of 1,000,000: the server stops it ("call cost exceeds limit for rule") and refuses the object (CustomResourceDefinition)',
      allowed: 'fewer items, or shorter strings, where the rule iterates: self.l.all(a, true) == true',
    }]);
  });

  // cel validation.go: at a resource's root, and in an embedded resource, metadata is ObjectMeta
  // (a map: a comprehension ranges over its keys); elsewhere an open object's metadata is of no
  // known type, and the estimate ranges over its values: here a name of 2000 runes, split and compared pairwise.
  const PAIRWISE = "self.metadata.all(k, k.split('').all(x, k.split('').all(y, x == y || x != y)))";
  const LONG = { name: 'a'.repeat(2000) };
  test('metadata at the root and in an embedded resource is the resource\'s; elsewhere it is a field like any other', () => {
    const rule = { 'x-kubernetes-validations': [{ rule: PAIRWISE }] };
    const root = { type: 'object', 'x-kubernetes-preserve-unknown-fields': true, ...rule };
    expect(validateCustom({ apiVersion: 'example.com/v1', kind: 'Widget', metadata: LONG }, root)).toEqual([]);
    const nested = (embedded: boolean) => ({ type: 'object', properties: { t: { type: 'object', 'x-kubernetes-preserve-unknown-fields': true, ...(embedded ? { 'x-kubernetes-embedded-resource': true } : {}), ...rule } } });
    const object = { apiVersion: 'example.com/v1', kind: 'Widget', metadata: { name: 'w' }, t: { apiVersion: 'v1', kind: 'ConfigMap', metadata: LONG } };
    expect(validateCustom(object, nested(true))).toEqual([]);
    expect(validateCustom(object, nested(false))).toEqual([expect.objectContaining({
      path: 't', message: expect.stringMatching(/^rule not run: its cost on this object/), allowed: `fewer items, or shorter strings, where the rule iterates: ${PAIRWISE}`,
    })]);
  });
});

describe('what is and is not a CRD, and CRDs of odd shapes', () => {
  test('only apiextensions.k8s.io/v1 CustomResourceDefinitions are judged: an APIService\'s group and a v1beta1 CRD are left alone', () => {
    // An APIService names a protected group in spec.group, without the approval annotation a CRD would need.
    const apiService = { apiVersion: 'apiregistration.k8s.io/v1', kind: 'APIService', metadata: { name: 'v1beta1.metrics.k8s.io' }, spec: { group: 'metrics.k8s.io', version: 'v1beta1' } };
    expect(crdGroupFindings(apiService, isBuiltinGroup)).toEqual([]);
    // apiextensions.k8s.io/v1beta1 is no longer served: the version check's to refuse, not the CRD checks'.
    const old = { ...patternCrd('(?<=a)b'), apiVersion: 'apiextensions.k8s.io/v1beta1' };
    expect(crdSchemaFindings(old)).toEqual([]);
    expect(crdGroupFindings({ ...old, spec: { ...old.spec, group: 'apps' } }, isBuiltinGroup)).toEqual([]);
    // A null among the objects (from a caller, not a file) is no CRD, and no crash.
    expect(crdGroupFindings(null as never, isBuiltinGroup)).toEqual([]);
    expect(crdSchemaFindings(null as never)).toEqual([]);
    expect(customResourceSchemas([null as never])).toEqual(new Map());
  });

  // apimachinery validation.go IsDNS1123Subdomain: at most 253 characters, labels of [-a-z0-9] that start and end alphanumeric.
  test('a group is a DNS subdomain: labels of one character or more, 253 characters at most', () => {
    const findings = (group: string) => crdGroupFindings(groupCrd(group, 'Widget'), isBuiltinGroup);
    const refused = (group: string) => [{ path: 'spec.group', message: `"${group}" is not a DNS subdomain: the API server refuses the CustomResourceDefinition`, allowed: 'a group under a domain of your own, e.g. widgets.example.com' }];
    expect(findings('a.example.com')).toEqual([]);
    expect(findings('widgets.a.io')).toEqual([]);
    expect(findings('widgets.example.com-')).toEqual(refused('widgets.example.com-'));
    expect(findings('widgets.example.com_x')).toEqual(refused('widgets.example.com_x'));
    const long = `${'a'.repeat(62)}.`.repeat(4) + 'a';
    expect(long).toHaveLength(253);
    expect(findings(long)).toEqual([]);
    expect(findings(`b${long}`)).toEqual(refused(`b${long}`));
  });

  test('versions that are not objects with a string name, and schemas that are not objects, are skipped, and no crash', () => {
    const schema = { openAPIV3Schema: { type: 'object' } };
    // A function is no JSON, but an object given by a caller may hold one: it is no version either.
    const versions = [null, 'v1', 7, { served: true, schema }, { name: 5, served: true, schema }, Object.assign(function v9() {}, { served: true, schema }),
      { name: 'v1', served: true, schema }, { name: 'v2', served: true, schema: { openAPIV3Schema: null } }];
    const crd = { apiVersion: 'apiextensions.k8s.io/v1', kind: 'CustomResourceDefinition', metadata: { name: 'widgets.example.com' }, spec: { group: 'example.com', names: { kind: 'Widget' }, versions } };
    expect([...customResourceSchemas([crd]).keys()]).toEqual(['example.com/v1 Widget']);
    expect(customResourceKinds([crd])).toEqual(new Map([['example.com Widget', ['example.com/v1', 'example.com/v2']]]));
    // Without names (the API server refuses such a CRD): no crash.
    expect(() => customResourceKinds([{ ...crd, spec: { group: 'example.com', versions } }])).not.toThrow();
  });

  test('two CRDs of one group and kind: the versions of both are served', () => {
    const crds = [groupCrd('example.com', 'Widget', undefined, [{ name: 'v1', served: true }]), groupCrd('example.com', 'Widget', undefined, [{ name: 'v2', served: true }])];
    expect(customResourceKinds(crds)).toEqual(new Map([['example.com Widget', ['example.com/v1', 'example.com/v2']]]));
  });

  test('a CRD without a spec, a version without a schema, and schemas that are null or not objects are no finding, and no crash', () => {
    const crd = (versions: unknown[]) => ({ apiVersion: 'apiextensions.k8s.io/v1', kind: 'CustomResourceDefinition', metadata: { name: 'widgets.example.com' }, spec: { group: 'example.com', names: { kind: 'Widget' }, versions } });
    expect(crdSchemaFindings({ apiVersion: 'apiextensions.k8s.io/v1', kind: 'CustomResourceDefinition', metadata: { name: 'widgets.example.com' } })).toEqual([]);
    expect(crdSchemaFindings(crd([null, { name: 'v1', served: true }, { name: 'v2', served: true, schema: { openAPIV3Schema: 'x' } }]))).toEqual([]);
    expect(crdSchemaFindings(rootCrd({ type: 'object', properties: { a: null, b: 'x', l: { type: 'array', items: null } } }))).toEqual([]);
    // A function is no JSON, but an object given by a caller may hold one: it is no schema, its pattern is not read.
    expect(crdSchemaFindings(rootCrd({ type: 'object', properties: { f: Object.assign(() => undefined, { pattern: '(?<=a)b' }) } }))).toEqual([]);
  });
});

describe('a rule\'s cost in a CRD: properties, the root, and all rules at the limit', () => {
  const rule = { 'x-kubernetes-preserve-unknown-fields': true, 'x-kubernetes-validations': [{ rule: "self.metadata.name.matches('^a+$')" }] };

  test('a property: an embedded resource\'s metadata has a cost, an open object\'s has none', () => {
    expect(crdSchemaFindings(rootCrd({ type: 'object', properties: { t: { type: 'object', 'x-kubernetes-embedded-resource': true, ...rule } } }))).toEqual([]);
    expect(crdSchemaFindings(rootCrd({ type: 'object', properties: { t: { type: 'object', ...rule } } })).map((f) => [f.path, f.message])).toEqual([
      [`${BASE}.properties.t.x-kubernetes-validations[0].rule`, expect.stringMatching(/^estimated rule cost [\d,]+ exceeds the API server's limit of 10,000,000: it refuses/)],
      [BASE, expect.stringMatching(/^the estimated cost of all its rules, [\d,]+, exceeds the API server's limit of 100,000,000 for one schema/)],
    ]);
  });

  test('the root is a resource: its metadata has a cost', () => {
    expect(crdSchemaFindings(rootCrd({ type: 'object', ...rule }))).toEqual([]);
  });

  test('rules whose estimated costs add up to the limit exactly, 100,000,000, are within it', () => {
    // Ten lists of 1000 strings of at most 24,995 runes: each rule 10,000,000.
    const list = { type: 'array', maxItems: 1000, items: { type: 'string', maxLength: 24_995, 'x-kubernetes-validations': [{ rule: "self.matches('^a+$')" }] } };
    const properties = Object.fromEntries(Array.from({ length: 10 }, (_, i) => [`l${i}`, list]));
    expect(crdSchemaFindings(rootCrd({ type: 'object', properties }))).toEqual([]);
    const over = { ...properties, l10: { type: 'string', maxLength: 1, 'x-kubernetes-validations': [{ rule: "self.matches('^a+$')" }] } };
    expect(crdSchemaFindings(rootCrd({ type: 'object', properties: over })).map((f) => f.path)).toEqual([BASE]);
  });
});

describe('defaulting leaves a value without defaults below it as it is', () => {
  test('the value itself, not a copy, where no schema below has a default and no "__proto__" key is in it', () => {
    const value = JSON.parse('{"a": {"b": [1, "x", null, {"c": true}]}, "d": 2}');
    expect(withDefaults(value, { type: 'object', properties: { a: { type: 'object' } } })).toBe(value);
    expect(withDefaults(value, { type: 'object', additionalProperties: { type: 'object', properties: { b: { type: 'array', items: { type: 'object' } } } } })).toBe(value);
    // A list with a named property (no file makes one): its items are what is searched for "__proto__".
    const list = Object.assign([{ a: 1 }], { extra: JSON.parse('{"__proto__": 1}') });
    expect(withDefaults(list, { type: 'array', items: { type: 'object' } })).toBe(list);
  });
});

describe('additionalProperties: null, which the API server reads as absent', () => {
  test('is no schema for the values of a map: no crash, in the CRD\'s checks, defaulting or an object\'s check', () => {
    const root = { type: 'object', properties: { m: { type: 'object', additionalProperties: null } } };
    expect(crdSchemaFindings(rootCrd(root))).toEqual([]);
    expect(withDefaults({ m: { a: 1 } }, root as never)).toEqual({ m: { a: 1 } });
    expect(validateCustom({ apiVersion: 'example.com/v1', kind: 'Widget', metadata: { name: 'w' }, m: { a: 1 } }, root as never)).toEqual([
      { path: 'm.a', message: 'unknown field "a" (CustomResourceDefinition)', allowed: 'only the fields the CustomResourceDefinition defines here' },
    ]);
  });
});
