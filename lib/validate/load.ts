import { isUtf8 } from 'buffer';
import * as fs from 'fs';
import * as yaml from 'js-yaml';
import * as path from 'path';
import { jsonValues, JsonStreamError, looksLikeJson } from './json-stream';
import { KUBECTL_SCHEMA, KubectlScalar, TypedScalar, typedScalarCount } from './kubectl-yaml';
import { Located, objectPath } from './problem';
import { yamlDocuments } from './yaml-documents';

/** Input that cannot be read at all: a missing path, a YAML syntax error. */
export class InputError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'InputError';
  }
}

/** One input the validator could not use, with why: one `error:` line of its output. */
export interface InputProblem {
  /** The file or folder, as the user named it (or as found inside a named folder). */
  readonly path: string;
  /** Why it could not be used, e.g. `permission denied (EACCES)`. */
  readonly message: string;
}

/** What reading the inputs gave: the objects, and every input that could not be used. */
export interface LoadResult {
  /** Every object, in a stable order: paths as given, folders in byte order of names (none when ReadOptions.into took them). */
  readonly items: Located[];
  /** How many objects were read. */
  readonly objects: number;
  /** Manifest files read (empty ones included). */
  readonly files: number;
  /** Inputs that could not be used; every other input was still read. */
  readonly errors: InputProblem[];
}

// js-yaml's recursion ends near 3,000 levels, before kubectl's own limit of 10,000 (goyaml.v2
// scannerc.go max_flow_level and max_indents); no manifest comes near either.
const TOO_DEEP = 'nested too deep for this validator to read';

const MANIFEST_FILE = /\.(ya?ml|json)$/i;

/** Files larger than this are refused unread: a manifest folder never holds one this big. */
export const MAX_FILE_BYTES = 64 * 1024 * 1024;


// Not the user's locale: `ls` in one locale and another would otherwise disagree on the order.
function byteOrder(a: string, b: string): number {
  return Buffer.compare(Buffer.from(a, 'utf8'), Buffer.from(b, 'utf8'));
}

/** One line for what went wrong reading an input: the errno code explained, or the first line of the error. */
export function describeError(error: unknown): string {
  const code = (error as NodeJS.ErrnoException)?.code;
  const known: Record<string, string> = {
    EACCES: 'permission denied', EPERM: 'permission denied', ENOENT: 'no such file or directory', ELOOP: 'symlink loop',
    ENOTDIR: 'a part of the path is not a folder', EISDIR: 'is a folder', EIO: 'input/output error', EMFILE: 'too many open files',
    ENFILE: 'too many open files', ENAMETOOLONG: 'name too long',
  };
  if (code && Object.hasOwn(known, code)) return `${known[code]} (${code})`;
  const message = error instanceof Error ? error.message : String(error);
  return message.split('\n')[0];
}

/** What a path that is not a regular file is, for its error line. */
export function fileType(stat: Pick<fs.Stats, 'isFIFO' | 'isSocket' | 'isCharacterDevice' | 'isBlockDevice'>): string {
  if (stat.isFIFO()) return 'a named pipe';
  if (stat.isSocket()) return 'a socket';
  if (stat.isCharacterDevice()) return 'a character device';
  if (stat.isBlockDevice()) return 'a block device';
  return 'not a regular file';
}

/** A manifest file to read, or an input that could not be used, in the order they were found. */
type Entry = { readonly file: string } | { readonly error: InputProblem };

/** Every manifest file under the paths, folders searched recursively; nothing is opened. */
function manifestFiles(paths: readonly string[]): Entry[] {
  const found: Entry[] = [];
  for (const p of paths) {
    let stat: fs.Stats;
    try {
      stat = fs.statSync(p);
    } catch (error) {
      found.push({ error: { path: p, message: describeError(error) } });
      continue;
    }
    if (stat.isDirectory()) walk(p, [`${stat.dev}:${stat.ino}`], found);
    else if (stat.isFile()) found.push({ file: p });
    else found.push({ error: { path: p, message: `${fileType(stat)}, not a manifest file: not read` } });
  }
  return found;
}

function walk(dir: string, ancestors: readonly string[], found: Entry[]): void {
  let names: string[];
  try {
    names = fs.readdirSync(dir).sort(byteOrder);
  } catch (error) {
    found.push({ error: { path: dir, message: describeError(error) } });
    return;
  }
  for (const name of names) {
    const full = path.join(dir, name);
    let stat: fs.Stats;
    try {
      stat = fs.statSync(full);
    } catch (error) {
      // A dangling or looping symlink matters only where a manifest was expected.
      if (MANIFEST_FILE.test(name) || (error as NodeJS.ErrnoException).code === 'ELOOP') found.push({ error: { path: full, message: describeError(error) } });
      continue;
    }
    if (stat.isDirectory()) {
      if (name === 'node_modules' || name.startsWith('.')) continue;
      const id = `${stat.dev}:${stat.ino}`;
      if (ancestors.includes(id)) {
        found.push({ error: { path: full, message: 'symlink loop: leads back to a folder being read' } });
        continue;
      }
      walk(full, [...ancestors, id], found);
    } else if (MANIFEST_FILE.test(name)) {
      if (stat.isFile()) found.push({ file: full });
      else found.push({ error: { path: full, message: `${fileType(stat)}, not a manifest file: not read` } });
    }
  }
}

/**
 * Reads a regular file, at most MAX_FILE_BYTES. Opened non-blocking and checked again once
 * open, so that a file swapped for a named pipe or a device after the walk is neither waited
 * on nor read.
 */
function readRegularFile(file: string): Buffer {
  const fd = fs.openSync(file, fs.constants.O_RDONLY | fs.constants.O_NONBLOCK);
  try {
    const stat = fs.fstatSync(fd);
    if (!stat.isFile()) throw new InputError(`${fileType(stat)}, not a manifest file: not read`);
    if (stat.size > MAX_FILE_BYTES) throw new InputError(tooBig(stat.size));
    const chunks: Buffer[] = [];
    let total = 0;
    for (;;) {
      // The size stat gives, plus one byte to see the end; /proc files say 0 and are read in 64 KiB
      // steps, as is a file that grew. Not 64 KiB at least for every file: 120,000 small files
      // allocated 7.8 GB for 50 MB of text.
      const want = stat.size - total + 1;
      const chunk = Buffer.allocUnsafe(stat.size === 0 || want < 1 ? 1 << 16 : Math.min(want, 1 << 20));
      const read = fs.readSync(fd, chunk, 0, chunk.length, null);
      if (read === 0) break;
      total += read;
      if (total > MAX_FILE_BYTES) throw new InputError(tooBig(total));
      chunks.push(read === chunk.length ? chunk : chunk.subarray(0, read));
    }
    return chunks.length === 1 ? chunks[0] : Buffer.concat(chunks, total);
  } finally {
    fs.closeSync(fd);
  }
}

function tooBig(bytes: number): string {
  return `${(bytes / 2 ** 20).toFixed(0)} MiB or more, over the ${MAX_FILE_BYTES / 2 ** 20} MiB limit for one file: not read (split it)`;
}

/** Decodes text as go-yaml does: UTF-8, or UTF-16 when a byte order mark says so. */
function decode(bytes: Buffer): string {
  const utf16 = bytes[0] === 0xff && bytes[1] === 0xfe ? 'utf-16le' : bytes[0] === 0xfe && bytes[1] === 0xff ? 'utf-16be' : undefined;
  if (utf16) {
    try {
      return new TextDecoder(utf16, { fatal: true }).decode(bytes);
    } catch {
      throw new InputError(`starts with a ${utf16.toUpperCase()} byte order mark but is not ${utf16.toUpperCase()} text`);
    }
  }
  if (!isUtf8(bytes)) {
    const offset = firstInvalidUtf8(bytes);
    const line = bytes.subarray(0, offset).filter((b) => b === 0x0a).length + 1;
    throw new InputError(`line ${line}: not UTF-8 text (byte 0x${bytes[offset].toString(16).padStart(2, '0')} at offset ${offset}): kubectl would send U+FFFD in its place`);
  }
  return bytes.toString('utf8');
}

function firstInvalidUtf8(bytes: Buffer): number {
  for (let i = 0; i < bytes.length;) {
    const b = bytes[i];
    const length = b < 0x80 ? 1 : b >= 0xc2 && b <= 0xdf ? 2 : b >= 0xe0 && b <= 0xef ? 3 : b >= 0xf0 && b <= 0xf4 ? 4 : 0;
    if (length === 0 || !isUtf8(bytes.subarray(i, i + length))) return i;
    i += length;
  }
  return 0;
}

// goyaml.v2 decode.go allowedAliasRatio: the share of a document's decoded nodes that may come from
// expanding aliases, 99% up to 400,000 nodes, falling to 10% at 4,000,000.
export function allowedAliasRatio(decoded: number): number {
  if (decoded <= 400_000) return 0.99;
  if (decoded >= 4_000_000) return 0.1;
  return 0.99 - 0.89 * ((decoded - 400_000) / 3_600_000);
}

interface Walked {
  readonly scalars: KubectlScalar[];
}

/** A mapping or sequence node of the parsed document (a TypedScalar is a scalar). */
function isCollection(value: unknown): value is object {
  return value !== null && typeof value === 'object' && !(value instanceof TypedScalar);
}

/**
 * Walks a parsed document once: replaces each TypedScalar by its value (noting where it was)
 * and, when the text has anchors, refuses alias cycles and alias bombs as goyaml.v2 does
 * (decode.go unmarshal: "document contains excessive aliasing"). goyaml counts every node it
 * decodes, the document, each key and each value, and an alias once itself and then each node of
 * what it expands to as aliased; it checks the ratio at every node. js-yaml shares an aliased
 * collection instead of copying it, so an alias bomb costs nothing to parse; it is every later
 * walk over the object that would never end. So the walk counts an alias by the size its target
 * expands to, computed once. Two readings differ from goyaml's: an alias of a scalar is the
 * scalar's value here (one node, not two), and a merge key's entries are the mapping's own.
 */
function walkDocument(document: unknown, hasAnchors: boolean): Walked {
  const scalars: KubectlScalar[] = [];
  // The nodes each collection expands to, itself included, once its walk is done.
  const sizes = new Map<object, number>();
  const open = new Set<object>();
  let decoded = 0;
  let aliased = 0;

  const count = (nodes: number, viaAlias: boolean): void => {
    decoded += nodes;
    if (viaAlias) aliased += nodes;
    if (aliased > 100 && decoded > 1000 && aliased / decoded > allowedAliasRatio(decoded)) {
      throw new InputError('document contains excessive aliasing (an alias bomb): kubectl refuses it');
    }
  };

  const visit = (node: unknown, segments: (string | number)[]): unknown => {
    if (hasAnchors) count(1, false);
    if (node instanceof TypedScalar) {
      if (typeof node.value === 'number' && !Number.isFinite(node.value)) {
        throw new InputError(`${objectPath(segments) || '(document)'}: ${node.source} is not a number JSON can hold: kubectl refuses the file`);
      }
      scalars.push({ segments: [...segments], source: node.source, value: node.value });
      return node.value;
    }
    if (!isCollection(node)) return node;
    if (hasAnchors) open.add(node);
    let size = 1;
    // One child: an alias (a collection seen before) is counted, not walked again.
    const child = (value: unknown): unknown => {
      if (hasAnchors && isCollection(value)) {
        if (open.has(value)) throw new InputError('an alias refers to a node that contains it');
        const expands = sizes.get(value);
        if (expands !== undefined) {
          count(1, false);
          count(expands, true);
          size += 1 + expands;
          return value;
        }
      }
      const result = visit(value, segments);
      size += hasAnchors && isCollection(value) ? (sizes.get(value) as number) : 1;
      return result;
    };
    if (Array.isArray(node)) {
      for (let i = 0; i < node.length; i++) {
        segments.push(i);
        const value = child(node[i]);
        if (value !== node[i]) node[i] = value;
        segments.pop();
      }
    } else {
      const record = node as Record<string, unknown>;
      for (const key of Object.keys(record)) {
        if (hasAnchors) {
          count(1, false);
          size += 1;
        }
        segments.push(key);
        const value = child(record[key]);
        if (value !== record[key]) Object.defineProperty(record, key, { value, writable: true, enumerable: true, configurable: true });
        segments.pop();
      }
    }
    if (hasAnchors) {
      open.delete(node);
      sizes.set(node, size);
    }
    return node;
  };

  // The document node itself.
  if (hasAnchors) count(1, false);
  visit(document, []);
  return { scalars };
}

function typeOf(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'a list';
  return typeof value === 'object' ? 'a map' : `a ${typeof value}`;
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** kubectl opens any `*List` with items into its items, lists inside lists too. */
function openLists(file: string, object: Record<string, unknown>, scalars: readonly KubectlScalar[], where: string, out: Located[], depth = 0): void {
  const isList = typeof object.kind === 'string' && object.kind.endsWith('List') && 'items' in object;
  if (!isList) {
    out.push(scalars.length ? { file, object, kubectlScalars: scalars } : { file, object });
    return;
  }
  const items = object.items ?? [];
  if (!Array.isArray(items)) throw new InputError(`${where}: ${object.kind} items is ${typeOf(items)}, not a list of objects`);
  items.forEach((item, i) => {
    if (!isPlainObject(item)) throw new InputError(`${where}: items[${i}] is ${typeOf(item)}, not a Kubernetes object`);
    const own = scalars.filter((s) => s.segments[0] === 'items' && s.segments[1] === i).map((s) => ({ ...s, segments: s.segments.slice(2) }));
    if (depth > 10) throw new InputError(`${where}: Lists nested more than 10 deep`);
    openLists(file, item, own, `${where} items[${i}]`, out, depth + 1);
  });
}

/** `line L column C` (from 1) of an offset in a text; a column counts UTF-16 units, as js-yaml's marks do. */
function lineColumn(text: string, offset: number): string {
  let line = 1;
  let start = 0;
  for (let i = text.indexOf('\n'); i >= 0 && i < offset; i = text.indexOf('\n', i + 1)) {
    line++;
    start = i + 1;
  }
  return `line ${line} column ${offset - start + 1}`;
}

/**
 * Parses one file's text into objects, handing each document's to `take` as soon as it is read
 * (so one document's tree is alive at a time, not the file's). A YAML or JSON syntax error makes
 * the whole file unusable (throws InputError, possibly after `take` got earlier documents: the
 * caller takes them back); a document that is not an object is one error, and the file's other
 * documents are still read.
 */
function parseFile(file: string, text: string, take: (items: Located[]) => void, errors: InputProblem[]): void {
  const hasAnchors = text.includes('&');
  // A document that made no kubectl-typed scalar (counted as the parser makes them) and a file
  // without anchors need no walk (most have neither). Counted from the file's start, not per
  // document: js-yaml parses a part, or the whole text, before handing over its first document.
  const typedBefore = typedScalarCount();
  let number = 0;
  // JSON values skip the walk: they hold no anchors and no kubectl-typed scalar (json-stream.ts
  // makes them, not js-yaml), and kubectl reads JSON nested deeper than the walk's recursion
  // could follow (10,000 levels; an `&` in any string made such a file "nested too deep").
  const document = (value: unknown, fromYaml: boolean) => {
    number += 1;
    const where = `document ${number}`;
    // An empty document (comments, `---` alone) is null in js-yaml's loadAll.
    if (value === null) return;
    const found: Located[] = [];
    try {
      const walked = fromYaml && (hasAnchors || typedScalarCount() !== typedBefore) ? walkDocument(value, hasAnchors) : { scalars: [] };
      if (!isPlainObject(value)) throw new InputError(`${where} is ${typeOf(value)}, not a Kubernetes object`);
      openLists(file, value, walked.scalars, where, found);
    } catch (error) {
      // The walk (YAML only) recurses no deeper than js-yaml did, so a RangeError cannot start here.
      if (error instanceof InputError) {
        errors.push({ path: file, message: error.message.startsWith(where) ? error.message : `${where}: ${error.message}` });
        return;
      }
      throw error;
    }
    if (found.length) take(found);
  };
  // kubectl reads a text that begins with `{` as JSON values (json-stream.ts), YAML after them if at all.
  let yamlFrom: number | undefined = 0;
  if (looksLikeJson(text)) {
    const values = jsonValues(text);
    try {
      for (let next = values.next(); ; next = values.next()) {
        if (next.done) {
          yamlFrom = next.value;
          break;
        }
        document(next.value, false);
      }
    } catch (error) {
      if (error instanceof JsonStreamError) throw new InputError(`${lineColumn(text, error.offset)}: JSON syntax error: ${error.message}`);
      throw error;
    }
  }
  if (yamlFrom === undefined) return;
  const documents = yamlDocuments(yamlFrom ? text.slice(yamlFrom) : text, { schema: KUBECTL_SCHEMA, filename: file });
  for (;;) {
    let next: IteratorResult<unknown>;
    try {
      next = documents.next();
    } catch (error) {
      if (error instanceof yaml.YAMLException) {
        // js-yaml's loader gives every error it throws a mark (loader.js generateError).
        const { mark } = error as yaml.YAMLException & { mark: yaml.Mark };
        // kubectl keeps the last of duplicated keys without a word; the validator will not guess.
        const reason = error.reason === 'duplicated mapping key' ? `${error.reason} (kubectl would keep only the last value)` : error.reason;
        // After JSON values, js-yaml's mark counts from where it began reading.
        const where = yamlFrom ? lineColumn(text, yamlFrom + mark.position) : `line ${mark.line + 1} column ${mark.column + 1}`;
        throw new InputError(`${where}: YAML syntax error: ${reason}`);
      }
      // A RangeError (nesting deeper than the stack) is the file's, below.
      throw error;
    }
    if (next.done) return;
    document(next.value, true);
  }
}

/** What takes the objects of files as they are read (ReadOptions.into), keeping what it needs of them. */
export interface ObjectSink {
  /** Takes the objects of one document (a List's items), which the reader then does not keep. */
  add(items: Located[]): void;
  /**
   * A point to go back to, taken as each file starts; the function it returns undoes every add()
   * since. The reader calls it when a file turns out unusable (a syntax error in a later document)
   * after some of its objects were added: such a file is one error line and none of its objects.
   */
  mark(): () => void;
}

/** What the reader's caller threw (an ObjectSink's fault), carried past the file's own error handling. */
class CallerFault {
  constructor(readonly fault: unknown) {}
}

/**
 * Reads every manifest under the paths. Never throws for what a user can cause: each input that
 * cannot be used (missing, unreadable, not a regular file, too big, not UTF-8, not YAML, not
 * objects) is one entry of `errors`, and every other input is still read.
 */
export function readManifests(paths: readonly string[], options: ReadOptions = {}): LoadResult {
  const items: Located[] = [];
  const errors: InputProblem[] = [];
  let files = 0;
  let objects = 0;
  for (const entry of manifestFiles(paths)) {
    if ('error' in entry) {
      errors.push(entry.error);
      continue;
    }
    const { file } = entry;
    files += 1;
    const failed = (error: unknown) => {
      if (error instanceof InputError) errors.push({ path: file, message: error.message });
      else if (error instanceof RangeError) errors.push({ path: file, message: TOO_DEEP });
      else if ((error as NodeJS.ErrnoException)?.code) errors.push({ path: file, message: describeError(error) });
      // Whatever else a file can cause costs its line, not the run.
      else errors.push({ path: file, message: `could not be read: ${describeError(error)}` });
    };
    let text: string | undefined;
    try {
      text = decode(readRegularFile(file));
    } catch (error) {
      failed(error);
    }
    // `only` outside the try, as the sink: what they throw is the caller's, not the file's.
    if (text === undefined || (options.only && !options.only(text))) continue;
    const { into } = options;
    const undo = into?.mark();
    const itemsBefore = items.length;
    const errorsBefore = errors.length;
    let taken = 0;
    const take = (found: Located[]) => {
      taken += found.length;
      if (!into) {
        for (const item of found) items.push(item);
        return;
      }
      try {
        into.add(found);
      } catch (error) {
        throw new CallerFault(error);
      }
    };
    try {
      parseFile(file, text, take, errors);
    } catch (error) {
      if (error instanceof CallerFault) throw error.fault;
      // An unusable file is its one line: what its earlier documents gave is taken back.
      if (taken) {
        if (undo) undo();
        items.length = itemsBefore;
        taken = 0;
      }
      errors.length = errorsBefore;
      failed(error);
    }
    objects += taken;
  }
  return { items, objects, files, errors };
}

/** How readManifests hands over what it reads. */
export interface ReadOptions {
  /**
   * Takes the objects as they are read, a document's at a time, and they are then not kept here: a
   * caller judging them as they come holds one document's tree at a time. @default kept in `items`
   */
  readonly into?: ObjectSink;
  /** Parses only the files whose text this accepts (the others give no objects; their errors still count). */
  readonly only?: (text: string) => boolean;
}

/** Every object under the paths; throws InputError naming the first input that could not be used. */
export function loadManifests(paths: readonly string[]): Located[] {
  const result = readManifests(paths);
  const [first] = result.errors;
  if (first) throw new InputError(`${first.path}: ${first.message}`);
  return result.items;
}
