import { acceptedPolicies, annotationFindings } from './annotations';
import { checkApiRules } from './api-rules';
import { crdGroupFindings, crdSchemaFindings, customResourceKinds, customResourceSchemas, notEvaluated, validateCustom } from './crd';
import { explainKubectlTyping } from './kubectl-yaml';
import { checkLinks, OperatorSecret } from './links';
import type { ObjectSink } from './load';
import { newNullScope, nullFieldPaths, withoutNullFields } from './nulls';
import { withServerDefaults } from './defaults';
import { namespaceOf } from './pods';
import { checkPolicy, gatewaysOf, PolicyException } from './policy';
import { selectorWork, SelectorWorkSpent } from './network';
import { admissionFindings, namespacePolicy, NamespacePolicy } from './pod-security';
import { append, Finding, KubeObject, Located, locate, objectId, objectPath, Problem } from './problem';
import { hasSchema, isBuiltinGroup, kubernetesVersion, KubernetesVersion, KUBERNETES_VERSIONS, judgedInWorker, prefetchSchemas, saveCodeCache, TARGET_VERSIONS, validateSchema } from './schema';

export { formatProblem, formatSkipped, isError, Located, Problem } from './problem';
export { OperatorSecret } from './links';
export { TARGET_VERSIONS } from './schema';
export { formatPolicyException, PolicyException, POLICY_RULES } from './policy';

/**
 * The families of checks: `admission` is Pod Security admission (pod-security.ts), apart from the
 * API server's own rules (`api`) as it is a separate admission plugin a cluster may run otherwise.
 */
export const CHECKS = ['schema', 'api', 'admission', 'link', 'policy'] as const;
export type Check = (typeof CHECKS)[number];

export interface ValidateOptions {
  /** Secrets the operator creates, which pods may reference without a manifest (besides those objects declare themselves). @default [] */
  readonly operatorSecrets?: readonly OperatorSecret[];
  /** Policy findings accepted on purpose, each with its reason (besides those objects accept themselves). @default [] */
  readonly policyExceptions?: readonly PolicyException[];
  /** CustomResourceDefinitions to judge custom objects by, besides those among the items. @default [] */
  readonly crds?: readonly KubeObject[];
  /** The families of checks to run. @default all */
  readonly checks?: readonly Check[];
  /** Report objects of kinds without a schema as problems instead of skipping them. @default false */
  readonly failOnUnknown?: boolean;
  /**
   * The Kubernetes versions whose servers must accept the manifests, each `1.27` or `1.34` (a
   * patch release such as `1.34.2` is judged as its minor); an unknown one throws, naming the
   * allowed values. @default every version the validator has schemas for (1.27 and 1.34, as the chart targets both)
   */
  readonly kubernetesVersions?: readonly string[];
  /**
   * Stop judging once this many problems are found (the result says how many objects were left
   * unjudged): a run's memory then stays bounded whatever the input holds (50 MB of Deployments
   * of 15 problems each held 1.8 million problems, 2.6 GB). @default no limit
   */
  readonly maxProblems?: number;
}

/** Everything a validation found. */
export interface ValidationResult {
  /** Every problem; none means the manifests are clean. */
  readonly problems: Problem[];
  /** Objects of kinds without a schema, not checked (empty with `failOnUnknown`). */
  readonly skipped: Located[];
  /** The policy exceptions that accepted a finding, each once, naming the objects. */
  readonly exceptions: PolicyException[];
  /** Set when maxProblems stopped the run: how many objects (at most) were not judged by every check. */
  readonly stopped?: { readonly notJudged: number };
}

/**
 * Judges manifests as the API server, the kubelet and a careful reviewer would: strict schema
 * for every Kubernetes version we target, the API server's own rules, the links between
 * objects, and the policy checks of Pod Security, kube-score, kube-linter and Polaris.
 * Objects of kinds no schema describes (custom resources) are skipped, not judged by the rules
 * of built-in kinds. Policy exceptions and operator Secrets apply to the object that declares
 * them in its annotations (see annotations.ts), and the options' to every object.
 */
export function validate(items: readonly Located[], options: ValidateOptions = {}): ValidationResult {
  const validation = new Validation(items, options, false);
  validation.add(items);
  return validation.finish();
}

/**
 * A validation fed a batch of objects at a time (the CLI gives one document's), so that a run holds
 * one batch whole and of the others only what the namespace checks read (`slim`): 50 MB of
 * objects 1,000 levels deep held whole took 2.7 GB. The verdicts are validate()'s: the context
 * (the CustomResourceDefinitions and Namespaces among the inputs, which judge the others) is
 * given first, and problems keep validate()'s order and budget (see finish()).
 */
// How many objects judged in the worker thread may wait to be judged together (Validation.add).
const WORKER_BATCH = 16;

export class Validation implements ObjectSink {
  private readonly versions: readonly KubernetesVersion[];
  private readonly checks: Set<Check>;
  private readonly custom: ReturnType<typeof customResourceSchemas>;
  private readonly customKinds: ReturnType<typeof customResourceKinds>;
  private readonly podSecurity = new Map<string, NamespacePolicy>();
  private readonly newestMinor: number;
  /** Problems found before judging (a version not served, a kind without a schema): validate() lists them first. */
  private readonly early: Problem[] = [];
  /** Problems of the per-object checks, and for each, the ordinal of its object among the judged. */
  private readonly judgedProblems: Problem[] = [];
  private readonly judgedOf: number[] = [];
  /** Objects the namespace checks read (slimmed), while the budget leaves room for them. */
  private readonly known: Located[] = [];
  private readonly skipped: Located[] = [];
  private knownCount = 0;
  private judged = 0;
  /** The object (ordinal) whose problems add() cut at the budget, if one was. */
  private streamCut = -1;
  /** Objects handed to add() and not judged yet (see add). */
  private waiting: Located[] = [];

  /**
   * `context`: the inputs that judge others (all of them will do); `slimSkipped`: keep skipped
   * objects as apiVersion, kind and metadata (all their line prints), not whole.
   */
  constructor(context: readonly Located[], private readonly options: ValidateOptions = {}, private readonly slimSkipped = true) {
    this.versions = targetVersions(options.kubernetesVersions);
    this.checks = new Set(options.checks ?? CHECKS);
    // A given CRD (not an input) the server refuses is no input to report on: a note says so.
    for (const crd of options.crds ?? []) {
      const refused = [...crdGroupFindings(crd, isBuiltinGroup), ...crdSchemaFindings(crd)].filter((f) => f.severity === undefined);
      if (refused.length) notEvaluated.add(`the given CustomResourceDefinition ${String(crd.metadata?.name)} is one the API server refuses (${refused[0].path}: ${refused[0].message})`);
    }
    // As the server reads a create: nulls are "not set", then its defaulting runs before validation.
    newNullScope();
    const read = withServerDefaults(withoutNullFields(context));
    const definitions = [...(options.crds ?? []), ...read.map((item) => item.object)];
    this.custom = customResourceSchemas(definitions, isBuiltinGroup);
    this.customKinds = customResourceKinds(definitions, isBuiltinGroup);
    this.newestMinor = Math.max(...this.versions.map((v) => Number(v.split('.')[1])));
    // Pod Security admission judges by the namespace's labels: those of the Namespaces in the input.
    for (const item of read) {
      if (this.classify(item) !== 'known') continue;
      if (item.object.apiVersion === 'v1' && item.object.kind === 'Namespace' && typeof item.object.metadata?.name === 'string') this.podSecurity.set(item.object.metadata.name, namespacePolicy(item.object));
    }
  }

  private crdOf(object: KubeObject) {
    return this.custom.get(`${String(object.apiVersion)} ${String(object.kind)}`);
  }

  private classify(item: Located): 'known' | Finding | 'skipped' {
    if (this.crdOf(item.object)) return 'known';
    const unserved = unservedVersion(item.object, this.customKinds);
    if (unserved) return unserved;
    if (hasSchema(item.object.apiVersion, item.object.kind)) return 'known';
    if (this.options.failOnUnknown) return unknownKind(item);
    return 'skipped';
  }

  private full(): boolean {
    return this.options.maxProblems !== undefined && this.early.length + this.judgedProblems.length >= this.options.maxProblems;
  }

  /**
   * A point to go back to (ObjectSink): the returned function undoes every add() since, for a file
   * that turns out unusable after some of its documents were judged. What the namespace checks
   * would have read is dropped here, not in add(), once the budget is full: an undo may bring the
   * run back under it. Undo the latest mark only (an older one, once a newer mark dropped the
   * kept objects, throws), and before finish().
   */
  mark(): () => void {
    this.judgeWaiting();
    if (this.full()) this.known.length = 0;
    const at = {
      early: this.early.length, judgedProblems: this.judgedProblems.length, judgedOf: this.judgedOf.length, known: this.known.length,
      skipped: this.skipped.length, knownCount: this.knownCount, judged: this.judged, streamCut: this.streamCut,
    };
    return () => {
      // A later mark let the kept objects go (the budget was full then), or finish() did: restoring
      // the length would leave holes where they were. The CLI undoes only its latest mark.
      if (this.known.length < at.known) {
        throw new Error('Validation: this mark can no longer be undone: the objects kept since were let go by a later mark (the problem budget was full) or by finish(); undo only the latest mark, before finish()');
      }
      this.early.length = at.early;
      this.judgedProblems.length = at.judgedProblems;
      this.judgedOf.length = at.judgedOf;
      this.known.length = at.known;
      this.skipped.length = at.skipped;
      this.knownCount = at.knownCount;
      this.judged = at.judged;
      this.streamCut = at.streamCut;
      this.waiting = [];
    };
  }

  /**
   * Judges a batch by the per-object checks (ObjectSink), and keeps what the namespace checks will
   * read. Objects whose schema the worker thread judges (schema/bundled.ts) may wait for a few
   * more, so that the worker judges them while the other checks run: handed one at a time and
   * each waited for, 3,000 HTTPRoutes took a quarter longer. Any other batch is judged at once
   * (with those waiting before it): a waiting document keeps its tree alive.
   */
  add(batch: readonly Located[]): void {
    append(this.waiting, batch);
    if (this.waiting.length < WORKER_BATCH && batch.some((item) => !this.crdOf(item.object) && judgedInWorker(item.object))) return;
    this.judgeWaiting();
  }

  private judgeWaiting(): void {
    if (this.waiting.length === 0) return;
    const batch = this.waiting;
    this.waiting = [];
    this.judge(batch);
  }

  private judge(batch: readonly Located[]): void {
    const { versions, checks } = this;
    const items = withServerDefaults(withoutNullFields(batch));
    const known: { item: Located; asRead: unknown }[] = [];
    items.forEach((item, i) => {
      const found = this.classify(item);
      if (found === 'known') known.push({ item, asRead: batch[i].object });
      else if (found === 'skipped') this.skipped.push(this.slimSkipped ? slim(item) : item);
      else append(this.early, locate(item, 'schema', [found]));
    });
    this.knownCount += known.length;
    // Past the budget nothing is judged, and the namespace checks do not run.
    if (this.full()) return;
    if (checks.has('schema')) prefetchSchemas(known.map(({ item }) => item.object).filter((o) => !this.crdOf(o)));
    for (const { item, asRead } of known) {
      if (this.full()) return;
      const ordinal = this.judged;
      this.judged += 1;
      // Cut at the budget as it stands (one object can hold hundreds of thousands of problems):
      // finish() cuts again once every early problem is known.
      const add = (found: readonly Problem[]) => {
        const room = (this.options.maxProblems ?? Infinity) - this.early.length - this.judgedProblems.length;
        if (found.length > room) this.streamCut = ordinal;
        const kept = found.length > room ? found.slice(0, Math.max(0, room)) : found;
        append(this.judgedProblems, kept);
        for (let k = 0; k < kept.length; k++) this.judgedOf.push(ordinal);
      };
      let unknownFields: Finding[] = [];
      if (checks.has('schema')) {
        const crd = this.crdOf(item.object);
        const found = guarded(() => (crd ? validateCustom(item.object, crd) : schemaFindings(item, versions, asRead)));
        if (!crd) unknownFields = found;
        add(locate(item, 'schema', found));
      }
      if (checks.has('api')) {
        add(locate(item, 'api', guarded(() => [...checkApiRules(item.object, { versions }), ...crdGroupFindings(item.object, isBuiltinGroup), ...crdSchemaFindings(item.object)])));
      }
      if (checks.has('admission')) {
        const policy = this.podSecurity.get(namespaceOf(item.object));
        // Labels the server refuses on the Namespace itself are API rules (rules/namespace.ts).
        add(locate(item, 'admission', guarded(() => (policy ? admissionFindings(item.object, policy, this.newestMinor) : []))));
      }
      const kept = slim(item, topLevelUnknown(unknownFields, versions.length));
      // Objects read from files are this run's own: their lists are made exact (see compactLists).
      if (this.slimSkipped) compactLists(kept.object, new Map());
      this.known.push(kept);
    }
  }

  /**
   * The namespace checks, then the result. Problems are validate()'s: those found before judging
   * first, then the judged ones cut where the budget, counted with every early problem, ends
   * (a batch judged before a later one's early problems were known may have judged more).
   */
  finish(): ValidationResult {
    this.judgeWaiting();
    const { options, checks, versions } = this;
    const max = options.maxProblems ?? Infinity;
    const room = Math.max(0, max - this.early.length);
    let dropped = false;
    let judged = this.judged;
    if (this.judgedProblems.length >= room) {
      // The budget filled during the per-object checks: validate() judged up to the object whose
      // problems filled it (none when early problems alone did), and dropped some if it had more.
      const last = room > 0 ? this.judgedOf[room - 1] : -1;
      judged = last + 1;
      dropped = room > 0 && (room < this.judgedProblems.length ? this.judgedOf[room] === last : this.streamCut === last);
      this.judgedProblems.length = room;
    }
    const problems: Problem[] = [...this.early];
    append(problems, this.judgedProblems);
    const full = () => options.maxProblems !== undefined && problems.length >= options.maxProblems;
    const add = (found: readonly Problem[]) => {
      const left = max - problems.length;
      if (found.length > left) dropped = true;
      append(problems, found.length > left ? found.slice(0, Math.max(0, left)) : found);
    };
    // Objects link only within their namespace: checking each namespace alone keeps a run of many
    // preview namespaces linear in their number.
    const applied = new Map<string, { rule: string; reason: string; objects: Set<string> }>();
    const known = full() ? [] : this.known;
    // A route may attach to a Gateway of another namespace (a platform team's): policy sees them all.
    const gateways = gatewaysOf(known.map((item) => item.object));
    const groupChecks = checks.has('link') || checks.has('policy');
    const groups = full() || !groupChecks ? [] : byNamespace(known);
    // Objects the namespace checks judged (all of them when none of those checks was asked for).
    let groupsJudged = groupChecks ? 0 : this.knownCount;
    for (const group of groups) {
      if (full()) break;
      if (checks.has('link')) add(guardedGroup(group, 'link', () => checkLinks(group, options.operatorSecrets ?? [], max - problems.length)));
      if (checks.has('policy')) {
        for (const item of group) add(locate(item, 'policy', annotationFindings(item.object)));
        const budget = max - problems.length;
        add(guardedGroup(group, 'policy', () => acceptPolicy(group, options.policyExceptions ?? [], applied, gateways, budget)));
      }
      // A group that reached the budget may have been cut short: it counts as not judged.
      if (!full()) groupsJudged += group.length;
    }
    // What the namespace checks read is garbage now: the output is made without it.
    this.known.length = 0;
    groups.length = 0;
    saveCodeCache();
    const exceptions = [...applied.values()].map(({ rule, reason, objects }) => ({ rule, object: [...objects].join(', '), reason }));
    // An object whose problems were cut short counts as not judged (at least one).
    const notJudged = this.knownCount - Math.min(judged, groupsJudged);
    const stopped = full() && (dropped || notJudged > 0) ? { notJudged: Math.max(1, notJudged) } : undefined;
    return { problems: dedupe(problems, versions), skipped: this.skipped, exceptions, ...(stopped ? { stopped } : {}) };
  }
}

// What the namespace checks (links.ts, network.ts, service-refs.ts, policy.ts, annotations.ts)
// read of an object beyond its apiVersion, kind and metadata: the whole object of these kinds
// (by kind name, whatever the group, as links.ts's byKind reads them), of Gateway API objects,
// and of every workload (pods.ts TEMPLATE_GROUPS). Of any other object they read nothing more,
// so it is kept as its apiVersion, kind and metadata. A check that comes to read another kind
// must be added here.
// (A ConfigMap is only looked up by name: links.ts reads no key of it. A Secret's keys are read.)
const READ_WHOLE = new Set(['Service', 'Ingress', 'HorizontalPodAutoscaler', 'PodDisruptionBudget', 'NetworkPolicy', 'PersistentVolumeClaim', 'Secret', 'Namespace',
  'Pod', 'ReplicationController', 'Deployment', 'StatefulSet', 'DaemonSet', 'ReplicaSet', 'Job', 'CronJob']);

/**
 * The object as the namespace checks read it: the whole of the kinds they read (READ_WHOLE), less
 * the top-level fields every schema version found unknown (no check reads a field the API does
 * not have); apiVersion, kind and metadata of the others.
 */
function slim(item: Located, unknownKeys: readonly string[] = []): Located {
  const object = item.object;
  if (!isRecord(object)) return item;
  const whole = (typeof object.kind === 'string' && READ_WHOLE.has(object.kind)) || (typeof object.apiVersion === 'string' && object.apiVersion.startsWith('gateway.networking.k8s.io/'));
  if (whole && unknownKeys.length === 0) return item;
  const kept: KubeObject = {};
  for (const key of whole ? Object.keys(object) : ['apiVersion', 'kind', 'metadata']) {
    if (!Object.hasOwn(object, key) || unknownKeys.includes(key)) continue;
    Object.defineProperty(kept, key, { value: object[key], enumerable: true, writable: true, configurable: true });
  }
  return { ...item, object: kept };
}

/**
 * Replaces each list in the value by an exact copy, in place: the YAML parser grows lists by
 * pushing, and a list of one item keeps room for 16 (a Deployment holds three such, a fifth of
 * its memory when 120,000 of them wait for the namespace checks). Shared parts (YAML aliases)
 * stay shared.
 */
function compactLists(value: unknown, seen: Map<object, unknown>): unknown {
  if (typeof value === 'string') return value.length >= UNSLICED_FROM ? unsliced(value) : value;
  if (value === null || typeof value !== 'object') return value;
  const done = seen.get(value);
  if (done !== undefined) return done;
  if (Array.isArray(value)) {
    const copy = value.slice();
    seen.set(value, copy);
    for (let i = 0; i < copy.length; i++) copy[i] = compactLists(copy[i], seen);
    return copy;
  }
  seen.set(value, value);
  const record = value as Record<string, unknown>;
  for (const key of Object.keys(record)) {
    const field = record[key];
    const compacted = compactLists(field, seen);
    // A string's copy is equal (===) to it: it is put in whenever one was made.
    if (compacted !== field || (typeof field === 'string' && field.length >= UNSLICED_FROM)) Object.defineProperty(record, key, { value: compacted, enumerable: true, writable: true, configurable: true });
  }
  return value;
}

/**
 * The string as a copy of its own. V8 keeps a substring of 13 or more characters (a value such
 * as "networking.k8s.io/v1" or a URL) as a slice of the text the YAML parser cut it from, so one
 * kept value held its whole file's text: 50 MB of Pod+Service+NetworkPolicy sets kept all 50 MB
 * of their text (217 MiB of heap after reading, 178 MiB without; test/validate/unsliced.test.ts).
 */
const UNSLICED_FROM = 13;
function unsliced(text: string): string {
  // Joined, the two are a new string, flattened when sliced: the slice then holds that, not the file.
  return ` ${text}`.slice(1);
}

function isRecord(value: unknown): value is KubeObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

// Top-level fields that every version's schema called unknown: "unknown field" at the field itself.
function topLevelUnknown(findings: readonly Finding[], versions: number): string[] {
  const counts = new Map<string, number>();
  for (const f of findings) {
    if (!f.message.startsWith('unknown field ') || f.path === '' || /[.[\]]/.test(f.path)) continue;
    counts.set(f.path, (counts.get(f.path) ?? 0) + 1);
  }
  return [...counts].filter(([, n]) => n >= versions).map(([key]) => key);
}

/** The problems of `validate`, for callers that want only them. */
export function validateManifests(items: readonly Located[], options: ValidateOptions = {}): Problem[] {
  return validate(items, options).problems;
}

// A check that throws on a shape no rule foresaw must cost one line, not the run and every
// other object's verdict: the exit contract holds for any input.
function guarded(check: () => Finding[]): Finding[] {
  try {
    return check();
  } catch (error) {
    return [internalError(error)];
  }
}

/**
 * The selector work a namespace's link or policy checks may do (network.ts selectorWork): a floor,
 * then steps per object. Ordinary namespaces take 5-7 steps an object (the app's; 50 MB of
 * Pod+Service+NetworkPolicy sets: 1 million steps for 183,000 objects); policies selecting every
 * pod with rules that allow no connection take thousands (4,000 an object at 2,000 sets). At about
 * 130 ns a step, 50 MB of those (199,000 objects: 15 million steps) stop after about 2 s, where
 * judging them all would take hours. test/validate/selector-budget.test.ts holds both sides.
 */
export const SELECTOR_WORK = { floor: 5_000_000, perObject: 50 };

function guardedGroup(group: readonly Located[], check: Problem['check'], run: () => Problem[]): Problem[] {
  const limit = SELECTOR_WORK.floor + SELECTOR_WORK.perObject * group.length;
  selectorWork.limit = selectorWork.steps + limit;
  try {
    return run();
  } catch (error) {
    if (!(error instanceof SelectorWorkSpent)) return locate(group[0], check, [internalError(error)]);
    const namespace = namespaceOf(group[0].object);
    return locate(group[0], check, [{
      path: '',
      message: `the ${check} checks of namespace ${namespace === '' ? '(the namespace kubectl applies to)' : `"${namespace}"`} were stopped, and none of their findings there is reported: its label selectors took more than ${limit.toLocaleString('en-US')} steps to judge (${group.length.toLocaleString('en-US')} objects)`,
      allowed: `at most ${SELECTOR_WORK.floor.toLocaleString('en-US')} steps, plus ${SELECTOR_WORK.perObject} per object of the namespace: fewer NetworkPolicies or budgets whose selectors match most pods, or the namespace's objects validated in parts`,
    }]);
  } finally {
    selectorWork.limit = Infinity;
  }
}

function internalError(error: unknown): Finding {
  const message = error instanceof Error ? error.message : String(error);
  return { path: '', message: `the validator failed on this object (${message.split('\n')[0]}); its other checks ran`, allowed: 'an object of the usual shape; please report this' };
}

// A custom object whose kind a usable CRD defines, in a version that CRD does not serve: the API
// server answers 404 for it (the apiextensions-apiserver serves only `served: true` versions), even
// where a bundled package has a schema for that version.
function unservedVersion(object: KubeObject, kinds: ReadonlyMap<string, string[]>): Finding | undefined {
  const apiVersion = String(object.apiVersion);
  const group = apiVersion.includes('/') ? apiVersion.slice(0, apiVersion.indexOf('/')) : '';
  const served = kinds.get(`${group} ${String(object.kind)}`);
  if (served === undefined) return undefined;
  return {
    path: 'apiVersion',
    message: `${apiVersion} is not a version its CustomResourceDefinition serves for kind ${String(object.kind)}`,
    allowed: served.length ? `apiVersion ${[...served].sort().join(' or ')}` : 'none: its CustomResourceDefinition serves no version (served: true on one)',
  };
}

function unknownKind(item: Located): Finding {
  return {
    path: 'kind',
    message: `no schema for apiVersion ${String(item.object.apiVersion)} kind ${String(item.object.kind)}`,
    allowed: 'a kind with a known schema (without --fail-on-unknown it is skipped)',
  };
}

/** The schema versions of the option's targets, each once, oldest first; all of them by default. */
function targetVersions(given: readonly string[] | undefined): readonly KubernetesVersion[] {
  if (given === undefined) return KUBERNETES_VERSIONS;
  if (given.length === 0) throw new Error(`kubernetesVersions is empty: name at least one of ${TARGET_VERSIONS.join(', ')}, or leave it out for all`);
  const chosen = new Set(given.map(kubernetesVersion));
  return KUBERNETES_VERSIONS.filter((version) => chosen.has(version));
}

function schemaFindings(item: Located, versions: readonly KubernetesVersion[], asRead: unknown): Finding[] {
  const findings = [...versions.flatMap((version) => validateSchema(item.object, version)), ...nullUnknownFields(item.object, asRead, versions)];
  if (!item.kubectlScalars?.length || findings.length === 0) return findings;
  const explained = explainKubectlTyping(item.object, item.kubectlScalars, findings, (object) => validateSchema(object, versions[0]));
  return [...explained.findings, ...findings.filter((f) => !explained.superseded.has(f.path))];
}

/**
 * A field set to null is "not set" to the API server if the kind has it, and an unknown field to
 * its strict decoding if not (sigs.k8s.io/json's strict mode names every unknown key, whatever its
 * value). Each null field of the object as read is asked of the schema by putting an empty object
 * there: only an "unknown field" at that very path counts.
 */
function nullUnknownFields(object: KubeObject, asRead: unknown, versions: readonly KubernetesVersion[]): Finding[] {
  const found: Finding[] = [];
  for (const segments of nullFieldPaths(asRead)) {
    const probe = structuredClone(object);
    let parent: KubeObject | undefined = probe;
    for (const segment of segments.slice(0, -1)) parent = parent?.[segment];
    if (parent === null || typeof parent !== 'object') continue;
    Object.defineProperty(parent, segments[segments.length - 1], { value: {}, enumerable: true, writable: true, configurable: true });
    const at = objectPath(segments);
    for (const version of versions) found.push(...validateSchema(probe, version).filter((f) => f.path === at && f.message.startsWith('unknown field ')));
  }
  return found;
}

/** Policy problems of one namespace, less those an exception accepts; notes each exception applied. */
function acceptPolicy(group: readonly Located[], global: readonly PolicyException[], applied: Map<string, { rule: string; reason: string; objects: Set<string> }>, gateways: readonly KubeObject[], budget: number): Problem[] {
  const own = new Map<string, PolicyException[]>();
  for (const item of group) {
    // Only objects that accept something: a key per object of a namespace of 183,000 was memory for nothing.
    const accepted = acceptedPolicies(item.object);
    if (accepted.length === 0) continue;
    const key = `${item.file}\0${objectId(item.object)}`;
    own.set(key, [...(own.get(key) ?? []), ...accepted]);
  }
  // Accepted problems are left out as they are made: the budget counts only those reported.
  return checkPolicy(group, [], gateways, budget, (problem) => {
    const candidates = [...global, ...(own.get(`${problem.file}\0${problem.object}`) ?? [])];
    const exception = candidates.find((e) => problem.message.startsWith(`[${e.rule}] `) && (e.object === '*' || e.object === problem.object));
    if (!exception) return false;
    const key = `${exception.rule}\0${exception.reason}`;
    const entry = applied.get(key) ?? { rule: exception.rule, reason: exception.reason, objects: new Set<string>() };
    entry.objects.add(exception.object === '*' ? '*' : problem.object);
    applied.set(key, entry);
    return true;
  });
}

function byNamespace(items: readonly Located[]): Located[][] {
  const groups = new Map<string, Located[]>();
  for (const item of items) {
    const namespace = namespaceOf(item.object);
    const group = groups.get(namespace);
    if (group) group.push(item);
    else groups.set(namespace, [item]);
  }
  return [...groups.values()];
}

// The same mistake reported by both schema versions reads as one problem, naming both.
// Problems are looked up by object and path, then compared field by field: a key of every field
// per problem (100,000 keys of ~400 characters) was 36 MiB more heap at the end of a run.
function dedupe(problems: Problem[], versions: readonly KubernetesVersion[]): Problem[] {
  const out: Problem[] = [];
  const generics: string[] = [];
  const byPlace = new Map<string, number | number[]>();
  for (const problem of problems) {
    const generic = problem.message.endsWith(' schema)') ? problem.message.replace(/ \(Kubernetes [\d.]+ schema\)$/, '') : problem.message;
    const place = `${problem.object}|${problem.path}`;
    const found = byPlace.get(place);
    const candidates = found === undefined ? [] : typeof found === 'number' ? [found] : found;
    const same = candidates.find((k) => out[k].file === problem.file && out[k].object === problem.object && out[k].path === problem.path && generics[k] === generic && out[k].allowed === problem.allowed);
    if (same === undefined) {
      const index = out.push(problem) - 1;
      generics.push(generic);
      if (found === undefined) byPlace.set(place, index);
      else if (typeof found === 'number') byPlace.set(place, [found, index]);
      else found.push(index);
    } else if (out[same].message !== problem.message) {
      out[same] = { ...out[same], message: `${generic} (Kubernetes ${versions.join(' and ')} schemas)` };
    }
  }
  return out;
}
