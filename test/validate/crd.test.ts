import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { stringify } from 'yaml';
import { validateManifests } from '../../lib/validate';
import { run } from '../../lib/validate/cli';
import { notEvaluated, validateCustom } from '../../lib/validate/crd';

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

    test('formats, maxProperties and list types are enforced', () => {
      const findings = judge({ host: 'a', since: 'yesterday', data: '!!', tags: ['a', 'a'], listeners: [{ name: 'http', port: 80 }, { name: 'http', port: 2 ** 31 }] });
      expect(findings.map((f) => [f.path, f.message])).toEqual([
        ['spec', 'more than 4 fields (CustomResourceDefinition)'],
        ['spec.since', 'value is not a valid date-time (CustomResourceDefinition)'],
        ['spec.data', 'value is not a valid byte (CustomResourceDefinition)'],
        ['spec.tags[1]', 'duplicate value (CustomResourceDefinition)'],
        ['spec.listeners[1]', 'duplicate value for name (CustomResourceDefinition)'],
        ['spec.listeners[1].port', 'value is not a valid int32 (CustomResourceDefinition)'],
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

describe('bundled schemas of Gateway API and cert-manager (no CRD given)', () => {
  const httpRoute = (pathType: string) => ({
    apiVersion: 'gateway.networking.k8s.io/v1', kind: 'HTTPRoute', metadata: { name: 'app' },
    spec: { parentRefs: [{ name: 'gw' }], rules: [{ matches: [{ path: { type: pathType, value: '/api' } }], backendRefs: [{ name: 'server', port: 5000 }] }] },
  });

  test('a valid HTTPRoute passes; a bad enum value is reported once, not per Kubernetes version', () => {
    expect(validateManifests([{ file: 'r.yaml', object: httpRoute('PathPrefix') }], { checks: ['schema'] })).toEqual([]);
    const problems = validateManifests([{ file: 'r.yaml', object: httpRoute('Prefix') }], { checks: ['schema'] });
    expect(problems.map((p) => [p.path, p.message, p.allowed])).toEqual([
      ['spec.rules[0].matches[0].path.type', 'value not allowed (@kubernetes-models/gateway-api@2.0.0 schema)', 'one of "Exact", "PathPrefix", "RegularExpression"'],
    ]);
  });

  test('unknown fields are reported at any depth; free-form fields stay open', () => {
    const route: any = httpRoute('PathPrefix');
    route.spec.rules[0].matches[0].path.prefix = '/api';
    route.spec.hostname = 'k8s-multi.com';
    route.metadata.labelz = { a: 'b' };
    route.metadata.labels = { anything: 'goes' };
    route.spec.parentRefs = [{ nam: 'gw' }]; // nothing known in it: still judged
    const problems = validateManifests([{ file: 'r.yaml', object: route }], { checks: ['schema'] });
    expect(problems.map((p) => [p.path, p.message]).sort()).toEqual([
      ['metadata.labelz', 'unknown field "labelz" (@kubernetes-models/gateway-api@2.0.0 schema)'],
      ['spec.parentRefs[0].nam', 'unknown field "nam" (@kubernetes-models/gateway-api@2.0.0 schema)'],
      ['spec.parentRefs[0].name', 'missing required field "name" (@kubernetes-models/gateway-api@2.0.0 schema)'],
      ['spec.hostname', 'unknown field "hostname" (@kubernetes-models/gateway-api@2.0.0 schema)'],
      ['spec.rules[0].matches[0].path.prefix', 'unknown field "prefix" (@kubernetes-models/gateway-api@2.0.0 schema)'],
    ].sort());
  });

  test('a ClusterIssuer\'s free-form webhook config stays open, while a typo beside it is caught', () => {
    const issuer = {
      apiVersion: 'cert-manager.io/v1', kind: 'ClusterIssuer', metadata: { name: 'letsencrypt-prod' },
      spec: { acme: {
        server: 'https://acme-v02.api.letsencrypt.org/directory', email: 'ops@k8s-multi.com', privateKeySecretRef: { name: 'letsencrypt-prod' },
        solvers: [{ http01: { ingress: { ingressClassName: 'nginx' } } }, { dns01: { webhook: { groupName: 'acme.example.com', solverName: 's', config: { any: { deep: 1 } } } } }],
      } },
    };
    expect(validateManifests([{ file: 'i.yaml', object: issuer }], { checks: ['schema'] })).toEqual([]);
    (issuer.spec.acme.solvers[0].http01 as any).ingress.clas = 'nginx';
    expect(validateManifests([{ file: 'i.yaml', object: issuer }], { checks: ['schema'] }).map((p) => p.path)).toEqual(['spec.acme.solvers[0].http01.ingress.clas']);
  });

  test('a cert-manager Certificate missing its issuerRef is reported', () => {
    const certificate = { apiVersion: 'cert-manager.io/v1', kind: 'Certificate', metadata: { name: 'c' }, spec: { secretName: 's', dnsNames: ['k8s-multi.com'] } };
    expect(validateManifests([{ file: 'c.yaml', object: certificate }], { checks: ['schema'] }).map((p) => [p.path, p.message])).toEqual([
      ['spec.issuerRef', 'missing required field "issuerRef" (@kubernetes-models/cert-manager@6.0.0 schema)'],
    ]);
  });
});
