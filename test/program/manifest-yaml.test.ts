import { parseAllDocuments } from 'yaml';
import { toYaml } from '../../lib/program/manifest-yaml';
import { defaultObjects } from '../helpers';

const roundTrip = (objects: unknown[]) => parseAllDocuments(toYaml(objects)).map((doc) => {
  expect(doc.errors).toEqual([]);
  return doc.toJS();
});

describe('toYaml', () => {
  test('the app\'s objects read back identically', () => {
    const objects = defaultObjects();
    expect(roundTrip(objects)).toEqual(objects);
  });

  test.each([
    'true', 'False', 'yes', 'NO', 'on', 'Off', 'y', 'n', 'null', '~', '', ' ', '5432', '0123', '1e3', '.5', '-', '- a', 'a: b', 'a:', '#x', 'x #y',
    '&a', '*a', '!tag', '%x', '@x', '`x', '{a}', '[a]', '"q"', "'q'", '/$1', '/?(.*)', 'line\nbreak', 'tab\t', 'ünï', '2001-12-14', '0x1F', '.inf', '<<',
  ])('the string %j stays a string', (value) => {
    expect(roundTrip([{ value, list: [value], [value || 'empty']: 1 }])).toEqual([{ value, list: [value], [value || 'empty']: 1 }]);
  });

  test('numbers, booleans, null, empty collections and nested lists keep their types', () => {
    const object = { n: 3, f: 1.5, neg: -2, t: true, f2: false, z: null, e: {}, a: [], nested: [[1, 2], [{ a: 1, b: [{}] }]] };
    expect(roundTrip([object])).toEqual([object]);
  });

  test('plain names stay unquoted, as a reviewer expects to read them', () => {
    expect(toYaml([{ image: 'stephengrider/multi-client:0123abc', key: 'app.kubernetes.io/name' }]))
      .toBe('image: stephengrider/multi-client:0123abc\nkey: app.kubernetes.io/name\n');
  });

  test('words that only begin like a YAML 1.1 boolean or null stay plain', () => {
    expect(toYaml([{ name: 'nginx', nodeName: 'yellow', only: 'offline', note: 'nullable', list: ['trueish', 'yes-no'] }]))
      .toBe('name: nginx\nnodeName: yellow\nonly: offline\nnote: nullable\nlist:\n  - trueish\n  - yes-no\n');
  });

  test('null is written as null, in a map and in a list', () => {
    expect(toYaml([{ z: null, list: [null] }])).toBe('z: null\nlist:\n  - null\n');
  });

  test('a key whose value is undefined is left out, as JSON leaves it out', () => {
    expect(toYaml([{ a: undefined, b: 1, c: { d: undefined, e: 2 } }])).toBe('b: 1\nc:\n  e: 2\n');
  });

  test('documents are separated by ---', () => {
    expect(toYaml([{ a: 1 }, { b: 2 }])).toBe('a: 1\n---\nb: 2\n');
  });

  test('values that are not JSON data are refused', () => {
    expect(() => toYaml([{ a: Infinity }])).toThrow('cannot write Infinity to a manifest');
    expect(() => toYaml([{ a: () => 1 }])).toThrow('cannot write a function to a manifest');
  });
});
