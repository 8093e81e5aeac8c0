// A Kubernetes resource quantity (k8s.io/apimachinery resource.Quantity): a decimal number with an
// optional binary (Ki..Ei), decimal (k..E, m, u, n) or exponent (e3, E-2) suffix.
// Hand-written: the registry's parser of this syntax ships inside @kubernetes/client-node
// (quantityToScalar), a whole API client with its own dependency tree for one regular expression;
// the rule is small, and test/validate/quantity.test.ts holds it to each part of the syntax.
const QUANTITY = /^([+-]?(?:\d+(?:\.\d*)?|\.\d+))(Ki|Mi|Gi|Ti|Pi|Ei|n|u|m|k|M|G|T|P|E|[eE][+-]?\d+)?$/;

const SUFFIX: Record<string, number> = {
  '': 1, n: 1e-9, u: 1e-6, m: 1e-3, k: 1e3, M: 1e6, G: 1e9, T: 1e12, P: 1e15, E: 1e18,
  Ki: 2 ** 10, Mi: 2 ** 20, Gi: 2 ** 30, Ti: 2 ** 40, Pi: 2 ** 50, Ei: 2 ** 60,
};

// Quantity.UnmarshalJSON (staging/src/k8s.io/apimachinery/pkg/api/resource/quantity.go) trims
// Go's white space (strings.TrimSpace) from the JSON string before parsing, so " 1" is 1. Of
// that white space only what kubectl's JSON encoder leaves unescaped can reach it: the space and
// Unicode's other spaces (control characters and U+2028/U+2029 arrive escaped, and are refused).
const SPACE = '[ \u0085\u00a0\u1680\u2000-\u200a\u202f\u205f\u3000]';
const AROUND = new RegExp(`^${SPACE}+|${SPACE}+$`, 'g');

/** The quantity's value in base units (cores, bytes), or undefined if it does not parse. */
export function parseQuantity(quantity: unknown): number | undefined {
  if (typeof quantity === 'number') return Number.isFinite(quantity) ? quantity : undefined;
  if (typeof quantity !== 'string') return undefined;
  const match = QUANTITY.exec(quantity.replace(AROUND, ''));
  if (!match) return undefined;
  const suffix = match[2] ?? '';
  // `E` (exa) and `Ei` are suffixes; only `e`/`E` followed by digits is an exponent.
  const factor = /^[eE][+-]?\d+$/.test(suffix) ? 10 ** Number(suffix.slice(1)) : SUFFIX[suffix];
  return Number(match[1]) * factor;
}

export const QUANTITY_SYNTAX = 'a number with an optional suffix: n u m (nano, micro, milli), k M G T P E, Ki Mi Gi Ti Pi Ei, or an exponent (e.g. 250m, 1.5, 128Mi, 2Gi, 1e3)';
