import * as kplus from 'cdk8s-plus-27';
import { Construct } from 'constructs';
import { IPodPeer, IServingPods } from './contracts';
import { APP_NAME } from './workload';

/** The ingress controller's namespace and the labels of its pods. */
export interface IngressControllerPeer {
  /** Its namespace. */
  readonly namespace: string;
  /** Labels its pods carry. */
  readonly podLabels: Readonly<Record<string, string>>;
}

/** Pods by their labels, in a namespace or in the app's own. */
export interface PodsPeer {
  /** Their namespace. @default - the app's namespace */
  readonly namespace?: string;
  /** Labels they carry. */
  readonly podLabels: Readonly<Record<string, string>>;
}

/**
 * Where requests from outside enter the app from: pods (an ingress controller, a Gateway's
 * proxies), or source addresses (a cloud load balancer that reaches pods directly).
 */
export interface EntryPeer {
  /** Names the policies that admit it: `multi-k8s-client-allow-<name>`. */
  readonly name: string;
  /** Its pods. @default - none */
  readonly pods?: PodsPeer;
  /** Its source address ranges (CIDR notation). @default - none */
  readonly cidrs?: readonly string[];
}

/** cert-manager's label on its HTTP-01 solver pods (cert-manager pkg/apis/acme/v1 types.go SolverIdentificationLabelKey; value "true", pkg/issuer/acme/http/pod.go). */
export const ACME_SOLVER_LABELS = { 'acme.cert-manager.io/http01-solver': 'true' } as const;
/** The port cert-manager's acmesolver listens on (cert-manager pkg/issuer/acme/http/http.go acmeSolverListenPort). */
export const ACME_SOLVER_PORT = 8089;

export interface NetworkPoliciesProps {
  /** The client: reached by the entry. */
  readonly client: IServingPods;
  /** The API server: reached by the entry; reaches postgres and redis. */
  readonly server: IServingPods;
  /** The worker: reaches redis. */
  readonly worker: IPodPeer;
  /** Postgres: reached by the server only. */
  readonly postgres: IServingPods;
  /** Redis: reached by the server and the worker only. */
  readonly redis: IServingPods;
  /** Where requests from outside come from: the ingress controller or the Gateway's data plane. */
  readonly entry: EntryPeer;
  /** Let the entry reach cert-manager's HTTP-01 solver pods in the app's namespace. @default false */
  readonly acmeSolver?: boolean;
}

type Peer = kplus.k8s.NetworkPolicyPeer;
type Rule = { readonly peers: Peer[]; readonly port: number; readonly protocol?: string };

/**
 * Default deny for every pod of the app, in both directions, then exactly the connections the
 * app makes: the entry (ingress controller or Gateway data plane) -> client and server;
 * server -> postgres and redis; worker -> redis; every pod -> cluster DNS; with TLS, the entry
 * -> cert-manager's HTTP-01 solver. Plain NetworkPolicy objects with readable names (cdk8s-plus
 * generates names containing "undefined"). Replies need no rule: policies are stateful.
 */
export class NetworkPolicies extends Construct {
  constructor(scope: Construct, id: string, props: NetworkPoliciesProps) {
    super(scope, id);
    const { client, server, worker, postgres, redis } = props;
    const app = { 'app.kubernetes.io/part-of': APP_NAME };
    const pods = (w: IPodPeer): Peer => ({ podSelector: { matchLabels: { ...w.podSelector } } });
    const entry = entryPeers(props.entry);
    const dns: Peer = {
      namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'kube-system' } },
      podSelector: { matchLabels: { 'k8s-app': 'kube-dns' } },
    };

    this.policy('default-deny-all', app, { ingress: [], egress: [] });
    this.policy('allow-dns-egress', app, { egress: [{ peers: [dns], port: 53, protocol: 'UDP' }, { peers: [dns], port: 53, protocol: 'TCP' }] });
    this.policy(`client-allow-${props.entry.name}`, client.podSelector, { ingress: [{ peers: entry, port: client.port }] });
    this.policy(`server-allow-${props.entry.name}`, server.podSelector, { ingress: [{ peers: entry, port: server.port }] });
    this.policy('server-allow-egress-to-stores', server.podSelector, {
      egress: [{ peers: [pods(postgres)], port: postgres.port }, { peers: [pods(redis)], port: redis.port }],
    });
    this.policy('worker-allow-egress-to-redis', worker.podSelector, { egress: [{ peers: [pods(redis)], port: redis.port }] });
    this.policy('postgres-allow-server', postgres.podSelector, { ingress: [{ peers: [pods(server)], port: postgres.port }] });
    this.policy('redis-allow-server-and-worker', redis.podSelector, {
      ingress: [{ peers: [pods(server), pods(worker)], port: redis.port }],
    });
    // Let's Encrypt reaches the solver through the ingress controller or Gateway (cert-manager's
    // self-check too, by the public name). Selecting the solver pods admits only that path to them.
    // cert-manager's own egress to Let's Encrypt is in cert-manager's namespace, not this one.
    if (props.acmeSolver) {
      this.policy(`acme-solver-allow-${props.entry.name}`, ACME_SOLVER_LABELS, { ingress: [{ peers: entry, port: ACME_SOLVER_PORT }] });
    }
  }

  private policy(name: string, selector: Readonly<Record<string, string>>, rules: { ingress?: Rule[]; egress?: Rule[] }): void {
    const toPorts = (rule: Rule) => [{ port: kplus.k8s.IntOrString.fromNumber(rule.port), protocol: rule.protocol ?? 'TCP' }];
    new kplus.k8s.KubeNetworkPolicy(this, name, {
      metadata: { name: `${APP_NAME}-${name}` },
      spec: {
        podSelector: { matchLabels: { ...selector } },
        policyTypes: [...(rules.ingress ? ['Ingress'] : []), ...(rules.egress ? ['Egress'] : [])],
        // An empty rule list is what policyTypes already says (deny all); written out, the API server
        // would store it as absent and every kubectl apply would print "configured".
        ingress: rules.ingress?.length ? rules.ingress.map((rule) => ({ from: rule.peers, ports: toPorts(rule) })) : undefined,
        egress: rules.egress?.length ? rules.egress.map((rule) => ({ to: rule.peers, ports: toPorts(rule) })) : undefined,
      },
    });
  }
}

function entryPeers(entry: EntryPeer): Peer[] {
  if (!entry.pods && !entry.cidrs?.length) throw new Error(`NetworkPolicies entry "${entry.name}" names neither pods nor CIDRs: allowed is at least one of them`);
  const pods: Peer[] = entry.pods ? [{
    // No namespace: pods of the app's own namespace (a NetworkPolicy peer's default).
    ...(entry.pods.namespace !== undefined ? { namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': entry.pods.namespace } } } : {}),
    podSelector: { matchLabels: { ...entry.pods.podLabels } },
  }] : [];
  return [...pods, ...(entry.cidrs ?? []).map((cidr) => ({ ipBlock: { cidr } }))];
}
