import { spawnSync } from 'child_process';
import * as path from 'path';
import { parse } from 'yaml';
import { yaml12Resolve } from '../../lib/validate/kubectl-yaml';
import { readManifests } from '../../lib/validate/load';
import { tempDir } from '../helpers';
import { write } from '../support/cli';

// Every plain-scalar form whose type differs between readers, and a few that do not.
const SCALARS: Record<string, string> = {
  on: 'on', yes: 'yes', y: 'y', n: 'n', off: 'off', True: 'True', NO: 'NO',
  octal: '0777', notOctal: '08', zero: '00', octal12: '0o17', hex: '0x1F', negHex: '-0x10', binary: '0b101', negBinary: '-0b11',
  underscores: '1_000', doubleUnderscore: '1__0', floatUnderscore: '1_0.5', exponent: '1e3', dotFloat: '.5', trailingDot: '0.', plus: '+12',
  sexagesimal: '1:20', date: '2001-12-14', timestamp: '2001-12-14T21:59:43.10Z', tilde: '~', null: 'null', empty: '', big: '9223372036854775808',
  text: 'hello', plain: '80', version: '1.27.0', colonText: 'a:b',
};

function manifest(): string {
  const data = Object.entries(SCALARS).map(([key, value]) => `  v_${key}: ${value}`).join('\n');
  // `on` as a key, a merge key and an alias, as kubectl meets them in real manifests.
  return `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: scalars\n  labels: &labels\n    app: web\n  annotations:\n    <<: *labels\n    on: key\ndata:\n${data}\n`;
}

function kubectlReading(file: string): { available: boolean; object?: Record<string, any>; stderr?: string } {
  const result = spawnSync('kubectl', ['label', '--local', '-f', file, 'added=by-test', '-o', 'json'], { encoding: 'utf8' });
  if (result.error && (result.error as NodeJS.ErrnoException).code === 'ENOENT') return { available: false };
  if (result.status !== 0) return { available: true, stderr: result.stderr };
  const object = JSON.parse(result.stdout);
  delete object.metadata.labels.added;
  return { available: true, object };
}

describe('YAML read as kubectl reads it', () => {
  test('every plain scalar is typed exactly as `kubectl label --local -o json` types it', () => {
    const file = write(tempDir(), 'scalars.yaml', manifest());
    const { items, errors } = readManifests([file]);
    expect(errors).toEqual([]);
    const kubectl = kubectlReading(file);
    if (!kubectl.available) {
      // The comparison needs kubectl (installed here and in CI); the facts it established stay asserted below.
      console.warn('kubectl is not on this machine: the comparison with its decoder was not run');
    } else {
      expect(kubectl.stderr).toBeUndefined();
      expect(items[0].object).toEqual(kubectl.object);
    }
    expect(items[0].object.data).toMatchObject({ v_on: true, v_octal: 511, v_notOctal: 8, v_underscores: 1000, v_exponent: 1000, v_sexagesimal: '1:20', v_date: '2001-12-14', v_empty: null });
    expect(items[0].object.metadata.annotations).toEqual({ app: 'web', true: 'key' });
  });

  test('kubectl refuses .inf and .nan, which JSON cannot hold; so does the validator, naming the value', () => {
    const file = write(tempDir(), 'inf.yaml', 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: inf\ndata:\n  a: -.inf\n');
    const kubectl = kubectlReading(file);
    if (kubectl.available) expect(kubectl.stderr).toContain('json: unsupported value: -Inf');
    expect(readManifests([file]).errors).toEqual([{ path: file, message: 'document 1: data.a: -.inf is not a number JSON can hold: kubectl refuses the file' }]);
  });

  test('each kubectl-typed scalar is noted with its text, for the quoting advice', () => {
    const file = write(tempDir(), 'scalars.yaml', manifest());
    const [item] = readManifests([file]).items;
    const noted = Object.fromEntries((item.kubectlScalars ?? []).map((s) => [s.segments.join('.'), s.source]));
    expect(noted).toMatchObject({ 'data.v_on': 'on', 'data.v_octal': '0777', 'data.v_underscores': '1_000', 'data.v_exponent': '1e3' });
    // Plain text, and numbers spelled as kubectl writes them back, need no advice.
    expect(Object.keys(noted)).not.toContain('data.v_text');
    expect(Object.keys(noted)).not.toContain('data.v_plain');
  });

  test('the YAML 1.2 core schema reads these as strings or other numbers (why a manifest looks right in other tools)', () => {
    expect(yaml12Resolve('on')).toBe('on');
    expect(yaml12Resolve('1_000')).toBe('1_000');
    expect(yaml12Resolve('0777')).toBe(777);
    expect(yaml12Resolve('0o17')).toBe(15);
    expect(yaml12Resolve('true')).toBe(true);
    expect(yaml12Resolve('~')).toBeNull();
  });

  test('the yaml package\'s own YAML 1.1 schema is not kubectl\'s reader (it reads sexagesimal): hence goyaml.v2\'s rules, written out', () => {
    const read = (text: string) => parse(`v: ${text}`, { version: '1.1' }).v;
    expect(read('1:20')).toBe(80);
    const [item] = readManifests([write(tempDir(), 'x.yaml', 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: x\ndata:\n  a: 1:20\n  b: 1e3\n')]).items;
    expect(item.object.data).toEqual({ a: '1:20', b: 1000 });
    expect(path.basename(item.file)).toBe('x.yaml');
  });
});
