/**
 * How the validator echoes what it read (file names, object names, field paths, values) so that
 * its output cannot lie or leak: control characters are escaped (a name holding a newline cannot
 * forge a line of output, an escape sequence cannot move the cursor or recolour the terminal),
 * the password of any `user:password@` is masked (an env value `postgres://admin:secret@db` is a
 * credential), and a long echo is shortened, saying how much was left out. Every step is linear
 * in the text: a hostile 100 KB value costs a scan, not a backtracking regular expression.
 */

/** The longest echo of one field of a problem line, in characters, before it is shortened. */
export const MAX_ECHO = 1000;
/** The most items a list in a problem line names before saying how many more there are. */
export const MAX_LISTED = 20;

// C0 controls, DEL, C1 controls, and the Unicode line/paragraph separators and bidirectional
// overrides and isolates that reorder what a terminal shows (a "Trojan Source" name).
const CONTROL = /[\u0000-\u001f\u007f-\u009f\u2028\u2029\u202a-\u202e\u2066-\u2069]/g;
const NAMED: Readonly<Record<string, string>> = { '\n': '\\n', '\r': '\\r', '\t': '\\t' };

/** The text with every control character written as `\n`, `\r`, `\t` or `\uXXXX`. */
export function escapeControl(text: string): string {
  CONTROL.lastIndex = 0;
  if (!CONTROL.test(text)) return text;
  return text.replace(CONTROL, (c) => NAMED[c] ?? `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}

// Characters that end a `user:password@` run: whitespace, `/`, `@` and quotes (as in a URL or a
// registry reference). A user name also stops at `:` and `=` (`KEY=user:pw@host`).
const WHITESPACE = /\s/;
const isBreak = (c: string): boolean => c === '/' || c === '@' || c === '"' || c === '\'' || WHITESPACE.test(c);
const isUserChar = (c: string): boolean => !isBreak(c) && c !== ':' && c !== '=';
// `name:tag@sha256:<hex>` is an image digest, not credentials: what follows the `@` is checked
// with a sticky expression whose parts cannot overlap, so a failed try costs the run it reads.
const DIGEST = /[A-Za-z][A-Za-z0-9]*(?:[+._-][A-Za-z0-9]+)*:[0-9A-Fa-f]{32}/y;

/**
 * Replaces the password of every `user:password@` by `***`, as the synth's `echo` does
 * (lib/program/config.ts), in one pass: for each `@`, the run of characters before it back to a
 * break is read once, and the first `user:` in it starts the credentials.
 */
export function maskCredentials(text: string): string {
  if (!text.includes('@')) return text;
  let out = '';
  let copied = 0;
  let runStart = 0;
  for (let at = 0; at < text.length; at++) {
    const c = text[at];
    if (c !== '@') {
      if (isBreak(c)) runStart = at + 1;
      continue;
    }
    const start = runStart;
    runStart = at + 1;
    DIGEST.lastIndex = at + 1;
    if (DIGEST.test(text)) continue;
    // The first `:` of the run with a user character before it.
    let colon = -1;
    for (let i = start + 1; i < at; i++) {
      if (text[i] === ':' && isUserChar(text[i - 1])) {
        colon = i;
        break;
      }
    }
    if (colon < 0) continue;
    out += `${text.slice(copied, colon + 1)}***@`;
    copied = at + 1;
  }
  return copied === 0 ? text : out + text.slice(copied);
}

/** The text shortened to `max` characters, saying how many were left out. */
export function shorten(text: string, max = MAX_ECHO): string {
  if (text.length <= max) return text;
  return `${text.slice(0, max)}... (${text.length - max} more characters)`;
}

/**
 * A field of a problem line as it is printed: credentials masked (on the whole text, so that a
 * password is never cut in two and half shown), then shortened, then control characters escaped.
 */
export function echo(text: string, max = MAX_ECHO): string {
  const masked = maskCredentials(text);
  if (masked.length <= max) return escapeControl(masked);
  return `${escapeControl(masked.slice(0, max))}... (${masked.length - max} more characters)`;
}

/** Items joined with ", ", at most `max` of them, then how many more there are. */
export function listed(items: readonly string[], max = MAX_LISTED, separator = ', '): string {
  if (items.length <= max) return items.join(separator);
  return `${items.slice(0, max).join(separator)}${separator}... and ${items.length - max} more`;
}
