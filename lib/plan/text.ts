/**
 * How text from manifests and folders is printed by `plan`, `open-preview` and `close-preview`:
 * object and file names are anyone's (a plan compares any two folders), so nothing of theirs may
 * move the cursor, recolour the terminal or forge a line of its own. This layer imports nothing
 * from program/: the commands mask passwords where they print (lib/program/printing.ts safeLine,
 * with config.ts maskCredentials).
 */

// C0 controls, DEL, C1 controls (a terminal takes \u009b as CSI), and the bidirectional
// overrides and isolates, which reorder what a terminal shows (the "Trojan Source" characters).
const UNSAFE = /[\u0000-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/;
const UNSAFE_ALL = new RegExp(UNSAFE.source, 'g');

/** Longest name printed whole; a longer one is shortened, its length said. */
export const MAX_SHOWN = 160;

/** Shortens a text to MAX_SHOWN characters, keeping its start and end and saying how long it was. */
export function shorten(text: string, max = MAX_SHOWN): string {
  if (text.length <= max) return text;
  const tail = 32;
  return `${text.slice(0, max - tail - 1)}…${text.slice(-tail)} (${text.length} characters)`;
}

/**
 * A name as a line shows it: as it is when it holds no control character, else JSON-quoted as
 * config.ts `echo` writes values (`\n`, `\u001b`), C1 and bidirectional controls escaped too;
 * shortened when long.
 */
export function shown(value: unknown): string {
  const text = typeof value === 'string' ? value : String(value);
  if (typeof value === 'string' && !UNSAFE.test(text)) return shorten(text);
  return shorten(escapeControls(JSON.stringify(text)));
}

/** A line with every control character (C0, DEL, C1, bidirectional) written as \uXXXX. */
export function escapeControls(line: string): string {
  return line.replace(UNSAFE_ALL, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}

/**
 * A word for a POSIX shell: as it is when made only of characters no shell treats specially,
 * else in single quotes (nothing expands inside them; a quote is written '\''). A word with a
 * control character or a backquote (which would end the backquotes the plan prints commands in)
 * is written $'...' with each such character as the octal bytes of its UTF-8 form (bash, zsh,
 * ksh93 and POSIX.1-2024, whatever the locale; dash reads it as a literal `$` and quoted text,
 * which runs nothing either), so a printed command is one line and holds no terminal escape.
 */
export function shellWord(word: string): string {
  if (/^[A-Za-z0-9_./=:,@%+-]+$/.test(word)) return word;
  if (UNSAFE.test(word) || word.includes('`')) {
    const escaped = word.replace(/[\\']/g, (c) => `\\${c}`).replace(new RegExp(`${UNSAFE.source}|\``, 'g'),
      (c) => [...Buffer.from(c, 'utf8')].map((byte) => `\\${byte.toString(8).padStart(3, '0')}`).join(''));
    return `$'${escaped}'`;
  }
  return `'${word.replace(/'/g, `'\\''`)}'`;
}

/** A command line from words, each quoted by shellWord. */
export function shellCommand(words: readonly string[]): string {
  return words.map(shellWord).join(' ');
}
