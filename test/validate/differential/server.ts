import type { Cluster } from '../../support/envtest';
import { KubeObject } from '../../../lib/validate/problem';

/** The real API server's verdict on one object. */
export interface ServerVerdict {
  readonly accepted: boolean;
  /** The HTTP status of the answer. */
  readonly status: number;
  /** The server's message (its reasons), for the report of a disagreement. */
  readonly message: string;
  /** How long the answer took, in milliseconds (waiting for earlier real creates included). */
  readonly ms: number;
}

interface Resource {
  readonly plural: string;
  readonly namespaced: boolean;
}

/**
 * Where to send each kind: the server's discovery documents (GET /api/v1, /apis/GROUP/VERSION),
 * read once per apiVersion. A kind the server does not serve has no resource.
 */
export class Resources {
  private readonly byApiVersion = new Map<string, Promise<Map<string, Resource>>>();

  constructor(private readonly cluster: () => Cluster) {}

  async of(apiVersion: unknown, kind: unknown): Promise<Resource | undefined> {
    if (typeof apiVersion !== 'string' || typeof kind !== 'string') return undefined;
    if (!this.byApiVersion.has(apiVersion)) this.byApiVersion.set(apiVersion, this.discover(apiVersion));
    return (await this.byApiVersion.get(apiVersion)!).get(kind);
  }

  private async discover(apiVersion: string): Promise<Map<string, Resource>> {
    const url = apiVersion.includes('/') ? `/apis/${apiVersion}` : `/api/${apiVersion}`;
    const answer = await this.cluster().request('GET', url);
    const found = new Map<string, Resource>();
    if (answer.status !== 200) return found;
    for (const r of JSON.parse(answer.body).resources as { name: string; kind: string; namespaced: boolean }[]) {
      if (!r.name.includes('/')) found.set(r.kind, { plural: r.name, namespaced: r.namespaced });
    }
    return found;
  }
}

/** The collection URL an object is created at (in `namespace` when its kind is namespaced). */
export function collectionUrl(object: KubeObject, resource: Resource, namespace: string): string {
  const apiVersion = String(object.apiVersion);
  const base = apiVersion.includes('/') ? `/apis/${apiVersion}` : `/api/${apiVersion}`;
  return resource.namespaced ? `${base}/namespaces/${namespace}/${resource.plural}` : `${base}/${resource.plural}`;
}

function reasons(body: string): string {
  try {
    const status = JSON.parse(body);
    const causes = (status.details?.causes ?? []).map((c: { field?: string; message?: string }) => `${c.field ?? ''}: ${c.message ?? ''}`);
    return causes.length > 0 ? causes.join('; ') : String(status.message ?? body);
  } catch {
    return body.slice(0, 300);
  }
}

/**
 * Whether a dry run would skip a check the object needs: node ports are allocated (and their
 * range checked) only when a Service is stored (pkg/registry/core/service/portallocator
 * operation.go: a dry-run Allocate checks nothing but earlier allocations), and the store refuses
 * a resourceVersion on create (apiserver storage ErrResourceVersionSetOnCreate), which the
 * dry-run store never reaches.
 */
function needsRealCreate(object: KubeObject): boolean {
  const nodePorts = object.kind === 'Service' && Array.isArray(object.spec?.ports) && object.spec.ports.some((p: KubeObject) => typeof p?.nodePort === 'number' && p.nodePort !== 0);
  const resourceVersion = typeof object.metadata?.resourceVersion === 'string' && object.metadata.resourceVersion !== '';
  return nodePorts || resourceVersion;
}

// Objects needing a real create, one at a time: two copies of one Service asking for the same
// node port at once would refuse each other.
let realCreates: Promise<unknown> = Promise.resolve();

/**
 * Asks the server to create the object: a server-side dry run with strict field validation
 * (decoding, defaulting, validation and admission run; nothing is stored), then, where a dry run
 * skips a check (needsRealCreate) and has accepted the object, a real create, deleted again at
 * once (such objects one at a time). An answer of AlreadyExists means validation passed (the
 * store's check comes after it): an acceptance.
 */
export async function serverVerdict(cluster: Cluster, object: KubeObject, url: string): Promise<ServerVerdict> {
  const start = Date.now();
  const verdict = (answer: { status: number; body: string }): ServerVerdict => {
    const accepted = answer.status === 200 || answer.status === 201 || answer.status === 202 || (answer.status === 409 && answer.body.includes('"reason":"AlreadyExists"'));
    return { accepted, status: answer.status, message: accepted ? '' : reasons(answer.body), ms: Date.now() - start };
  };
  const dryRun = () => cluster.request('POST', `${url}?fieldValidation=Strict&dryRun=All`, object);
  if (!needsRealCreate(object)) return verdict(await dryRun());
  // The dry run too waits its turn: a dry run's port check sees the node ports a real create
  // holds until its delete, and would refuse a copy of that Service.
  const both = async () => {
    const tried = await dryRun();
    if (!verdict(tried).accepted) return tried;
    const answer = await cluster.request('POST', `${url}?fieldValidation=Strict`, object);
    if (answer.status === 201) {
      const name = JSON.parse(answer.body).metadata.name;
      const deleted = await cluster.request('DELETE', `${url}/${name}`);
      // A Service left behind would hold its node ports, and refuse the next case's. (404: the
      // garbage collector was first, for an object whose owner reference names no object.)
      if (deleted.status !== 200 && deleted.status !== 202 && deleted.status !== 404) throw new Error(`could not delete ${url}/${name} after creating it: ${deleted.status} ${deleted.body.slice(0, 200)}`);
      // Its finalizers would keep it: they go, so that the delete completes.
      // (A PUT without them: the harness's requests are JSON, which PATCH does not take.)
      if (Array.isArray(object.metadata?.finalizers) && object.metadata.finalizers.length > 0) {
        const live = await cluster.request('GET', `${url}/${name}`);
        if (live.status === 200) {
          const current = JSON.parse(live.body);
          delete current.metadata.finalizers;
          await cluster.request('PUT', `${url}/${name}`, current);
        }
      }
    }
    return answer;
  };
  const pending = realCreates.then(both);
  realCreates = pending.catch(() => undefined);
  return verdict(await pending);
}

/** Runs `work` on every item with at most `width` at a time; results in the items' order. */
export async function pool<T, R>(items: readonly T[], width: number, work: (item: T, index: number) => Promise<R>): Promise<R[]> {
  const results: R[] = new Array(items.length);
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const index = next++;
      results[index] = await work(items[index], index);
    }
  };
  await Promise.all(Array.from({ length: Math.min(width, items.length) }, worker));
  return results;
}
