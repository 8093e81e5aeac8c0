import { maskCredentials as synthMask } from '../../lib/program/config';
import { echo, escapeControl, listed, maskCredentials } from '../../lib/validate/echo';

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

  test('a long list names its first items and how many more', () => {
    expect(listed(['a', 'b', 'c'], 2)).toBe('a, b, ... and 1 more');
    expect(listed(['a', 'b'], 2)).toBe('a, b');
  });
});
