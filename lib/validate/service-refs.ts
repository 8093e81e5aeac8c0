import { containersOf, isObject, namespaceOf, PodTemplate } from './pods';
import { KubeObject, Located } from './problem';

/**
 * The connections pods are wired to make: every env value that names a Service of the input,
 * in any of the forms a client library accepts (`svc`, `svc:port`, `scheme://[user@]svc[:port]/...`,
 * `svc.ns`, `svc.ns.svc`, `svc.ns.svc.cluster.local`), with its port from the URL, from a sibling
 * `*_PORT` variable, or left to the Service's only port. Values that look meant as a Service but
 * name none are returned too, with the nearest Service name, for the link check to report.
 */

/** One env value read as a host. */
export interface ServiceReference {
  /** The workload whose pods make the connection. */
  readonly item: Located;
  /** Its pod template. */
  readonly template: PodTemplate;
  /** Path of the env value. */
  readonly path: string;
  /** The variable's name. */
  readonly variable: string;
  /** The variable's value. */
  readonly value: string;
  /** The Service name it resolves to, in the pod's namespace. */
  readonly serviceName: string;
  /** The Service, when the input has it. */
  readonly service?: KubeObject;
  /** The port the value or a sibling `*_PORT` gives, if any. */
  readonly port?: number;
  /** Where the port came from, for messages. */
  readonly portFrom?: string;
  /** Whether the value is meant as a host beyond doubt (URL, host:port, cluster DNS name, host-like variable). */
  readonly meantAsHost: boolean;
}

const URL_FORM = /^[a-z][a-z0-9+.-]*(?::[a-z][a-z0-9+.-]*)?:\/\/(?:[^@/?#\s]*@)?([^/:?#\s]+)(?::(\d{1,5}))?(?:[/?#].*)?$/i;
const HOST_PORT = /^([a-z0-9][-a-z0-9.]*):(\d{1,5})$/i;
const HOST = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;
// Variables whose value is a host or an address whatever it looks like. Not *_SERVICE: tracing
// and logging agents use it for the app's own name (DD_SERVICE=checkout).
const HOST_VARIABLE = /(HOST|HOSTNAME|ADDR|ADDRESS|SERVER|ENDPOINT|URL|URI|DSN)S?$/i;
const PORT_SIBLING = /^(.*?)(HOST|HOSTNAME|ADDR|ADDRESS|SERVER)$/i;

// Switch-like words a host-named variable may hold instead of a host (SERVER=false).
const NOT_HOSTS = new Set(['true', 'false', 'yes', 'no', 'on', 'off', 'none', 'null', 'nil', 'enabled', 'disabled', 'auto', 'default', 'any', 'all']);

interface Parsed { readonly host: string; readonly port?: number; readonly structured: boolean }

// URL schemes whose "host" is an object-storage bucket, a storage account or a local path, never
// a network host: `gs://uploads/backups` names the bucket uploads, not a Service.
const NOT_HOST_SCHEMES = new Set(['gs', 'gcs', 's3', 's3a', 's3n', 'r2', 'az', 'azure', 'abfs', 'abfss', 'wasb', 'wasbs', 'adl', 'oss', 'cos', 'obs', 'b2', 'swift', 'file']);

function parse(value: string): Parsed | undefined {
  const url = URL_FORM.exec(value);
  if (url && NOT_HOST_SCHEMES.has(value.slice(0, value.search(/[:+]/)).toLowerCase())) return undefined;
  if (url) return { host: url[1].toLowerCase(), port: url[2] ? Number(url[2]) : undefined, structured: true };
  const hostPort = HOST_PORT.exec(value);
  if (hostPort) return { host: hostPort[1].toLowerCase(), port: Number(hostPort[2]), structured: true };
  return HOST.test(value) && !NOT_HOSTS.has(value) && !/^\d+$/.test(value) ? { host: value, structured: false } : undefined;
}

/**
 * The Service name a host resolves to from a pod of `namespace` through the cluster's DNS search
 * path, or undefined when it leaves the namespace (or the cluster).
 */
export function serviceNameOf(host: string, namespace: string): { name: string; clusterName: boolean } | undefined {
  if (host === 'localhost') return undefined;
  const labels = host.split('.');
  if (labels.length === 1) return { name: host, clusterName: false };
  if (!namespace || labels[1] !== namespace) return undefined;
  // svc.ns, svc.ns.svc, svc.ns.svc.<cluster domain>
  if (labels.length === 2 || labels[2] === 'svc') return { name: labels[0], clusterName: true };
  return undefined;
}

function portOf(value: string | undefined): number | undefined {
  if (value === undefined || !/^\d{1,5}$/.test(value.trim())) return undefined;
  const n = Number(value);
  return n >= 1 && n <= 65535 ? n : undefined;
}

/** Every env value of the templates that reads as a Service of their namespace. */
export function serviceReferences(templates: readonly { item: Located; template: PodTemplate }[], services: ReadonlyMap<string, KubeObject>): ServiceReference[] {
  return [...eachServiceReference(templates, services)];
}

/**
 * serviceReferences one at a time: a caller that stops at its problem budget makes no more (one
 * Pod of 400,000 env values made 400,000 references where 100,000 problems were kept).
 */
export function* eachServiceReference(templates: readonly { item: Located; template: PodTemplate }[], services: ReadonlyMap<string, KubeObject>): Generator<ServiceReference> {
  for (const { item, template } of templates) {
    const namespace = namespaceOf(item.object);
    for (const { container, path } of containersOf(template)) {
      const env: KubeObject[] = Array.isArray(container.env) ? container.env : [];
      // A variable defined twice has its last value (k8s.io/kubernetes pkg/kubelet/kubelet_pods.go
      // makeEnvironmentVariables fills a map in list order), so a later valueFrom hides a literal.
      const literal = new Map<string, string | undefined>();
      for (const e of env) if (isObject(e) && typeof e.name === 'string') literal.set(e.name, typeof e.value === 'string' ? e.value : undefined);
      for (let i = 0; i < env.length; i++) {
        const e = env[i];
        if (!isObject(e) || typeof e.name !== 'string' || typeof e.value !== 'string') continue;
        const value = e.value.trim();
        const parsed = parse(value);
        if (!parsed) continue;
        const resolved = serviceNameOf(parsed.host, namespace);
        if (!resolved) continue;
        let port = parsed.port;
        let portFrom = port !== undefined ? 'the value' : undefined;
        const sibling = PORT_SIBLING.exec(e.name);
        if (port === undefined && sibling) {
          const name = `${sibling[1]}PORT`;
          port = portOf(literal.get(name));
          if (port !== undefined) portFrom = name;
        }
        yield {
          item, template, path: `${path}.env[${i}].value`, variable: e.name, value, serviceName: resolved.name,
          service: services.get(`${namespace}/${resolved.name}`), port, portFrom,
          meantAsHost: parsed.structured || resolved.clusterName || HOST_VARIABLE.test(e.name),
        };
      }
    }
  }
}

/** Levenshtein distance, for naming the Service a typo meant. */
export function editDistance(a: string, b: string): number {
  let previous = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const current = [i];
    for (let j = 1; j <= b.length; j++) current[j] = Math.min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (a[i - 1] === b[j - 1] ? 0 : 1));
    previous = current;
  }
  return previous[b.length];
}

// An index past the end of one name reads undefined, which equals no character of the other: the
// loops below need a bound on one name only.

// The longest `-word...` tail two names share, e.g. `-cluster-ip-service`.
function sharedSuffix(a: string, b: string): string {
  let i = 0;
  while (i < a.length && a[a.length - 1 - i] === b[b.length - 1 - i]) i++;
  const tail = a.slice(a.length - i);
  const dash = tail.indexOf('-');
  return dash < 0 ? '' : tail.slice(dash);
}

// The longest `...-` head two names share, e.g. `client-cluster-ip-`.
function sharedPrefix(a: string, b: string): string {
  let i = 0;
  while (i < a.length && a[i] === b[i]) i++;
  return a.slice(0, a.lastIndexOf('-', i - 1) + 1);
}

/**
 * The Service a name that matches none was probably meant to be: one a small edit away, one
 * sharing a naming suffix such as `-cluster-ip-service`, or one sharing most of its name up to a
 * dash (`client-cluster-ip-svc`), the nearest of those. Undefined when
 * nothing is close: the name is then most likely not meant as a Service at all.
 */
export function nearMiss(name: string, serviceNames: readonly string[]): string | undefined {
  let best: { name: string; distance: number } | undefined;
  for (const candidate of serviceNames) {
    const suffix = sharedSuffix(name, candidate);
    const prefix = sharedPrefix(name, candidate);
    // The shared tail starts at a dash, which no DNS name does: it is never the whole of either name.
    const sameFamily = suffix.length >= 8
      || (prefix.length >= 12 && prefix.length >= 0.6 * candidate.length);
    // The distance is at least the difference in length: most values are skipped without it.
    const mayBeClose = name.length >= 5 && Math.abs(name.length - candidate.length) <= 3;
    if (!sameFamily && !mayBeClose) continue;
    const distance = editDistance(name, candidate);
    const close = mayBeClose && distance <= Math.max(1, Math.floor(candidate.length / 8)) && distance <= 3;
    if ((close || sameFamily) && (!best || distance < best.distance)) best = { name: candidate, distance };
  }
  return best?.name;
}
