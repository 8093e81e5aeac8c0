import * as yaml from 'js-yaml';
import { Finding, KubeObject, objectPath } from './problem';

/**
 * YAML read as kubectl reads it. kubectl decodes manifests with sigs.k8s.io/yaml, which runs
 * go-yaml v2 (a YAML 1.1 reader, vendored as sigs.k8s.io/yaml/goyaml.v2) and converts the result
 * to JSON. A plain (unquoted) scalar is typed by goyaml.v2 resolve.go `resolve`, not by the YAML
 * 1.2 core schema most other tools use: `on`, `yes`, `y` are booleans, `0777` is octal 511,
 * `1_000` is 1000, `1e3` is 1000, while `1:20` and timestamps stay strings (decode.go keeps a
 * timestamp decoded into interface{} as its text). Checked against `kubectl label --local -o json`
 * in test/validate/kubectl-yaml.test.ts.
 */

const NOT_TYPED = Symbol('a string');

// goyaml.v2 resolve.go resolveMapList: exact spellings with a fixed value.
const RESOLVE_MAP = new Map<string, unknown>([
  ...['y', 'Y', 'yes', 'Yes', 'YES', 'true', 'True', 'TRUE', 'on', 'On', 'ON'].map((s): [string, unknown] => [s, true]),
  ...['n', 'N', 'no', 'No', 'NO', 'false', 'False', 'FALSE', 'off', 'Off', 'OFF'].map((s): [string, unknown] => [s, false]),
  ...['', '~', 'null', 'Null', 'NULL'].map((s): [string, unknown] => [s, null]),
  ...['.nan', '.NaN', '.NAN'].map((s): [string, unknown] => [s, NaN]),
  ...['.inf', '.Inf', '.INF', '+.inf', '+.Inf', '+.INF'].map((s): [string, unknown] => [s, Infinity]),
  ...['-.inf', '-.Inf', '-.INF'].map((s): [string, unknown] => [s, -Infinity]),
]);

const HINTS = new Set([...'+-0123456789yYnNtTfFoO~.'].map((c) => c.charCodeAt(0)));

// strconv.ParseInt(s, 0, 64) syntax after resolve.go strips underscores: sign, then a 0x/0o/0b
// prefix, a leading 0 (octal), or decimal digits. Out-of-range values become big.Int: a number still.
const GO_INT = /^([-+]?)(?:0[xX]([0-9a-fA-F]+)|0[oO]([0-7]+)|0[bB]([01]+)|0([0-7]+)|([0-9]+))$/;
// resolve.go yamlStyleFloat.
const GO_FLOAT = /^[-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?$/;
// resolve.go hint '.': strconv.ParseFloat of the text as written.
const DOT_FLOAT = /^\.[0-9]+([eE][-+]?[0-9]+)?$/;

/** goyaml.v2 resolve.go `resolve` for an untagged plain scalar: its value, or NOT_TYPED for a string. */
function goYamlResolve(text: string): unknown {
  // resolve.go resolveTable: only these first characters can start a non-string (most keys and
  // values of a manifest start with another letter, and are strings at once).
  const first = text.charCodeAt(0);
  if (text !== '' && !HINTS.has(first)) return NOT_TYPED;
  if (RESOLVE_MAP.has(text)) return RESOLVE_MAP.get(text);
  if (first === 0x2e /* . */) return DOT_FLOAT.test(text) ? Number(text) : NOT_TYPED;
  const digitOrSign = (first >= 0x30 && first <= 0x39) || first === 0x2b || first === 0x2d;
  if (!digitOrSign) return NOT_TYPED;
  const plain = text.includes('_') ? text.replace(/_/g, '') : text;
  const int = GO_INT.exec(plain);
  if (int) {
    const [, sign, hex, oct, bin, leadingZeroOct, dec] = int;
    const magnitude = hex !== undefined ? BigInt(`0x${hex}`) : oct !== undefined ? BigInt(`0o${oct}`)
      : bin !== undefined ? BigInt(`0b${bin}`) : leadingZeroOct !== undefined ? BigInt(`0o${leadingZeroOct}`) : BigInt(dec);
    return Number(sign === '-' ? -magnitude : magnitude);
  }
  if (GO_FLOAT.test(plain)) return Number(plain);
  return NOT_TYPED;
}

/** How a YAML 1.2 core-schema reader types a plain scalar (YAML 1.2.2 §10.3.2 "Tag Resolution"). */
export function yaml12Resolve(text: string): unknown {
  if (/^(?:null|Null|NULL|~|)$/.test(text)) return null;
  if (/^(?:true|True|TRUE)$/.test(text)) return true;
  if (/^(?:false|False|FALSE)$/.test(text)) return false;
  if (/^[-+]?[0-9]+$/.test(text)) return Number(text);
  if (/^0o[0-7]+$/.test(text)) return parseInt(text.slice(2), 8);
  if (/^0x[0-9a-fA-F]+$/.test(text)) return parseInt(text.slice(2), 16);
  if (/^[-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?$/.test(text)) return Number(text);
  if (/^[-+]?\.(?:inf|Inf|INF)$/.test(text)) return text.startsWith('-') ? -Infinity : Infinity;
  if (/^\.(?:nan|NaN|NAN)$/.test(text)) return NaN;
  return text;
}

/**
 * A plain scalar kubectl types as something other than the text the author wrote (`on` -> true,
 * `0777` -> 511). The loader swaps each one for its value and notes where it was.
 */
export class TypedScalar {
  readonly [Symbol.toStringTag] = 'TypedScalar';
  constructor(readonly value: unknown, readonly source: string) {}
  // A mapping key is turned into a string: sigs.k8s.io/yaml writes true as "true", 511 as "511".
  toString(): string {
    return String(this.value);
  }
}

let pending: unknown = NOT_TYPED;
let typedScalars = 0;

/** How many TypedScalars were made so far: a document that made none needs no walk to find them. */
export function typedScalarCount(): number {
  return typedScalars;
}

const goYamlPlain = new yaml.Type('tag:yaml.org,2002:kubectl-plain', {
  kind: 'scalar',
  // js-yaml calls resolve, then construct, for each plain scalar, one after the other.
  resolve: (text: string) => (pending = goYamlResolve(text)) !== NOT_TYPED,
  construct: (text: string) => {
    const value = pending;
    pending = NOT_TYPED;
    if (value === null || (typeof value === 'number' && String(value) === text) || (typeof value === 'boolean' && String(value) === text)) return value;
    typedScalars += 1;
    return new TypedScalar(value, text);
  },
});

/**
 * The schema kubectl's reader amounts to: strings, sequences and mappings, merge keys (goyaml.v2
 * supports `<<`), and plain scalars typed by goyaml.v2 resolve.go. Explicit `!!int`, `!!bool`,
 * `!!float`, `!!null` tags keep their meaning.
 */
// js-yaml exports its types as `types` (index.js); @types/js-yaml does not declare it.
const types = (yaml as unknown as { types: Record<'merge' | 'int' | 'bool' | 'float' | 'null', yaml.Type> }).types;

export const KUBECTL_SCHEMA = yaml.FAILSAFE_SCHEMA.extend({
  implicit: [types.merge, goYamlPlain],
  explicit: [types.int, types.bool, types.float, types.null],
});

/** A plain scalar kubectl reads as a non-string other than what its text spells. */
export interface KubectlScalar {
  /** Where it is in the object. */
  readonly segments: readonly (string | number)[];
  /** The text as written. */
  readonly source: string;
  /** What kubectl reads. */
  readonly value: unknown;
}

// A TypedScalar holds a boolean or a number: goyaml.v2's nulls are returned as they are, and its
// strings are no TypedScalar.
function describe(value: unknown): string {
  return typeof value === 'boolean' ? `the boolean ${value}` : `the number ${value}`;
}

function setAt(object: KubeObject, segments: readonly (string | number)[], value: unknown): void {
  let node: any = object;
  for (const segment of segments.slice(0, -1)) node = node?.[segment];
  if (node && typeof node === 'object') node[segments[segments.length - 1]] = value;
}

/**
 * Explains schema findings that a kubectl-typed scalar causes. Where the schema refuses the value
 * kubectl reads but accepts the text as a string, the field wants a string: one finding naming
 * the quoting fix replaces the schema's findings at that path. `judge` runs the schema.
 */
export function explainKubectlTyping(
  object: KubeObject,
  scalars: readonly KubectlScalar[],
  findings: readonly Finding[],
  judge: (object: KubeObject) => readonly Finding[],
): { readonly findings: Finding[]; readonly superseded: ReadonlySet<string> } {
  const out: Finding[] = [];
  const superseded = new Set<string>();
  for (const scalar of scalars) {
    const path = objectPath(scalar.segments);
    if (!findings.some((f) => f.path === path)) continue;
    const asString = structuredClone(object);
    setAt(asString, scalar.segments, scalar.source);
    if (judge(asString).some((f) => f.path === path)) continue;
    const yaml12 = yaml12Resolve(scalar.source);
    out.push({
      path,
      message: `kubectl reads the unquoted ${scalar.source} as ${describe(scalar.value)} (YAML 1.1), but the field takes a string`
        + `${typeof yaml12 === 'string' ? ` (YAML 1.2 tools read the string ${JSON.stringify(yaml12)})` : ''}`,
      allowed: `quote it: ${JSON.stringify(scalar.source)}`,
    });
    superseded.add(path);
  }
  return { findings: out, superseded };
}
