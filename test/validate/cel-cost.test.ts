import * as fs from 'fs';
import * as path from 'path';
import { parse } from '@bufbuild/cel';
import { validate } from '../../lib/validate';
import { estimateCost, maxElements, minSize, ruleRoot, valueSizer } from '../../lib/validate/cel-cost';
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
