import * as yaml from 'js-yaml';

/**
 * A file's YAML documents, as `yaml.loadAll(text, null, options)` gives them, read a part at a
 * time and handed over one at a time as each is parsed.
 *
 * Why: js-yaml parses every document of a text before it returns any, so each document's tree
 * stays alive while the next ones are parsed, and V8's young-generation collections copy them
 * again and again. Parsing the same files cut at their `---` lines took a quarter to three
 * quarters of the CPU (measured 2026-12-06, Node 20, on the bench's hostile shapes, js-yaml
 * alone: lists nested 1,000 deep 7.7-8.9 s whole, 2.0-2.4 s in parts; the deep-nesting shape
 * 8.8 s and 3.2 s; 50 MB of Pod+Service+NetworkPolicy sets 3.9 s and 2.8 s).
 *
 * The cut is only where it cannot change what is read: at a line that is `---` alone (js-yaml
 * ends any node there: loader.js testDocumentSeparator), each part but the first starting with
 * its marker, so each reads as exactly the documents it held in the whole text (the first part
 * runs to the second marker: before the first there may be a comment alone, the preamble of the
 * first document, which read alone would be a document of its own); anchors and tags
 * are per document (readDocument resets anchorMap and tagMap). A text with a line starting with
 * `%` (a directive, which belongs to the next document) or `...` (a document end) is read whole,
 * and so is a text where any part fails or holds a document that is not a mapping (a top-level
 * block scalar may run past a `---` line): its error, or its documents, are then the whole
 * text's own. test/validate/yaml-documents.test.ts holds the parts' reading to the whole one.
 *
 * Handed over one at a time, so a caller that is done with one before asking for the next
 * keeps one document's tree alive, not the file's (a file of 200 lists nested 1,000 deep: 2.6 s of CPU read whole, 1.5 s a document at
 * a time, mostly young-generation collections copying the trees that wait). When the whole text
 * must be read (a part fails, or holds a document that is not a mapping), the documents already
 * handed over are the first of the whole text's too (the test holds the concatenation to
 * `loadAll`), and the rest follow from it; if the whole text fails, its error is thrown after
 * them: a caller that must not use a file with an error undoes what it did with them.
 */
export function* yamlDocuments(text: string, options: yaml.LoadOptions): Generator<unknown, void, undefined> {
  if (/^(?:%|\.\.\.)/m.test(text)) {
    yield* yaml.loadAll(text, null, options);
    return;
  }
  // Not at the first marker: what comes before it may be a comment alone, which is the first
  // document's preamble in the whole text but a document of its own (null) when read alone.
  // A line is what js-yaml counts as one: it ends at \n or \r only (js-yaml loader.js is_EOL), not at U+2028 or
  // U+2029 as JavaScript's multiline ^ and $ would, so lookarounds, not the m flag.
  const cuts = [...text.matchAll(/(?<![^\n\r])---[ \t]*(?![^\n\r])/g)].map((match) => match.index).filter((at) => at > 0).slice(1);
  if (cuts.length === 0) {
    yield* yaml.loadAll(text, null, options);
    return;
  }
  let handed = 0;
  let from = 0;
  for (const to of [...cuts, text.length]) {
    let part: unknown[];
    try {
      part = yaml.loadAll(text.slice(from, to), null, options);
    } catch (error) {
      if (!(error instanceof yaml.YAMLException)) throw error;
      yield* yaml.loadAll(text, null, options).slice(handed);
      return;
    }
    for (let i = 0; i < part.length; i++) {
      const document = part[i];
      if (document !== null && (typeof document !== 'object' || Array.isArray(document))) {
        yield* yaml.loadAll(text, null, options).slice(handed);
        return;
      }
      // Not kept here once handed over: the caller's use of it is the only reference left.
      part[i] = undefined;
      handed++;
      yield document;
    }
    from = to;
  }
}
