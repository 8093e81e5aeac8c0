/**
 * How kubectl reads a file that begins with `{`: as a stream of JSON values, not as YAML.
 *
 * k8s.io/apimachinery pkg/util/yaml decoder.go: `YAMLOrJSONDecoder` guesses JSON when the first
 * non-space byte is `{` (`GuessJSONStream`, `hasJSONPrefix`) and decodes value after value with
 * encoding/json, so `{...}{...}` or one object per line are several objects. When a value is not
 * JSON (a `---` line after the first object), it switches to YAML from the end of the values read,
 * but only while at most one was read: "if we found more than 1 JSON object, then this is an
 * unambiguous JSON stream, and we should not switch to YAML" (v1.34; kubectl 1.32's older
 * apimachinery refuses the switch too, so a file this accepts may be refused by an older kubectl,
 * never the other way round). encoding/json keeps the last of duplicated keys, as JSON.parse does,
 * and reads `1e3` as a number, where YAML 1.1 reads a string.
 */

/** A JSON stream the decoder refuses: more than one value, then text that is not JSON. */
export class JsonStreamError extends Error {
  constructor(message: string, readonly offset: number) {
    super(message);
    this.name = 'JsonStreamError';
  }
}

// Go's encoding/json refuses a value nested deeper ("exceeded max depth": src/encoding/json/scanner.go
// maxNestingDepth, pushParseState); kubectl then tries YAML, whose own limit ends it there too.
const MAX_DEPTH = 10_000;

const SPACE = new Set([' ', '\t', '\n', '\r']);
// A number as far as Go's scanner reads it (src/encoding/json/scanner.go state1, stateDot, stateE...): while a
// character can continue it, so a number cut short (`1.`, `1e+`) is taken whole and JSON.parse refuses it, as Go does.
const NUMBER = /-?(?:0|[1-9][0-9]*)(?:\.[0-9]*)?(?:[eE][+-]?[0-9]*)?/y;
const LITERAL = /true|false|null/y;

/** Whether kubectl reads this text as JSON: its first non-space character is `{`. */
export function looksLikeJson(text: string): boolean {
  for (let i = 0; i < text.length; i++) {
    if (!SPACE.has(text[i])) return text[i] === '{';
  }
  return false;
}

/**
 * Reads a text kubectl takes for JSON (see looksLikeJson): its values one at a time, each parsed
 * when asked for (a caller done with one before the next keeps one value alive, not the file's).
 * Returns where YAML reads on: undefined when JSON read the whole text, 0 when not even the first
 * value is JSON (kubectl then reads the whole text as YAML). Throws JsonStreamError after the
 * values read when two or more were read and then text that is not JSON. Linear in the text, and
 * no recursion: the nesting of a hostile value costs a counter, not the stack.
 */
export function* jsonValues(text: string): Generator<unknown, number | undefined, undefined> {
  let read = 0;
  let at = 0;
  for (;;) {
    while (at < text.length && SPACE.has(text[at])) at++;
    if (at >= text.length) return undefined;
    const end = valueEnd(text, at);
    let value: unknown;
    let parsed = end !== undefined;
    if (end !== undefined) {
      try {
        value = JSON.parse(text.slice(at, end));
      } catch {
        parsed = false;
      }
    }
    if (!parsed) {
      if (read === 0) return 0;
      if (read === 1) return at;
      throw new JsonStreamError(`not JSON after ${read} JSON objects (kubectl reads a file that begins with { as a stream of JSON values; a YAML document may follow only the first)`, at);
    }
    read++;
    at = end!;
    yield value;
  }
}

/**
 * Where the JSON value starting at `from` ends (exclusive), by its brackets and strings alone
 * (JSON.parse then judges it); undefined when the text ends first or it nests deeper than Go reads.
 */
function valueEnd(text: string, from: number): number | undefined {
  const first = text[from];
  if (first !== '{' && first !== '[' && first !== '"') {
    // A number or a literal ends where Go's scanner ends it (state0 ends a number at a second digit,
    // stateNul ends null at its `l`): at the first character that cannot continue it, so `nullnull` is two
    // values and `01` is 0 then 1. Neither (`-`, `tru`, `x`): one character, which JSON.parse refuses.
    NUMBER.lastIndex = from;
    const number = NUMBER.exec(text);
    if (number) return from + number[0].length;
    LITERAL.lastIndex = from;
    const literal = LITERAL.exec(text);
    return from + (literal ? literal[0].length : 1);
  }
  let depth = 0;
  let inString = false;
  for (let i = from; i < text.length; i++) {
    const c = text[i];
    if (inString) {
      if (c === '\\') i++;
      else if (c === '"') {
        inString = false;
        if (depth === 0) return i + 1;
      }
    } else if (c === '"') inString = true;
    else if (c === '{' || c === '[') {
      if (++depth > MAX_DEPTH) return undefined;
    }
    else if (c === '}' || c === ']') {
      depth--;
      if (depth === 0) return i + 1;
      if (depth < 0) return undefined;
    }
  }
  return undefined;
}
