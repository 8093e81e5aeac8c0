import * as yaml from 'js-yaml';
import { KUBECTL_SCHEMA } from '../../lib/validate/kubectl-yaml';
import { yamlDocuments } from '../../lib/validate/yaml-documents';

/** Every document yamlDocuments hands over, as loadAll returns them. */
const loadDocuments = (text: string, options: yaml.LoadOptions): unknown[] => [...yamlDocuments(text, options)];

// loadDocuments reads a text in parts cut at its `---` lines; js-yaml's own reading of the whole
// text is the judge: the same documents, or the same error.

const OPTIONS = { schema: KUBECTL_SCHEMA, filename: 'f.yaml' };

function outcome(read: () => unknown[]): { documents?: unknown[]; error?: string } {
  try {
    return { documents: read() };
  } catch (error) {
    return { error: error instanceof yaml.YAMLException ? error.message : `not a YAMLException: ${String(error)}` };
  }
}

const TRICKY: Record<string, string> = {
  'two documents': 'a: 1\n---\nb: 2\n',
  'markers first and last': '---\na: 1\n---\n',
  'a comment before the first marker, an empty document, a marker with a space': '# c\n---\n---\na: 1\n--- \n',
  'a literal block scalar before a marker': 'a: |\n  x\n---\nb: 1\n',
  'a top-level block scalar whose text runs to column 0': '--- |\nfoo\n---\nbar: 1\n',
  'a plain top-level scalar': 'just text\n---\nb: 1\n',
  'a list document': 'a: 1\n---\n- x\n- y\n',
  'a flow list across a marker (an error)': 'a: [1,\n---\n2]\n',
  'a quoted string across a marker (an error)': "a: 'x\n---\ny'\n",
  'a double-quoted string across a marker (an error)': 'a: "x\n---\ny"\n',
  'an alias of the previous document\'s anchor (an error)': 'a: &x 1\n---\nb: *x\n',
  'anchors and aliases within each document': 'a: &x {k: v}\nb: *x\n---\nc: &x [1]\nd: *x\n',
  'a directive': '%YAML 1.1\n---\na: 1\n---\nb: 2\n',
  'a document end marker': 'a: 1\n...\n---\nb: 2\n',
  'CRLF': 'a: 1\r\n---\r\nb: 2\r\n',
  'a byte order mark': '\uFEFFa: 1\n---\nb: 2\n',
  'a marker with a tab': 'a: 1\n---\t\nb: 2\n',
  'four dashes': 'a: 1\n----\nb: 2\n',
  'a marker with a comment': 'a: 1\n--- # c\nb: 2\n',
  'a marker with content': 'a: 1\n--- {b: 2}\n---\nc: 3\n',
  'a mapping indented after a marker': 'a:\n  b: c\n---\n  d: e\n',
  'a null byte in a later part (an error)': 'a: 1\n---\nb: "\0"\n',
  'only markers': '---\n---\n---\n',
  'a complex key': '? complex\n: key\n---\nb: 1\n',
  'a multi-line plain scalar': 'a: multi\n  line\n---\nb: 1\n',
  'a duplicated key in a later part (an error)': 'a: 1\n---\nb: 1\nb: 2\n',
  'kubectl-typed scalars': 'a: on\nb: 0777\n---\nc: 1_000\nd: yes\n',
  'a tab-indented error later': 'a: 1\n---\nb:\n\t- c\n',
  'no newline at the end': 'a: 1\n---\nb: 2',
  'an empty text': '',
  'a lone carriage return as line break': 'a: 1\r---\rb: 2\r',
};

describe('loadDocuments reads a text as js-yaml reads it whole', () => {
  test.each(Object.entries(TRICKY))('%s', (_, text) => {
    expect(outcome(() => loadDocuments(text, OPTIONS))).toEqual(outcome(() => yaml.loadAll(text, null, OPTIONS)));
  });

  test('2,000 texts made of random parts and separators read the same', () => {
    const parts = [
      'a: 1', 'kind: ConfigMap\ndata:\n  k: v', '- x', 'text', '"quoted"', 'a: |\n  block', 'a: |\n  block\nb: 2', '--- |\nfoo', 'a: [1,', '2]', "'open", 'a: &x 1', 'b: *x',
      'a: {k: v}', '# comment', '', 'a: on', 'a:\n  - b\n  - c', 'a: >\n  folded\n  more', 'k: "x', 'y"', '? q\n: r', 'a:\tb', '%TAG ! tag:x,2000:', '...',
    ];
    const separators = ['\n', '\n---\n', '\n--- \n', '\r\n---\r\n', '\n---\t\n', '\n--- x: 1\n', '\n...\n', '\n---\n---\n', '\n  \n'];
    // A fixed seed: the same texts every run.
    let state = 20261206;
    const next = (n: number) => {
      state = (Math.imul(state, 1103515245) + 12345) >>> 0;
      return state % n;
    };
    let compared = 0;
    for (let i = 0; i < 2000; i++) {
      let text = parts[next(parts.length)];
      for (let k = next(6); k > 0; k--) text += separators[next(separators.length)] + parts[next(parts.length)];
      expect({ text, ...outcome(() => loadDocuments(text, OPTIONS)) }).toEqual({ text, ...outcome(() => yaml.loadAll(text, null, OPTIONS)) });
      compared++;
    }
    expect(compared).toBe(2000);
  });

  test('a text with markers is really read in parts (each part alone), so the parts are what is judged above', () => {
    // js-yaml's listener sees the text each parse reads (its state.input, with the '\n' and the
    // terminating NUL js-yaml adds).
    const inputs = new Set<string>();
    const listener = (_: string, state: { input: string }) => inputs.add(state.input);
    expect(loadDocuments('# c\n---\na: 1\n---\nb: 2\n---\nc: 3\n', { ...OPTIONS, listener })).toEqual([{ a: 1 }, { b: 2 }, { c: 3 }]);
    expect([...inputs]).toEqual(['# c\n---\na: 1\n\0', '---\nb: 2\n\0', '---\nc: 3\n\0']);
  });

  test('yamlDocuments hands each document over before parsing the next part (the first part runs to the second marker)', () => {
    const inputs: string[] = [];
    const listener = (_: string, state: { input: string }) => {
      if (inputs.at(-1) !== state.input) inputs.push(state.input);
    };
    const documents = yamlDocuments('a: 1\n---\nb: 2\n---\nc: 3\n', { ...OPTIONS, listener });
    expect(documents.next()).toEqual({ done: false, value: { a: 1 } });
    expect(inputs).toEqual(['a: 1\n---\nb: 2\n\0']);
    expect(documents.next()).toEqual({ done: false, value: { b: 2 } });
    expect(inputs).toHaveLength(1);
    expect(documents.next()).toEqual({ done: false, value: { c: 3 } });
    expect(inputs).toEqual(['a: 1\n---\nb: 2\n\0', '---\nc: 3\n\0']);
    expect(documents.next()).toEqual({ done: true, value: undefined });
  });

  test('yamlDocuments: after a part that fails, the whole text\'s error comes after the documents already handed over', () => {
    const documents = yamlDocuments('a: 1\n---\nb: 2\n---\nc: [\n', OPTIONS);
    expect(documents.next().value).toEqual({ a: 1 });
    expect(documents.next().value).toEqual({ b: 2 });
    expect(() => documents.next()).toThrow(yaml.YAMLException);
  });
});
