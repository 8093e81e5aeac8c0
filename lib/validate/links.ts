import { declaredOperatorSecrets, OPERATOR_SECRET } from './annotations';
import { listed } from './echo';
import { connectivityChecker, labelIndex } from './network';
import { containersOf, isObject, namespaceOf, podTemplate, PodTemplate, selects } from './pods';
import { append, Finding, KubeObject, Located, locate, objectId, Problem } from './problem';
import { isPathSegmentName, isPortName } from './rules/common';
import { builtinKind, groupOf } from './rules/metadata';
import { eachServiceReference, nearMiss, ServiceReference } from './service-refs';

/** A Secret the operator creates before applying: pods may reference it though no manifest holds it. */
export interface OperatorSecret {
  /** The Secret's name. */
  readonly name: string;
  /** The keys pods read from it. */
  readonly keys: readonly string[];
}

/**
 * Links between objects, which a cluster accepts but which break the app: Services that select
 * no pod or target no port, Ingress backends and env values that name no Service (or a port it
 * does not serve), claims, Secrets and ConfigMaps that nothing provides, autoscalers whose target
 * is missing or cannot scale, disruption budgets that select no pod, a StatefulSet's governing
 * Service, and (lib/validate/network.ts) connections the NetworkPolicies block. A port the
 * container does not declare still accepts connections, so a number that no container lists is
 * a warning; a port name that none has resolves to nothing, an error.
 */
export function checkLinks(items: readonly Located[], operatorSecrets: readonly OperatorSecret[], budget = Infinity): Problem[] {
  const problems: Problem[] = [];
  try {
    linkProblems(items, operatorSecrets, budget, problems);
  } catch (error) {
    if (error !== BUDGET_SPENT) throw error;
  }
  return problems;
}

// Thrown by report() once the caller's budget is passed (index.ts maxProblems): the problems a
// run would drop are not made (a namespace of 120,000 Deployments made 120,000 of which 100,000
// were kept). One more than the budget is kept, so that the caller sees it was cut.
const BUDGET_SPENT = Symbol('budget spent');

function linkProblems(items: readonly Located[], operatorSecrets: readonly OperatorSecret[], budget: number, problems: Problem[]): void {
  const byKind = (kind: string) => items.filter((item) => item.object?.kind === kind);
  const named = (kind: string) => {
    const map = new Map<string, KubeObject>();
    // An object without a name is found by none: a host or claim named "undefined" is not it.
    for (const item of byKind(kind)) if (typeof item.object.metadata?.name === 'string') map.set(`${namespaceOf(item.object)}/${item.object.metadata.name}`, item.object);
    return map;
  };
  const services = named('Service');
  const claims = named('PersistentVolumeClaim');
  const secrets = named('Secret');
  const configMaps = named('ConfigMap');
  // Once per call, not per list or object: a caller may change them between two calls.
  const secretKeys = keysOfSecrets();
  let workloadIndex: Workloads | undefined;
  const templates = items
    .map((item) => ({ item, template: podTemplate(item.object) }))
    .filter((t): t is { item: Located; template: PodTemplate } => t.template !== undefined);

  const reportProblems = (found: readonly Problem[]) => {
    append(problems, found);
    if (problems.length > budget) throw BUDGET_SPENT;
  };
  const report = (item: Located, findings: Finding[]) => reportProblems(locate(item, 'link', findings));

  // Kind, then namespace, then name: a string per object (183,000 in one namespace) was 30 MiB.
  const seen = new Map<string, Map<string, Map<string, Located>>>();
  for (const item of items) {
    // The group too: a custom resource kind named like a built-in one (example.com Deployment) is
    // another resource; apps/v1 and apps/v1beta1 are one.
    const kind = `${String(groupOf(item.object))}/${String(item.object?.kind)}`;
    const namespace = namespaceOf(item.object);
    const name = String(item.object?.metadata?.name);
    let inKind = seen.get(kind);
    if (!inKind) seen.set(kind, (inKind = new Map()));
    let inNamespace = inKind.get(namespace);
    if (!inNamespace) inKind.set(namespace, (inNamespace = new Map()));
    const first = inNamespace.get(name);
    if (first) report(item, [{ path: 'metadata.name', message: `${objectId(item.object)} is defined twice (first in ${first.file}): the later one silently replaces the earlier`, allowed: 'one object per group, kind, namespace and name' }]);
    else inNamespace.set(name, item);
  }
  for (const item of byKind('Service')) report(item, serviceLinks(item.object, templates));
  for (const item of byKind('Ingress')) report(item, ingressLinks(item.object, services));
  for (const { item, template } of templates) {
    // Secrets an object declares it reads from the operator count for that object only.
    const declared = declaredOperatorSecrets(item.object);
    report(item, podLinks(item.object, template, { services, claims, secrets, configMaps, secretKeys, operatorSecrets: declared.length ? [...operatorSecrets, ...declared] : operatorSecrets }));
  }
  // Made as they are judged, links and connectivity: past the budget no more are made, and none
  // is kept once judged.
  const connectivity = connectivityChecker(templates, items.map((item) => item.object).filter((o) => o?.kind === 'NetworkPolicy'));
  for (const reference of eachServiceReference(templates, services)) {
    report(reference.item, referenceLinks(reference, services));
    reportProblems(connectivity(reference));
  }
  for (const item of byKind('HorizontalPodAutoscaler')) report(item, autoscalerLinks(item.object, (workloadIndex ??= workloads(items))));
  for (const item of byKind('PodDisruptionBudget')) report(item, budgetLinks(item.object, templates));
  for (const item of byKind('StatefulSet')) report(item, governingServiceLinks(item.object, services));
}

// An env value that names a Service: it must exist (a near miss is named), and the port the
// value or its sibling *_PORT gives must be one the Service serves.
function referenceLinks(ref: ServiceReference, services: Map<string, KubeObject>): Finding[] {
  const namespace = namespaceOf(ref.item.object);
  if (!ref.service) {
    const meant = nearMiss(ref.serviceName, nearMissCandidates(services, namespace, ref.serviceName));
    if (!ref.meantAsHost && !meant) return [];
    return [{
      path: ref.path,
      message: `${ref.variable}="${ref.value}" names no Service in the output: the name will not resolve${meant ? `; did you mean "${meant}"?` : ''}`,
      allowed: `a Service in the same namespace: ${namesIn(services, namespace)}`,
    }];
  }
  const ports = servicePorts(ref.service);
  if (ref.port !== undefined && ref.service.spec?.type !== 'ExternalName' && ports.length > 0 && !ports.some((p) => p.port === ref.port)) {
    return [{
      path: ref.path,
      message: `${ref.variable} connects to Service "${ref.serviceName}" on port ${ref.port} (from ${ref.portFrom}), which it does not serve`,
      allowed: `a port of Service "${ref.serviceName}": ${listed(ports.map((p) => String(p.port)))}`,
    }];
  }
  return [];
}

const SCALABLE = new Set(['Deployment', 'StatefulSet', 'ReplicaSet', 'ReplicationController']);

// An autoscaler's target must be in the output and have a scale subresource.
function autoscalerLinks(hpa: KubeObject, { targets, scalable }: Workloads): Finding[] {
  const ref = hpa.spec?.scaleTargetRef;
  // An invalid reference is the API rules' finding.
  if (!isObject(ref) || typeof ref.kind !== 'string' || typeof ref.name !== 'string' || !isPathSegmentName(ref.name) || !isPathSegmentName(ref.kind)) return [];
  const namespace = namespaceOf(hpa);
  const candidates = targets.get(`${namespace}\0${ref.kind}\0${ref.name}`) ?? [];
  // The reference's group picks among kinds of one name; without an apiVersion (or with one of no
  // candidate's group, told below) the first listed is the one named.
  const target = (typeof ref.apiVersion === 'string' && candidates.find((o) => groupOf(o) === groupOf({ apiVersion: ref.apiVersion }))) || candidates[0];
  if (!target) {
    return [{ path: 'spec.scaleTargetRef', message: `target ${ref.kind}/${ref.name} is not in the output: the autoscaler scales nothing`, allowed: `a workload in the same namespace: ${listed(scalable.get(namespace) ?? []) || 'none'}` }];
  }
  const kind = builtinKind(target);
  if (kind && !SCALABLE.has(kind)) {
    return [{ path: 'spec.scaleTargetRef.kind', message: `${ref.kind} has no scale subresource: the autoscaler cannot scale it`, allowed: 'Deployment, StatefulSet, ReplicaSet, or a custom resource with a scale subresource' }];
  }
  if (typeof ref.apiVersion === 'string' && groupOf({ apiVersion: ref.apiVersion }) !== groupOf(target)) {
    return [{ path: 'spec.scaleTargetRef.apiVersion', message: `apiVersion ${ref.apiVersion} is not the group of ${objectId(target)} (${target.apiVersion})`, allowed: String(target.apiVersion) }];
  }
  return [];
}

// A disruption budget that selects no pod protects nothing (policy/v1: a null selector selects none).
function budgetLinks(pdb: KubeObject, templates: readonly { item: Located; template: PodTemplate }[]): Finding[] {
  const selector = pdb.spec?.selector;
  const namespace = namespaceOf(pdb);
  // Counted by the index of the namespace's templates: an empty or NotIn-only selector tried
  // against each template made one namespace of many budgets quadratic.
  const selected = isObject(selector) && labelIndex(templatesIn(templates, namespace), (t) => t.template.labels).matchesAny(selector, (t) => t.template.labels);
  if (selected) return [];
  return [{ path: 'spec.selector', message: `selector ${JSON.stringify(selector ?? null)} selects no pod template in the output: the budget protects nothing`, allowed: `labels of a workload's pods; the output has ${describeTemplates(templates, namespace)}` }];
}

// The templates of one namespace, one list per namespace and list of templates (so that each has one index).
const templatesByNamespace = new WeakMap<readonly unknown[], Map<string, { item: Located; template: PodTemplate }[]>>();
function templatesIn(templates: readonly { item: Located; template: PodTemplate }[], namespace: string): { item: Located; template: PodTemplate }[] {
  let grouped = templatesByNamespace.get(templates);
  if (!grouped) {
    grouped = new Map();
    for (const t of templates) {
      const ns = namespaceOf(t.item.object);
      const list = grouped.get(ns);
      if (list) list.push(t);
      else grouped.set(ns, [t]);
    }
    templatesByNamespace.set(templates, grouped);
  }
  let list = grouped.get(namespace);
  if (!list) grouped.set(namespace, (list = []));
  return list;
}

// A StatefulSet's pods get DNS names (<pod>.<serviceName>) only through a headless Service.
function governingServiceLinks(set: KubeObject, services: Map<string, KubeObject>): Finding[] {
  const name = set.spec?.serviceName;
  if (typeof name !== 'string' || name === '') return [];
  const namespace = namespaceOf(set);
  const service = services.get(`${namespace}/${name}`);
  if (!service) return [{ path: 'spec.serviceName', message: `governing Service "${name}" is not in the output: the pods get no DNS names`, allowed: `a headless Service (clusterIP: None) in the same namespace: ${namesIn(services, namespace)}` }];
  if (service.spec?.clusterIP !== 'None') return [{ path: 'spec.serviceName', message: `governing Service "${name}" is not headless: the pods get no DNS names of their own`, allowed: 'clusterIP: None on the governing Service', severity: 'warning' }];
  return [];
}

/** A Service's ports that are objects (a direct caller may hand nulls the validator drops). */
function servicePorts(service: KubeObject): KubeObject[] {
  return (Array.isArray(service.spec?.ports) ? service.spec.ports : []).filter(isObject);
}

function portsOf(template: PodTemplate): { number: number; name?: string; container: string }[] {
  return containersOf(template).flatMap(({ container }) => (Array.isArray(container.ports) ? container.ports : [])
    .filter(isObject).map((port: KubeObject) => ({ number: port.containerPort, name: port.name, container: container.name })));
}

function serviceLinks(service: KubeObject, templates: readonly { item: Located; template: PodTemplate }[]): Finding[] {
  const spec = service.spec;
  if (!isObject(spec) || spec.type === 'ExternalName' || !isObject(spec.selector)) return [];
  const namespace = namespaceOf(service);
  const selected = labelIndex(templates, (t) => t.template.labels).candidates(spec.selector, true).filter(({ item, template }) => namespaceOf(item.object) === namespace && selects(spec.selector, template.labels));
  if (selected.length === 0) {
    return [{
      path: 'spec.selector',
      message: `selector ${JSON.stringify(spec.selector)} selects no pod template in the output`,
      allowed: `labels of a workload's pods; the output has ${describeTemplates(templates, namespace)}`,
    }];
  }
  const findings: Finding[] = [];
  let podPorts: ReturnType<typeof portsOf> | undefined;
  (Array.isArray(spec.ports) ? spec.ports : []).forEach((port: KubeObject, i: number) => {
    if (!isObject(port)) return;
    const target = port.targetPort ?? port.port;
    if (typeof target === 'string' && !isPortName(target)) return; // an invalid name: the API rules report it
    podPorts ??= selected.flatMap(({ template }) => portsOf(template));
    const found = podPorts.some((p) => (typeof target === 'number' ? p.number === target : p.name === target));
    if (!found) {
      // An undeclared number may well be open (ports lists are informational); a name resolves
      // only through a declared port, so the Service's endpoints get no port at all.
      const numeric = typeof target === 'number';
      findings.push({
        path: `spec.ports[${i}].targetPort`,
        message: `targetPort ${JSON.stringify(target)} is not a ${numeric ? 'declared ' : ''}port of the selected pods (${listed(selected.map(({ item }) => objectId(item.object)))})${numeric ? ': it works only if the container listens there anyway' : ''}`,
        allowed: podPorts.length ? listed(podPorts.map((p) => (p.name ? `${p.number} or "${p.name}"` : String(p.number)))) : 'none: the selected pods declare no port',
        ...(numeric ? { severity: 'warning' as const } : {}),
      });
    }
  });
  return findings;
}

// Once per list of templates and namespace: every Service or budget selecting nothing names them.
const templateLists = new WeakMap<readonly unknown[], Map<string, string>>();
function describeTemplates(templates: readonly { item: Located; template: PodTemplate }[], namespace: string): string {
  let byNamespace = templateLists.get(templates);
  if (!byNamespace) {
    const grouped = new Map<string, { described: string[]; count: number }>();
    for (const { item, template } of templates) {
      const ns = namespaceOf(item.object);
      const group = grouped.get(ns) ?? { described: [], count: 0 };
      // Only the first ones are described; the rest are counted.
      if (group.count < MAX_NAMED) group.described.push(`${objectId(item.object)} ${JSON.stringify(template.labels)}`);
      group.count += 1;
      grouped.set(ns, group);
    }
    byNamespace = new Map([...grouped].map(([ns, { described, count }]) => [ns, described.join('; ') + (count > MAX_NAMED ? `; ... and ${count - MAX_NAMED} more` : '')]));
    templateLists.set(templates, byNamespace);
  }
  return byNamespace.get(namespace) ?? 'no pod templates in this namespace';
}

// How many objects a problem line names before it says how many more there are.
const MAX_NAMED = 20;

function ingressLinks(ingress: KubeObject, services: Map<string, KubeObject>): Finding[] {
  const findings: Finding[] = [];
  const namespace = namespaceOf(ingress);
  const check = (backend: KubeObject | undefined, path: string) => {
    const ref = backend?.service;
    if (!isObject(ref)) return;
    const service = services.get(`${namespace}/${ref.name}`);
    if (!service) {
      findings.push({ path: `${path}.service.name`, message: `backend Service "${ref.name}" is not in the output`, allowed: `a Service in the same namespace: ${namesIn(services, namespace)}` });
      return;
    }
    const ports = servicePorts(service);
    const wanted = ref.port ?? {};
    const ok = ports.some((p) => (wanted.number !== undefined ? p.port === wanted.number : p.name === wanted.name));
    if (!ok) {
      findings.push({
        path: `${path}.service.port`,
        message: `port ${JSON.stringify(wanted.number ?? wanted.name)} is not a port of Service "${ref.name}"`,
        allowed: listed(ports.map((p) => (p.name ? `${p.port} or "${p.name}"` : String(p.port)))) || 'none: the Service has no ports',
      });
    }
  };
  const spec = ingress.spec ?? {};
  check(spec.defaultBackend, 'spec.defaultBackend');
  (Array.isArray(spec.rules) ? spec.rules : []).forEach((rule: KubeObject, r: number) => {
    (Array.isArray(rule?.http?.paths) ? rule.http.paths : []).forEach((entry: KubeObject, p: number) => check(entry?.backend, `spec.rules[${r}].http.paths[${p}].backend`));
  });
  return findings;
}

// The names of a map's objects by namespace, once per map: a lookup per missing reference over
// every name was quadratic in one namespace of thousands of objects.
const namesByNamespace = new WeakMap<Map<string, KubeObject>, Map<string, string[]>>();
function namesOf(map: Map<string, KubeObject>, namespace: string): string[] {
  let byNamespace = namesByNamespace.get(map);
  if (!byNamespace) {
    byNamespace = new Map();
    for (const key of map.keys()) {
      const slash = key.indexOf('/');
      const ns = key.slice(0, slash);
      const list = byNamespace.get(ns) ?? [];
      list.push(key.slice(slash + 1));
      byNamespace.set(ns, list);
    }
    namesByNamespace.set(map, byNamespace);
  }
  return byNamespace.get(namespace) ?? [];
}

function namesIn(map: Map<string, KubeObject>, namespace: string): string {
  const names = namesOf(map, namespace);
  return names.length ? listed(names) : 'none';
}

// The Services a misspelt name is compared with: nearMiss compares names within 3 characters of
// its length, or sharing an 8-character tail or a 12-character head. Past NEAR_MISS_NAMES names
// in one namespace, only that many of those closest in length: a comparison with every name for
// every unresolved reference was quadratic (a namespace of thousands of Services may then miss a
// suggestion, never a problem).
const NEAR_MISS_NAMES = 200;
const byLength = new WeakMap<string[], Map<number, string[]>>();
function nearMissCandidates(services: Map<string, KubeObject>, namespace: string, name: string): string[] {
  const names = namesOf(services, namespace);
  if (names.length <= NEAR_MISS_NAMES) return names;
  let buckets = byLength.get(names);
  if (!buckets) {
    buckets = new Map();
    for (const n of names) {
      const bucket = buckets.get(n.length);
      if (bucket) bucket.push(n);
      else buckets.set(n.length, [n]);
    }
    byLength.set(names, buckets);
  }
  const out: string[] = [];
  for (let d = 0; d <= 3 && out.length < NEAR_MISS_NAMES; d++) {
    for (const length of d ? [name.length - d, name.length + d] : [name.length]) {
      for (const n of buckets.get(length) ?? []) if (out.length < NEAR_MISS_NAMES) out.push(n);
    }
  }
  return out;
}

// Each namespace's workloads by kind and name, and the scalable ones' names (made once per call).
// targets: by namespace, kind and name, the objects of each group (kinds of one name in two groups
// are two objects; of one group, the last listed is what the cluster holds after apply).
interface Workloads { readonly targets: Map<string, KubeObject[]>; readonly scalable: Map<string, string[]> }
function workloads(items: readonly Located[]): Workloads {
  const found: Workloads = { targets: new Map(), scalable: new Map() };
  for (const { object } of items) {
    const key = `${namespaceOf(object)}\0${String(object?.kind)}\0${String(object?.metadata?.name)}`;
    const same = found.targets.get(key);
    if (!same) found.targets.set(key, [object]);
    else found.targets.set(key, [...same.filter((o) => groupOf(o) !== groupOf(object)), object]);
    if (!SCALABLE.has(object?.kind)) continue;
    const list = found.scalable.get(namespaceOf(object));
    if (list) list.push(objectId(object));
    else found.scalable.set(namespaceOf(object), [objectId(object)]);
  }
  return found;
}

interface Outputs {
  readonly services: Map<string, KubeObject>;
  readonly claims: Map<string, KubeObject>;
  readonly secrets: Map<string, KubeObject>;
  readonly configMaps: Map<string, KubeObject>;
  readonly secretKeys: (secret: KubeObject) => Set<string>;
  readonly operatorSecrets: readonly OperatorSecret[];
}

function podLinks(object: KubeObject, template: PodTemplate, out: Outputs): Finding[] {
  const findings: Finding[] = [];
  const namespace = namespaceOf(object);
  const specPath = template.specPath.join('.');
  (Array.isArray(template.spec.volumes) ? template.spec.volumes : []).forEach((volume: KubeObject, i: number) => {
    const claim = volume?.persistentVolumeClaim?.claimName;
    if (claim !== undefined && !out.claims.has(`${namespace}/${claim}`)) {
      findings.push({ path: `${specPath}.volumes[${i}].persistentVolumeClaim.claimName`, message: `claim "${claim}" is not in the output: the pod stays Pending`, allowed: `a PersistentVolumeClaim in the output: ${namesIn(out.claims, namespace)}` });
    }
    const secret = volume?.secret;
    if (secret?.secretName !== undefined && !secret.optional) {
      findings.push(...secretFindings(secret.secretName, undefined, `${specPath}.volumes[${i}].secret.secretName`, namespace, out));
    }
    const configMap = volume?.configMap;
    if (configMap?.name !== undefined && !configMap.optional && !out.configMaps.has(`${namespace}/${configMap.name}`)) {
      findings.push({ path: `${specPath}.volumes[${i}].configMap.name`, message: `ConfigMap "${configMap.name}" is not in the output`, allowed: `a ConfigMap in the output: ${namesIn(out.configMaps, namespace)}` });
    }
  });

  for (const { container, path } of containersOf(template)) {
    const seen = new Set<string>();
    (Array.isArray(container.env) ? container.env : []).forEach((env: KubeObject, i: number) => {
      const at = `${path}.env[${i}]`;
      if (seen.has(env?.name)) findings.push({ path: `${at}.name`, message: `environment variable "${env.name}" is set twice; the last one wins silently`, allowed: 'each name once per container' });
      seen.add(env?.name);
      // A reference without a name is the API rules' finding (the server refuses it: the name is
      // "" once decoded); no object named "undefined" is missing.
      const ref = env?.valueFrom?.secretKeyRef;
      if (ref && !ref.optional && isNamed(ref.name)) findings.push(...secretFindings(ref.name, ref.key, `${at}.valueFrom.secretKeyRef`, namespace, out));
      const mapRef = env?.valueFrom?.configMapKeyRef;
      if (mapRef && !mapRef.optional && isNamed(mapRef.name) && !out.configMaps.has(`${namespace}/${mapRef.name}`)) {
        findings.push({ path: `${at}.valueFrom.configMapKeyRef.name`, message: `ConfigMap "${mapRef.name}" is not in the output`, allowed: `a ConfigMap in the output: ${namesIn(out.configMaps, namespace)}` });
      }
    });
    (Array.isArray(container.envFrom) ? container.envFrom : []).forEach((source: KubeObject, i: number) => {
      if (source?.secretRef?.name !== undefined && !source.secretRef.optional) {
        findings.push(...secretFindings(source.secretRef.name, undefined, `${path}.envFrom[${i}].secretRef.name`, namespace, out));
      }
    });
    const ports: KubeObject[] = Array.isArray(container.ports) ? container.ports : [];
    for (const probe of ['livenessProbe', 'readinessProbe', 'startupProbe']) {
      const handler = container[probe]?.httpGet ? 'httpGet' : container[probe]?.tcpSocket ? 'tcpSocket' : undefined;
      if (!handler) continue;
      const port = container[probe][handler].port;
      if (typeof port !== 'number' && typeof port !== 'string') continue;
      const numeric = typeof port === 'number' || /^\d+$/.test(port);
      if (!numeric && !isPortName(port)) continue; // an invalid name: the API rules report it
      const open = ports.some((p) => (numeric ? p.containerPort === Number(port) : p.name === port));
      if (!open) {
        findings.push({
          path: `${path}.${probe}.${handler}.port`,
          message: `probe port ${JSON.stringify(port)} is not a ${numeric ? 'declared ' : ''}port of container "${container.name}"${numeric ? ': the probe works only if the container listens there anyway' : ''}`,
          allowed: listed(ports.map((p) => (p.name ? `${p.containerPort} or "${p.name}"` : String(p.containerPort)))) || 'none: the container declares no port',
          ...(numeric ? { severity: 'warning' as const } : {}),
        });
      }
    }
  }
  return findings;
}

// A Secret's keys, once per Secret and call: every reference to it looks one up.
function keysOfSecrets(): (secret: KubeObject) => Set<string> {
  const keysOfSecret = new Map<KubeObject, Set<string>>();
  return (secret) => {
    let keys = keysOfSecret.get(secret);
    if (!keys) keysOfSecret.set(secret, (keys = new Set([...Object.keys(secret.data ?? {}), ...Object.keys(secret.stringData ?? {})])));
    return keys;
  };
}

/** Whether a reference names an object: a name of some text. */
function isNamed(name: unknown): name is string {
  return typeof name === 'string' && name !== '';
}

function secretFindings(name: string, key: string | undefined, path: string, namespace: string, out: Outputs): Finding[] {
  const inOutput = out.secrets.get(`${namespace}/${name}`);
  const required = out.operatorSecrets.find((s) => s.name === name);
  if (inOutput) {
    const keys = out.secretKeys(inOutput);
    if (key !== undefined && !keys.has(key)) return [{ path, message: `Secret "${name}" in the output has no key "${key}"`, allowed: listed([...keys]) || 'none: the Secret is empty' }];
    return [];
  }
  if (!required) {
    // How to declare it, in both ways, with this reference's own names: the fix is one copy away.
    const keys = key ?? 'KEY[,KEY...]';
    const declared = listed(out.operatorSecrets.map((s) => `${s.name} (${listed(s.keys)})`)) || 'none';
    return [{
      path,
      message: `Secret "${name}" is neither in the output nor required from the operator`,
      allowed: `a Secret in the output, or one the operator creates, declared with --operator-secret ${name}=${keys} (for every object) or on the object with the annotation ${OPERATOR_SECRET}${name}: "${keys}"; declared now: ${declared}`,
    }];
  }
  if (key !== undefined && !required.keys.includes(key)) {
    return [{ path, message: `key "${key}" of Secret "${name}" is not among the keys the operator is told to create`, allowed: listed(required.keys) }];
  }
  return [];
}
