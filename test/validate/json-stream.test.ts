import { spawnSync } from 'child_process';
import { jsonValues, JsonStreamError, looksLikeJson } from '../../lib/validate/json-stream';

/** jsonValues read to its end: every value, and where YAML takes over; undefined when not even the first value is JSON. */
function readJsonStream(text: string): { documents: unknown[]; yamlFrom?: number } | undefined {
  const documents: unknown[] = [];
  const values = jsonValues(text);
  for (;;) {
    const next = values.next();
    if (!next.done) documents.push(next.value);
    else if (next.value === 0) return undefined;
    else return next.value === undefined ? { documents } : { documents, yamlFrom: next.value };
  }
}
import { readManifests } from '../../lib/validate/load';
import { tempDir } from '../helpers';
import { write } from '../support/cli';

// A file that begins with `{` is a stream of JSON values to kubectl (lib/validate/json-stream.ts).
// Each case is read by the validator and by the real kubectl (1.32 here and in CI:
// `kubectl label --local -o json` decodes as `kubectl apply` does, with no cluster).

const cm = (name: string, data: Record<string, unknown> = { k: 'v' }) => JSON.stringify({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name }, data });

/** What kubectl reads from the file: each object's name and data, or its error. */
function kubectlRead(file: string): { available: boolean; objects?: { name: string; data: unknown }[]; error?: string } {
  const result = spawnSync('kubectl', ['label', '--local', '-f', file, 'added=by-test', '-o', 'json'], { encoding: 'utf8' });
  if (result.error && (result.error as NodeJS.ErrnoException).code === 'ENOENT') return { available: false };
  if (result.status !== 0) return { available: true, error: result.stderr.trim() };
  // kubectl prints one indented JSON object after another: a top-level `}` then `{` at the line's start.
  const items = JSON.parse(`[${result.stdout.trim().replace(/^}\n{$/gm, '},{')}]`);
  return { available: true, objects: items.map((o: any) => ({ name: o.metadata.name, data: o.data })) };
}

function validatorRead(file: string) {
  const { items, errors } = readManifests([file]);
  return { objects: items.map((i) => ({ name: i.object.metadata.name, data: i.object.data })), errors: errors.map((e) => e.message) };
}

describe('a file that begins with { is read as kubectl reads it: JSON values, one after another', () => {
  const dir = tempDir();
  const agreeing: [string, string, string[]][] = [
    ['one object per line', `${cm('a')}\n${cm('b')}\n`, ['a', 'b']],
    ['objects run together', `${cm('a')}${cm('b')}${cm('c')}`, ['a', 'b', 'c']],
    ['objects with spaces, tabs and CRLF between', ` \r\n${cm('a')}\t\r\n  ${cm('b')}\r\n`, ['a', 'b']],
    ['one object, as before', `${cm('a')}\n`, ['a']],
    // encoding/json ends a literal where it is complete (scanner.go stateNul..): `nullnull` is two nulls,
    // which kubectl skips (resource/visitor.go StreamVisitor) as the validator skips an empty document.
    ['null values run together', `${cm('a')}${cm('b')}nullnull null`, ['a', 'b']],
    ['braces and quotes inside strings', `${cm('a', { k: '}{"]\\"[' })}${cm('b')}`, ['a', 'b']],
  ];
  test.each(agreeing)('%s: the same objects as kubectl', (_, text, names) => {
    const file = write(dir, `${names.join('')}-${text.length}.json`, text);
    const ours = validatorRead(file);
    expect(ours.errors).toEqual([]);
    expect(ours.objects.map((o) => o.name)).toEqual(names);
    const kubectl = kubectlRead(file);
    if (!kubectl.available) console.warn('kubectl is not on this machine: the comparison with its decoder was not run');
    else expect(kubectl.objects).toEqual(ours.objects);
  });

  test('a YAML flow mapping first, which is not JSON: all read as YAML (apimachinery v1.34; kubectl 1.32 refused it)', () => {
    const file = write(dir, 'flow.json', `{apiVersion: v1, kind: ConfigMap, metadata: {name: a}}\n---\n${cm('b')}\n`);
    const ours = validatorRead(file);
    expect(ours.errors).toEqual([]);
    expect(ours.objects.map((o) => o.name)).toEqual(['a', 'b']);
    const kubectl = kubectlRead(file);
    if (kubectl.available) expect(kubectl.error).toMatch(/invalid character 'a' looking for beginning of object key string/);
  });

  test('numbers and duplicated keys as JSON reads them (encoding/json, like kubectl): 1e3 is a number, the last key wins', () => {
    const text = '{"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"a","annotations":{"x":"1"}},"data":{"k":"first","k":"last"},"binaryData":null}{"apiVersion":"apps/v1","kind":"Deployment","metadata":{"name":"d"},"spec":{"replicas":1e1}}';
    const file = write(dir, 'numbers.json', text);
    const { items, errors } = readManifests([file]);
    expect(errors).toEqual([]);
    expect(items.find((i) => i.object.kind === 'ConfigMap')!.object.data).toEqual({ k: 'last' });
    expect(items.find((i) => i.object.kind === 'Deployment')!.object.spec.replicas).toBe(10);
    const kubectl = spawnSync('kubectl', ['label', '--local', '-f', file, 'added=by-test', '-o', 'json'], { encoding: 'utf8' });
    if (kubectl.error) console.warn('kubectl is not on this machine: the comparison with its decoder was not run');
    else {
      const list = JSON.parse(`[${kubectl.stdout.trim().replace(/^}\n{$/gm, '},{')}]`);
      expect(list.find((o: any) => o.kind === 'ConfigMap').data).toEqual({ k: 'last' });
      expect(list.find((o: any) => o.kind === 'Deployment').spec.replicas).toBe(10);
    }
  });

  test('one JSON object and then YAML after ---: both read (apimachinery v1.34 switches to YAML after a first JSON object; kubectl 1.32 refused it)', () => {
    const file = write(dir, 'then-yaml.json', `${cm('a')}\n---\napiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: b\n---\n${cm('c')}\n`);
    const ours = validatorRead(file);
    expect(ours.errors).toEqual([]);
    expect(ours.objects.map((o) => o.name)).toEqual(['a', 'b', 'c']);
    // The older decoder of the installed kubectl: what it refuses, the cluster's own version reads.
    const kubectl = kubectlRead(file);
    if (kubectl.available) expect(kubectl.error).toMatch(/error parsing .*then-yaml\.json: json: offset \d+: invalid character '-'/);
  });

  test('two JSON objects and then text that is not JSON: one line naming where, as kubectl refuses it; other files still read', () => {
    const bad = write(dir, 'two-then-yaml.json', `${cm('a')}\n${cm('b')}\n---\n${cm('c')}\n`);
    const good = write(dir, 'good.yaml', 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: g\n');
    const { items, errors } = readManifests([bad, good]);
    expect(errors).toEqual([{ path: bad, message: 'line 3 column 1: JSON syntax error: not JSON after 2 JSON objects (kubectl reads a file that begins with { as a stream of JSON values; a YAML document may follow only the first)' }]);
    expect(items.map((i) => i.object.metadata.name)).toEqual(['g']);
    const kubectl = kubectlRead(bad);
    if (kubectl.available) expect(kubectl.error).toMatch(/json: offset \d+: invalid character '-'/);
  });

  test('a YAML error after a first JSON object is placed on its line in the file', () => {
    const file = write(dir, 'yaml-error.json', `${cm('a')}\n---\napiVersion: v1\nkind: [\n`);
    expect(readManifests([file]).errors[0].message).toMatch(/^line [45] column \d+: YAML syntax error: /);
  });
});

describe('readJsonStream', () => {
  test('only a text whose first non-space character is { is JSON to kubectl', () => {
    expect(looksLikeJson(' \n\t{"a":1}')).toBe(true);
    expect(looksLikeJson('[{"a":1}]')).toBe(false);
    expect(looksLikeJson('# {"a":1}')).toBe(false);
    expect(looksLikeJson('   ')).toBe(false);
  });

  test('values and where YAML takes over', () => {
    expect(readJsonStream('{"a":1} {"b":[1,{"c":"}"}]}')).toEqual({ documents: [{ a: 1 }, { b: [1, { c: '}' }] }] });
    expect(readJsonStream('{"a":1}\n---\nb: 2\n')).toEqual({ documents: [{ a: 1 }], yamlFrom: 8 });
    // Not even the first value is JSON: all of it is YAML.
    expect(readJsonStream('{a: 1}')).toBeUndefined();
    expect(readJsonStream('{"a":1')).toBeUndefined();
    expect(readJsonStream('{"a":1}}')).toEqual({ documents: [{ a: 1 }], yamlFrom: 7 });
    expect(() => readJsonStream('{"a":1}{"b":2}]')).toThrow(/^not JSON after 2 JSON objects/);
    // A scalar between objects is a JSON value too (not an object: the loader says so).
    expect(readJsonStream('{"a":1} 5 "x" true')).toEqual({ documents: [{ a: 1 }, 5, 'x', true] });
  });

  test('a number or literal ends at the next structural character, as in encoding/json: 5{..}true[1]null"x" is five values', () => {
    // Go's json.Decoder ends a number or literal at any character that cannot continue it; a bracket,
    // brace or quote right after it starts the next value (no space needed).
    expect(readJsonStream('{"a":1} 5{"b":2}true[1]null"x"')).toEqual({ documents: [{ a: 1 }, 5, { b: 2 }, true, [1], null, 'x'] });
    // Nor is a space needed after a complete number or literal (scanner.go: state0 ends a number at a
    // second digit, stateNul ends null at its `l`): `01` is 0 then 1, `truefalse` two values.
    expect(readJsonStream('{"a":1}nullnull01 -0.5e+3truefalse-1"y" 12.25E-2 1e10 -100')).toEqual({ documents: [{ a: 1 }, null, null, 0, 1, -500, true, false, -1, 'y', 0.1225, 1e10, -100] });
    // A number cut where Go's scanner wants a digit is not JSON (`1.`, `1e`, `1e+`, `-`): after two values, an error there.
    for (const bad of ['1.x', '1.', '1e', '1E+', '1.e5', '-', '-x', 'tru', 'nul}'])
      expect(() => readJsonStream(`{"a":1}{"b":2}${bad}`)).toThrow(expect.objectContaining({ offset: 14 }));
  });

  test('the error after two values is a JsonStreamError (load.ts catches it by class) naming its offset', () => {
    // The name is what a stack trace or String(error) shows when it escapes; the offset is where load.ts places the line.
    let caught: unknown;
    try {
      readJsonStream('{"a":1}{"b":2} ]');
    } catch (error) {
      caught = error;
    }
    expect(caught).toBeInstanceOf(JsonStreamError);
    const error = caught as JsonStreamError;
    expect(String(error)).toBe('JsonStreamError: not JSON after 2 JSON objects (kubectl reads a file that begins with { as a stream of JSON values; a YAML document may follow only the first)');
    expect(error.offset).toBe(15);
  });

  test('nesting: 10,000 levels read, one more is not JSON (Go encoding/json maxNestingDepth), with no recursion', () => {
    const nested = (depth: number) => `{"a":${'['.repeat(depth - 1)}${']'.repeat(depth - 1)}}`;
    expect(readJsonStream(nested(10_000))!.documents).toHaveLength(1);
    expect(readJsonStream(nested(10_001))).toBeUndefined();
    expect(readJsonStream(`{"a":1}${nested(10_001)}`)).toEqual({ documents: [{ a: 1 }], yamlFrom: 7 });
    // 200,000 levels cost a counter: no stack overflow.
    expect(readJsonStream(`{"a":${'['.repeat(200_000)}`)).toBeUndefined();
  });
});
