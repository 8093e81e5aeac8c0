import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as net from 'net';
import * as path from 'path';
import { allowedAliasRatio, describeError, fileType, InputError, loadManifests, MAX_FILE_BYTES, readManifests } from '../../lib/validate/load';
import { COURSE_K8S, tempDir } from '../helpers';
import { configMap, write } from '../support/cli';
import { kubectlReading } from '../support/real-kubectl';

// What no file can do for root, who reads every folder whatever its mode (a folder that cannot be
// listed, a read that fails without an errno, a size that fstat gets wrong), set by a test on the
// real fs, and cleared after each test.
type Faults = { readdirSync?: (dir: string) => string[]; fstatSync?: (fd: number) => fs.Stats; readSync?: () => number };
jest.mock('fs', () => {
  const real = jest.requireActual('fs');
  const faults: Faults = {};
  return {
    ...real,
    faults,
    readdirSync: (...args: unknown[]) => (faults.readdirSync ? faults.readdirSync(args[0] as string) : real.readdirSync(...args)),
    fstatSync: (...args: unknown[]) => (faults.fstatSync ? faults.fstatSync(args[0] as number) : real.fstatSync(...args)),
    readSync: (...args: unknown[]) => (faults.readSync ? faults.readSync() : real.readSync(...args)),
  };
});
const faults = (fs as unknown as { faults: Faults }).faults;
afterEach(() => {
  delete faults.readdirSync;
  delete faults.fstatSync;
  delete faults.readSync;
});

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

describe('readManifests: inputs that are not manifest files', () => {
  test('a named pipe and a socket named like manifests, and a character device named as a path, are one error line each, and none is opened', async () => {
    const dir = tempDir();
    const pipe = path.join(dir, 'pipe.yaml');
    expect(spawnSync('mkfifo', [pipe]).status).toBe(0);
    const socket = path.join(dir, 'sock.yaml');
    const server = net.createServer();
    await new Promise<void>((resolve) => server.listen(socket, resolve));
    try {
      // A pipe opened for reading would wait for a writer: the test would hang, not fail.
      expect(readManifests([dir, '/dev/null'])).toEqual({
        items: [],
        objects: 0,
        files: 0,
        errors: [
          { path: pipe, message: 'a named pipe, not a manifest file: not read' },
          { path: socket, message: 'a socket, not a manifest file: not read' },
          { path: '/dev/null', message: 'a character device, not a manifest file: not read' },
        ],
      });
    } finally {
      await new Promise((resolve) => server.close(resolve));
    }
  });

  test('fileType names a block device, and anything else as not a regular file', () => {
    const stats = (kind: string) => ({ isFIFO: () => kind === 'fifo', isSocket: () => kind === 'socket', isCharacterDevice: () => kind === 'char', isBlockDevice: () => kind === 'block' });
    expect(['fifo', 'socket', 'char', 'block', 'other'].map((kind) => fileType(stats(kind)))).toEqual(['a named pipe', 'a socket', 'a character device', 'a block device', 'not a regular file']);
  });

  test('x.yaml.bak is not a manifest; a dangling symlink matters only under a manifest name, a looping one always', () => {
    const dir = tempDir();
    write(dir, 'x.yaml.bak', 'not: [yaml');
    fs.symlinkSync('nowhere', path.join(dir, 'notes'));
    fs.symlinkSync('loop', path.join(dir, 'loop'));
    fs.symlinkSync('nowhere.yml', path.join(dir, 'gone.yml'));
    expect(readManifests([dir])).toEqual({
      items: [],
      objects: 0,
      files: 0,
      errors: [
        { path: path.join(dir, 'gone.yml'), message: 'no such file or directory (ENOENT)' },
        { path: path.join(dir, 'loop'), message: 'symlink loop (ELOOP)' },
      ],
    });
  });

  test('a path through a file, and a name too long, are named by their errno', () => {
    const file = write(tempDir(), 'a.yaml', configMap('a'));
    const long = path.join(path.dirname(file), `${'n'.repeat(300)}.yaml`);
    expect(readManifests([path.join(file, 'x.yaml'), long]).errors).toEqual([
      { path: path.join(file, 'x.yaml'), message: 'a part of the path is not a folder (ENOTDIR)' },
      { path: long, message: 'name too long (ENAMETOOLONG)' },
    ]);
  });

  test('a file of exactly the size limit is read (here: UTF-16 that ends in half a surrogate pair, refused quickly)', () => {
    const file = path.join(tempDir(), 'limit.yaml');
    fs.writeFileSync(file, Buffer.from([0xff, 0xfe]));
    fs.truncateSync(file, MAX_FILE_BYTES);
    const fd = fs.openSync(file, 'r+');
    fs.writeSync(fd, Buffer.from([0x00, 0xd8]), 0, 2, MAX_FILE_BYTES - 2);
    fs.closeSync(fd);
    expect(readManifests([file]).errors).toEqual([{ path: file, message: 'starts with a UTF-16LE byte order mark but is not UTF-16LE text' }]);
  });

  test('a file whose size reads as 0 (a link to /proc/meminfo) is read to its end, not as the one byte its size suggests', () => {
    // /proc files report size 0 and hold text: readRegularFile reads them in steps until read(2) says the end.
    const dir = tempDir();
    fs.symlinkSync('/proc/meminfo', path.join(dir, 'meminfo.yaml'));
    expect(fs.statSync('/proc/meminfo').size).toBe(0);
    const { items, errors } = readManifests([dir]);
    expect(errors).toEqual([]);
    // The values change from read to read; the keys (one a line, "MemTotal: ... kB") do not.
    const keys = fs.readFileSync('/proc/meminfo', 'utf8').trimEnd().split('\n').map((line) => line.split(':')[0]);
    expect(keys.length).toBeGreaterThan(10);
    expect(items.map((i) => Object.keys(i.object))).toEqual([keys]);
  });

  test('no file is left open', () => {
    const dir = tempDir();
    for (const name of ['a', 'b', 'c']) write(dir, `${name}.yaml`, configMap(name));
    write(dir, 'broken.yaml', 'a: [');
    const open = () => fs.readdirSync('/proc/self/fd').length;
    const before = open();
    expect(readManifests([dir]).items).toHaveLength(3);
    expect(open()).toBe(before);
  });
});

describe('describeError', () => {
  test.each([
    ['EACCES', 'permission denied'], ['EPERM', 'permission denied'], ['ENOENT', 'no such file or directory'], ['ELOOP', 'symlink loop'],
    ['ENOTDIR', 'a part of the path is not a folder'], ['EISDIR', 'is a folder'], ['EIO', 'input/output error'], ['EMFILE', 'too many open files'],
    ['ENFILE', 'too many open files'], ['ENAMETOOLONG', 'name too long'],
  ])('%s is "%s"', (code, text) => {
    expect(describeError(Object.assign(new Error(`${code}: raw text`), { code }))).toBe(`${text} (${code})`);
  });

  test('another code, or none, gives the first line of the message; anything thrown gives its text', () => {
    expect(describeError(Object.assign(new Error('resource busy\n    at somewhere'), { code: 'EBUSY' }))).toBe('resource busy');
    expect(describeError(Object.assign(new Error('odd'), { code: 'toString' }))).toBe('odd');
    expect(describeError('a thrown string')).toBe('a thrown string');
    expect(describeError(null)).toBe('null');
    expect(describeError(undefined)).toBe('undefined');
  });

  test('an InputError says so', () => {
    expect(new InputError('x').name).toBe('InputError');
  });
});

describe('readManifests: bytes and encodings, as go-yaml reads them', () => {
  const notUtf8 = (offset: number, byte: number) => `line 1: not UTF-8 text (byte 0x${byte.toString(16)} at offset ${offset}): kubectl would send U+FFFD in its place`;
  const read = (bytes: number[]) => readManifests([write(tempDir(), 'x.yaml', Buffer.from(bytes))]);

  test.each([
    ['U+007F (one byte)', [0x7f]], ['U+00A9 (lowest two-byte lead)', [0xc2, 0xa9]], ['U+07FF (highest two-byte lead)', [0xdf, 0xbf]],
    ['U+0800 (lowest three-byte lead)', [0xe0, 0xa0, 0x80]], ['U+FFFD (highest three-byte lead)', [0xef, 0xbf, 0xbd]],
    ['U+10000 (lowest four-byte lead)', [0xf0, 0x90, 0x80, 0x80]], ['U+10FFFF (highest four-byte lead)', [0xf4, 0x8f, 0xbf, 0xbf]],
  ])('%s is passed over: the bad byte after it is named', (_name, sequence) => {
    const bytes = [...Buffer.from('a: "'), ...sequence, 0xff, ...Buffer.from('"\n')];
    expect(read(bytes).errors.map((e) => e.message)).toEqual([notUtf8(4 + sequence.length, 0xff)]);
  });

  test.each([
    ['a lone continuation byte', [0x80, 0x41]], ['an overlong lead (0xc1)', [0xc1, 0x81]], ['a lead past U+10FFFF (0xf5)', [0xf5, 0x80, 0x80, 0x80]],
    ['a three-byte lead before ASCII', [0xe0, 0x41, 0x41]],
  ])('%s is named at its first byte', (_name, sequence) => {
    const bytes = [...Buffer.from('a: "'), ...sequence, ...Buffer.from('"\n')];
    expect(read(bytes).errors.map((e) => e.message)).toEqual([notUtf8(4, sequence[0])]);
  });

  test('UTF-16 big-endian with its byte order mark is read', () => {
    const text = Buffer.from(configMap('wide'), 'utf16le').swap16();
    expect(readManifests([write(tempDir(), 'be.yaml', Buffer.concat([Buffer.from([0xfe, 0xff]), text]))]).items.map((i) => i.object.metadata.name)).toEqual(['wide']);
  });

  test.each([
    ['0xff then not 0xfe', [0xff, 0x41, 0x41, 0x41], 0, 0xff], ['0xfe then not 0xff', [0xfe, 0x41, 0x41, 0x41], 0, 0xfe],
    ['0xfe second', [0x61, 0xfe, 0x61, 0x61], 1, 0xfe], ['0xff second', [0x61, 0xff, 0x61, 0x61], 1, 0xff],
  ])('half a byte order mark (%s) is not one: the bytes are not UTF-8', (_name, bytes, offset, byte) => {
    expect(read(bytes).errors.map((e) => e.message)).toEqual([notUtf8(offset, byte)]);
  });
});

describe('readManifests: Lists', () => {
  const nested = (lists: number) => {
    let text = 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: deep\n';
    for (let i = 0; i < lists; i++) text = `apiVersion: v1\nkind: List\nitems:\n  - ${text.trimEnd().split('\n').join('\n    ')}\n`;
    return text;
  };

  test('Lists nest 11 deep; a twelfth is refused', () => {
    expect(readManifests([write(tempDir(), 'ok.yaml', nested(11))]).items.map((i) => i.object.metadata.name)).toEqual(['deep']);
    const file = write(tempDir(), 'deep.yaml', nested(12));
    expect(readManifests([file]).errors).toEqual([{ path: file, message: `document 1${' items[0]'.repeat(11)}: Lists nested more than 10 deep` }]);
  });

  test('only a kind ending in List that has items is opened; items: null is none', () => {
    const file = write(tempDir(), 'kinds.yaml', [
      'apiVersion: v1\nkind: ConfigMapList\nmetadata: {}\n',
      'apiVersion: example.com/v1\nkind: Thing\nitems: [{kind: ConfigMap}]\n',
      'apiVersion: example.com/v1\nkind: 7\nitems: [{kind: ConfigMap}]\n',
      'apiVersion: v1\nkind: List\nitems: null\n',
    ].join('---\n'));
    const { items, errors } = readManifests([file]);
    expect(errors).toEqual([]);
    expect(items.map((i) => i.object.kind)).toEqual(['ConfigMapList', 'Thing', 7]);
  });

  test('an item of a List inside a List is named by both indexes', () => {
    const file = write(tempDir(), 'inner.yaml', 'apiVersion: v1\nkind: List\nitems:\n  - apiVersion: v1\n    kind: ConfigMapList\n    items:\n      - null\n');
    expect(readManifests([file]).errors).toEqual([{ path: file, message: 'document 1 items[0]: items[0] is null, not a Kubernetes object' }]);
  });

  test('each item keeps its own kubectl-typed scalars, at its own paths', () => {
    const item = (name: string, value: string) => `  - {apiVersion: v1, kind: ConfigMap, metadata: {name: ${name}}, data: {flag: ${value}}}`;
    // A typed scalar of the List itself (extra: [on]) belongs to no item.
    const file = write(tempDir(), 'two.yaml', `apiVersion: v1\nkind: List\nextra: [on]\nitems:\n${item('a', 'on')}\n${item('b', '0777')}\n`);
    expect(readManifests([file]).items.map((i) => i.kubectlScalars)).toEqual([
      [{ segments: ['data', 'flag'], source: 'on', value: true }],
      [{ segments: ['data', 'flag'], source: '0777', value: 511 }],
    ]);
  });
});

describe('readManifests: kubectl-typed scalars and anchors', () => {
  test('a typed scalar is found in every document, however the parser hands them over (a part of two documents; a text read whole after a part failed)', () => {
    const cm = (name: string, data = '') => `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: ${name}\n${data}`;
    // The third part holds two documents, parsed together: the typed scalar is in the second.
    const parts = write(tempDir(), 'parts.yaml', `${cm('a')}---\n${cm('b')}---\n${cm('c')}--- {apiVersion: v1, kind: ConfigMap, metadata: {name: d}, data: {flag: on}}\n`);
    expect(readManifests([parts]).items.map((i) => [i.object.metadata.name, i.kubectlScalars ?? []])).toEqual([
      ['a', []], ['b', []], ['c', []], ['d', [{ segments: ['data', 'flag'], source: 'on', value: true }]],
    ]);
    // A list document sends the reader to the whole text: the documents after it come from that reading.
    const whole = write(tempDir(), 'whole.yaml', `${cm('a')}---\n${cm('b')}---\n- a list\n---\n${cm('e', 'data:\n  flag: yes\n')}`);
    const read = readManifests([whole]);
    expect(read.items.map((i) => [i.object.metadata.name, i.kubectlScalars ?? []])).toEqual([
      ['a', []], ['b', []], ['e', [{ segments: ['data', 'flag'], source: 'yes', value: true }]],
    ]);
    expect(read.errors).toEqual([{ path: whole, message: 'document 3 is a list, not a Kubernetes object' }]);
  });

  test('typed scalars in lists and maps become plain values, in plain data properties; at the document root one is named (document)', () => {
    const file = write(tempDir(), 'typed.yaml', 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: t\ndata:\n  list: [on, 0777]\n  flag: yes\n');
    const [item] = readManifests([file]).items;
    expect(item.object.data).toEqual({ list: [true, 511], flag: true });
    expect(Object.getOwnPropertyDescriptor(item.object.data, 'flag')).toEqual({ value: true, writable: true, enumerable: true, configurable: true });
    const root = write(tempDir(), 'inf.yaml', '.inf\n');
    expect(readManifests([root]).errors).toEqual([{ path: root, message: 'document 1: (document): .inf is not a number JSON can hold: kubectl refuses the file' }]);
  });

  test('anchors and aliases of maps and lists, used a few times, are read', () => {
    const file = write(tempDir(), 'anchors.yaml', 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: a\n  labels: &labels {app: web, tier: front}\n  annotations: *labels\nx:\n  list: &list [a, b]\n  again: [*list, *list, {l: *labels}]\n');
    const { items, errors } = readManifests([file]);
    expect(errors).toEqual([]);
    expect(items[0].object.x.again).toEqual([['a', 'b'], ['a', 'b'], { l: { app: 'web', tier: 'front' } }]);
  });

  // Each shape's first refused count was found against kubectl 1.32 (a bisection with `kubectl
  // label --local`); the validator counts nodes as goyaml.v2 does and refuses from the same count.
  const head = 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: x\nx:\n';
  const nine = '[1, 2, 3, 4, 5, 6, 7, 8, 9]';
  test.each([
    ['a list of nine', 66125, (n: number) => `${head}  a: &a ${nine}\n  b: [${Array(n).fill('*a').join(', ')}]\n`],
    ['a map of four', 76414, (n: number) => `${head}  a: &a {k1: 1, k2: 2, k3: 3, k4: 4}\n  b: [${Array(n).fill('*a').join(', ')}]\n`],
    ['a list of nine nulls', 66125, (n: number) => `${head}  a: &a [~, ~, ~, ~, ~, ~, ~, ~, ~]\n  b: [${Array(n).fill('*a').join(', ')}]\n`],
    ['a list of three lists of three', 46330, (n: number) => `${head}  a: &a [[1, 2, 3], [4, 5, 6], [7, 8, 9]]\n  b: [${Array(n).fill('*a').join(', ')}]\n`],
    ['a list of nine aliases of a list of nine', 3475, (n: number) => `${head}  a: &a ${nine}\n  b: &b [${Array(9).fill('*a').join(', ')}]\n  c: [${Array(n).fill('*b').join(', ')}]\n`],
  ])('aliases of %s: refused from %d, read below, as kubectl does', (_name, refusedFrom, make) => {
    const dir = tempDir();
    const below = write(dir, 'below.yaml', make(refusedFrom - 1));
    const at = write(dir, 'at.yaml', make(refusedFrom));
    expect(readManifests([below]).errors).toEqual([]);
    expect(readManifests([at]).errors).toEqual([{ path: at, message: 'document 1: document contains excessive aliasing (an alias bomb): kubectl refuses it' }]);
    const [kubectlBelow, kubectlAt] = [kubectlReading(below), kubectlReading(at)];
    if (kubectlBelow.available) {
      expect(kubectlBelow.stderr).toBeUndefined();
      expect(kubectlAt.stderr).toContain('excessive aliasing');
    }
  });

  test('the alias ratio allowed falls from 99% at 400,000 nodes to 10% at 4,000,000 (goyaml.v2 allowedAliasRatio)', () => {
    expect([400_000, 4_000_000, 5_000_000].map(allowedAliasRatio)).toEqual([0.99, 0.1, 0.1]);
    expect(allowedAliasRatio(2_200_000)).toBeCloseTo(0.545, 12);
    expect(allowedAliasRatio(400_001)).toBeLessThan(0.99);
    expect(allowedAliasRatio(3_999_999)).toBeGreaterThan(0.1);
  });
});

describe('readManifests: folders and files that change or fail under the reader', () => {
  const realFs = jest.requireActual<typeof fs>('fs');
  const names = (dir: string, result: { items: { file: string }[] }) => result.items.map((i) => path.relative(dir, i.file));

  test('a folder listed in another order (as on Windows) is still read in byte order of names: ｚ (EF BD 9A) before 😀 (F0 9F 98 80), which UTF-16 order swaps', () => {
    const dir = tempDir();
    for (const name of ['😀', 'ｚ', 'a', 'B']) write(dir, `${name}.yaml`, configMap('x'));
    faults.readdirSync = (folder) => realFs.readdirSync(folder).reverse();
    expect(names(dir, readManifests([dir]))).toEqual(['B.yaml', 'a.yaml', 'ｚ.yaml', '😀.yaml']);
  });

  test('a folder that cannot be listed is one error line; the paths beside it are still read', () => {
    const dir = tempDir();
    write(dir, 'a.yaml', configMap('a'));
    write(dir, 'locked/b.yaml', configMap('b'));
    const locked = path.join(dir, 'locked');
    faults.readdirSync = (folder) => {
      if (folder === locked) throw Object.assign(new Error(`EACCES: permission denied, scandir '${folder}'`), { code: 'EACCES' });
      return realFs.readdirSync(folder);
    };
    const result = readManifests([dir]);
    expect(result.errors).toEqual([{ path: locked, message: 'permission denied (EACCES)' }]);
    expect(names(dir, result)).toEqual(['a.yaml']);
  });

  test('a file swapped for a named pipe after the folder was walked is not read', () => {
    const dir = tempDir();
    write(dir, 'a.yaml', configMap('a'));
    const b = write(dir, 'b.yaml', configMap('b'));
    // Done while a.yaml's objects are handed over: b.yaml was found a regular file before.
    const into = { add: () => { if (fs.statSync(b).isFile()) { fs.unlinkSync(b); expect(spawnSync('mkfifo', [b]).status).toBe(0); } }, mark: () => () => {} };
    expect(readManifests([dir], { into }).errors).toEqual([{ path: b, message: 'a named pipe, not a manifest file: not read' }]);
  });

  test('a file over the size limit is refused by its size, unread', () => {
    const file = path.join(tempDir(), 'huge.yaml');
    fs.writeFileSync(file, '');
    fs.truncateSync(file, 2 ** 30);
    expect(readManifests([file]).errors).toEqual([{ path: file, message: '1024 MiB or more, over the 64 MiB limit for one file: not read (split it)' }]);
  });

  test('a file longer than its size said (one growing while read) is read to its end, and refused once over the limit', () => {
    const dir = tempDir();
    const long = write(dir, 'long.yaml', configMap('long', [`  big: ${'x'.repeat(200_000)}`]));
    const over = path.join(dir, 'over.yaml');
    fs.writeFileSync(over, '');
    fs.truncateSync(over, MAX_FILE_BYTES + 1);
    faults.fstatSync = (fd) => Object.assign(realFs.fstatSync(fd), { size: 10 });
    const result = readManifests([long, over]);
    expect(result.items.map((i) => i.object.data.big.length)).toEqual([200_000]);
    expect(result.errors).toEqual([{ path: over, message: '64 MiB or more, over the 64 MiB limit for one file: not read (split it)' }]);
  });

  test('a file is read into a buffer of its size and one byte to see the end (not 64 KiB for each small file); a size of 0 (/proc) in 64 KiB steps', () => {
    const dir = tempDir();
    const file = write(dir, 'small.yaml', 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: small\n'.padEnd(100, '#'));
    fs.symlinkSync('/proc/meminfo', path.join(dir, 'meminfo.yaml'));
    const allocated = (p: string) => {
      const spy = jest.spyOn(Buffer, 'allocUnsafe');
      try {
        readManifests([p]);
        return spy.mock.calls.map(([size]) => size);
      } finally {
        spy.mockRestore();
      }
    };
    expect(allocated(file)).toEqual([101, 1]);
    expect(allocated(path.join(dir, 'meminfo.yaml'))).toEqual([65536, 65536]);
  });

  test('a read that fails costs its file one line: the errno explained, or "could not be read" and the first line of the error', () => {
    const dir = tempDir();
    const eio = write(dir, 'eio.yaml', configMap('a'));
    const odd = write(dir, 'odd.yaml', configMap('b'));
    faults.readSync = () => { throw Object.assign(new Error('EIO: i/o error, read'), { code: 'EIO' }); };
    expect(readManifests([eio]).errors).toEqual([{ path: eio, message: 'input/output error (EIO)' }]);
    faults.readSync = () => { throw new Error('the disk went away\n    at somewhere'); };
    expect(readManifests([odd]).errors).toEqual([{ path: odd, message: 'could not be read: the disk went away' }]);
  });
});

describe('readManifests: nesting, JSON and what the caller passes', () => {
  // encoding/json maxNestingDepth (src/encoding/json/scanner.go) is 10,000; js-yaml's recursion ends near 3,000 (TOO_DEEP).
  const nested = (depth: number, name: string) => `{"apiVersion": "v1", "kind": "ConfigMap", "metadata": {"name": "${name}"}, "x": ${'['.repeat(depth)}${']'.repeat(depth)}}`;

  test('JSON nested 9,999 deep is read (parsed without recursion; kubectl reads it to 10,000), an & in its strings or not; YAML as deep is one line', () => {
    const dir = tempDir();
    const json = write(dir, 'deep.json', nested(9999, 'deep'));
    const yamlFile = write(dir, 'deep.yaml', `x: ${'['.repeat(9999)}${']'.repeat(9999)}\n`);
    // An & in a JSON file is no anchor: it once sent the values through the anchor walk, which recursed too deep.
    const amp = write(dir, 'amp.json', `${nested(9999, 'a&b')}\n${nested(1, 'second')}`);
    const result = readManifests([json, yamlFile, amp]);
    expect(result.items.map((i) => i.object.metadata.name)).toEqual(['deep', 'a&b', 'second']);
    expect(result.errors).toEqual([{ path: yamlFile, message: 'nested too deep for this validator to read' }]);
  });

  test('a YAML text that begins with a JSON list is YAML to kubectl: its duplicated key is refused', () => {
    const file = write(tempDir(), 'list.yaml', '[{"a": 1, "a": 2}]\n');
    expect(readManifests([file]).errors).toEqual([{ path: file, message: 'line 1 column 11: YAML syntax error: duplicated mapping key (kubectl would keep only the last value)' }]);
  });

  test('a JSON syntax error after a blank first line, and a YAML error at the end of a line after JSON, are placed by line and column', () => {
    const dir = tempDir();
    const cm = '{"apiVersion": "v1", "kind": "ConfigMap", "metadata": {"name": "j"}}';
    const json = write(dir, 'a.json', `\n${cm}\n${cm}\nnot json\n`);
    const mixed = write(dir, 'b.json', `${cm}\na: !!int x\n`);
    expect(readManifests([json, mixed]).errors.map((e) => e.message.split(': ').slice(0, 2).join(': '))).toEqual([
      'line 4 column 1: JSON syntax error',
      'line 2 column 11: YAML syntax error',
    ]);
  });

  test('the objects are handed to ReadOptions.into a document at a time; a List without items hands over nothing', () => {
    const file = write(tempDir(), 'x.yaml', `apiVersion: v1\nkind: List\nitems: []\n---\n${configMap('a')}`);
    const added: string[][] = [];
    const result = readManifests([file], { into: { add: (items) => { added.push(items.map((i) => i.object.metadata.name)); }, mark: () => () => {} } });
    expect(added).toEqual([['a']]);
    expect(result).toEqual({ items: [], objects: 1, files: 1, errors: [] });
  });

  test('what ReadOptions.into throws is the caller\'s: it comes out of readManifests, for YAML and JSON files alike', () => {
    const dir = tempDir();
    const yamlFile = write(dir, 'a.yaml', configMap('a'));
    const json = write(dir, 'b.json', '{"apiVersion": "v1", "kind": "ConfigMap", "metadata": {"name": "b"}}');
    const into = { add: () => { throw new Error('the sink is full'); }, mark: () => () => {} };
    expect(() => readManifests([yamlFile], { into })).toThrow('the sink is full');
    expect(() => readManifests([json], { into })).toThrow('the sink is full');
  });
});
