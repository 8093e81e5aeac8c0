// The validator CLI run as `npm run validate` runs it: a child process through scripts/launch.js.
// Kept apart from cli.test.ts because Stryker leaves this file out (a child process runs the
// compiled build, never a mutant, and the setpriv run cannot read Stryker's sandbox); the
// in-process tests in cli.test.ts judge cli.ts's mutants.
import { execFileSync } from 'child_process';
import * as fs from 'fs';
import * as net from 'net';
import * as path from 'path';
import { tempDir } from '../helpers';
import { configMap, runBuiltCli, write } from '../support/cli';

describe('npm run validate: files it must not read (run as a child with a time limit: a hang fails)', () => {
  beforeAll(() => {
    // Compiles the project if its sources changed, so that the runs below are timed fairly.
    runBuiltCli(['--help'], {}, 600_000);
  }, 600_000);

  test('a named pipe, a socket and a symlink to /dev/zero named like manifests are not opened or read', async () => {
    const dir = tempDir();
    write(dir, 'a-clean.yaml', configMap('clean', ['  a: "1"']));
    execFileSync('mkfifo', [path.join(dir, 'pipe.yaml')]);
    fs.symlinkSync('/dev/zero', path.join(dir, 'zero.yaml'));
    const server = net.createServer();
    await new Promise<void>((resolve) => server.listen(path.join(dir, 'socket.yaml'), resolve));
    try {
      const { code, signal, out, err } = runBuiltCli([dir], {}, 60_000);
      expect(signal).toBeNull();
      expect(out).toEqual([]);
      expect(err).toEqual([
        `error: ${path.join(dir, 'pipe.yaml')}: a named pipe, not a manifest file: not read`,
        `error: ${path.join(dir, 'socket.yaml')}: a socket, not a manifest file: not read`,
        `error: ${path.join(dir, 'zero.yaml')}: a character device, not a manifest file: not read`,
        '1 objects from 1 file(s): no problems; 3 input(s) could not be used',
      ]);
      expect(code).toBe(2);
      // Named on the command line, a pipe and a device are refused the same way.
      const named = runBuiltCli([path.join(dir, 'pipe.yaml'), '/dev/zero'], {}, 60_000);
      expect(named.err).toEqual([
        `error: ${path.join(dir, 'pipe.yaml')}: a named pipe, not a manifest file: not read`,
        'error: /dev/zero: a character device, not a manifest file: not read',
        '0 objects from 0 file(s): no problems; 2 input(s) could not be used',
      ]);
      expect(named.code).toBe(2);
    } finally {
      server.close();
    }
  }, 180_000);

  test('an unreadable file and folder (EACCES, as a user other than root: CI runs tests as root) are reported and the others are still validated', () => {
    const dir = tempDir();
    fs.chmodSync(dir, 0o755);
    write(dir, 'a-clean.yaml', configMap('clean', ['  a: "1"']));
    const file = write(dir, 'b-locked.yaml', configMap('locked'));
    const folder = path.join(dir, 'c-locked');
    write(folder, 'x.yaml', configMap('hidden'));
    fs.chmodSync(file, 0);
    fs.chmodSync(folder, 0);
    const launch = path.join(__dirname, '..', '..', 'scripts', 'launch.js');
    const run = (() => {
      try {
        return { code: 0, stdout: execFileSync('setpriv', ['--reuid=65534', '--regid=65534', '--clear-groups', process.execPath, launch, 'validate', dir], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] }), stderr: '' };
      } catch (error) {
        const e = error as { status: number; stdout: string; stderr: string };
        return { code: e.status, stdout: e.stdout, stderr: e.stderr };
      }
    })();
    expect(run.stdout).toBe('');
    expect(run.stderr.trim().split('\n')).toEqual([
      `error: ${file}: permission denied (EACCES)`,
      `error: ${folder}: permission denied (EACCES)`,
      '1 objects from 2 file(s): no problems; 2 input(s) could not be used',
    ]);
    expect(run.code).toBe(2);
  }, 180_000);

  test('output order is byte order of names, the same under LC_ALL=C and a locale that sorts otherwise (sv_SE)', () => {
    const dir = tempDir();
    // sv_SE sorts ä after z, en-US (what C gives Node) after a; byte order puts B before _c before a.
    const names = ['ä.yaml', 'a.yaml', 'z.yaml', 'B.yaml', '_c.yaml', 'é.yaml'];
    for (const name of names) write(dir, name, 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: cm\n  labels:\n    bad: yes\n');
    const expected = ['B.yaml', '_c.yaml', 'a.yaml', 'z.yaml', 'ä.yaml', 'é.yaml']
      .map((name) => `${path.join(dir, name)}: ConfigMap/cm: metadata.labels.bad: kubectl reads the unquoted yes as the boolean true (YAML 1.1), but the field takes a string (YAML 1.2 tools read the string "yes") (allowed: quote it: "yes")`);
    for (const locale of ['C', 'sv_SE.UTF-8']) {
      const { code, out } = runBuiltCli(['--checks', 'schema', dir], { LC_ALL: locale, LANG: locale }, 60_000);
      // Same name in one namespace: each later one is a duplicate, but --checks schema leaves links out.
      expect(out).toEqual(expected);
      expect(code).toBe(1);
    }
  }, 180_000);
});
