import { createHash } from 'crypto';
import * as fs from 'fs';
import * as path from 'path';
import { integerOverflow } from '../crd';
import { Finding, KubeObject, objectPath } from '../problem';
import { packageDir, packageVersion } from './builtin';
import { AjvError, collect, submit, Validator } from './esm-worker';

/**
 * Schemas of the custom resources the app uses, from @kubernetes-models/gateway-api (Gateway
 * API, `gateway.networking.k8s.io`) and @kubernetes-models/cert-manager (`cert-manager.io`,
 * `acme.cert-manager.io`): ajv validators that kubernetes-models generates from the projects'
 * Go API types with their kubebuilder markers, so they check types, required fields, enums,
 * formats, patterns and bounds. They do not check unknown fields: the API server refuses them
 * (strict field validation), so withUnknownFields below finds them by watching which fields
 * the validator reads. The CEL rules are not in these packages: given the
 * CustomResourceDefinitions themselves (see ../crd.ts), the validator checks those too.
 *
 * Both packages (2.0.0 and 6.0.0) are ES modules only: the validators run in a worker thread
 * (see esm-worker.ts), started on the first custom object.
 */

const PACKAGES = ['@kubernetes-models/gateway-api', '@kubernetes-models/cert-manager'];

/** Where verdicts and the kind index are kept between runs: the validator's one cache (../schema.ts). */
export interface BundledCache {
  /** The content stored under a key, or undefined (absent, or damaged and so not trusted). */
  read(key: string): string | undefined;
  /** Stores content under a key; a cache that cannot be written only costs speed. */
  write(key: string, content: string): void;
}

let cache: BundledCache | undefined;

/**
 * Lets verdicts and the kind index outlive the process. A synth judges the same objects run after
 * run (its output is deterministic), so a warm run needs no worker thread at all: measured with
 * `npm run bench` (row "synth program, HTTPS + Gateway route"), the worker and the packages'
 * validators cost ~190 ms of a ~520 ms synth on the 2-core machine.
 */
export function useBundledCache(store: BundledCache | undefined): void {
  cache = store;
  kinds = undefined;
  done.clear();
}

const VERSIONS = () => PACKAGES.map((name) => `${name}@${packageVersion(name)}`).join(' ');
const verdictKey = (kind: BundledKind, object: unknown) => `bundled-verdict-${createHash('sha256').update(`${VERSIONS()}\0${path.basename(kind.file)}\0${JSON.stringify(object)}`).digest('hex')}.json`;

function cachedVerdict(kind: BundledKind, object: unknown): AjvError[] | undefined {
  const text = cache?.read(verdictKey(kind, object));
  if (text === undefined) return undefined;
  try {
    const errors = JSON.parse(text);
    return Array.isArray(errors) ? errors : undefined;
  } catch {
    return undefined;
  }
}

interface BundledKind {
  /** The `_schemas/*.js` file holding the validator. */
  readonly file: string;
  /** `package@version`, named in findings: the package may trail the CRDs a cluster runs. */
  readonly source: string;
}

let kinds: Map<string, BundledKind> | undefined;
let groups: Set<string> | undefined;

/** The API groups the packages model (their top folders): cheap, so the common case skips the scan below. */
export function bundledGroups(): Set<string> {
  groups ??= new Set(PACKAGES.flatMap((name) => fs.readdirSync(packageDir(name), { withFileTypes: true })
    .filter((entry) => entry.isDirectory() && entry.name.includes('.')).map((entry) => entry.name)));
  return groups;
}

/** Whether `apiVersion kind` is a bundled custom resource. */
export function isBundled(apiVersion: string, kind: string): boolean {
  const slash = apiVersion.indexOf('/');
  return slash > 0 && bundledGroups().has(apiVersion.slice(0, slash)) && bundledKinds().has(`${apiVersion} ${kind}`);
}

/**
 * `apiVersion kind` of every top-level kind the packages model: the model files
 * (`<group>/<version>/<Kind>.js`) that declare an apiVersion and a kind, and the validator each
 * registers.
 */
export function bundledKinds(): Map<string, BundledKind> {
  if (kinds) return kinds;
  const indexKey = `bundled-kinds-${createHash('sha256').update(VERSIONS()).digest('hex').slice(0, 16)}.json`;
  const stored = cache?.read(indexKey);
  if (stored !== undefined) {
    try {
      kinds = new Map(JSON.parse(stored) as [string, BundledKind][]);
      if ([...kinds.values()].every((k) => fs.existsSync(k.file))) return kinds;
    } catch {
      // A damaged index is rebuilt below.
    }
  }
  kinds = new Map();
  for (const name of PACKAGES) {
    const dir = packageDir(name);
    const source = `${name}@${packageVersion(name)}`;
    for (const group of fs.readdirSync(dir)) {
      if (!group.includes('.') || !fs.statSync(path.join(dir, group)).isDirectory()) continue;
      for (const version of fs.readdirSync(path.join(dir, group))) {
        const versionDir = path.join(dir, group, version);
        if (!fs.statSync(versionDir).isDirectory()) continue;
        for (const file of fs.readdirSync(versionDir)) {
          if (!file.endsWith('.js') || file === 'index.js') continue;
          const text = fs.readFileSync(path.join(versionDir, file), 'utf8');
          const apiVersion = /this\.apiVersion="([^"]+)"/.exec(text)?.[1];
          const kind = /this\.kind="([^"]+)"/.exec(text)?.[1];
          const schema = /from"\.\.\/\.\.\/_schemas\/(\w+\.js)"/.exec(text)?.[1];
          if (apiVersion && kind && schema) kinds.set(`${apiVersion} ${kind}`, { file: path.join(dir, '_schemas', schema), source });
        }
      }
    }
  }
  cache?.write(indexKey, JSON.stringify([...kinds]));
  return kinds;
}

// Stryker disable all: the worker runs this function's source text, where a mutant's switches
// (Stryker's own functions) do not exist; its mutants are applied by hand (docs/mutation.md).
/**
 * The validator's errors plus one per unknown field. The validator reads every field its schema
 * knows (ajv's code tests `data.name !== undefined` for each property, and reads every key of a
 * map); it is given the object behind proxies that record those reads, so a key that it never
 * read, in an object where it read some, is one the schema does not define. Objects where it read
 * nothing are open (`x-kubernetes-preserve-unknown-fields`, free-form JSON) and are not judged.
 * Self-contained: the worker runs its source.
 */
function withUnknownFields(validate: Validator, object: unknown): AjvError[] {
  const nodes: { at: string; value: object; read: Set<string> }[] = [];
  const pointer = (key: string) => key.replace(/~/g, '~0').replace(/\//g, '~1');
  const watch = (value: unknown, at: string): unknown => {
    if (!value || typeof value !== 'object') return value;
    const read = new Set<string>();
    nodes.push({ at, value, read });
    const children = new Map<string, unknown>();
    return new Proxy(value, {
      get(target, key, receiver) {
        // A read of an absent field counts too: it shows the node is inspected, not open.
        if (typeof key === 'string') read.add(key);
        if (typeof key !== 'string' || !Object.prototype.hasOwnProperty.call(target, key)) return Reflect.get(target, key, receiver);
        if (!children.has(key)) children.set(key, watch((target as Record<string, unknown>)[key], `${at}/${pointer(key)}`));
        return children.get(key);
      },
    });
  };
  const errors = validate(watch(object, '')) ? [] : [...(validate.errors ?? [])];
  for (const { at, value, read } of nodes) {
    if (Array.isArray(value) || read.size === 0) continue;
    for (const key of Object.keys(value)) {
      if (!read.has(key)) errors.push({ instancePath: at, keyword: 'additionalProperties', params: { additionalProperty: key } });
    }
  }
  return errors;
}
// Stryker restore all

// Keyed by the object's JSON: the same object is asked once per Kubernetes version, and may be
// changed between two validations.
const pending = new Map<string, number>();
const done = new Map<string, Finding[]>();

/**
 * Starts judging these objects in the worker, so that it loads and runs their validators while
 * the caller checks the rest; validateBundled then only collects. Objects not bundled are skipped.
 */
export function prefetchBundled(objects: readonly KubeObject[]): void {
  for (const object of objects) {
    const kind = bundledKinds().get(`${String(object.apiVersion)} ${String(object.kind)}`);
    const key = JSON.stringify(object);
    if (!kind || pending.has(key) || done.has(key)) continue;
    const known = cachedVerdict(kind, object);
    if (known) done.set(key, findingsOf(known, kind.source));
    else pending.set(key, submit(kind.file, withUnknownFields, object));
  }
}

/** Findings of one custom object (without nulls) against its bundled schema. */
export function validateBundled(object: KubeObject): Finding[] {
  const kind = bundledKinds().get(`${String(object.apiVersion)} ${String(object.kind)}`);
  if (!kind) return [];
  const key = JSON.stringify(object);
  let findings = done.get(key);
  if (!findings) {
    let errors = cachedVerdict(kind, object);
    if (!errors) {
      const id = pending.get(key) ?? submit(kind.file, withUnknownFields, object);
      pending.delete(key);
      errors = collect(id) as AjvError[];
      cache?.write(verdictKey(kind, object), JSON.stringify(errors));
    }
    findings = findingsOf(errors, kind.source);
    if (done.size > 1000) done.clear();
    done.set(key, findings);
  }
  return findings;
}

/**
 * One finding per error, but a value that fits no form of a oneOf of types (a Quantity: string
 * or number; an IntOrString) is one "wrong type" naming the forms, where ajv gives each form's
 * type error and then the oneOf's.
 */
function findingsOf(errors: readonly AjvError[], source: string): Finding[] {
  const oneOfAt = new Set(errors.filter((e) => e.keyword === 'oneOf').map((e) => e.instancePath));
  const forms = new Map<string, string[]>();
  const merged = errors.filter((e) => {
    if (e.keyword !== 'type' || !oneOfAt.has(e.instancePath)) return true;
    forms.set(e.instancePath, [...(forms.get(e.instancePath) ?? []), String(e.params.type)]);
    return false;
  }).map((e) => {
    const types = e.keyword === 'oneOf' ? forms.get(e.instancePath) : undefined;
    return types ? { ...e, keyword: 'type', params: { type: [...types].sort().join(' or ') } } : e;
  });
  return merged.map((error) => describe(error, source));
}

function describe(error: AjvError, source: string): Finding {
  const at = objectPath(error.instancePath.split('/').slice(1).map((s) => s.replace(/~1/g, '/').replace(/~0/g, '~')));
  const p = error.params;
  const where = `(${source} schema)`;
  switch (error.keyword) {
    case 'additionalProperties':
      // @kubernetes-models/cert-manager 6.0.0 lacks fields of cert-manager 1.21 (Certificate
      // spec.renewal...), and gateway-api 2.0.0 those of Gateway API 1.6 (GatewayClass
      // spec.description): the CRD itself, when given, is the better judge.
      return { path: at ? `${at}.${p.additionalProperty}` : String(p.additionalProperty), message: `unknown field "${p.additionalProperty}" ${where}`, allowed: 'only the fields the API defines here (check spelling and indentation; a field newer than the package is judged right with --crd and the cluster\'s CRD)' };
    case 'required':
      return { path: at ? `${at}.${p.missingProperty}` : String(p.missingProperty), message: `missing required field "${p.missingProperty}" ${where}`, allowed: 'the field set' };
    case 'type':
      return { path: at, message: `wrong type ${where}`, allowed: `type ${String(p.type)}` };
    case 'enum':
      return { path: at, message: `value not allowed ${where}`, allowed: `one of ${(p.allowedValues as unknown[]).map((v) => JSON.stringify(v)).join(', ')}` };
    case 'pattern':
      return { path: at, message: `value does not match the pattern ${where}`, allowed: `a string matching ${String(p.pattern)}` };
    case 'format':
      if (p.format === 'int32' || p.format === 'int64') return integerOverflow(at, p.format, where);
      return { path: at, message: `value is not a valid ${String(p.format)} ${where}`, allowed: p.format === 'byte' ? 'base64 data' : `a ${String(p.format)}` };
    case 'minimum':
    case 'maximum':
    case 'minLength':
    case 'maxLength':
    case 'minItems':
    case 'maxItems':
    case 'minProperties':
    case 'maxProperties': {
      const unit = error.keyword.endsWith('Length') ? ' characters' : error.keyword.endsWith('Items') ? ' items' : error.keyword.endsWith('Properties') ? ' fields' : '';
      return { path: at, message: `${error.keyword} ${String(p.limit)} not met ${where}`, allowed: `${error.keyword.startsWith('min') ? '>=' : '<='} ${String(p.limit)}${unit}` };
    }
    default:
      return { path: at, message: `${error.message ?? error.keyword} ${where}`, allowed: 'what the schema defines' };
  }
}
