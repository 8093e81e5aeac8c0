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
  // resolveMapList also maps "" to null: js-yaml makes an empty plain scalar null without resolving it (below).
  ...['~', 'null', 'Null', 'NULL'].map((s): [string, unknown] => [s, null]),
  ...['.nan', '.NaN', '.NAN'].map((s): [string, unknown] => [s, NaN]),
  ...['.inf', '.Inf', '.INF', '+.inf', '+.Inf', '+.INF'].map((s): [string, unknown] => [s, Infinity]),
  ...['-.inf', '-.Inf', '-.INF'].map((s): [string, unknown] => [s, -Infinity]),
]);

const HINTS = new Set([...'+-0123456789yYnNtTfFoO~.'].map((c) => c.charCodeAt(0)));

// strconv.ParseInt(s, 0, 64) syntax after resolve.go strips underscores: sign, then a 0x/0o/0b
// prefix, a leading 0 (octal: `08` is no integer, and goes on to be the float 8), or decimal digits.
const GO_INT = /^([-+]?)(?:0[xX]([0-9a-fA-F]+)|0[oO]([0-7]+)|0[bB]([01]+)|0([0-7]+)|(0|[1-9][0-9]*))$/;
// resolve.go yamlStyleFloat.
const GO_FLOAT = /^[-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?$/;
// resolve.go hint '.': strconv.ParseFloat of the text as written.
const DOT_FLOAT = /^\.[0-9]+([eE][-+]?[0-9]+)?$/;
const INT64_MIN = -(2n ** 63n);
const INT64_MAX = 2n ** 63n - 1n;
const UINT64_MAX = 2n ** 64n - 1n;

/** The tag goyaml.v2 gives a scalar: its YAML 1.1 type. */
type GoTag = 'null' | 'bool' | 'int' | 'float' | 'str';

/**
 * goyaml.v2 resolve.go `resolve` of a scalar's text, timestamps left out (kubectl keeps a
 * timestamp's text): its tag and value. The tag matters where the scalar is tagged (`!!int 1.5` is
 * refused); an untagged one takes the value.
 */
function goYamlScalar(text: string): { readonly tag: GoTag; readonly value: unknown } {
  // resolve.go resolveTable: only these first characters can start a non-string (most keys and
  // values of a manifest start with another letter, and are strings at once); "" is null.
  if (text === '') return { tag: 'null', value: null };
  const first = text.charCodeAt(0);
  if (!HINTS.has(first)) return { tag: 'str', value: text };
  if (RESOLVE_MAP.has(text)) {
    const value = RESOLVE_MAP.get(text);
    return { tag: value === null ? 'null' : typeof value === 'boolean' ? 'bool' : 'float', value };
  }
  if (first === 0x2e /* . */) return DOT_FLOAT.test(text) ? { tag: 'float', value: Number(text) } : { tag: 'str', value: text };
  const digitOrSign = (first >= 0x30 && first <= 0x39) || first === 0x2b || first === 0x2d;
  if (!digitOrSign) return { tag: 'str', value: text };
  const plain = text.includes('_') ? text.replace(/_/g, '') : text;
  const int = GO_INT.exec(plain);
  if (int) {
    const [, sign, hex, oct, bin, leadingZeroOct, dec] = int;
    const magnitude = hex !== undefined ? BigInt(`0x${hex}`) : oct !== undefined ? BigInt(`0o${oct}`)
      : bin !== undefined ? BigInt(`0b${bin}`) : leadingZeroOct !== undefined ? BigInt(`0o${leadingZeroOct}`) : BigInt(dec);
    const value = sign === '-' ? -magnitude : magnitude;
    // strconv.ParseInt's int64, else ParseUint's uint64 (which takes no sign); past both, the
    // text goes on to the float pattern, which only decimal digits match.
    if ((value >= INT64_MIN && value <= INT64_MAX) || (sign === '' && value <= UINT64_MAX)) return { tag: 'int', value: Number(value) };
  }
  if (GO_FLOAT.test(plain)) return { tag: 'float', value: Number(plain) };
  return { tag: 'str', value: text };
}

/** goyaml.v2 resolve.go `resolve` for an untagged plain scalar: its tag and value, or NOT_TYPED for a string. */
function goYamlResolve(text: string): ReturnType<typeof goYamlScalar> | typeof NOT_TYPED {
  // An empty text comes here only from a quoted scalar tagged `!<?>` (js-yaml resolves it as a
  // plain one; an empty plain scalar it makes null itself): goyaml.v2 keeps a scalar of a tag it
  // does not know as its text, so kubectl reads `!<?> ''` as "".
  if (text === '') return NOT_TYPED;
  const scalar = goYamlScalar(text);
  return scalar.tag === 'str' ? NOT_TYPED : scalar;
}

/**
 * The mapping key kubectl makes of a float: sigs.k8s.io/yaml yaml.go convertToJSONableObject
 * writes it with strconv.FormatFloat(key, 'g', -1, 32), and names the infinities and NaN `.inf`,
 * `-.inf`, `.nan`. That is the float32 nearest the value, in the fewest significant digits that
 * read back as it (of two such, the nearer; of two as near, the even: strconv ryuFtoaShortest),
 * written as %e (`1e+06`, `1.5e-07`) where the exponent is below -4 or from 6 on, else as %f.
 * So `1e6: x` is the key "1e+06", `-.inf: x` "-.inf".
 */
export function goFloatKey(value: number): string {
  const f = Math.fround(value);
  if (Number.isNaN(f)) return '.nan';
  if (!Number.isFinite(f)) return f > 0 ? '.inf' : '-.inf';
  if (f === 0) return Object.is(f, -0) ? '-0' : '0';
  const abs = Math.abs(f);
  // The float32's exact value: mantissa × 2^power, as the decimal integer `exact` × 10^scale.
  const view = new DataView(new ArrayBuffer(4));
  view.setFloat32(0, abs);
  const bits = view.getUint32(0);
  const biased = bits >>> 23;
  const mantissa = BigInt(biased === 0 ? bits & 0x7fffff : (bits & 0x7fffff) | 0x800000);
  const power = (biased === 0 ? 1 : biased) - 150;
  const exact = power >= 0 ? mantissa << BigInt(power) : mantissa * 5n ** BigInt(-power);
  const scale = Math.min(power, 0);
  const length = exact.toString().length;
  let digits = exact.toString();
  let shift = scale;
  for (let wanted = 1; wanted < length; wanted++) {
    const dropped = length - wanted;
    const unit = 10n ** BigInt(dropped);
    const down = exact / unit;
    const rest = exact % unit;
    const fits = (candidate: bigint) => Math.fround(Number(`${candidate}e${dropped + scale}`)) === abs;
    const [downFits, upFits] = [fits(down), fits(down + 1n)];
    if (!downFits && !upFits) continue;
    const half = unit / 2n;
    const up = !downFits || (upFits && (rest > half || (rest === half && down % 2n === 1n)));
    [digits, shift] = [(up ? down + 1n : down).toString(), dropped + scale];
    break;
  }
  const trimmed = digits.replace(/0+$/, '');
  const exponent = digits.length - 1 + shift;
  const sign = f < 0 ? '-' : '';
  if (exponent < -4 || exponent >= 6) {
    const e = Math.abs(exponent);
    return `${sign}${trimmed[0]}${trimmed.length > 1 ? `.${trimmed.slice(1)}` : ''}e${exponent < 0 ? '-' : '+'}${e < 10 ? '0' : ''}${e}`;
  }
  // %f: the digits around the point, padded with zeros on either side.
  const point = exponent + 1;
  const whole = point > 0 ? trimmed.slice(0, point).padEnd(point, '0') : '0';
  const fraction = point < trimmed.length ? `.${'0'.repeat(Math.max(-point, 0))}${trimmed.slice(Math.max(point, 0))}` : '';
  return `${sign}${whole}${fraction}`;
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
  /**
   * `key`: the string kubectl makes of it as a mapping key (sigs.k8s.io/yaml writes true as
   * "true", the int 511 as "511", a float as goFloatKey does).
   */
  constructor(readonly value: unknown, readonly source: string, readonly key: string = String(value)) {}
  // js-yaml turns a mapping key into a string with String().
  toString(): string {
    return this.key;
  }
}

let pending: unknown = NOT_TYPED;
let typedScalars = 0;

/** How many TypedScalars were made so far: a document that made none needs no walk to find them. */
export function typedScalarCount(): number {
  return typedScalars;
}

// Its tag holds spaces, which no tag a YAML text writes can (js-yaml PATTERN_TAG_URI): a scalar
// tagged `!<tag:yaml.org,2002:kubectl-plain>` is one of an unknown tag, text to kubectl, not this.
const goYamlPlain = new yaml.Type('kubectl plain scalar', {
  kind: 'scalar',
  // js-yaml calls resolve, then construct, for each plain scalar, one after the other.
  resolve: (text: string) => (pending = goYamlResolve(text)) !== NOT_TYPED,
  construct: (text: string) => {
    const { tag, value } = pending as ReturnType<typeof goYamlScalar>;
    pending = NOT_TYPED;
    if (value === null || (typeof value === 'number' && String(value) === text) || (typeof value === 'boolean' && String(value) === text)) return value;
    typedScalars += 1;
    return new TypedScalar(value, text, tag === 'float' ? goFloatKey(value as number) : String(value));
  },
});

/**
 * A scalar tagged `!!int`, `!!bool`, `!!float` or `!!null`: resolve.go `resolve(tag, in)` types the
 * text as it types a plain one, and keeps the result only if that is the tag asked (an integer is
 * also a float), else it fails ("cannot decode !!float `1.5` as a !!int"), so kubectl refuses the
 * file. So `!!int 0777` is 511 and `!!int "12"` is 12, as kubectl reads them.
 */
function goYamlTagged(tag: Exclude<GoTag, 'str'>): yaml.Type {
  const read = (text: string | null) => {
    const scalar = goYamlScalar(text ?? '');
    return scalar.tag === tag || (tag === 'float' && scalar.tag === 'int') ? scalar : undefined;
  };
  return new yaml.Type(`tag:yaml.org,2002:${tag}`, {
    kind: 'scalar',
    resolve: (text: string | null) => read(text) !== undefined,
    construct: (text: string | null) => {
      const value = read(text)?.value;
      if (typeof value !== 'number' || Number.isFinite(value)) return value;
      // .inf and .nan: JSON holds neither, which the loader says where it walks TypedScalars.
      typedScalars += 1;
      return new TypedScalar(value, text ?? '', goFloatKey(value));
    },
  });
}

// resolve.go resolvableTag: a scalar of any other tag (`!foo on`, `!<tag:example.com,2000:x> 12`,
// `!!merge x`) is decoded as its text. `!!timestamp` and `!!binary`, which goyaml.v2 decodes
// further (a time checked against its layouts, base64), are not among them: js-yaml refuses them.
const GO_DECODED_FURTHER = new Set(['tag:yaml.org,2002:timestamp', 'tag:yaml.org,2002:binary']);
const unknownScalarTag = new yaml.Type('', {
  kind: 'scalar',
  multi: true,
  resolve: (_text: string | null, tag?: string) => !GO_DECODED_FURTHER.has(tag ?? ''),
  construct: (text: string | null) => text ?? '',
});
// goyaml.v2 decode.go decodes a mapping or a sequence whatever its tag (`!!str {b: 1}`, `!!set`,
// `!!omap`, `!foo [1]`): as if it had none.
const unknownCollectionTag = (kind: 'mapping' | 'sequence') => new yaml.Type('', {
  kind,
  multi: true,
  construct: (data: unknown) => data ?? (kind === 'mapping' ? {} : []),
});

// An empty node tagged `!!map` or `!!seq` is a scalar to goyaml.v2, which reads it as "" (a tag
// it does not resolve); js-yaml's own types of those tags would make it {} or []. js-yaml looks an
// empty node's tag up among the types of every kind, the last of a tag winning: this scalar type
// takes it, and leaves a mapping or a sequence of the tag to js-yaml's.
const emptyCollectionTag = (tag: 'map' | 'seq') => new yaml.Type(`tag:yaml.org,2002:${tag}`, {
  kind: 'scalar',
  construct: (text: string | null) => text ?? '',
});

/**
 * The schema kubectl's reader amounts to: strings, sequences and mappings, merge keys (goyaml.v2
 * supports `<<`), plain scalars typed by goyaml.v2 resolve.go, and tags as goyaml.v2 reads them.
 */
// js-yaml exports its merge type as `types.merge` (index.js); @types/js-yaml does not declare it.
const types = (yaml as unknown as { types: Record<'merge', yaml.Type> }).types;

export const KUBECTL_SCHEMA = yaml.FAILSAFE_SCHEMA.extend({
  implicit: [types.merge, goYamlPlain],
  explicit: [goYamlTagged('int'), goYamlTagged('bool'), goYamlTagged('float'), goYamlTagged('null'),
    unknownScalarTag, unknownCollectionTag('mapping'), unknownCollectionTag('sequence'), emptyCollectionTag('map'), emptyCollectionTag('seq')],
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
