import { withoutNullValues } from './nulls';
import { createHash } from 'crypto';
import * as fs from 'fs';
import Module from 'module';
import * as path from 'path';
import * as vm from 'vm';
import { Finding, KubeObject, objectPath } from './problem';
import { isBundled, prefetchBundled, useBundledCache, validateBundled } from './schema/bundled';
import { builtinSchemas, BuiltinSchemas, INTEGER_RANGES, integerFormats, IntegerFormats, numberFields, packageDir, packageVersion, SchemaNode } from './schema/builtin';

/**
 * Strict schema validation against the Kubernetes API definitions of the installed cdk8s-plus
 * packages (see schema/builtin.ts for why those), judged as `kubectl apply --validate=strict`
 * and kubeconform `-strict` judge: unknown fields, wrong types, missing required fields, int32
 * and int64 ranges, and apiVersion/kind pairs a version does not serve. JSON null is "not set",
 * as the API server decodes it. ajv compiles one validator per kind on first use.
 *
 * The project's one cache, node_modules/.cache/multi-k8s/ (scripts/launch.js keeps V8's compiled
 * form of the program there), holds under validators/ ajv's generated code per kind, V8's compiled
 * form of that code (see load below), the index of served kinds and the integer widths. What it
 * saves, measured on the default app (CPU time of the schema check in a fresh process, median of
 * 5, 2-core machine under load): ~2.1 s without it (reading the .jsii manifests, probing integer
 * widths, compiling with ajv) against ~55 ms with the generated code and ~19 ms with V8's compiled
 * form too. Each file of generated code starts with a hash of its content: one that is truncated
 * or corrupt is rebuilt, with the same verdict.
 */

/** The Kubernetes versions judged, each from the cdk8s-plus package carrying its bindings. */
export const KUBERNETES_SOURCES = [
  { version: '1.27.0', packageName: 'cdk8s-plus-27' },
  { version: '1.34.0', packageName: 'cdk8s-plus-34' },
] as const;
export const KUBERNETES_VERSIONS = KUBERNETES_SOURCES.map((s) => s.version);
export type KubernetesVersion = (typeof KUBERNETES_SOURCES)[number]['version'];

/** The names a caller gives a target version by (`--kubernetes-version 1.34`): the minor of each source. */
export const TARGET_VERSIONS = KUBERNETES_SOURCES.map((s) => s.version.replace(/\.0$/, ''));

/**
 * The schema version a target names: `1.34`, `v1.34` or a patch release such as `1.34.2` (patch
 * releases change no API). Throws, naming the allowed values, for a minor the validator has no
 * schemas for.
 */
export function kubernetesVersion(text: string): KubernetesVersion {
  const minor = /^v?(\d+\.\d+)(?:\.\d+)?$/.exec(text.trim())?.[1];
  const source = KUBERNETES_SOURCES.find((s) => s.version === `${minor}.0`);
  if (!source) throw new Error(`Kubernetes version "${text}" has no schemas here: allowed are ${TARGET_VERSIONS.join(', ')} (a patch release such as ${TARGET_VERSIONS[TARGET_VERSIONS.length - 1]}.2 is judged as its minor)`);
  return source.version;
}

/**
 * The alpha and beta API versions a server of each version serves without flags. Since 1.24 no
 * new beta is on by default (KEP-3136); the cdk8s-plus bindings carry every alpha and beta, so
 * without this list a v1beta1 object would pass for a server that answers 404. Source:
 * k8s.io/kubernetes pkg/controlplane/instance.go DefaultAPIResourceConfigSource (1.34: every
 * alpha and beta disabled, as `kubectl api-versions` on a 1.34.2 server shows; the cluster test
 * in test/validate/schema.test.ts asks it); 1.27: the flowcontrol betas kept on from before 1.24
 * and the SelfSubjectReview beta (KEP-3325, on by default in 1.27).
 */
export const DEFAULT_PRERELEASE: Record<KubernetesVersion, readonly string[]> = {
  '1.27.0': ['flowcontrol.apiserver.k8s.io/v1beta2', 'flowcontrol.apiserver.k8s.io/v1beta3', 'authentication.k8s.io/v1beta1'],
  '1.34.0': [],
};

/** Whether a server of this version serves the apiVersion without feature gates or --runtime-config. */
export function servedByDefault(apiVersion: string, version: KubernetesVersion): boolean {
  return !/\/v\d+(alpha|beta)\d+$/.test(apiVersion) || DEFAULT_PRERELEASE[version].includes(apiVersion);
}

// Bump when the schema transformation changes, so that cached validators are regenerated.
const TRANSFORM_REVISION = 3;

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

const DEFAULT_CACHE = path.join(path.dirname(packageDir('cdk8s-plus-27')), '.cache', 'multi-k8s', 'validators');
let cacheRoot = DEFAULT_CACHE;

/** Puts the validator cache elsewhere (tests use a scratch folder); no argument puts it back. */
export function useCacheDir(dir: string = DEFAULT_CACHE): void {
  cacheRoot = dir;
  schemas.clear();
  loaded.clear();
  useBundledCache(bundledCache());
}

/** The bundled custom resources' verdicts and kind index live in the same cache, checked the same way. */
function bundledCache() {
  return { read: (key: string) => readCache(path.join(cacheRoot, key)), write: (key: string, content: string) => writeCache(path.join(cacheRoot, key), content) };
}

class VersionSchemas {
  private index?: GvkIndex;
  private groups?: Set<string>;
  private readonly validators = new Map<string, CompiledValidator>();
  private built?: BuiltinSchemas;
  private readonly cacheDir: string;

  constructor(private readonly version: KubernetesVersion, private readonly packageName: string) {
    const ajvVersion = packageVersion('ajv');
    const key = createHash('sha1')
      .update(`${packageName}@${packageVersion(packageName)}:kubernetes-models@${packageVersion('kubernetes-models')}:ajv@${ajvVersion}:${TRANSFORM_REVISION}`)
      .digest('hex').slice(0, 12);
    this.cacheDir = path.join(cacheRoot, `v${version}-${key}`);
  }

  validate(object: KubeObject): Finding[] {
    const apiVersion = String(object.apiVersion ?? '');
    const kind = String(object.kind ?? '');
    const index = this.gvkIndex();
    // Own keys only: `kind: toString` must not find Object.prototype.toString.
    const where = `(Kubernetes ${this.version} schema)`;
    if (kind === '') return [{ path: 'kind', message: `missing: the API server cannot tell what the object is ${where}`, allowed: 'a kind, e.g. Deployment' }];
    const definition = ownValue(index.kinds, `${apiVersion} ${kind}`);
    if (!definition) {
      const served = ownValue(index.servedVersions, kind);
      if (apiVersion === '') return [{ path: 'apiVersion', message: `missing: the API server cannot tell which API serves the object ${where}`, allowed: served ? `apiVersion ${served.join(' or ')}` : 'the apiVersion of its kind' }];
      return [{
        path: 'apiVersion',
        message: served
          ? `${apiVersion}/${kind} is not served by Kubernetes ${this.version} (removed or not yet added)`
          : `kind "${kind}" is not a built-in kind of Kubernetes ${this.version}`,
        allowed: served ? `apiVersion ${served.join(' or ')}` : 'a built-in kind',
      }];
    }
    if (!servedByDefault(apiVersion, this.version)) {
      const on = (ownValue(index.servedVersions, kind) ?? []).filter((v) => servedByDefault(v, this.version));
      return [{
        path: 'apiVersion',
        message: `${apiVersion}/${kind} is an alpha or beta API that a Kubernetes ${this.version} server serves only where its --runtime-config (or a feature gate) turns it on`,
        allowed: on.length ? `apiVersion ${on.join(' or ')}` : `an API served by default (or --kubernetes-version for a server that serves ${apiVersion})`,
      }];
    }
    const validator = this.validator(definition);
    if (validator(withoutNulls(object))) return [];
    return (validator.errors ?? []).map((error) => describe(error, this.version));
  }

  /** Every apiVersion this version's definitions hold, served by default or not. */
  apiVersions(): string[] {
    return [...new Set(Object.keys(this.gvkIndex().kinds).map((key) => key.split(' ')[0]))].sort();
  }

  /** Whether this version's definitions have the apiVersion's API group (`""` for core). */
  servesGroup(group: string): boolean {
    this.groups ??= new Set(Object.keys(this.gvkIndex().kinds).map((key) => groupOf(key.split(' ')[0])));
    return this.groups.has(group);
  }

  private gvkIndex(): GvkIndex {
    if (!this.index) {
      const file = path.join(this.cacheDir, 'gvk-index.json');
      const cached = readCache(file);
      if (cached !== undefined) {
        try {
          this.index = JSON.parse(cached) as GvkIndex;
        } catch {
          // Hash matched but the JSON does not parse: written by another revision; rebuild.
        }
      }
      if (!this.index) {
        const { kinds, servedVersions } = this.schemas();
        this.index = { kinds, servedVersions };
        writeCache(file, JSON.stringify(this.index));
      }
    }
    return this.index;
  }

  private validator(definition: string): CompiledValidator {
    let validator = this.validators.get(definition);
    if (!validator) {
      const file = path.join(this.cacheDir, `${definition}.js`);
      let source = readCache(file);
      validator = source === undefined ? undefined : loadShared(file, source);
      if (!validator) {
        source = this.generateCode(definition);
        writeCache(file, source);
        validator = loadShared(file, source) as CompiledValidator;
      }
      this.validators.set(definition, validator);
    }
    return validator;
  }

  private generateCode(definition: string): string {
    const Ajv = require('ajv').default;
    const standaloneCode = require('ajv/dist/standalone').default;
    const ajv = new Ajv({ allErrors: true, strict: false, inlineRefs: false, code: { source: true } });
    ajv.addSchema({ $id: 'k8s', definitions: strictDefinitions(this.schemas().definitions) });
    return standaloneCode(ajv, ajv.getSchema(`k8s#/definitions/${definition}`));
  }

  private schemas(): BuiltinSchemas {
    this.built ??= builtinSchemas(this.packageName, sharedIntegerFormats());
    return this.built;
  }
}

/** Integer widths, shared by both versions (a field's width never changes); cached beside them. */
function sharedIntegerFormats(): IntegerFormats {
  const file = path.join(cacheRoot, `integer-formats-${packageVersion('kubernetes-models')}-${TRANSFORM_REVISION}.json`);
  const cached = readCache(file);
  if (cached !== undefined) {
    try {
      return JSON.parse(cached) as IntegerFormats;
    } catch {
      // fall through and rebuild
    }
  }
  const fields = [...new Set(KUBERNETES_SOURCES.flatMap((s) => numberFields(s.packageName)))];
  const formats = integerFormats(fields);
  writeCache(file, JSON.stringify(formats));
  return formats;
}

/**
 * The definitions as kubeconform -strict reads them: every object with known properties is
 * closed to unknown ones; int32 and int64 get their bounds; formats ajv does not know are
 * dropped. (Kubernetes' own decoder, k8s.io/apimachinery pkg/util/json with
 * sigs.k8s.io/json's strict mode, rejects unknown fields and out-of-range integers alike.)
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
    } else {
      out[key] = strictSchema(value);
    }
  }
  const range = schema.format === 'int32' || schema.format === 'int64' ? INTEGER_RANGES[schema.format] : undefined;
  if (range) {
    out.minimum = range.min;
    out.maximum = range.max;
  }
  if (out.properties && out.additionalProperties === undefined) out.additionalProperties = false;
  return out;
}

/**
 * The object as the API server sees it: a field that is null is unset (nulls.ts says why); a
 * required field that is null is missing. Copies only the branches that hold a null.
 */
export function withoutNulls(value: unknown): unknown {
  return withoutNullValues(value);
}

// The strict definitions hold types, required fields, closed objects and integer bounds only (the
// bindings carry no enums or patterns), so ajv raises the keywords below; the default is a fallback.
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
    case 'minimum':
    case 'maximum': {
      const width = Math.abs(Number(p.limit)) > 2 ** 32 ? 'int64' : 'int32';
      return { path: at, message: `number out of range ${where}`, allowed: `${error.keyword === 'minimum' ? `>= ${INTEGER_RANGES[width].minText}` : `<= ${INTEGER_RANGES[width].maxText}`} (${width})` };
    }
    default:
      return { path: at, message: `${error.message ?? error.keyword} ${where}`, allowed: 'what the schema defines' };
  }
}

// A kind whose schema is the same in both versions (Ingress, PodDisruptionBudget...) gets the
// same generated code: compiled once, it serves both.
const loaded = new Map<string, CompiledValidator>();

function loadShared(file: string, source: string): CompiledValidator | undefined {
  const key = createHash('sha256').update(source).digest('hex');
  let validator = loaded.get(key);
  if (!validator) {
    validator = load(file, source);
    if (validator) loaded.set(key, validator);
  }
  return validator;
}

/**
 * Compiles ajv's standalone (CommonJS) code as `require` would, with `require` resolving from the
 * file. V8's compiled form of it is kept beside the code, in the same cache and named after the
 * code's hash (so it can never belong to other code): measured on the default app, a cold run of
 * the schema check takes ~45-65 ms compiling the generated validators and ~10 ms with V8's data
 * (`npm run bench`, "validation alone"). It is written once the validator has run, so the
 * functions V8 compiles lazily are in it too. A rejected or damaged entry is only slower.
 */
function load(file: string, source: string): CompiledValidator | undefined {
  try {
    const v8File = `${file}.${createHash('sha256').update(source).digest('hex').slice(0, 16)}.v8`;
    let cachedData: Buffer | undefined;
    try {
      cachedData = fs.readFileSync(v8File);
    } catch {
      cachedData = undefined;
    }
    const script = new vm.Script(`(function (exports, require, module, __filename, __dirname) {${source}\n})`, { filename: file, cachedData });
    const module = { exports: {} as { default?: CompiledValidator } };
    script.runInThisContext()(module.exports, Module.createRequire(file), module, file, path.dirname(file));
    const validator = module.exports.default ?? module.exports;
    if (typeof validator !== 'function') return undefined;
    if (cachedData === undefined || script.cachedDataRejected) codeCacheWrites.push(() => writeBinary(v8File, script.createCachedData()));
    return validator as CompiledValidator;
  } catch {
    return undefined;
  }
}

const codeCacheWrites: (() => void)[] = [];

/** Keeps V8's compiled form of the validators loaded without one; call once they have run. */
export function saveCodeCache(): void {
  for (const write of codeCacheWrites.splice(0)) write();
}

function writeBinary(file: string, content: Buffer): void {
  const temp = `${file}.${process.pid}.${Date.now()}.tmp`;
  try {
    fs.writeFileSync(temp, content);
    fs.renameSync(temp, file);
  } catch {
    try {
      fs.rmSync(temp, { force: true });
    } catch {
      // Nothing was written.
    }
  }
}

function decodePointer(segment: string): string {
  return segment.replace(/~1/g, '/').replace(/~0/g, '~');
}

// Each cache file starts with a line holding the hash of the rest: a file cut short by a full
// disk or a killed process, or edited by hand, fails the check and is rebuilt.
const HASH_LINE = /^\/\/ sha256:([0-9a-f]{64})\n/;

function readCache(file: string): string | undefined {
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch {
    return undefined;
  }
  const match = HASH_LINE.exec(text);
  if (!match) return undefined;
  const content = text.slice(match[0].length);
  return createHash('sha256').update(content).digest('hex') === match[1] ? content : undefined;
}

/** Writes a cache file atomically; a cache that cannot be written (read-only install) only costs speed. */
function writeCache(file: string, content: string): void {
  // Unique per process: jest workers may fill the same cache at the same time.
  const temp = `${file}.${process.pid}.${Date.now()}.tmp`;
  try {
    fs.mkdirSync(path.dirname(file), { recursive: true });
    fs.writeFileSync(temp, `// sha256:${createHash('sha256').update(content).digest('hex')}\n${content}`);
    fs.renameSync(temp, file);
  } catch {
    try {
      fs.rmSync(temp, { force: true });
    } catch {
      // The folder itself could not be made: nothing was written.
    }
  }
}

const schemas = new Map<KubernetesVersion, VersionSchemas>();

function forVersion(version: KubernetesVersion): VersionSchemas {
  let found = schemas.get(version);
  if (!found) {
    const source = KUBERNETES_SOURCES.find((s) => s.version === version);
    if (!source) throw new Error(`no schemas for Kubernetes ${version}: allowed are ${KUBERNETES_VERSIONS.join(', ')}`);
    found = new VersionSchemas(version, source.packageName);
    schemas.set(version, found);
  }
  return found;
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
 * A custom resource of a bundled schema (Gateway API, cert-manager) has one too; any other
 * group (another custom resource, a Kustomization) has none here. An object without an
 * apiVersion or kind is judged, so that the schema says what is missing.
 */
export function hasSchema(apiVersion: string, kind: string): boolean {
  if (typeof apiVersion !== 'string' || typeof kind !== 'string' || apiVersion === '' || kind === '') return true;
  return isBuiltinGroup(groupOf(apiVersion)) || isBundled(apiVersion, kind);
}

/** Whether Kubernetes serves the group built in (in any version judged), or did (a removed group). */
export function isBuiltinGroup(group: string): boolean {
  return REMOVED_GROUPS.has(group) || KUBERNETES_VERSIONS.some((version) => forVersion(version).servesGroup(group));
}

const clean = (object: KubeObject) => withoutNulls(object) as KubeObject;

/** Whether the object's schema is judged in the worker thread (a bundled custom resource, schema/bundled.ts). */
export function judgedInWorker(object: KubeObject): boolean {
  return isBundled(String(object.apiVersion ?? ''), String(object.kind ?? ''));
}

/**
 * Starts judging the custom objects of bundled schemas in the background (their validators
 * load in a worker thread, ~150 ms of CPU on first use): call before validateSchema so that
 * it overlaps the rest of the checks. Optional; validateSchema gives the same verdict without.
 */
export function prefetchSchemas(objects: readonly KubeObject[]): void {
  prefetchBundled(objects.filter((o) => isBundled(String(o.apiVersion ?? ''), String(o.kind ?? ''))).map(clean));
}

/** Every apiVersion of a version's definitions (alphas and betas too), for comparing with a server's discovery. */
export function definedApiVersions(version: KubernetesVersion): string[] {
  return forVersion(version).apiVersions();
}

/** Schema findings of one object against one Kubernetes version. */
export function validateSchema(object: KubeObject, version: KubernetesVersion): Finding[] {
  if (isBundled(String(object.apiVersion ?? ''), String(object.kind ?? ''))) return validateBundled(clean(object));
  return forVersion(version).validate(object);
}

// The bundled verdicts share the cache from the start.
useBundledCache(bundledCache());
