import { maskCredentials as synthMask } from '../../lib/program/config';
import { echo, escapeControl, listed, maskCredentials, shorten } from '../../lib/validate/echo';

describe('echo: what the validator prints of its input', () => {
  test('control characters are escaped: a name cannot forge a line or colour the terminal', () => {
    expect(escapeControl('web\nfile.yaml: Service/x: fine\x1b[31m\r\t\u202e\u0085')).toBe('web\\nfile.yaml: Service/x: fine\\u001b[31m\\r\\t\\u202e\\u0085');
    expect(echo('a\nb')).toBe('a\\nb');
  });

  test('the password of user:password@ is masked, an image digest is not', () => {
    expect(maskCredentials('DATABASE_URL=postgres://admin:Hunter2Secret@db:5432/app')).toBe('DATABASE_URL=postgres://admin:***@db:5432/app');
    expect(maskCredentials('see https://bob:p%40ss@example.com/x and ftp://u:v@h')).toBe('see https://bob:***@example.com/x and ftp://u:***@h');
    const digest = 'nginx:1.27@sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef';
    expect(maskCredentials(digest)).toBe(digest);
    expect(maskCredentials('user@example.com a:b c@d')).toBe('user@example.com a:b c@d');
    expect(echo('x'.repeat(5) + 'postgres://admin:Hunter2Secret@db')).not.toContain('Hunter2');
  });

  test('a digest whose algorithm has several parts (OCI: components joined by + . _ -) is an image digest, not credentials', () => {
    const hex = '0123456789abcdef0123456789abcdef';
    for (const image of [`app:1.0@sha256+b64u:${hex}`, `app:1.0@multihash.v2_sha-256:${hex}`]) expect(maskCredentials(image)).toBe(image);
  });

  test('masking agrees with the synth\'s (lib/program/config.ts uses this one)', () => {
    expect(synthMask).toBe(maskCredentials);
  });

  test('masking is linear: a hostile 1 MB value is one scan (the regular expression it replaced took 31 s on 100 KB)', () => {
    const hostile = [`${'a'.repeat(1_000_000)}`, `${'a:'.repeat(500_000)}`, `${'a@'.repeat(500_000)}`, `u:${':'.repeat(1_000_000)}@`];
    const start = Date.now();
    for (const value of hostile) maskCredentials(value);
    // A guard against a hang, not a measure of speed (npm run bench measures): the quadratic
    // pattern needs most of an hour for these, one scan well under a second; the bound leaves
    // room for a loaded machine and for Stryker's instrumented code (7 s there).
    expect(Date.now() - start).toBeLessThan(60_000);
    expect(maskCredentials(`u:${'p'.repeat(100_000)}@host`)).toBe('u:***@host');
  }, 120_000);

  test('a long echo is shortened, saying how much was left out; a password across the cut is still masked', () => {
    expect(echo('x'.repeat(1500), 1000)).toBe(`${'x'.repeat(1000)}... (500 more characters)`);
    const cut = echo(`${'x'.repeat(990)} postgres://admin:${'s'.repeat(50)}@db`, 1000);
    expect(cut).not.toContain('sssss');
  });

  test('a quote ends a user:password@ run: in JSON or a quoted value only the credentials after it are masked', () => {
    expect(maskCredentials('{"url":"u:fakepw@h"}')).toBe('{"url":"u:***@h"}');
    expect(maskCredentials("{'url':'u:fakepw@h'}")).toBe("{'url':'u:***@h'}");
  });

  test('a user name is at least one character and holds no : or =: no credentials start after one', () => {
    expect(maskCredentials(':fakepw@host')).toBe(':fakepw@host');
    expect(maskCredentials('x ::fakepw@host')).toBe('x ::fakepw@host');
    expect(maskCredentials('KEY=:fakepw@host')).toBe('KEY=:fakepw@host');
    expect(maskCredentials('KEY=user:fakepw@host')).toBe('KEY=user:***@host');
  });

  test('an echo of exactly the limit is whole, with no "0 more characters"', () => {
    expect(echo('abc', 3)).toBe('abc');
    expect(echo('abcd', 3)).toBe('abc... (1 more characters)');
  });

  test('shorten keeps a text up to max characters whole and cuts a longer one, saying how many were left out', () => {
    expect(shorten('abc', 4)).toBe('abc');
    expect(shorten('abcd', 4)).toBe('abcd');
    expect(shorten('abcdef', 4)).toBe('abcd... (2 more characters)');
    expect(shorten('x'.repeat(1001))).toBe(`${'x'.repeat(1000)}... (1 more characters)`);
  });

  test('a long list names its first items and how many more', () => {
    expect(listed(['a', 'b', 'c'], 2)).toBe('a, b, ... and 1 more');
    expect(listed(['a', 'b'], 2)).toBe('a, b');
  });
});
