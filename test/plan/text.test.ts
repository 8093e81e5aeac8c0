import { spawnSync } from 'child_process';
import { escapeControls, MAX_SHOWN, shellCommand, shellWord, shorten, shown } from '../../lib/plan/text';

// lib/plan/text.ts on its own: the commands' tests reach it only with the names they print.

describe('shorten', () => {
  test('a text of MAX_SHOWN characters is whole; one longer keeps its start and last 32 characters, MAX_SHOWN in all, and says its length', () => {
    const whole = 'a'.repeat(MAX_SHOWN);
    expect(shorten(whole)).toBe(whole);
    const long = `${'h'.repeat(MAX_SHOWN - 33)}${'m'.repeat(10)}${'t'.repeat(32)}`;
    expect(shorten(long)).toBe(`${'h'.repeat(MAX_SHOWN - 33)}…${'t'.repeat(32)} (${long.length} characters)`);
    expect(shorten(long).indexOf(' (')).toBe(MAX_SHOWN);
  });
});

describe('shown', () => {
  test('a plain name is itself; one with a control character is JSON-quoted with every control escaped', () => {
    expect(shown('web')).toBe('web');
    expect(shown('web\n+ Deployment/forged')).toBe('"web\\n+ Deployment/forged"');
    expect(shown('a\u009bb\u202ec')).toBe('"a\\u009bb\\u202ec"');
  });

  test('a value that is not a string is JSON-quoted, so it cannot pass for a name', () => {
    expect(shown(5)).toBe('"5"');
    expect(shown(undefined)).toBe('"undefined"');
    expect(shown(null)).toBe('"null"');
  });
});

describe('escapeControls', () => {
  test('each control character is \\u and four hex digits', () => {
    expect(escapeControls('a\u001bb\u007fc\u2066')).toBe('a\\u001bb\\u007fc\\u2066');
  });
});

describe('shellWord: what bash reads back is the word', () => {
  /** The word as bash reads it from the printed command. */
  const readBack = (word: string) => spawnSync('bash', ['-c', `printf %s ${shellWord(word)}`], { encoding: 'utf8' }).stdout;

  test.each([
    ['plain', 'web-1.example.com', 'web-1.example.com'],
    ['a space', 'my app', "'my app'"],
    ['a single quote', "it's", "'it'\\''s'"],
    ['a backquote', 'a`b', "$'a\\140b'"],
    ['a newline and a quote', "a'\nb", "$'a\\'\\012b'"],
    ['a backslash and an escape', 'a\\\u001b', "$'a\\\\\\033'"],
    ['a C1 control (two UTF-8 bytes)', 'a\u009bb', "$'a\\302\\233b'"],
    ['a bidirectional override (three bytes)', 'a\u202eb', "$'a\\342\\200\\256b'"],
  ])('%s', (_what, word, written) => {
    expect(shellWord(word)).toBe(written);
    expect(readBack(word)).toBe(word);
  });

  test('a command is its words, each quoted, joined by spaces', () => {
    expect(shellCommand(['kubectl', 'delete', 'service', "db's"])).toBe("kubectl delete service 'db'\\''s'");
  });
});
