import { isIP } from 'net';
import type * as Cel from '@bufbuild/cel';
import { Finding, KubeObject, objectPath } from './problem';

/**
 * Custom objects judged as the API server judges them against their CustomResourceDefinition
 * (k8s.io/apiextensions-apiserver pkg/apiserver/validation and pkg/apiserver/schema/cel):
 * the served version's structural openAPIV3Schema (types, required, enums, patterns, bounds,
 * unknown fields unless `x-kubernetes-preserve-unknown-fields`), then its
 * `x-kubernetes-validations` CEL rules, evaluated with @bufbuild/cel (Buf's CEL for
 * ECMAScript: CommonJS and ES builds, Node 20, RE2 semantics for `matches` as in Go).
 *
 * Kubernetes adds libraries to CEL (k8s.io/apiserver pkg/cel/library); of those, the Gateway
 * API and cert-manager rules use the strings extension (`split`, `substring`...: from
 * @bufbuild/cel/ext) and `isIP` (ip.go, written here). A rule calling any other function is
 * not evaluated, and says so in a note, rather than giving a verdict. Transition rules (those
 * reading `oldSelf`) apply to updates only and are skipped: this judges creation.
 */

type Schema = Record<string, unknown> & {
  readonly type?: string;
  readonly properties?: Record<string, Schema>;
  readonly additionalProperties?: Schema | boolean;
  readonly items?: Schema;
  readonly required?: readonly string[];
  readonly nullable?: boolean;
};

interface Rule {
  readonly rule: string;
  readonly message?: string;
  readonly fieldPath?: string;
}

/** A CustomResourceDefinition's served versions, keyed by `group/version kind`. */
export type CustomResourceSchemas = Map<string, Schema>;

/** The served versions of every apiextensions.k8s.io/v1 CustomResourceDefinition among the objects. */
export function customResourceSchemas(objects: readonly KubeObject[]): CustomResourceSchemas {
  const out: CustomResourceSchemas = new Map();
  for (const crd of objects) {
    if (crd.apiVersion !== 'apiextensions.k8s.io/v1' || crd.kind !== 'CustomResourceDefinition') continue;
    const spec = crd.spec as { group?: string; names?: { kind?: string }; versions?: { name: string; served?: boolean; schema?: { openAPIV3Schema?: Schema } }[] } | undefined;
    for (const version of spec?.versions ?? []) {
      if (version.served && version.schema?.openAPIV3Schema) out.set(`${spec?.group}/${version.name} ${spec?.names?.kind}`, version.schema.openAPIV3Schema);
    }
  }
  return out;
}

/** Notes on rules that could not be evaluated, for the caller to print; each once. */
export const notEvaluated = new Set<string>();

/** Findings of one custom object against its CRD's schema and rules. */
export function validateCustom(object: KubeObject, schema: Schema): Finding[] {
  const findings: Finding[] = [];
  check(withDefaults(object, schema), schema, [], findings, true);
  return findings;
}

const where = '(CustomResourceDefinition)';

function typeOf(value: unknown): string {
  if (Array.isArray(value)) return 'array';
  if (value === null) return 'null';
  if (typeof value === 'number') return Number.isInteger(value) ? 'integer' : 'number';
  return typeof value;
}

function check(value: unknown, schema: Schema, at: (string | number)[], out: Finding[], root = false): void {
  const here = objectPath(at);
  const before = out.length;
  const actual = typeOf(value);
  if (schema['x-kubernetes-int-or-string']) {
    if (actual !== 'integer' && actual !== 'string') out.push({ path: here, message: `wrong type ${where}`, allowed: 'type integer or string' });
  } else if (schema.type && !(schema.type === actual || (schema.type === 'number' && actual === 'integer'))) {
    out.push({ path: here, message: `wrong type ${where}`, allowed: `type ${schema.type}` });
    return;
  }
  if (Array.isArray(schema.enum) && !schema.enum.some((e) => e === value)) {
    out.push({ path: here, message: `value not allowed ${where}`, allowed: `one of ${schema.enum.map((e) => JSON.stringify(e)).join(', ')}` });
  }
  if (typeof value === 'string') {
    const length = [...value].length;
    if (typeof schema.maxLength === 'number' && length > schema.maxLength) out.push({ path: here, message: `longer than ${schema.maxLength} characters ${where}`, allowed: `<= ${schema.maxLength} characters` });
    if (typeof schema.minLength === 'number' && length < schema.minLength) out.push({ path: here, message: `shorter than ${schema.minLength} characters ${where}`, allowed: `>= ${schema.minLength} characters` });
    if (typeof schema.pattern === 'string' && !new RegExp(schema.pattern, 'u').test(value)) out.push({ path: here, message: `value does not match the pattern ${where}`, allowed: `a string matching ${schema.pattern}` });
  }
  if (typeof value === 'number') {
    if (typeof schema.maximum === 'number' && (schema.exclusiveMaximum ? value >= schema.maximum : value > schema.maximum)) out.push({ path: here, message: `number out of range ${where}`, allowed: `${schema.exclusiveMaximum ? '<' : '<='} ${schema.maximum}` });
    if (typeof schema.minimum === 'number' && (schema.exclusiveMinimum ? value <= schema.minimum : value < schema.minimum)) out.push({ path: here, message: `number out of range ${where}`, allowed: `${schema.exclusiveMinimum ? '>' : '>='} ${schema.minimum}` });
  }
  if (Array.isArray(value)) {
    if (typeof schema.maxItems === 'number' && value.length > schema.maxItems) out.push({ path: here, message: `more than ${schema.maxItems} items ${where}`, allowed: `<= ${schema.maxItems} items` });
    if (typeof schema.minItems === 'number' && value.length < schema.minItems) out.push({ path: here, message: `fewer than ${schema.minItems} items ${where}`, allowed: `>= ${schema.minItems} items` });
    if (schema.items) value.forEach((item, i) => check(item, schema.items as Schema, [...at, i], out));
  }
  if (actual === 'object') {
    const object = value as Record<string, unknown>;
    // A null field is pruned unless the schema says nullable (apiextensions pruning).
    const present = Object.keys(object).filter((k) => object[k] !== null || schema.properties?.[k]?.nullable);
    for (const name of schema.required ?? []) {
      if (!present.includes(name)) out.push({ path: objectPath([...at, name]), message: `missing required field "${name}" ${where}`, allowed: 'the field set' });
    }
    const embedded = root || schema['x-kubernetes-embedded-resource'];
    for (const key of present) {
      const child = schema.properties?.[key];
      // metadata is the API server's own (ObjectMeta), not the CRD schema's to close.
      if (root && key === 'metadata') continue;
      if (child) check(object[key], child, [...at, key], out);
      else if (typeof schema.additionalProperties === 'object') check(object[key], schema.additionalProperties, [...at, key], out);
      else if (embedded && ['apiVersion', 'kind', 'metadata'].includes(key)) continue;
      else if (!schema['x-kubernetes-preserve-unknown-fields'] && schema.additionalProperties !== true) {
        out.push({ path: objectPath([...at, key]), message: `unknown field "${key}" ${where}`, allowed: 'only the fields the CustomResourceDefinition defines here' });
      }
    }
  }
  // k8s.io/apiextensions-apiserver pkg/registry/customresource strategy.go hasBlockingErr: the
  // rules are not run where a value has the wrong type (they would be ill-typed).
  if (!out.slice(before).some((f) => f.message.startsWith('wrong type'))) checkRules(value, schema, at, out);
}

function checkRules(value: unknown, schema: Schema, at: (string | number)[], out: Finding[]): void {
  const rules = schema['x-kubernetes-validations'] as Rule[] | undefined;
  if (!rules?.length) return;
  const self = toCel(value, schema);
  for (const rule of rules) {
    // Transition rules compare with the stored object: there is none on create.
    if (/\boldSelf\b/.test(rule.rule)) continue;
    const result = evaluate(rule.rule, self);
    if (result === true) continue;
    if (typeof result === 'string') {
      notEvaluated.add(`rule not evaluated at ${objectPath(at) || '(root)'}: ${result}: ${rule.rule}`);
      continue;
    }
    const field = rule.fieldPath ? `${objectPath(at)}${rule.fieldPath}`.replace(/^\./, '') : objectPath(at);
    out.push({ path: field, message: `${rule.message ?? `failed rule: ${rule.rule}`} ${where}`, allowed: `values that satisfy: ${rule.rule}` });
  }
}

/**
 * The object after the API server's defaulting (k8s.io/apiextensions-apiserver
 * pkg/apiserver/schema/defaulting algorithm.go Default): a missing field whose schema has a
 * `default` gets it, before validation, so rules such as `size(self.group) == 0` see it.
 */
export function withDefaults(value: unknown, schema: Schema | undefined): unknown {
  if (!schema) return value;
  if (Array.isArray(value)) return value.map((item) => withDefaults(item, schema.items));
  if (!value || typeof value !== 'object') return value;
  const out: Record<string, unknown> = {};
  const object = value as Record<string, unknown>;
  for (const [key, item] of Object.entries(object)) {
    const child = schema.properties?.[key] ?? (typeof schema.additionalProperties === 'object' ? schema.additionalProperties : undefined);
    out[key] = withDefaults(item, child);
  }
  for (const [key, child] of Object.entries(schema.properties ?? {})) {
    if (out[key] === undefined && child.default !== undefined) out[key] = withDefaults(structuredClone(child.default), child);
  }
  return out;
}

// Loaded on the first rule only (~70 ms): most runs judge no custom object.
let cel: { lib: typeof Cel; env: Cel.CelEnv } | undefined;
function celLibrary(): { lib: typeof Cel; env: Cel.CelEnv } {
  if (!cel) {
    const lib = require('@bufbuild/cel') as typeof Cel;
    const { strings } = require('@bufbuild/cel/ext') as { strings: Cel.CelFunc[] };
    // k8s.io/apiserver pkg/cel/library/ip.go isIP: a valid IPv4 or IPv6 address.
    const isIPFunc = lib.celFunc('isIP', [lib.CelScalar.STRING], lib.CelScalar.BOOL, (s: string) => isIP(s) !== 0);
    cel = { lib, env: lib.celEnv({ funcs: [...strings, isIPFunc] }) };
  }
  return cel;
}
const plans = new Map<string, ((ctx: never) => unknown) | string>();

/** true or false as the rule judges; a string saying why when it cannot be evaluated. */
function evaluate(rule: string, self: unknown): boolean | string {
  const { lib, env } = celLibrary();
  let planned = plans.get(rule);
  if (!planned) {
    try {
      planned = lib.plan(env, lib.parse(rule)) as (ctx: never) => unknown;
    } catch (error) {
      planned = `does not parse (${(error as Error).message})`;
    }
    plans.set(rule, planned);
  }
  if (typeof planned === 'string') return planned;
  const result = planned({ self } as never);
  if (lib.isCelError(result)) {
    const message = String((result as { message?: string }).message);
    return /unbound function|no such overload|unknown function/i.test(message) ? `uses a function this validator lacks (${message})` : false;
  }
  return result === true;
}

/** JSON to CEL values: objects become maps, integers (by schema, or by value where open) ints. */
function toCel(value: unknown, schema: Schema | undefined): unknown {
  if (Array.isArray(value)) return value.map((item) => toCel(item, schema?.items));
  if (value && typeof value === 'object') {
    const object = value as Record<string, unknown>;
    return new Map(Object.keys(object).filter((k) => object[k] !== null).map((k) => {
      const child = schema?.properties?.[k] ?? (typeof schema?.additionalProperties === 'object' ? schema.additionalProperties : undefined);
      return [k, toCel(object[k], child)];
    }));
  }
  if (typeof value === 'number' && Number.isInteger(value) && schema?.type !== 'number') return BigInt(value);
  return value;
}
