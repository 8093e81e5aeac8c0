import * as fs from 'fs';
import * as path from 'path';
import { parseAllDocuments } from 'yaml';
import { isObject } from './pods';
import { Located } from './problem';

/** Input that cannot be read at all: a missing path, a YAML syntax error. */
export class InputError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'InputError';
  }
}

const MANIFEST_FILE = /\.(ya?ml|json)$/i;

/** Every manifest file under the paths, folders searched recursively, in a stable order. */
function manifestFiles(paths: readonly string[]): string[] {
  const files: string[] = [];
  for (const p of paths) {
    if (!fs.existsSync(p)) throw new InputError(`${p}: no such file or directory`);
    if (fs.statSync(p).isDirectory()) files.push(...walk(p));
    else files.push(p);
  }
  return files;
}

function walk(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true })
    .sort((a, b) => a.name.localeCompare(b.name))
    .flatMap((entry) => {
      const full = path.join(dir, entry.name);
      if (entry.isDirectory()) return entry.name === 'node_modules' || entry.name.startsWith('.') ? [] : walk(full);
      return MANIFEST_FILE.test(entry.name) ? [full] : [];
    });
}

/** Parses every document of every file; `kind: List` documents are opened into their items. */
export function loadManifests(paths: readonly string[]): Located[] {
  const out: Located[] = [];
  for (const file of manifestFiles(paths)) {
    const text = fs.readFileSync(file, 'utf8');
    for (const doc of parseAllDocuments(text, { prettyErrors: true })) {
      const error = doc.errors[0];
      if (error) {
        const [line, col] = error.linePos?.[0] ? [error.linePos[0].line, error.linePos[0].col] : [0, 0];
        throw new InputError(`${file}:${line}:${col}: YAML syntax error: ${error.message.split('\n')[0]}`);
      }
      const object = doc.toJS();
      if (object === null || object === undefined) continue;
      if (!isObject(object)) throw new InputError(`${file}: a document is a ${Array.isArray(object) ? 'list' : typeof object}, not a Kubernetes object`);
      if (typeof object.kind === 'string' && object.kind.endsWith('List') && Array.isArray(object.items)) {
        for (const item of object.items) out.push({ file, object: item });
      } else {
        out.push({ file, object });
      }
    }
  }
  return out;
}
