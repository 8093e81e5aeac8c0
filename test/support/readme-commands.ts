/**
 * Every command of the README's ```sh blocks, as a reader would type it: a line and the lines it
 * continues onto (a trailing `\`, a trailing `&&` or `|`, a here-document up to its end word, a
 * `for ...; do` up to its `done`). Whole-line comments and blank lines are not commands; a
 * comment after a command stays part of it (sh ignores it). Read at run time, so a test that
 * uses it judges the README as it is now.
 */
import * as fs from 'fs';
import * as path from 'path';

export const README_PATH = path.join(__dirname, '..', '..', 'README.md');

/** One command of a ```sh block: its exact text (lines de-indented as the block is), the heading it is under, its block's index. */
export interface ReadmeCommand {
  readonly text: string;
  readonly section: string;
  readonly block: number;
}

/** The ```sh blocks of a Markdown text: their lines (without the fence's indentation) and the last heading before each. */
export function shBlocks(markdown: string): { section: string; lines: string[] }[] {
  const blocks: { section: string; lines: string[] }[] = [];
  let section = '';
  const lines = markdown.split('\n');
  for (let i = 0; i < lines.length; i++) {
    const heading = /^#{1,6} (.*)$/.exec(lines[i]);
    if (heading) section = heading[1].trim();
    const fence = /^( *)```(\S*)\s*$/.exec(lines[i]);
    if (!fence) continue;
    const [, indent, info] = fence;
    const body: string[] = [];
    for (i += 1; i < lines.length && !new RegExp(`^ *\`\`\`\\s*$`).test(lines[i]); i++) {
      body.push(lines[i].startsWith(indent) ? lines[i].slice(indent.length) : lines[i].trimStart());
    }
    if (info === 'sh') blocks.push({ section, lines: body });
  }
  return blocks;
}

/** The commands of a block's lines (see the file's comment for what one command spans). */
export function commandsOf(lines: readonly string[]): string[] {
  const commands: string[] = [];
  for (let i = 0; i < lines.length; i++) {
    const first = lines[i];
    if (first.trim() === '' || first.trim().startsWith('#')) continue;
    const taken = [first];
    let heredoc = /<<-?\s*'?"?(\w+)'?"?/.exec(first)?.[1];
    let loop = /^\s*(for|while|until)\b.*;\s*do\s*$/.test(first) ? 1 : 0;
    const continues = (line: string) => /(\\|&&|\|\||\|)\s*$/.test(line.replace(/\s+#.*$/, ''));
    let last = first;
    while (i + 1 < lines.length && (heredoc !== undefined || loop > 0 || continues(last))) {
      i += 1;
      last = lines[i];
      taken.push(last);
      if (heredoc !== undefined) {
        if (last.trim() === heredoc) heredoc = undefined;
        continue;
      }
      if (/^\s*(for|while|until)\b.*;\s*do\s*$/.test(last)) loop += 1;
      if (/^\s*done\b/.test(last)) loop -= 1;
      heredoc = /<<-?\s*'?"?(\w+)'?"?/.exec(last)?.[1];
    }
    commands.push(taken.join('\n'));
  }
  return commands;
}

/** Every command of every ```sh block of a Markdown text, in order. */
export function readmeShCommands(markdown: string = fs.readFileSync(README_PATH, 'utf8')): ReadmeCommand[] {
  return shBlocks(markdown).flatMap((block, index) => commandsOf(block.lines).map((text) => ({ text, section: block.section, block: index })));
}

/**
 * A command without its comments (a `#` that starts a word outside quotes, to the end of its
 * line), each line's trailing blanks dropped: what the shell runs. Two commands with the same
 * key run the same way, whatever their comments say.
 */
export function commandKey(text: string): string {
  return text.split('\n').map((line) => {
    let quote: string | undefined;
    for (let i = 0; i < line.length; i++) {
      const c = line[i];
      if (quote) {
        if (c === quote) quote = undefined;
        else if (c === '\\' && quote === '"') i += 1;
      } else if (c === '\'' || c === '"') quote = c;
      else if (c === '\\') i += 1;
      else if (c === '#' && (i === 0 || /\s/.test(line[i - 1]))) return line.slice(0, i).trimEnd();
    }
    return line.trimEnd();
  }).join('\n');
}
