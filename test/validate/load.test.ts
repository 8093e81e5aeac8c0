import * as fs from 'fs';
import * as path from 'path';
import { InputError, loadManifests, readManifests } from '../../lib/validate/load';
import { COURSE_K8S, tempDir } from '../helpers';
import { configMap, write } from '../support/cli';

describe('readManifests', () => {
  test('reads multi-document files, nested folders and kind: List, skipping other files, hidden folders and node_modules', () => {
    const dir = tempDir();
    const [first, ...rest] = fs.readdirSync(COURSE_K8S).sort().map((f) => fs.readFileSync(path.join(COURSE_K8S, f), 'utf8'));
    write(dir, 'a/one.yaml', first);
    write(dir, 'b/c/many.yml', rest.slice(0, 5).join('---\n'));
    write(dir, 'list.yaml', `apiVersion: v1\nkind: List\nitems:\n${rest.slice(5).map((text) => `  - ${text.trimEnd().split('\n').join('\n    ')}`).join('\n')}\n`);
    write(dir, 'README.md', 'not a manifest');
    write(dir, '.git/config.yaml', configMap('hidden'));
    write(dir, 'node_modules/pkg/x.yaml', configMap('dependency'));
    const { items, files, errors } = readManifests([dir]);
    expect(errors).toEqual([]);
    expect(files).toBe(3);
    expect(items.map((i) => path.relative(dir, i.file))).toEqual(['a/one.yaml', ...Array(5).fill('b/c/many.yml'), ...Array(5).fill('list.yaml')]);
    expect(items.map((i) => i.object.metadata.name)).toEqual(loadManifests([COURSE_K8S]).map((i) => i.object.metadata.name));
  });

  test('folders are read in byte order of names, whatever the locale (uppercase, then _, then lowercase, then non-ASCII)', () => {
    const dir = tempDir();
    for (const name of ['ä.yaml', 'a.yaml', 'z.yaml', 'B.yaml', '_c.yaml', 'é.yaml', 'sub/a.yaml']) write(dir, name, configMap(path.basename(name, '.yaml').replace(/[^a-z]/gi, 'x').toLowerCase()));
    expect(readManifests([dir]).items.map((i) => path.relative(dir, i.file))).toEqual(['B.yaml', '_c.yaml', 'a.yaml', 'sub/a.yaml', 'z.yaml', 'ä.yaml', 'é.yaml']);
  });

  test('paths are read in the order given, a folder named twice read twice', () => {
    const dir = tempDir();
    const a = write(dir, 'a.yaml', configMap('a'));
    const b = write(dir, 'b.yaml', configMap('b'));
    expect(readManifests([b, a, b]).items.map((i) => i.file)).toEqual([b, a, b]);
  });

  test('Lists inside Lists are opened, and a scalar kubectl types is noted on the item that holds it', () => {
    const dir = tempDir();
    write(dir, 'lists.yaml', 'apiVersion: v1\nkind: List\nitems:\n  - apiVersion: v1\n    kind: ConfigMapList\n    items:\n      - apiVersion: v1\n        kind: ConfigMap\n        metadata:\n          name: inner\n        data:\n          flag: on\n');
    const { items, errors } = readManifests([dir]);
    expect(errors).toEqual([]);
    expect(items.map((i) => i.object.metadata.name)).toEqual(['inner']);
    expect(items[0].kubectlScalars).toEqual([{ segments: ['data', 'flag'], source: 'on', value: true }]);
  });

  test('a document\'s error names the document; the file\'s other documents are still read', () => {
    const dir = tempDir();
    const file = write(dir, 'x.yaml', `${configMap('first')}---\n- not\n- an object\n---\n${configMap('third')}`);
    const { items, errors } = readManifests([file]);
    expect(errors).toEqual([{ path: file, message: 'document 2 is a list, not a Kubernetes object' }]);
    expect(items.map((i) => i.object.metadata.name)).toEqual(['first', 'third']);
  });

  test('a duplicated key is refused, as kubectl would silently keep the last value', () => {
    const file = write(tempDir(), 'dup.yaml', 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: d\ndata:\n  a: "1"\n  a: "2"\n');
    expect(readManifests([file]).errors).toEqual([{ path: file, message: 'line 7 column 3: YAML syntax error: duplicated mapping key (kubectl would keep only the last value)' }]);
  });

  test('UTF-16 with a byte order mark is read, as go-yaml reads it', () => {
    const file = write(tempDir(), 'utf16.yaml', Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(configMap('wide'), 'utf16le')]));
    expect(readManifests([file]).items.map((i) => i.object.metadata.name)).toEqual(['wide']);
  });

  test('a UTF-16 byte order mark before bytes that are not UTF-16 is one error line', () => {
    const file = write(tempDir(), 'odd.yaml', Buffer.from([0xff, 0xfe, 0x61, 0x00, 0x00, 0xd8]));
    expect(readManifests([file]).errors).toEqual([{ path: file, message: 'starts with a UTF-16LE byte order mark but is not UTF-16LE text' }]);
  });
});

describe('loadManifests', () => {
  test('throws an InputError naming the first input it could not use', () => {
    expect(() => loadManifests(['/no/such/path'])).toThrow(new InputError('/no/such/path: no such file or directory (ENOENT)'));
  });
});
