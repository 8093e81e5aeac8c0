import { validate } from '../../../lib/validate';
import { KubeObject, Located } from '../../../lib/validate/problem';
import type { Cluster } from '../../support/envtest';
import { collectionUrl, pool, Resources, serverVerdict, ServerVerdict } from './server';

/** One object to judge, with where it came from. */
export interface Case {
  /** Where it came from and what was done to it: the case's name in reports and in the lists of known disagreements. */
  readonly label: string;
  readonly object: KubeObject;
}

/** Both verdicts on one object. */
export interface Verdicts {
  readonly label: string;
  /** Our validator's errors (schema and API rules; warnings do not refuse). */
  readonly ours: string[];
  /** Our validator's warnings. */
  readonly warnings: string[];
  /** Whether the validator judged it at all (a kind without schema is skipped). */
  readonly judged: boolean;
  /** The server's verdict, or undefined when it serves no such kind. */
  readonly server: ServerVerdict | undefined;
}

const namespaceOf = (object: KubeObject) => (object.metadata && typeof object.metadata === 'object' && typeof object.metadata.namespace === 'string' ? object.metadata.namespace : undefined);

/**
 * The namespaces the cases live in, as the inputs declare them (their Namespace objects, unbroken):
 * a namespace's labels decide what its Pod Security admission refuses, on the server and in the
 * validator alike, so both are given the same.
 */
export class Namespaces {
  private readonly declared = new Map<string, KubeObject>();
  private readonly made = new Map<string, Promise<string>>();

  constructor(private readonly cluster: () => Cluster, inputs: readonly KubeObject[]) {
    for (const object of inputs) {
      if (object.kind === 'Namespace' && object.apiVersion === 'v1' && typeof object.metadata?.name === 'string' && !this.declared.has(object.metadata.name)) this.declared.set(object.metadata.name, object);
    }
  }

  /** The input's Namespace object of this name, if any. */
  object(name: string | undefined): KubeObject | undefined {
    return name === undefined ? undefined : this.declared.get(name);
  }

  /** The server's namespace standing in for `name` (made on first use, with the declared labels). */
  onServer(name: string): Promise<string> {
    if (!this.made.has(name)) {
      const labels = this.declared.get(name)?.metadata?.labels ?? {};
      this.made.set(name, this.cluster().namespace('diff', labels));
    }
    return this.made.get(name)!;
  }
}

/**
 * Our validator's verdict on each case, as the 1.34 server judges (the one the tests run): the
 * families of checks the server's create makes (schema, API rules, admission: Pod Security); each
 * case alone (a file of its own), beside the Namespace object of its namespace when the inputs
 * declare one, and the CRDs given.
 */
export function ourVerdicts(cases: readonly Case[], crds: readonly KubeObject[], namespaces: Namespaces): { errors: string[]; warnings: string[]; judged: boolean }[] {
  // The CRDs only where they judge: reading them costs each validate() call its time.
  const groups = new Set(crds.map((crd) => String(crd.spec?.group)));
  const groupOf = (object: KubeObject) => (typeof object.apiVersion === 'string' && object.apiVersion.includes('/') ? object.apiVersion.split('/')[0] : '');
  return cases.map((c) => {
    const item: Located = { file: 'case', object: structuredClone(c.object) };
    const namespace = namespaces.object(namespaceOf(c.object));
    const items = namespace && namespace !== c.object && c.object.kind !== 'Namespace' ? [item, { file: 'namespace', object: structuredClone(namespace) }] : [item];
    const result = validate(items, { checks: ['schema', 'api', 'admission'], crds: groups.has(groupOf(c.object)) ? crds : [], kubernetesVersions: ['1.34'] });
    const own = result.problems.filter((p) => p.file === 'case');
    const errors = own.filter((p) => p.severity !== 'warning').map((p) => `${p.path}: ${p.message}`);
    const warnings = own.filter((p) => p.severity === 'warning').map((p) => `${p.path}: ${p.message}`);
    return { errors, warnings, judged: !result.skipped.some((s) => s.file === 'case') };
  });
}

/**
 * The server's verdict on each case. A namespaced object goes to the namespace standing in for
 * its own (Namespaces.onServer), its `metadata.namespace` rewritten to it; an object without
 * metadata is sent as it is.
 */
export async function serverVerdicts(cases: readonly Case[], cluster: () => Cluster, resources: Resources, namespaces: Namespaces): Promise<(ServerVerdict | undefined)[]> {
  return pool(cases, 6, async (c) => {
    const resource = await resources.of(c.object.apiVersion, c.object.kind);
    if (!resource) return undefined;
    const object = structuredClone(c.object);
    let namespace = '';
    if (resource.namespaced) {
      namespace = await namespaces.onServer(namespaceOf(object) ?? 'default');
      if (namespaceOf(object) !== undefined) object.metadata.namespace = namespace;
    }
    return serverVerdict(cluster(), object, collectionUrl(object, resource, namespace));
  });
}

/** Both verdicts on each case. */
export async function compare(cases: readonly Case[], cluster: () => Cluster, resources: Resources, namespaces: Namespaces, crds: readonly KubeObject[]): Promise<Verdicts[]> {
  // The server's answers come while the validator works: it judges a slice of cases at a time,
  // letting the requests' answers in between (the validator is synchronous).
  const asked = serverVerdicts(cases, cluster, resources, namespaces);
  const ours: ReturnType<typeof ourVerdicts> = [];
  for (let i = 0; i < cases.length; i += 25) {
    ours.push(...ourVerdicts(cases.slice(i, i + 25), crds, namespaces));
    await new Promise((resolve) => setImmediate(resolve));
  }
  const theirs = await asked;
  return cases.map((c, i) => ({ label: c.label, ours: ours[i].errors, warnings: ours[i].warnings, judged: ours[i].judged, server: theirs[i] }));
}

/** Whether the two verdicts differ (only where both judged). */
export function disagrees(v: Verdicts): boolean {
  return v.judged && v.server !== undefined && (v.ours.length === 0) !== v.server.accepted;
}

/** One line for a disagreement: both verdicts and their reasons. */
export function explain(v: Verdicts): string {
  const server = v.server!.accepted ? 'accepts' : `refuses (${v.server!.status}: ${v.server!.message})`;
  const ours = v.ours.length === 0 ? 'accepts' : `refuses (${v.ours.join('; ')})`;
  return `${v.label}: server ${server}; validator ${ours}`;
}
