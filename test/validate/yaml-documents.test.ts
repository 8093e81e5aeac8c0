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
  // JavaScript's multiline ^ and $ also see U+2028 and U+2029 as line ends; js-yaml does not
  // (js-yaml loader.js is_EOL: only \n and \r end a line), so `---` between them is text, not a marker.
  'three dashes between line separators (U+2028)': 'a: 1\n---\nb: x\u2028---\u2028y\n',
  'three dashes between paragraph separators (U+2029)': 'a: 1\n---\nb: 2\n---\nc: x\u2029---\u2029y\n',
  'a value ending in three dashes': 'a: 1\n---\nb: 2\n---\nc: x---\nd: 1\n',
  'a key starting with three dashes': 'a: 1\n---\nb: 2\n---\nc:\n---x: 1\n',
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

  /** The texts js-yaml parses while yamlDocuments reads `text`, in order, each once (a part, or the whole). */
  function parsedInputs(text: string): string[] {
    const inputs: string[] = [];
    const listener = (_: string, state: { input: string }) => {
      if (inputs.at(-1) !== state.input) inputs.push(state.input);
    };
    expect(outcome(() => loadDocuments(text, { ...OPTIONS, listener }))).toEqual(outcome(() => yaml.loadAll(text, null, OPTIONS)));
    return inputs;
  }

  test('a text with a directive or a document end marker at a line start is read whole; a % elsewhere is no reason to', () => {
    // A directive belongs to the document after it, and `...` ends one: read whole, so a cut can
    // never part a directive from its document.
    expect(parsedInputs('%YAML 1.2\n---\na: 1\n---\nb: 2\n---\nc: 3\n')).toEqual(['%YAML 1.2\n---\na: 1\n---\nb: 2\n---\nc: 3\n\0']);
    expect(parsedInputs('a: 1\n...\n---\nb: 2\n---\nc: 3\n')).toEqual(['a: 1\n...\n---\nb: 2\n---\nc: 3\n\0']);
    expect(parsedInputs('a: 50%\n---\nb: 2\n---\nc: x...\n')).toEqual(['a: 50%\n---\nb: 2\n\0', '---\nc: x...\n\0']);
  });

  test('a marker at the very start is not a cut: the first part runs to the second marker after it', () => {
    expect(parsedInputs('---\na: 1\n---\nb: 2\n---\nc: 3\n')).toEqual(['---\na: 1\n---\nb: 2\n\0', '---\nc: 3\n\0']);
  });

  test('a marker line may end in spaces and tabs, nothing else', () => {
    expect(parsedInputs('a: 1\n--- \nb: 2\n---\t \nc: 3\n')).toEqual(['a: 1\n--- \nb: 2\n\0', '---\t \nc: 3\n\0']);
    expect(parsedInputs('a: 1\n---\nb:\n---x: 1\n---y: 2\n')).toEqual(['a: 1\n---\nb:\n---x: 1\n---y: 2\n\0']);
  });

  test('a marker line may end in \\r\\n or a lone \\r, as js-yaml ends lines', () => {
    expect(parsedInputs('a: 1\r\n---\r\nb: 2\r\n---\r\nc: 3\r\n')).toEqual(['a: 1\r\n---\r\nb: 2\r\n\0', '---\r\nc: 3\r\n\0']);
    expect(parsedInputs('a: 1\r---\rb: 2\r---\rc: 3\r')).toEqual(['a: 1\r---\rb: 2\r\0', '---\rc: 3\r\0']);
  });

  test('a text without a cut is parsed once, even when it fails or is not a mapping', () => {
    // Counted by js-yaml's parser state, one per parse: a second parse of the same text would be work for nothing.
    for (const text of ['just text\n', '- x\n', 'a: [\n', 'a: 1\n---\nb: 2\n', 'a: 1\n---\n- x\n']) {
      const states = new Set<object>();
      const listener = (_: string, state: object) => states.add(state);
      expect({ text, ...outcome(() => loadDocuments(text, { ...OPTIONS, listener })) }).toEqual({ text, ...outcome(() => yaml.loadAll(text, null, OPTIONS)) });
      expect({ text, parses: states.size }).toEqual({ text, parses: 1 });
    }
  });

  test('an error that is not a YAMLException (a listener\'s, a stack overflow) is thrown as it is, not retried on the whole text', () => {
    let calls = 0;
    const failure = new Error('the caller stopped reading');
    const listener = () => {
      calls++;
      if (calls === 1) throw failure;
    };
    const documents = yamlDocuments('a: 1\n---\nb: 2\n---\nc: 3\n', { ...OPTIONS, listener });
    expect(() => documents.next()).toThrow(failure);
    expect(documents.next()).toEqual({ done: true, value: undefined });
  });

  test('a YAMLException of a later part that the whole text does not have: the whole text\'s documents follow, none handed over twice', () => {
    // No text is known to fail in a part yet read whole (the fuzz above looks for one); a listener
    // refusing one part stands in for it, so that the fallback's hand-over is held to loadAll too.
    const text = 'a: 1\n---\nb: 2\n---\nc: 3\n';
    const listener = (_: string, state: { input: string }) => {
      if (state.input === '---\nc: 3\n\0') throw new yaml.YAMLException('this part refused');
    };
    expect(loadDocuments(text, { ...OPTIONS, listener })).toEqual([{ a: 1 }, { b: 2 }, { c: 3 }]);
  });
});
