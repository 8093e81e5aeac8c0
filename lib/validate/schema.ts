import { createHash } from 'crypto';
import * as fs from 'fs';
import Module from 'module';
import * as path from 'path';
import * as vm from 'vm';
import { Finding, KubeObject, objectPath } from './problem';

/**
 * Strict schema validation against the Kubernetes API definitions that cdk8s publishes, judged
 * as `kubectl apply --validate=strict` and kubeconform `-strict` judge: unknown fields, wrong
 * types, missing required fields, bad enum values, and apiVersion/kind pairs a version does not
 * serve. ajv compiles one validator per kind on first use and keeps its generated code in a
 * cache, with V8's compiled form of that code beside it: compiling the schema of a Deployment
 * takes ~100 ms, loading its generated code ~18 ms, and loading it with V8's cache ~2 ms.
 */

/** The Kubernetes versions judged: the one cdk8s-plus-27 targets, and the newest we carry. */
export const KUBERNETES_VERSIONS = ['1.27.0', '1.36.0'] as const;
export type KubernetesVersion = (typeof KUBERNETES_VERSIONS)[number];

// Bump when the schema transformation changes, so that cached validators are regenerated.
const TRANSFORM_REVISION = 1;

interface GvkIndex {
  /** `apiVersion kind` -> definition name. */
  readonly kinds: Record<string, string>;
  /** kind -> every apiVersion that serves it. */
  readonly servedVersions: Record<string, string[]>;
}

interface AjvError {
  readonly instancePath: string;
  readonly keyword: string;
  readonly params: Record<string, unknown>;
  readonly message?: string;
}
type CompiledValidator = ((data: unknown) => boolean) & { errors?: AjvError[] | null };

const projectRoot = findProjectRoot(__dirname);

function findProjectRoot(start: string): string {
  for (let dir = start; ; dir = path.dirname(dir)) {
    if (fs.existsSync(path.join(dir, 'schemas', 'v1.27.0', '_definitions.json'))) return dir;
    if (path.dirname(dir) === dir) throw new Error(`cannot find schemas/ above ${start}`);
  }
}

function definitionsFile(version: KubernetesVersion): string {
  return path.join(projectRoot, 'schemas', `v${version}`, '_definitions.json');
}

class VersionSchemas {
  private index?: GvkIndex;
  private groups?: Set<string>;
  private readonly validators = new Map<string, CompiledValidator>();
  private definitions?: Record<string, unknown>;
  private readonly cacheDir: string;

  constructor(private readonly version: KubernetesVersion) {
    const stat = fs.statSync(definitionsFile(version));
    const ajvVersion = (require('ajv/package.json') as { version: string }).version;
    const key = createHash('sha1').update(`${stat.size}:${stat.mtimeMs}:${ajvVersion}:${TRANSFORM_REVISION}`).digest('hex').slice(0, 12);
    this.cacheDir = path.join(projectRoot, 'node_modules', '.cache', 'multi-k8s-validators', `v${version}-${key}`);
  }

  validate(object: KubeObject): Finding[] {
    const apiVersion = String(object.apiVersion ?? '');
    const kind = String(object.kind ?? '');
    const index = this.gvkIndex();
    // Own keys only: `kind: toString` must not find Object.prototype.toString.
    const definition = ownValue(index.kinds, `${apiVersion} ${kind}`);
    if (!definition) {
      const served = ownValue(index.servedVersions, kind);
      return [{
        path: 'apiVersion',
        message: served
          ? `${apiVersion}/${kind} is not served by Kubernetes ${this.version} (removed or not yet added)`
          : `kind "${kind}" is not a built-in kind of Kubernetes ${this.version}`,
        allowed: served ? `apiVersion ${served.join(' or ')}` : 'a built-in kind',
      }];
    }
    const validator = this.validator(definition);
    if (validator(object)) return [];
    return (validator.errors ?? []).map((error) => describe(error, this.version));
  }

  /** Whether this version's definitions have the apiVersion's API group (`""` for core). */
  servesGroup(group: string): boolean {
    this.groups ??= new Set(Object.keys(this.gvkIndex().kinds).map((key) => groupOf(key.split(' ')[0])));
    return this.groups.has(group);
  }

  private gvkIndex(): GvkIndex {
    if (!this.index) {
      const file = path.join(this.cacheDir, 'gvk-index.json');
      if (fs.existsSync(file)) {
        this.index = JSON.parse(fs.readFileSync(file, 'utf8')) as GvkIndex;
      } else {
        this.index = buildIndex(this.loadDefinitions());
        writeToCache(file, JSON.stringify(this.index));
      }
    }
    return this.index;
  }

  private validator(definition: string): CompiledValidator {
    let validator = this.validators.get(definition);
    if (!validator) {
      const file = path.join(this.cacheDir, `${definition}.js`);
      let source: string;
      if (fs.existsSync(file)) {
        source = fs.readFileSync(file, 'utf8');
      } else {
        source = this.generateCode(definition);
        writeToCache(file, source);
      }
      validator = loadWithCodeCache(file, source);
      this.validators.set(definition, validator);
    }
    return validator;
  }

  private generateCode(definition: string): string {
    const Ajv = require('ajv').default;
    const standaloneCode = require('ajv/dist/standalone').default;
    const ajv = new Ajv({ allErrors: true, strict: false, code: { source: true } });
    ajv.addSchema({ $id: 'k8s', definitions: strictDefinitions(this.loadDefinitions()) });
    return standaloneCode(ajv, ajv.getSchema(`k8s#/definitions/${definition}`));
  }

  private loadDefinitions(): Record<string, unknown> {
    this.definitions ??= (JSON.parse(fs.readFileSync(definitionsFile(this.version), 'utf8')) as { definitions: Record<string, unknown> }).definitions;
    return this.definitions;
  }
}

function buildIndex(definitions: Record<string, unknown>): GvkIndex {
  const kinds: Record<string, string> = {};
  const servedVersions: Record<string, string[]> = {};
  for (const [name, schema] of Object.entries(definitions) as [string, SchemaNode][]) {
    const gvks = schema['x-kubernetes-group-version-kind'] as { group: string; version: string; kind: string }[] | undefined;
    // Definitions without metadata (DeleteOptions, WatchEvent...) are not objects a manifest holds.
    if (!gvks || !(schema.properties as SchemaNode | undefined)?.metadata) continue;
    for (const gvk of gvks) {
      const apiVersion = gvk.group ? `${gvk.group}/${gvk.version}` : gvk.version;
      kinds[`${apiVersion} ${gvk.kind}`] = name;
      (servedVersions[gvk.kind] ??= []).push(apiVersion);
    }
  }
  for (const list of Object.values(servedVersions)) list.sort();
  return { kinds, servedVersions };
}

type SchemaNode = Record<string, unknown>;

/**
 * The definitions as kubeconform -strict reads them: every object with known properties is
 * closed to unknown ones; int-or-string and quantity become a type list, so that a mistake
 * reads "must be string,integer"; int32 gets its bounds; documentation and formats ajv does
 * not know are dropped.
 */
export function strictDefinitions(definitions: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [name, schema] of Object.entries(definitions)) out[name] = strictSchema(schema);
  return out;
}

function strictSchema(node: unknown): unknown {
  if (Array.isArray(node)) return node.map(strictSchema);
  if (!node || typeof node !== 'object') return node;
  const schema = node as SchemaNode;
  const out: SchemaNode = {};
  for (const [key, value] of Object.entries(schema)) {
    if (key === 'description' || key === 'format' || key.startsWith('x-kubernetes-')) continue;
    if (key === 'properties') {
      out.properties = Object.fromEntries(Object.entries(value as SchemaNode).map(([k, v]) => [k, strictSchema(v)]));
    } else if (key === 'oneOf' && (value as SchemaNode[]).every((branch) => Object.keys(branch).length === 1 && typeof branch.type === 'string')) {
      out.type = (value as SchemaNode[]).map((branch) => branch.type);
    } else {
      out[key] = strictSchema(value);
    }
  }
  if (schema.format === 'int32') {
    out.minimum = -2147483648;
    out.maximum = 2147483647;
  }
  if (out.properties && out.additionalProperties === undefined) out.additionalProperties = false;
  return out;
}

function describe(error: AjvError, version: KubernetesVersion): Finding {
  const at = objectPath(error.instancePath.split('/').slice(1).map(decodePointer));
  const p = error.params;
  const where = `(Kubernetes ${version} schema)`;
  switch (error.keyword) {
    case 'additionalProperties':
      return { path: at ? `${at}.${p.additionalProperty}` : String(p.additionalProperty), message: `unknown field "${p.additionalProperty}" ${where}`, allowed: 'only the fields the API defines here (check spelling and indentation)' };
    case 'required':
      return { path: at ? `${at}.${p.missingProperty}` : String(p.missingProperty), message: `missing required field "${p.missingProperty}" ${where}`, allowed: 'the field set' };
    case 'type':
      return { path: at, message: `wrong type ${where}`, allowed: `type ${String(p.type).replace(',', ' or ')}` };
    case 'enum':
      return { path: at, message: `value not allowed ${where}`, allowed: `one of ${(p.allowedValues as unknown[]).map((v) => JSON.stringify(v)).join(', ')}` };
    case 'minimum':
    case 'maximum':
      return { path: at, message: `number out of range ${where}`, allowed: `${error.keyword === 'minimum' ? '>=' : '<='} ${p.limit} (int32)` };
    default:
      return { path: at, message: `${error.message ?? error.keyword} ${where}`, allowed: 'what the schema defines' };
  }
}

const codeCacheWrites: (() => void)[] = [];

/**
 * Loads a generated validator as `require` would, but through V8's code cache: the cache is
 * written after the first validation, once V8 has compiled the functions that validation ran.
 */
function loadWithCodeCache(file: string, source: string): CompiledValidator {
  const cacheFile = `${file}.v8-${process.version}`;
  const cachedData = fs.existsSync(cacheFile) ? fs.readFileSync(cacheFile) : undefined;
  const script = new vm.Script(Module.wrap(source), { filename: file, cachedData });
  const module = { exports: {} as { default?: CompiledValidator } };
  const localRequire = Module.createRequire(file);
  script.runInThisContext()(module.exports, localRequire, module, file, path.dirname(file));
  if (!cachedData || script.cachedDataRejected) codeCacheWrites.push(() => writeToCache(cacheFile, script.createCachedData()));
  return (module.exports.default ?? module.exports) as CompiledValidator;
}

/** Saves V8's compiled form of the validators loaded without one; call after validating. */
export function saveCodeCache(): void {
  for (const write of codeCacheWrites.splice(0)) write();
}

function decodePointer(segment: string): string {
  return segment.replace(/~1/g, '/').replace(/~0/g, '~');
}

/** Writes a cache file atomically; a cache that cannot be written (read-only install) only costs speed. */
function writeToCache(file: string, content: string | Buffer): void {
  // Unique per process: jest workers may fill the same cache at the same time.
  const temp = `${file}.${process.pid}.${Date.now()}.tmp`;
  try {
    fs.mkdirSync(path.dirname(file), { recursive: true });
    fs.writeFileSync(temp, content);
    fs.renameSync(temp, file);
  } catch {
    fs.rmSync(temp, { force: true });
  }
}

const schemas = new Map<KubernetesVersion, VersionSchemas>();

function forVersion(version: KubernetesVersion): VersionSchemas {
  let found = schemas.get(version);
  if (!found) {
    found = new VersionSchemas(version);
    schemas.set(version, found);
  }
  return found;
}

/** Schema findings of one object against one Kubernetes version. */
export function validateSchema(object: KubeObject, version: KubernetesVersion): Finding[] {
  return forVersion(version).validate(object);
}

function ownValue<T>(record: Record<string, T>, key: string): T | undefined {
  return Object.hasOwn(record, key) ? record[key] : undefined;
}

function groupOf(apiVersion: string): string {
  const slash = apiVersion.indexOf('/');
  return slash < 0 ? '' : apiVersion.slice(0, slash);
}

// Built-in groups whose every version is gone (k8s.io/kubernetes CHANGELOG: extensions/v1beta1
// removed in 1.22, settings.k8s.io in 1.20): still Kubernetes' own, so a manifest using one is
// an error the schema names, not an unknown kind to skip.
const REMOVED_GROUPS = new Set(['extensions', 'settings.k8s.io']);

/**
 * Whether validateSchema can judge this apiVersion and kind: a kind in an API group Kubernetes
 * serves built in, where an unknown kind or a removed version is an error the schema reports.
 * Any other group (a custom resource, a Kustomization) has no schema here. An object without an
 * apiVersion or kind is judged, so that the schema says what is missing.
 */
export function hasSchema(apiVersion: string, kind: string): boolean {
  if (typeof apiVersion !== 'string' || typeof kind !== 'string' || apiVersion === '' || kind === '') return true;
  const group = groupOf(apiVersion);
  if (REMOVED_GROUPS.has(group)) return true;
  return KUBERNETES_VERSIONS.some((version) => forVersion(version).servesGroup(group));
}
