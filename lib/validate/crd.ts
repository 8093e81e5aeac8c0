import { isIP, isIPv4, isIPv6 } from 'net';
import type * as Cel from '@bufbuild/cel';
import { MAX_LISTED } from './echo';
import { CRD_COST_LIMIT, estimateCost, minSize, PER_CALL_LIMIT, RULE_COST_LIMIT, ruleRoot, valuesSchema, valueSizer } from './cel-cost';
import { Finding, KubeObject, objectPath } from './problem';
import { INTEGER_RANGES, IntegerFormat } from './schema/builtin';

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

interface CrdSpec {
  readonly group?: unknown;
  readonly names?: { readonly kind?: string };
  readonly versions?: readonly { readonly name: string; readonly served?: boolean; readonly schema?: { readonly openAPIV3Schema?: Schema } }[];
}

const isCrd = (object: KubeObject) => object?.apiVersion === 'apiextensions.k8s.io/v1' && object.kind === 'CustomResourceDefinition';

/** Whether a group is Kubernetes' own (served built in); the caller knows the built-in groups. */
export type BuiltinGroup = (group: string) => boolean;

/**
 * What the API server says of a CustomResourceDefinition's group (k8s.io/apiextensions-apiserver
 * pkg/apis/apiextensions/validation/validation.go validateCustomResourceDefinitionSpec and
 * validateAPIApproval, pkg/apihelpers/helpers.go IsProtectedCommunityGroup and
 * GetAPIApprovalState). A group without a dot (apps, batch, policy, the core "") is refused, and
 * so is a group under k8s.io or kubernetes.io without the `api-approved.kubernetes.io`
 * annotation: that is how the built-in groups are kept from CRDs. One that passes both and is
 * still a built-in group (networking.k8s.io, approved) is created, but the real 1.34 server
 * serves none of its kinds (discovery lists none, a create answers 404; the cluster test in
 * test/validate/crd.test.ts shows it): a warning here, and its kinds are judged as built-in.
 * With them, what it says of the CRD's name and names (crdNameFindings): a CRD with any of these
 * findings is one the server refuses or serves nothing of, so its kinds are not taken as served.
 */
export function crdGroupFindings(crd: KubeObject, builtinGroup: BuiltinGroup): Finding[] {
  if (!isCrd(crd)) return [];
  const group = (crd.spec as CrdSpec | undefined)?.group;
  return [...groupFindings(crd, group, builtinGroup), ...crdNameFindings(crd, group)];
}

const REFUSED = 'the API server refuses the CustomResourceDefinition';
const GROUP_ALLOWED = 'a group under a domain of your own, e.g. widgets.example.com';

function groupFindings(crd: KubeObject, group: unknown, builtinGroup: BuiltinGroup): Finding[] {
  if (typeof group !== 'string' || group === '') return [];
  const allowed = GROUP_ALLOWED;
  const refused = REFUSED;
  if (!/^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/.test(group) || group.length > 253) {
    return [{ path: 'spec.group', message: `"${group}" is not a DNS subdomain: ${refused}`, allowed }];
  }
  if (!group.includes('.')) return [{ path: 'spec.group', message: `"${group}" is not a domain with at least one dot: ${refused} (such groups are Kubernetes' own)`, allowed }];
  const isProtected = ['k8s.io', 'kubernetes.io'].some((domain) => group === domain || group.endsWith(`.${domain}`));
  if (isProtected) {
    const annotation = (crd.metadata?.annotations as Record<string, unknown> | undefined)?.['api-approved.kubernetes.io'];
    const where = 'metadata.annotations.api-approved.kubernetes.io';
    const approval = 'a URL of the Kubernetes pull request that approved the API, or a reason starting with "unapproved"';
    if (typeof annotation !== 'string' || annotation === '') return [{ path: where, message: `missing: group "${group}" is protected for the Kubernetes community, and ${refused} without this annotation`, allowed: approval }];
    if (!annotation.startsWith('unapproved') && !isApprovalUrl(annotation)) return [{ path: where, message: `"${annotation}" is neither a URL nor a reason starting with "unapproved": ${refused}`, allowed: approval }];
  }
  if (builtinGroup(group)) {
    return [{ path: 'spec.group', message: `"${group}" is a group Kubernetes serves built in: the API server creates the CustomResourceDefinition but serves none of its kinds`, allowed, severity: 'warning' }];
  }
  return [];
}

// apimachinery pkg/util/validation IsDNS1035Label: a lower-case letter first, then a-z 0-9 and -,
// ending with a letter or digit, at most 63 characters.
const isDns1035Label = (name: string) => name.length <= 63 && /^[a-z]([-a-z0-9]*[a-z0-9])?$/.test(name);
const DNS_1035 = 'a DNS-1035 label: at most 63 characters of a-z 0-9 -, starting with a-z and ending with a-z or 0-9';

/**
 * What the API server says of a CustomResourceDefinition's name and names (validation.go:
 * ValidateCustomResourceDefinition's name rule, validateCustomResourceDefinitionSpec's required
 * group and names, ValidateCustomResourceDefinitionNames), as its defaulting leaves them
 * (SetDefaults_CustomResourceDefinitionSpec: singular the kind in lower case, listKind the kind
 * and "List"). A field that is missing or not a string is the schema's to report.
 */
function crdNameFindings(crd: KubeObject, group: unknown): Finding[] {
  const refused = REFUSED;
  const out: Finding[] = [];
  if (group === '') out.push({ path: 'spec.group', message: `missing: ${refused}`, allowed: GROUP_ALLOWED });
  const given = (crd.spec as { names?: unknown } | undefined)?.names;
  const names = (typeof given === 'object' && given !== null && !Array.isArray(given) ? given : {}) as Record<string, unknown>;
  const text = (key: string) => (typeof names[key] === 'string' ? names[key] as string : undefined);
  const kind = text('kind');
  const plural = text('plural');
  const singular = text('singular') || (kind === undefined ? undefined : kind.toLowerCase());
  // listKind defaults only from a kind that is not empty: an empty kind leaves it empty, and required.
  const listKind = text('listKind') || (kind && `${kind}List`);
  for (const [key, value] of [['plural', plural], ['singular', singular], ['kind', kind], ['listKind', listKind]] as const) {
    if (value === '') out.push({ path: `spec.names.${key}`, message: `missing: ${refused}`, allowed: key === 'kind' || key === 'listKind' ? `${DNS_1035} (any case)` : DNS_1035 });
  }
  for (const [key, value, anyCase] of [['plural', plural, false], ['singular', singular, false], ['kind', kind, true], ['listKind', listKind, true]] as const) {
    if (value && !isDns1035Label(anyCase ? value.toLowerCase() : value)) {
      out.push({ path: `spec.names.${key}`, message: `"${value}" is not ${anyCase ? 'a DNS-1035 label in lower case' : 'a DNS-1035 label'}: ${refused}`, allowed: anyCase ? `${DNS_1035} (any case)` : DNS_1035 });
    }
  }
  for (const key of ['shortNames', 'categories']) {
    const list = names[key];
    if (!Array.isArray(list)) continue;
    list.forEach((value, i) => {
      if (typeof value === 'string' && !isDns1035Label(value)) out.push({ path: `spec.names.${key}[${i}]`, message: `"${value}" is not a DNS-1035 label: ${refused}`, allowed: DNS_1035 });
    });
  }
  if (kind && kind === listKind) out.push({ path: 'spec.names.listKind', message: `"${listKind}" is the kind itself: ${refused} (kind and listKind may not be the same)`, allowed: `another name, e.g. ${kind}List` });
  const name = crd.metadata?.name;
  if (typeof name === 'string' && typeof group === 'string' && plural !== undefined && name !== `${plural}.${group}`) {
    out.push({ path: 'metadata.name', message: `"${name}" is not spec.names.plural + "." + spec.group: ${refused}`, allowed: `"${plural}.${group}"` });
  }
  return out;
}

// Go's url.ParseRequestURI with a scheme and a host, as GetAPIApprovalState asks.
function isApprovalUrl(text: string): boolean {
  try {
    const url = new URL(text);
    return url.protocol.length > 1 && url.host !== '';
  } catch {
    return false;
  }
}

type CrdVersion = NonNullable<CrdSpec['versions']>[number];

/**
 * A CRD's versions that are objects with a name. A CRD of another shape (versions a map, an
 * entry a string) is the schema check's problem line; here it must not throw ("object is not
 * iterable" stopped the whole run and every other input's verdict).
 */
function versionsOf(spec: CrdSpec): CrdVersion[] {
  const versions: unknown = spec.versions;
  if (!Array.isArray(versions)) return [];
  return versions.filter((v): v is CrdVersion => typeof v === 'object' && v !== null && typeof (v as CrdVersion).name === 'string');
}

/** The CRDs among the objects that the API server would create and serve the kinds of. */
function usableCrds(objects: readonly KubeObject[], builtinGroup: BuiltinGroup): CrdSpec[] {
  return objects.filter((o) => isCrd(o) && crdGroupFindings(o, builtinGroup).length === 0).map((o) => (o.spec ?? {}) as CrdSpec);
}

/**
 * The served versions of every apiextensions.k8s.io/v1 CustomResourceDefinition among the
 * objects that the API server would serve (see crdGroupFindings): a CRD claiming `apps` or
 * another built-in group shadows no built-in kind.
 */
export function customResourceSchemas(objects: readonly KubeObject[], builtinGroup: BuiltinGroup = () => false): CustomResourceSchemas {
  const out: CustomResourceSchemas = new Map();
  for (const spec of usableCrds(objects, builtinGroup)) {
    for (const version of versionsOf(spec)) {
      const root: unknown = version.schema?.openAPIV3Schema;
      if (version.served && typeof root === 'object' && root !== null && !Array.isArray(root)) out.set(`${String(spec.group)}/${version.name} ${spec.names?.kind}`, root as Schema);
    }
  }
  return out;
}

/**
 * `group kind` -> the apiVersions its CRD serves (maybe none), for every kind a usable CRD
 * defines: a CRD is the API server's word on its kinds, so an object in a version it does not
 * serve (`served: false`) is refused even where a bundled package has a schema for that version.
 */
export function customResourceKinds(objects: readonly KubeObject[], builtinGroup: BuiltinGroup = () => false): Map<string, string[]> {
  const out = new Map<string, string[]>();
  for (const spec of usableCrds(objects, builtinGroup)) {
    const key = `${String(spec.group)} ${spec.names?.kind}`;
    const served = versionsOf(spec).filter((v) => v.served).map((v) => `${String(spec.group)}/${v.name}`);
    const earlier = out.get(key);
    if (earlier) for (const version of served) earlier.push(version);
    else out.set(key, served);
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

// An enum's values as a set and its problem text, once per schema: a 200,000-value enum was
// searched in full for every value, and each problem line repeated all of it (4.2 GB).
const enums = new WeakMap<readonly unknown[], { values: Set<unknown>; allowed: string }>();
function enumOf(values: readonly unknown[]): { values: Set<unknown>; allowed: string } {
  let found = enums.get(values);
  if (!found) {
    const shown = values.slice(0, MAX_LISTED).map((e) => JSON.stringify(e) ?? String(e)).join(', ');
    const more = values.length > MAX_LISTED ? `, ... and ${values.length - MAX_LISTED} more` : '';
    enums.set(values, (found = { values: new Set(values), allowed: `one of ${shown}${more}` }));
  }
  return found;
}

function typeOf(value: unknown): string {
  if (Array.isArray(value)) return 'array';
  if (value === null) return 'null';
  if (typeof value === 'number') return Number.isInteger(value) ? 'integer' : 'number';
  return typeof value;
}

/** `branch`: an allOf/anyOf/oneOf/not schema, which adds value checks to the node's own schema and closes nothing. */
function check(value: unknown, schema: Schema, at: (string | number)[], out: Finding[], root = false, branch = false): void {
  // kube-openapi pkg/validation/validate type.go: null passes a nullable schema, and
  // apiextensions' CEL validation.go judges non-null values only: nothing else applies to it.
  if (value === null && schema.nullable) return;
  // Made only for a finding: a path per node cost the square of the depth (400 levels: minutes for 50 MB).
  let path: string | undefined;
  const here = () => (path ??= objectPath(at));
  const before = out.length;
  const actual = typeOf(value);
  if (schema['x-kubernetes-int-or-string']) {
    if (actual !== 'integer' && actual !== 'string') out.push({ path: here(), message: `wrong type ${where}`, allowed: 'type integer or string' });
  } else if (schema.type && !(schema.type === actual || (schema.type === 'number' && actual === 'integer'))) {
    out.push({ path: here(), message: `wrong type ${where}`, allowed: `type ${schema.type}` });
    return;
  }
  if (Array.isArray(schema.enum) && !enumOf(schema.enum).values.has(value)) {
    out.push({ path: here(), message: `value not allowed ${where}`, allowed: enumOf(schema.enum).allowed });
  }
  if (typeof value === 'string') {
    const length = [...value].length;
    if (typeof schema.maxLength === 'number' && length > schema.maxLength) out.push({ path: here(), message: `longer than ${schema.maxLength} characters ${where}`, allowed: `<= ${schema.maxLength} characters` });
    if (typeof schema.minLength === 'number' && length < schema.minLength) out.push({ path: here(), message: `shorter than ${schema.minLength} characters ${where}`, allowed: `>= ${schema.minLength} characters` });
    const pattern = typeof schema.pattern === 'string' ? compilePattern(schema.pattern, here()) : undefined;
    if (pattern && !pattern.test(value)) out.push({ path: here(), message: `value does not match the pattern ${where}`, allowed: `a string matching ${schema.pattern}` });
    const format = typeof schema.format === 'string' ? ownFormat(schema.format) : undefined;
    if (format && !format.valid(value)) out.push({ path: here(), message: `value is not a valid ${String(schema.format)} ${where}`, allowed: format.allowed });
  }
  if (typeof value === 'number') {
    const format = schema.format === 'int32' || schema.format === 'int64' ? schema.format : undefined;
    if (format && (value < INTEGER_RANGES[format].min || value > INTEGER_RANGES[format].max)) out.push(integerOverflow(here(), format, where));
    if (typeof schema.maximum === 'number' && (schema.exclusiveMaximum ? value >= schema.maximum : value > schema.maximum)) out.push({ path: here(), message: `number out of range ${where}`, allowed: `${schema.exclusiveMaximum ? '<' : '<='} ${schema.maximum}` });
    if (typeof schema.minimum === 'number' && (schema.exclusiveMinimum ? value <= schema.minimum : value < schema.minimum)) out.push({ path: here(), message: `number out of range ${where}`, allowed: `${schema.exclusiveMinimum ? '>' : '>='} ${schema.minimum}` });
  }
  checkCombinations(value, schema, at, out);
  if (Array.isArray(value)) {
    checkListType(value, schema, here(), out);
    if (typeof schema.maxItems === 'number' && value.length > schema.maxItems) out.push({ path: here(), message: `more than ${schema.maxItems} items ${where}`, allowed: `<= ${schema.maxItems} items` });
    if (typeof schema.minItems === 'number' && value.length < schema.minItems) out.push({ path: here(), message: `fewer than ${schema.minItems} items ${where}`, allowed: `>= ${schema.minItems} items` });
    // One path, extended and restored around each child: a copy per node cost the square of the depth.
    if (schema.items) value.forEach((item, i) => within(at, i, () => check(item, schema.items as Schema, at, out)));
  }
  if (actual === 'object') {
    const object = value as Record<string, unknown>;
    // A null field is pruned unless the schema says nullable (apiextensions pruning).
    const present = Object.keys(object).filter((k) => object[k] !== null || schema.properties?.[k]?.nullable);
    for (const name of schema.required ?? []) {
      if (!present.includes(name)) out.push({ path: objectPath([...at, name]), message: `missing required field "${name}" ${where}`, allowed: 'the field set' });
    }
    if (typeof schema.maxProperties === 'number' && present.length > schema.maxProperties) out.push({ path: here(), message: `more than ${schema.maxProperties} fields ${where}`, allowed: `<= ${schema.maxProperties} fields` });
    if (typeof schema.minProperties === 'number' && present.length < schema.minProperties) out.push({ path: here(), message: `fewer than ${schema.minProperties} fields ${where}`, allowed: `>= ${schema.minProperties} fields` });
    const embedded = root || schema['x-kubernetes-embedded-resource'];
    const values = valuesSchema(schema);
    for (const key of present) {
      const child = schema.properties?.[key];
      // metadata is the API server's own (ObjectMeta), not the CRD schema's to close.
      if (root && key === 'metadata') continue;
      if (child) within(at, key, () => check(object[key], child, at, out, false, branch));
      else if (values) within(at, key, () => check(object[key], values, at, out, false, branch));
      else if (embedded && ['apiVersion', 'kind', 'metadata'].includes(key)) continue;
      else if (!branch && !schema['x-kubernetes-preserve-unknown-fields'] && schema.additionalProperties !== true) {
        out.push({ path: objectPath([...at, key]), message: `unknown field "${key}" ${where}`, allowed: 'only the fields the CustomResourceDefinition defines here' });
      }
    }
  }
  // k8s.io/apiextensions-apiserver pkg/registry/customresource strategy.go hasBlockingErr: the
  // rules are not run where a value has the wrong type (they would be ill-typed).
  if (!branch && !wrongTypeSince(out, before)) checkRules(value, schema, at, out);
}

// Whether a finding from `before` on is a wrong type (a loop: a slice per node was most of the cost of deep objects).
function wrongTypeSince(out: readonly Finding[], before: number): boolean {
  for (let i = before; i < out.length; i++) if (out[i].message.startsWith('wrong type')) return true;
  return false;
}

/**
 * The formats the API server checks in a CRD schema (k8s.io/apiextensions-apiserver
 * pkg/apiserver/validation/formats.go supportedFormats, checked by k8s.io/kube-openapi
 * pkg/validation/strfmt) that the Gateway API and cert-manager CRDs use; others pass. Formats
 * judge strings only (kube-openapi validate formatValidator.Applies). `int32` and `int64` are
 * not among them: StripUnsupportedFormatsPostProcess drops them, so a CRD's integers are bounded
 * by its `minimum` and `maximum` alone.
 */
const FORMATS: Record<string, { valid: (value: string) => boolean; allowed: string }> = {
  datetime: { valid: isDateTime, allowed: 'an RFC 3339 date-time' },
  ipv4: { valid: (v) => isIPv4(v), allowed: 'an IPv4 address' },
  ipv6: { valid: (v) => isIPv6(v), allowed: 'an IPv6 address' },
  byte: { valid: (v) => /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/.test(v), allowed: 'base64 data' },
};

/**
 * kube-openapi pkg/validation/strfmt time.go IsDateTime, as written: the text, lower-cased, is
 * split at each "t"; the part before the first must be a date Go's time.Parse("2006-01-02")
 * takes (a real day of its month), the part after it must match DateTimePattern with hours <= 23,
 * minutes and seconds <= 59. So a space for the T is refused, and the pattern's unescaped `.`
 * takes any character before the fraction's digits (Go's `.` is all but a newline). What follows
 * a second "t" is never read. V8's Date.parse is no guide: it takes `2024-01-01 00:00:00Z AM`.
 */
function isDateTime(value: string): boolean {
  if (value.length < 4) return false;
  const parts = value.toLowerCase().split('t');
  if (parts.length < 2 || !isFullDate(parts[0])) return false;
  const time = /^([0-9]{2}):([0-9]{2}):([0-9]{2})([^\n][0-9]+)?(z|[+-][0-9]{2}:[0-9]{2})$/.exec(parts[1]);
  return time !== null && time[1] <= '23' && time[2] <= '59' && time[3] <= '59';
}

/** strfmt date.go IsDate: Go's time.Parse("2006-01-02"), which checks the day against its month (leap years too). */
function isFullDate(text: string): boolean {
  const date = /^([0-9]{4})-([0-9]{2})-([0-9]{2})$/.exec(text);
  if (!date) return false;
  const [year, month, day] = [Number(date[1]), Number(date[2]), Number(date[3])];
  if (month < 1 || month > 12 || day < 1) return false;
  const leap = year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0);
  return day <= [31, leap ? 29 : 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31][month - 1];
}

/**
 * A schema's pattern as the API server runs it: Go's regexp (k8s.io/kube-openapi
 * pkg/validation/validate validator.go stringValidator -> strfmt/validate.go Pattern ->
 * regexp.MatchString), RE2 syntax, a search anywhere in the value, in time linear in its length.
 * re2js (a port of RE2/J) keeps both: RE2's syntax (`(?i)`, `\z`; no lookarounds or
 * backreferences) and no backtracking, so `^(a+)+$` against a long string ends at once where
 * JavaScript's RegExp runs for minutes. A pattern RE2 cannot read is noted as not evaluated (the
 * API server refuses such a CRD). Compiled once per pattern; re2js is loaded on the first one.
 */
const patterns = new Map<string, { test(value: string): boolean } | string>();
function patternError(pattern: string): string | undefined {
  compilePattern(pattern, '', false);
  const compiled = patterns.get(pattern);
  return typeof compiled === 'string' ? compiled : undefined;
}
function compilePattern(pattern: string, here: string, note = true): { test(value: string): boolean } | undefined {
  let compiled = patterns.get(pattern);
  if (compiled === undefined) {
    try {
      const { RE2JS } = require('re2js') as typeof import('re2js');
      const re = RE2JS.compile(pattern);
      compiled = { test: (value: string) => re.matcher(value).find() };
    } catch (error) {
      compiled = (error as Error).message;
    }
    patterns.set(pattern, compiled);
  }
  if (typeof compiled === 'string') {
    if (note) notEvaluated.add(`pattern not evaluated at ${here}: ${compiled}`);
    return undefined;
  }
  return compiled;
}

/**
 * A custom resource's integer outside its `int32` or `int64` format: a warning, not an error. The
 * API server stores it (apiextensions formats.go drops both formats), and the controller, decoding
 * the field into a Go integer of that width, fails on the object.
 */
export function integerOverflow(path: string, format: IntegerFormat, where: string): Finding {
  return {
    path,
    message: `outside ${format}: the API server stores it (it checks no integer format), but the controller, reading the field as a Go ${format}, cannot decode the object ${where}`,
    allowed: `${INTEGER_RANGES[format].minText} to ${INTEGER_RANGES[format].maxText}`,
    severity: 'warning',
  };
}

/** A format by name, dashes ignored as go-openapi's strfmt normalizes them (`date-time` is `datetime`); own keys only. */
function ownFormat(name: string): { valid: (value: string) => boolean; allowed: string } | undefined {
  const normalized = name.replace(/-/g, '');
  return Object.hasOwn(FORMATS, normalized) ? FORMATS[normalized] : undefined;
}

/**
 * allOf/anyOf/oneOf/not: in a structural schema these carry value validations only (no types),
 * judged as kube-openapi pkg/validation/validate schema_props.go does, with its messages.
 */
/** Runs `walk` with `segment` at the end of the path `at`, and takes it off again, even on a throw. */
function within(at: (string | number)[], segment: string | number, walk: () => void): void {
  at.push(segment);
  try {
    walk();
  } finally {
    at.pop();
  }
}

function checkCombinations(value: unknown, schema: Schema, at: (string | number)[], out: Finding[]): void {
  const passes = (branch: Schema) => {
    const scratch: Finding[] = [];
    check(value, branch, at, scratch, false, true);
    return scratch.length === 0;
  };
  let path: string | undefined;
  const here = () => (path ??= objectPath(at));
  const branches = (key: string) => (Array.isArray(schema[key]) ? schema[key] as Schema[] : []);
  for (const branch of branches('allOf')) check(value, branch, at, out, false, true);
  if (branches('anyOf').length && !branches('anyOf').some(passes)) out.push({ path: here(), message: `must validate at least one schema (anyOf) ${where}`, allowed: 'one of the anyOf schemas' });
  if (branches('oneOf').length && branches('oneOf').filter(passes).length !== 1) out.push({ path: here(), message: `must validate one and only one schema (oneOf) ${where}`, allowed: 'exactly one of the oneOf schemas' });
  if (schema.not && passes(schema.not as Schema)) out.push({ path: here(), message: `must not validate the schema (not) ${where}`, allowed: 'values the "not" schema refuses' });
}

/**
 * `x-kubernetes-list-type: set` items are unique; `map` items are unique by their
 * `x-kubernetes-list-map-keys` (k8s.io/apiextensions-apiserver pkg/apiserver/schema/listtype
 * validation.go ValidateListSetsAndMaps: "Duplicate value").
 */
function checkListType(value: unknown[], schema: Schema, here: string, out: Finding[]): void {
  const type = schema['x-kubernetes-list-type'];
  if (type !== 'set' && type !== 'map') return;
  const keys = (schema['x-kubernetes-list-map-keys'] as string[] | undefined) ?? [];
  const seen = new Set<string>();
  value.forEach((item, i) => {
    const key = type === 'set' ? JSON.stringify(item) : JSON.stringify(keys.map((k) => (item as Record<string, unknown> | null)?.[k] ?? null));
    if (seen.has(key)) out.push({ path: `${here}[${i}]`, message: `duplicate value ${type === 'map' ? `for ${keys.join(', ')} ` : ''}${where}`, allowed: type === 'map' ? `items with unique ${keys.join(', ')}` : 'unique items' });
    seen.add(key);
  });
}

function checkRules(value: unknown, schema: Schema, at: (string | number)[], out: Finding[]): void {
  const rules = schema['x-kubernetes-validations'] as Rule[] | undefined;
  if (!rules?.length) return;
  const self = toCel(value, schema);
  for (const rule of rules) {
    // Transition rules compare with the stored object: there is none on create.
    if (/\boldSelf\b/.test(rule.rule)) continue;
    // The API server stops an evaluation at its per-call limit (cel validation.go: "call cost
    // exceeds limit for rule") and refuses the object; a rule whose cost, estimated from this
    // object's sizes, is over that limit is not run here (it could run for minutes).
    const cost = runtimeCost(rule.rule, value, schema, at.length === 0 || schema['x-kubernetes-embedded-resource'] === true);
    if (cost !== undefined && cost > PER_CALL_LIMIT) {
      out.push({
        path: objectPath(at),
        message: `rule not run: its cost on this object, estimated from its sizes, is ${formatCost(cost)}, over the API server's per-call limit of ${formatCost(PER_CALL_LIMIT)}: the server stops it ("call cost exceeds limit for rule") and refuses the object ${where}`,
        allowed: `fewer items, or shorter strings, where the rule iterates: ${rule.rule}`,
      });
      continue;
    }
    const result = evaluate(rule.rule, self);
    if (result === true) continue;
    if (typeof result === 'object') {
      notEvaluated.add(`rule not evaluated at ${objectPath(at) || '(root)'}: ${result.skipped}: ${rule.rule}`);
      continue;
    }
    const field = rule.fieldPath ? `${objectPath(at)}${rule.fieldPath}`.replace(/^\./, '') : objectPath(at);
    // k8s.io/apiextensions-apiserver pkg/apiserver/schema/cel validation.go: a rule that fails
    // gives its message (or "failed rule: RULE"); one that errors gives the error.
    const message = typeof result === 'string' ? `rule could not be evaluated: ${result}` : rule.message ?? `failed rule: ${rule.rule}`;
    out.push({ path: field, message: `${message} ${where}`, allowed: `values that satisfy: ${rule.rule}` });
  }
}

/**
 * The object after the API server's defaulting (k8s.io/apiextensions-apiserver
 * pkg/apiserver/schema/defaulting algorithm.go Default): a missing field whose schema has a
 * `default` gets it, before validation, so rules such as `size(self.group) == 0` see it.
 */
export function withDefaults(value: unknown, schema: Schema | undefined): unknown {
  if (!schema) return value;
  // A schema without a default below it changes nothing: the value itself, not a copy of each of
  // its nodes (an object 400 levels deep, 10,000 times), unless a `__proto__` key is in it, which
  // the copy below drops (kept so, for the same verdicts).
  if (!defaultsBelow(schema) && !hasProtoKey(value)) return value;
  if (Array.isArray(value)) return value.map((item) => withDefaults(item, schema.items));
  if (!value || typeof value !== 'object') return value;
  const out: Record<string, unknown> = {};
  const object = value as Record<string, unknown>;
  for (const [key, item] of Object.entries(object)) {
    const child = schema.properties?.[key] ?? valuesSchema(schema);
    out[key] = withDefaults(item, child);
  }
  for (const [key, child] of Object.entries(schema.properties ?? {})) {
    if (out[key] === undefined && child.default !== undefined) out[key] = withDefaults(structuredClone(child.default), child);
  }
  return out;
}

const withDefault = new WeakMap<Schema, boolean>();
function defaultsBelow(schema: Schema): boolean {
  let found = withDefault.get(schema);
  if (found === undefined) {
    const values = valuesSchema(schema);
    const children = [...Object.values(schema.properties ?? {}), ...(values ? [values] : []), ...(schema.items ? [schema.items as Schema] : [])];
    found = Object.values(schema.properties ?? {}).some((child) => child.default !== undefined) || children.some((child) => defaultsBelow(child));
    withDefault.set(schema, found);
  }
  return found;
}

function hasProtoKey(value: unknown): boolean {
  if (!value || typeof value !== 'object') return false;
  if (Array.isArray(value)) return value.some(hasProtoKey);
  if (Object.prototype.hasOwnProperty.call(value, '__proto__')) return true;
  const record = value as Record<string, unknown>;
  for (const key of Object.keys(record)) if (hasProtoKey(record[key])) return true;
  return false;
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

/**
 * true or false as the rule judges; a string for an evaluation error (a verdict, as the API
 * server gives it); `{skipped}` when this validator cannot evaluate the rule at all.
 */
function evaluate(rule: string, self: unknown): boolean | string | { skipped: string } {
  const { lib, env } = celLibrary();
  let planned = plans.get(rule);
  if (!planned) {
    try {
      planned = lib.plan(env, lib.parse(rule)) as (ctx: never) => unknown;
    } catch (error) {
      planned = `does not compile here (${(error as Error).message})`;
    }
    plans.set(rule, planned);
  }
  if (typeof planned === 'string') return { skipped: planned };
  const result = planned({ self } as never);
  if (lib.isCelError(result)) {
    const message = String((result as { message?: string }).message);
    return /unbound function|unknown function/i.test(message) ? { skipped: `uses a function this validator lacks (${message})` } : message;
  }
  return result === true;
}

const parsedRules = new Map<string, ReturnType<typeof Cel.parse> | null>();
function parsedRule(rule: string): ReturnType<typeof Cel.parse> | undefined {
  let parsed = parsedRules.get(rule);
  if (parsed === undefined) {
    try {
      parsed = celLibrary().lib.parse(rule);
    } catch {
      parsed = null;
    }
    parsedRules.set(rule, parsed);
  }
  return parsed ?? undefined;
}

function runtimeCost(rule: string, value: unknown, schema: Schema, isResourceRoot: boolean): number | undefined {
  const parsed = parsedRule(rule);
  return parsed && estimateCost(parsed, ruleRoot(schema, isResourceRoot), valueSizer(value));
}

const formatCost = (cost: number) => (cost >= 2 ** 63 ? 'unbounded' : Math.round(cost).toLocaleString('en-US'));

/**
 * What the API server refuses in a CRD's schemas besides its group: a `pattern` RE2 cannot read
 * (apiextensions validation.go: "must be a valid regular expression"), and rules over the cost
 * limits (validation.go: a rule's estimated cost times how many times it can run over
 * StaticEstimatedCostLimit, all of a version's over StaticEstimatedCRDCostLimit; see cel-cost.ts).
 */
export function crdSchemaFindings(crd: KubeObject): Finding[] {
  if (!isCrd(crd)) return [];
  const out: Finding[] = [];
  const versions = (crd.spec as CrdSpec | undefined)?.versions;
  (Array.isArray(versions) ? versions : []).forEach((version, v) => {
    const root = version?.schema?.openAPIV3Schema;
    if (!root || typeof root !== 'object') return;
    const base = `spec.versions[${v}].schema.openAPIV3Schema`;
    let total = 0;
    const walk = (schema: Schema, at: string, cardinality: number | undefined, isResourceRoot: boolean) => {
      if (!schema || typeof schema !== 'object') return;
      if (typeof schema.pattern === 'string') {
        const error = patternError(schema.pattern);
        if (error) out.push({ path: `${at}.pattern`, message: `not a valid RE2 regular expression (${error}): the API server refuses the CustomResourceDefinition`, allowed: 'RE2 syntax (Go regexp): no lookaround, no backreferences' });
      }
      const rules = Array.isArray(schema['x-kubernetes-validations']) ? schema['x-kubernetes-validations'] as Rule[] : [];
      rules.forEach((rule, r) => {
        const parsed = typeof rule?.rule === 'string' ? parsedRule(rule.rule) : undefined;
        if (!parsed) return;
        const times = cardinality ?? Math.floor(3 * 1024 * 1024 / (minSize(schema) + 1));
        const cost = Math.min(2 ** 64, estimateCost(parsed, ruleRoot(schema, isResourceRoot)) * times);
        total += cost;
        if (cost > RULE_COST_LIMIT) {
          out.push({ path: `${at}.x-kubernetes-validations[${r}].rule`, message: `estimated rule cost ${formatCost(cost)} exceeds the API server's limit of ${formatCost(RULE_COST_LIMIT)}: it refuses the CustomResourceDefinition`, allowed: 'a simpler rule, or maxItems, maxProperties and maxLength where the lists, maps and strings it reads are declared' });
        }
      });
      // cel_validation.go extractMaxElements: a list or map multiplies its children's cardinality by its bound, or makes it unbounded.
      const times = (bound: unknown) => (cardinality === undefined || typeof bound !== 'number' ? undefined : cardinality * Math.max(0, bound));
      for (const [name, property] of Object.entries(schema.properties ?? {})) walk(property, `${at}.properties.${name}`, cardinality, property?.['x-kubernetes-embedded-resource'] === true);
      if (schema.items && typeof schema.items === 'object') walk(schema.items, `${at}.items`, times(schema.maxItems), schema.items['x-kubernetes-embedded-resource'] === true);
      const values = valuesSchema(schema);
      if (values) walk(values, `${at}.additionalProperties`, times(schema.maxProperties), values['x-kubernetes-embedded-resource'] === true);
    };
    walk(root, base, 1, true);
    if (total > CRD_COST_LIMIT) {
      out.push({ path: base, message: `the estimated cost of all its rules, ${formatCost(total)}, exceeds the API server's limit of ${formatCost(CRD_COST_LIMIT)} for one schema: it refuses the CustomResourceDefinition`, allowed: 'simpler rules, or maxItems, maxProperties and maxLength where the lists, maps and strings they read are declared' });
    }
  });
  return out;
}

/** JSON to CEL values: objects become maps, integers (by schema, or by value where open) ints. */
function toCel(value: unknown, schema: Schema | undefined): unknown {
  if (Array.isArray(value)) return value.map((item) => toCel(item, schema?.items));
  if (value && typeof value === 'object') {
    const object = value as Record<string, unknown>;
    return new Map(Object.keys(object).filter((k) => object[k] !== null).map((k) => {
      const child = schema?.properties?.[k] ?? valuesSchema(schema);
      return [k, toCel(object[k], child)];
    }));
  }
  if (typeof value === 'number' && Number.isInteger(value) && schema?.type !== 'number') return BigInt(value);
  return value;
}
