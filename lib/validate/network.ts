import { containersOf, isObject, namespaceOf, PodTemplate, selects } from './pods';
import { KubeObject, Located, locate, objectId, Problem } from './problem';
import type { ServiceReference } from './service-refs';

/** A pod, as NetworkPolicies see it: its namespace and labels. */
export interface PodIdentity {
  /** Its namespace ('' for the namespace kubectl applies to). */
  readonly namespace: string;
  /** Its labels. */
  readonly labels: Readonly<Record<string, string>>;
}

/**
 * Selector work done (one step per selector tried against labels, per index entry visited and per
 * policy rule tried on a connection): a count, not a time, so that tests of its growth fail on
 * any machine, and a limit, past which the work stops with SelectorWorkSpent. index.ts sets the
 * limit for each namespace's checks: some inputs need work quadratic in their size whatever the
 * index (policies that select every pod, with rules that allow no connection: 4,000 sets in one
 * namespace took 16 million steps), and a gate must end in bounded time.
 */
export const selectorWork = { steps: 0, limit: Infinity };

/** Thrown when selectorWork passes its limit. */
export class SelectorWorkSpent extends Error {}

function spend(steps: number): void {
  selectorWork.steps += steps;
  if (selectorWork.steps > selectorWork.limit) throw new SelectorWorkSpent(`selector work over its limit of ${selectorWork.limit} steps`);
}

type Selector = { matchLabels?: Record<string, string>; matchExpressions?: { key: string; operator: string; values?: string[] }[] };

/** Label selector semantics of the API: every matchLabels pair and every expression must hold. */
export function matchesSelector(selector: Selector | undefined, labels: Readonly<Record<string, string>>): boolean {
  spend(1);
  if (!isObject(selector)) return false;
  const pairs = Object.entries(selector.matchLabels ?? {}).every(([key, value]) => labels[key] === value);
  // An expression list, or an expression, of another shape (`- ~` in YAML) holds for no pod: the
  // API refuses the object, and the schema check says so; its other objects are still judged.
  const listed = selector.matchExpressions ?? [];
  const expressions = Array.isArray(listed) && listed.every((e) => {
    if (!isObject(e)) return false;
    const has = Object.prototype.hasOwnProperty.call(labels, e.key);
    switch (e.operator) {
      case 'In': return has && (e.values ?? []).includes(labels[e.key]);
      case 'NotIn': return !has || !(e.values ?? []).includes(labels[e.key]);
      case 'Exists': return has;
      case 'DoesNotExist': return !has;
      default: return false;
    }
  });
  return pairs && expressions;
}

// A namespace outside the output carries the label every namespace gets from the API server.
function namespaceLabels(namespace: string): Record<string, string> {
  return { 'kubernetes.io/metadata.name': namespace };
}

// Whether a namespace selector asks for labels other than the one every namespace gets: those
// are set by whoever made the namespace, which the manifests judged here may not show.
function needsUnknownLabels(selector: Selector): boolean {
  const keys = [...Object.keys(selector.matchLabels ?? {}), ...(selector.matchExpressions ?? []).map((e) => e.key)];
  return keys.some((key) => key !== 'kubernetes.io/metadata.name');
}

function peerMatches(peer: KubeObject, policyNamespace: string, pod: PodIdentity): boolean {
  if (peer.ipBlock) return false;
  // A selector on namespace labels we cannot see is given the benefit of the doubt: reporting a
  // connection as blocked must not rest on a guess.
  const inNamespace = peer.namespaceSelector
    ? needsUnknownLabels(peer.namespaceSelector) || matchesSelector(peer.namespaceSelector, namespaceLabels(pod.namespace))
    : pod.namespace === policyNamespace;
  const podOk = peer.podSelector ? matchesSelector(peer.podSelector, pod.labels) : true;
  return inNamespace && podOk;
}

/** A destination port: its number and, when the container declares one, its name. */
export interface DestinationPort {
  readonly number: number;
  readonly name?: string;
}

// A policy port matches by number, by range (endPort), or by the destination container's port name.
function portMatches(ports: KubeObject[] | undefined, port: number | DestinationPort, protocol: string): boolean {
  if (!ports || ports.length === 0) return true;
  const { number, name } = typeof port === 'number' ? { number: port, name: undefined } : port;
  return ports.some((p) => {
    if ((p.protocol ?? 'TCP') !== protocol) return false;
    if (p.port === undefined || p.port === null) return true;
    if (typeof p.port === 'string' && !/^\d+$/.test(p.port)) return p.port === name;
    const start = Number(p.port);
    return start === number || (typeof p.endPort === 'number' && number >= start && number <= p.endPort);
  });
}

function policyTypes(policy: KubeObject): string[] {
  const spec = policy.spec ?? {};
  if (Array.isArray(spec.policyTypes)) return spec.policyTypes;
  return spec.egress ? ['Ingress', 'Egress'] : ['Ingress'];
}

/** Whether any policy isolates the pod in one direction (counted, not listed). */
export function isIsolated(policies: readonly KubeObject[], pod: PodIdentity, direction: 'Ingress' | 'Egress'): boolean {
  return policyIndexes(policies, pod.namespace, direction).isolating.someMatching(pod.labels);
}

// Per list of policies, namespace and direction: the policies of that namespace isolating in that
// direction, and those of them with at least one rule (a default-deny policy allows nothing, so a
// namespace of thousands of them costs no look at each for every connection).
const byPolicyList = new WeakMap<readonly KubeObject[], Map<string, { isolating: SelectorIndex<KubeObject>; withRules: SelectorIndex<KubeObject> }>>();
function policyIndexes(policies: readonly KubeObject[], namespace: string, direction: 'Ingress' | 'Egress'): { isolating: SelectorIndex<KubeObject>; withRules: SelectorIndex<KubeObject> } {
  let byKey = byPolicyList.get(policies);
  if (!byKey) byPolicyList.set(policies, (byKey = new Map()));
  const key = `${namespace}\0${direction}`;
  let found = byKey.get(key);
  if (!found) {
    const field = direction === 'Ingress' ? 'ingress' : 'egress';
    const chosen = policies.filter((p) => namespaceOf(p) === namespace && policyTypes(p).includes(direction));
    const withRules = chosen.filter((p) => Array.isArray(p.spec?.[field]) && p.spec[field].length > 0);
    found = { isolating: new SelectorIndex(chosen, (p) => p.spec?.podSelector), withRules: new SelectorIndex(withRules, (p) => p.spec?.podSelector) };
    byKey.set(key, found);
  }
  return found;
}

/**
 * Objects with label selectors (NetworkPolicies, PodDisruptionBudgets), indexed so that the ones
 * whose selectors may match a pod's labels are found without trying every selector: the cost of
 * judging n pods against m selectors in one namespace is linear in n + m (plus what matches),
 * not n x m (4,000 Pods, Services and NetworkPolicies in one namespace took 147 s). Each selector
 * is filed under one requirement a match needs: a matchLabels pair, the values of an `In`
 * expression, or the key of an `Exists`. A selector with none of these is one of: empty (it
 * matches every pod: kept apart and counted, never tried), `NotIn` and `DoesNotExist` alone
 * (inverted: filed under the label pairs and keys that exclude a pod, so a pod's own labels name
 * the selectors it fails), or of a shape no index reads (tried for every pod). someMatching()
 * applies matchesSelector to what the index finds.
 */
export class SelectorIndex<T> {
  private readonly byPair = new Map<string, number[]>();
  private readonly byKey = new Map<string, number[]>();
  private readonly always: number[] = [];
  /** Empty selectors: every pod matches. */
  private readonly everyPod: number[] = [];
  /**
   * NotIn/DoesNotExist-only selectors, and what excludes a pod from each. A simple one (one key,
   * NotIn only or DoesNotExist only) is filed once under each pair or key that excludes a pod, and a
   * pod has one value per key: the sizes of its buckets add up to how many it fails, uncounted.
   */
  private readonly inverted: number[] = [];
  private readonly simple: number[] = [];
  private readonly excludedByPair = new Map<string, number[]>();
  private readonly excludedByKey = new Map<string, number[]>();
  private readonly simpleByPair = new Map<string, number[]>();
  private readonly simpleByKey = new Map<string, number[]>();

  constructor(private readonly entries: readonly T[], private readonly selectorOf: (entry: T) => unknown) {
    entries.forEach((entry, i) => {
      const selector = selectorOf(entry);
      if (!isObject(selector)) return; // matches nothing (matchesSelector)
      const file = (map: Map<string, number[]>, key: string) => {
        const bucket = map.get(key);
        if (bucket) bucket.push(i);
        else map.set(key, [i]);
      };
      const pair = isObject(selector.matchLabels) ? Object.entries(selector.matchLabels)[0] : undefined;
      if (pair) return file(this.byPair, `${pair[0]}\0${String(pair[1])}`);
      // As matchesSelector reads them: no matchLabels pair, and expressions a list (or none).
      const noPairs = (selector.matchLabels === undefined || selector.matchLabels === null || isObject(selector.matchLabels)) && !pair;
      const listed = selector.matchExpressions === undefined || selector.matchExpressions === null ? [] : selector.matchExpressions;
      if (noPairs && Array.isArray(listed) && listed.length === 0) return void this.everyPod.push(i);
      const invertible = noPairs && Array.isArray(listed) && listed.every((e: unknown) => isObject(e) && typeof e.key === 'string'
        && (e.operator === 'DoesNotExist' || (e.operator === 'NotIn' && (e.values === undefined || e.values === null || (Array.isArray(e.values) && e.values.every((v: unknown) => typeof v === 'string'))))));
      if (invertible) {
        const expressions = listed as { key: string; operator: string; values?: string[] }[];
        const simple = new Set(expressions.map((e) => e.key)).size === 1 && new Set(expressions.map((e) => e.operator)).size === 1;
        (simple ? this.simple : this.inverted).push(i);
        // A pod fails `NotIn` by holding one of the values, `DoesNotExist` by holding the key.
        const keys = new Set<string>();
        const pairs = new Set<string>();
        for (const e of expressions) {
          if (e.operator === 'DoesNotExist') keys.add(e.key);
          else for (const value of e.values ?? []) pairs.add(`${e.key}\0${value}`);
        }
        keys.forEach((key) => file(simple ? this.simpleByKey : this.excludedByKey, key));
        pairs.forEach((pair) => file(simple ? this.simpleByPair : this.excludedByPair, pair));
        return;
      }
      const expressions = Array.isArray(selector.matchExpressions) ? selector.matchExpressions.filter(isObject) : [];
      const within = expressions.find((e) => e.operator === 'In' && Array.isArray(e.values));
      // Each value once as text: 1 and '1' are one bucket.
      if (within) return new Set(within.values.map(String)).forEach((value) => file(this.byPair, `${String(within.key)}\0${value}`));
      const exists = expressions.find((e) => e.operator === 'Exists');
      if (exists) return file(this.byKey, String(exists.key));
      this.always.push(i);
    });
  }

  /**
   * Whether an entry whose selector matches these labels satisfies `accept` (any entry, without
   * it); stops at the first. Without `accept`, empty and NotIn-only selectors are counted, not tried.
   */
  someMatching(labels: Readonly<Record<string, string>>, accept?: (entry: T) => boolean): boolean {
    if (accept) return this.visit(labels, (i) => accept(this.entries[i]));
    if (this.everyPod.length) return true;
    const own = labels ?? {};
    let simpleExcluded = 0;
    for (const [key, value] of Object.entries(own)) {
      spend(1);
      for (const i of [...(this.byPair.get(`${key}\0${String(value)}`) ?? []), ...(this.byKey.get(key) ?? [])]) {
        if (matchesSelector(this.selectorOf(this.entries[i]) as Selector, own)) return true;
      }
      // matchesSelector's NotIn compares values with includes(): only a string label can be among string values.
      if (typeof value === 'string') simpleExcluded += this.simpleByPair.get(`${key}\0${value}`)?.length ?? 0;
      simpleExcluded += this.simpleByKey.get(key)?.length ?? 0;
    }
    if (simpleExcluded < this.simple.length) return true;
    if (this.inverted.length) {
      // Of several keys: counted too when one bucket alone excludes the pod from any of them.
      const buckets: number[][] = [];
      for (const [key, value] of Object.entries(own)) {
        const byPair = typeof value === 'string' ? this.excludedByPair.get(`${key}\0${value}`) : undefined;
        const byKey = this.excludedByKey.get(key);
        if (byPair) buckets.push(byPair);
        if (byKey) buckets.push(byKey);
      }
      if (buckets.length <= 1) {
        if ((buckets[0]?.length ?? 0) < this.inverted.length) return true;
      } else if (this.visitInverted(own, () => true)) return true;
    }
    return this.always.some((i) => matchesSelector(this.selectorOf(this.entries[i]) as Selector, own));
  }

  // The NotIn/DoesNotExist-only selectors of several keys the labels do not fail, until `each` returns true.
  private visitInverted(own: Readonly<Record<string, string>>, each: (i: number) => boolean | void): boolean {
    return this.visitUnexcluded(this.inverted, this.excludedByPair, this.excludedByKey, own, each);
  }

  // The selectors of `list` that none of the labels' pairs or keys excludes, until `each` returns true:
  // the pod's own labels name what excludes it, so the work is what they exclude, not the whole list.
  private visitUnexcluded(list: readonly number[], byPair: ReadonlyMap<string, number[]>, byKey: ReadonlyMap<string, number[]>,
    own: Readonly<Record<string, string>>, each: (i: number) => boolean | void): boolean {
    if (list.length === 0) return false;
    const excluded = new Set<number>();
    for (const [key, value] of Object.entries(own)) {
      // matchesSelector's NotIn compares values with includes(): only a string label can be among string values.
      if (typeof value === 'string') for (const i of byPair.get(`${key}\0${value}`) ?? []) excluded.add(i);
      for (const i of byKey.get(key) ?? []) excluded.add(i);
    }
    spend(excluded.size);
    for (const i of excluded.size < list.length ? list : []) {
      spend(1);
      if (!excluded.has(i) && each(i)) return true;
    }
    return false;
  }

  // Calls `each` with every matching entry until it returns true; empty selectors first, untried.
  private visit(labels: Readonly<Record<string, string>>, each: (i: number) => boolean | void): boolean {
    const own = labels ?? {};
    for (const i of this.everyPod) {
      spend(1);
      if (each(i)) return true;
    }
    for (const [key, value] of Object.entries(own)) {
      for (const i of [...(this.byPair.get(`${key}\0${String(value)}`) ?? []), ...(this.byKey.get(key) ?? [])]) {
        if (matchesSelector(this.selectorOf(this.entries[i]) as Selector, own) && each(i)) return true;
      }
    }
    if (this.visitUnexcluded(this.simple, this.simpleByPair, this.simpleByKey, own, each)) return true;
    if (this.visitInverted(own, each)) return true;
    for (const i of this.always) {
      if (matchesSelector(this.selectorOf(this.entries[i]) as Selector, own) && each(i)) return true;
    }
    return false;
  }
}

// One index per list of objects, namespace and way of reading selectors: checks pass the same
// array for a whole namespace, so each is built once, and a question asked for one namespace's pods
// is then counted (someMatching without a filter), not tried entry by entry.
const namespaceIndexes = new WeakMap<readonly unknown[], Map<string, SelectorIndex<any>>>();

/** The (cached) SelectorIndex of the entries in one namespace. `selectorOf` must be one function for one list: it is keyed by its source text. */
export function selectorIndexIn<T extends KubeObject>(entries: readonly T[], namespace: string, selectorOf: (entry: T) => unknown): SelectorIndex<T> {
  let byKey = namespaceIndexes.get(entries);
  if (!byKey) namespaceIndexes.set(entries, (byKey = new Map()));
  const key = `${namespace}\0${selectorOf.toString()}`;
  let index = byKey.get(key);
  if (!index) byKey.set(key, (index = new SelectorIndex(entries.filter((entry) => namespaceOf(entry) === namespace), selectorOf)));
  return index;
}

/**
 * Objects carrying labels (pod templates), indexed by label pair, for the opposite question: which
 * of them a selector may match. candidates() gives the smallest bucket of a pair the selector
 * requires (a superset, in the order given), or every entry for a selector requiring no pair.
 */
export class LabelIndex<T> {
  private readonly byPair = new Map<string, number[]>();
  private readonly byKey = new Map<string, number[]>();

  constructor(private readonly entries: readonly T[], private readonly labelsOf: (entry: T) => Readonly<Record<string, string>>) {
    entries.forEach((entry, i) => {
      for (const [key, value] of Object.entries(labelsOf(entry) ?? {})) {
        const pair = `${key}\0${String(value)}`;
        const bucket = this.byPair.get(pair);
        if (bucket) bucket.push(i);
        else this.byPair.set(pair, [i]);
        const keyed = this.byKey.get(key);
        if (keyed) keyed.push(i);
        else this.byKey.set(key, [i]);
      }
    });
  }

  /** Entries a selector (a Service's plain map, or a LabelSelector) may match. */
  candidates(selector: unknown, plain = false): readonly T[] {
    if (!isObject(selector)) return [];
    const options: (readonly number[])[] = [];
    const pairs = plain ? Object.entries(selector) : isObject(selector.matchLabels) ? Object.entries(selector.matchLabels) : [];
    for (const [key, value] of pairs) options.push(this.byPair.get(`${key}\0${String(value)}`) ?? []);
    if (!plain && Array.isArray(selector.matchExpressions)) {
      for (const e of selector.matchExpressions.filter(isObject)) {
        if (e.operator === 'Exists') options.push(this.byKey.get(String(e.key)) ?? []);
        if (e.operator === 'In' && Array.isArray(e.values)) {
          options.push([...new Set(e.values.map(String))].flatMap((value) => this.byPair.get(`${String(e.key)}\0${value}`) ?? []).sort((a, b) => a - b));
        }
      }
    }
    if (options.length === 0) return plain ? [] : this.entries;
    const smallest = options.reduce((a, b) => (b.length < a.length ? b : a));
    return smallest.map((i) => this.entries[i]);
  }

  /**
   * Whether a LabelSelector matches any entry, counted rather than tried entry by entry where the
   * index can: an empty selector matches every entry; `NotIn`/`DoesNotExist` alone match every
   * entry but those holding an excluded value or key, which the index names.
   */
  matchesAny(selector: unknown, labelsOf: (entry: T) => Readonly<Record<string, string>>): boolean {
    if (!isObject(selector)) return false;
    const noPairs = (selector.matchLabels === undefined || selector.matchLabels === null || isObject(selector.matchLabels)) && Object.keys(selector.matchLabels ?? {}).length === 0;
    const listed = selector.matchExpressions === undefined || selector.matchExpressions === null ? [] : selector.matchExpressions;
    if (noPairs && Array.isArray(listed) && listed.length === 0) return this.entries.length > 0;
    const invertible = noPairs && Array.isArray(listed) && listed.every((e: unknown) => isObject(e) && typeof e.key === 'string'
      && (e.operator === 'DoesNotExist' || (e.operator === 'NotIn' && (e.values === undefined || e.values === null || (Array.isArray(e.values) && e.values.every((v: unknown) => typeof v === 'string'))))));
    if (!invertible) {
      return this.candidates(selector).some((entry) => matchesSelector(selector as Selector, labelsOf(entry)));
    }
    // The entries each expression excludes, from the index: a pair's bucket holds string values only here.
    const expressions = listed as { key: string; operator: string; values?: string[] }[];
    const excluded: (readonly number[])[] = [];
    const notInValues = new Map<string, Set<string>>();
    for (const e of expressions) {
      if (e.operator === 'DoesNotExist') excluded.push(this.byKey.get(e.key) ?? []);
      else for (const value of e.values ?? []) notInValues.set(e.key, (notInValues.get(e.key) ?? new Set()).add(value));
    }
    for (const [key, values] of notInValues) for (const value of values) excluded.push(this.stringPairs().get(`${key}\0${value}`) ?? []);
    // Distinct values of one key (an entry has one value per key), or one key's bucket: no entry is
    // in two buckets, so their sizes add up without listing them.
    const disjoint = (notInValues.size === 1 && expressions.every((e) => e.operator === 'NotIn')) || excluded.filter((bucket) => bucket.length > 0).length <= 1;
    if (disjoint) {
      spend(excluded.length);
      return excluded.reduce((sum, bucket) => sum + bucket.length, 0) < this.entries.length;
    }
    const union = new Set<number>();
    for (const bucket of excluded) for (const i of bucket) union.add(i);
    spend(union.size);
    return union.size < this.entries.length;
  }

  // Label pairs of string values only (matchesSelector's NotIn compares with includes()), made on first use.
  private stringPairIndex?: Map<string, number[]>;
  private stringPairs(): Map<string, number[]> {
    if (!this.stringPairIndex) {
      this.stringPairIndex = new Map();
      this.entries.forEach((entry, i) => {
        for (const [key, value] of Object.entries(this.labelsOf(entry) ?? {})) {
          if (typeof value !== 'string') continue;
          const bucket = this.stringPairIndex!.get(`${key}\0${value}`);
          if (bucket) bucket.push(i);
          else this.stringPairIndex!.set(`${key}\0${value}`, [i]);
        }
      });
    }
    return this.stringPairIndex;
  }
}

const labelIndexes = new WeakMap<readonly unknown[], LabelIndex<any>>();

/** The (cached) LabelIndex of these entries; `labelsOf` must be the same for one list. */
export function labelIndex<T>(entries: readonly T[], labelsOf: (entry: T) => Readonly<Record<string, string>>): LabelIndex<T> {
  let index = labelIndexes.get(entries);
  if (!index) labelIndexes.set(entries, (index = new LabelIndex(entries, labelsOf)));
  return index;
}

/**
 * Whether NetworkPolicies let `from` open a connection to `to` on a port: the destination's
 * ingress and the source's egress must each be unisolated or allowed by some rule.
 */
export function allowsConnection(policies: readonly KubeObject[], from: PodIdentity, to: PodIdentity, port: number | DestinationPort, protocol = 'TCP'): boolean {
  return blockingDirections(policies, from, to, port, protocol).length === 0;
}

/** The directions whose policies block the connection: egress at the source, ingress at the destination. */
export function blockingDirections(policies: readonly KubeObject[], from: PodIdentity, to: PodIdentity, port: number | DestinationPort, protocol = 'TCP'): ('egress' | 'ingress')[] {
  const list = (value: unknown): KubeObject[] => (Array.isArray(value) ? value : []);
  // A rule allows the connection when one of its peers is the other end and a port matches; each rule tried is a step of work.
  const allows = (rule: KubeObject, peers: unknown, policy: KubeObject, other: PodIdentity) => {
    spend(1);
    return (!peers || list(peers).some((peer: KubeObject) => peerMatches(peer, namespaceOf(policy), other))) && portMatches(rule.ports, port, protocol);
  };
  const out: ('egress' | 'ingress')[] = [];
  // Isolated at all (counted), then allowed by a policy with rules: policies without rules allow nothing.
  const egressOk = !isIsolated(policies, from, 'Egress') || policyIndexes(policies, from.namespace, 'Egress').withRules.someMatching(from.labels, (p) => list(p.spec.egress).some((rule: KubeObject) => allows(rule, rule.to, p, to)));
  if (!egressOk) out.push('egress');
  const ingressOk = !isIsolated(policies, to, 'Ingress') || policyIndexes(policies, to.namespace, 'Ingress').withRules.someMatching(to.labels, (p) => list(p.spec.ingress).some((rule: KubeObject) => allows(rule, rule.from, p, from)));
  if (!ingressOk) out.push('ingress');
  return out;
}

function describeLabels(labels: Readonly<Record<string, unknown>>): string {
  return Object.entries(labels).map(([k, v]) => `${k}=${v}`).join(',') || '(all pods)';
}

// The labels that name a workload's pods in messages: its selector when it has one.
function podsLabel(object: KubeObject, template: PodTemplate): string {
  const selector = object.spec?.selector;
  const labels = isObject(selector?.matchLabels) ? selector.matchLabels : isObject(selector) && object.kind === 'ReplicationController' ? selector : template.labels;
  return describeLabels(labels);
}

/**
 * Where the cluster's DNS runs, as NetworkPolicies see it: kube-system, k8s-app=kube-dns (the
 * namespace's kubernetes.io/metadata.name label is the namespace's, not its pods').
 */
export const CLUSTER_DNS: PodIdentity = { namespace: 'kube-system', labels: { 'k8s-app': 'kube-dns' } };

const MAX_VERDICTS = 4096;
// What blockingDirections can answer, in its order.
const VERDICTS: readonly (readonly ('egress' | 'ingress')[])[] = [[], ['egress'], ['ingress'], ['egress', 'ingress']];

/**
 * For each connection the pods are wired to make (lib/validate/service-refs.ts), whether the
 * NetworkPolicies allow it in both directions: egress from the client pods and ingress at the
 * pods the Service selects, on the port those pods listen on (policies see the connection after
 * the Service's address is translated). One problem per blocked connection, naming the hop.
 * A client whose egress is isolated must also reach the cluster DNS to resolve the name: a
 * warning, since node-local DNS caches are reached by address rather than by pod labels.
 *
 * One reference at a time: links.ts judges each as it is made, so that no list of every
 * reference of a namespace is held (61,000 of them were 24 MB). Each connection is judged once,
 * whichever reference of the object names it first.
 */
export function connectivityChecker(templates: readonly { item: Located; template: PodTemplate }[], policies: readonly KubeObject[]): (ref: ServiceReference) => Problem[] {
  const seen = new Set<string>();
  const dnsWarned = new Set<Located>();
  // Many clients share labels and ports (replicated previews): judge each combination once. The
  // cache is cleared when full, and its verdicts are shared lists: 61,000 pods of distinct labels in
  // one namespace made 122,000 entries that never hit, 55 MB while they lived.
  const verdicts = new Map<string, readonly ('egress' | 'ingress')[]>();
  const blocking = (from: PodIdentity, to: PodIdentity, port: DestinationPort | number, protocol: string) => {
    const key = JSON.stringify([from.namespace, from.labels, to.namespace, to.labels, port, protocol]);
    let verdict = verdicts.get(key);
    if (!verdict) {
      if (verdicts.size >= MAX_VERDICTS) verdicts.clear();
      const found = blockingDirections(policies, from, to, port, protocol);
      verdict = VERDICTS.find((shared) => shared.length === found.length && shared.every((direction, i) => found[i] === direction)) ?? found;
      verdicts.set(key, verdict);
    }
    return verdict;
  };
  return (ref) => {
    const problems: Problem[] = [];
    const service = ref.service;
    if (!service || service.spec?.type === 'ExternalName' || !isObject(service.spec?.selector)) return problems;
    const ports: KubeObject[] = (Array.isArray(service.spec.ports) ? service.spec.ports : []).filter(isObject);
    const servicePort = ref.port !== undefined ? ports.find((p) => p.port === ref.port) : ports.length === 1 ? ports[0] : undefined;
    if (!servicePort) return problems;
    const key = `${objectId(ref.item.object)}|${namespaceOf(ref.item.object)}|${ref.serviceName}|${servicePort.port}`;
    if (seen.has(key)) return problems;
    seen.add(key);
    const namespace = namespaceOf(ref.item.object);
    const from: PodIdentity = { namespace, labels: ref.template.labels };
    const protocol = servicePort.protocol ?? 'TCP';
    if (!['TCP', 'UDP', 'SCTP'].includes(protocol)) return problems; // the API rules refuse the Service
    const hop = `${objectId(ref.item.object)} -> Service/${ref.serviceName}:${servicePort.port}`;
    const fromLabel = podsLabel(ref.item.object, ref.template);
    const toLabel = describeLabels(service.spec.selector);
    for (const { item, template } of labelIndex(templates, (t) => t.template.labels).candidates(service.spec.selector, true)) {
      if (namespaceOf(item.object) !== namespace || !selects(service.spec.selector, template.labels)) continue;
      const target = servicePort.targetPort ?? servicePort.port;
      const declared = containersOf(template).flatMap(({ container }) => (Array.isArray(container.ports) ? container.ports : []));
      const byName = typeof target === 'string' && !/^\d+$/.test(target) ? declared.find((p: KubeObject) => p?.name === target) : undefined;
      const number = byName ? byName.containerPort : Number(target);
      if (!Number.isInteger(number)) continue;
      const name = byName?.name ?? declared.find((p: KubeObject) => p?.containerPort === number)?.name;
      const to: PodIdentity = { namespace, labels: template.labels };
      const blocked = blocking(from, to, { number, name }, protocol);
      if (blocked.length === 0) continue;
      const reasons = blocked.map((direction) => (direction === 'egress'
        ? `blocked by the egress policies of the ${fromLabel} pods (no rule allows ${protocol} ${number} to ${toLabel})`
        : `blocked by the ingress policies of the ${toLabel} pods (no rule allows ${protocol} ${number} from ${fromLabel})`));
      problems.push(...locate(ref.item, 'link', [{
        path: ref.path,
        message: `${hop}: ${reasons.join('; and ')}`,
        allowed: `a NetworkPolicy rule for each blocked direction allowing ${protocol} ${number} between ${fromLabel} and ${toLabel}`,
      }]));
    }
    if (!dnsWarned.has(ref.item) && isIsolated(policies, from, 'Egress')
      && blocking(from, CLUSTER_DNS, 53, 'UDP').includes('egress')) {
      dnsWarned.add(ref.item);
      problems.push(...locate(ref.item, 'link', [{
        path: ref.path,
        message: `${hop}: the ${fromLabel} pods cannot resolve the name: their egress policies allow no UDP 53 to the cluster DNS (kube-system, k8s-app=kube-dns)`,
        allowed: 'an egress rule allowing UDP and TCP 53 to the cluster DNS',
        severity: 'warning',
      }]));
    }
    return problems;
  };
}
