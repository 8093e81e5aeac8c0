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

export interface NetworkPoliciesProps {
  /** The client: reached by the ingress controller. */
  readonly client: IServingPods;
  /** The API server: reached by the ingress controller; reaches postgres and redis. */
  readonly server: IServingPods;
  /** The worker: reaches redis. */
  readonly worker: IPodPeer;
  /** Postgres: reached by the server only. */
  readonly postgres: IServingPods;
  /** Redis: reached by the server and the worker only. */
  readonly redis: IServingPods;
  /** Where the ingress controller runs. */
  readonly ingressController: IngressControllerPeer;
}

type Peer = kplus.k8s.NetworkPolicyPeer;
type Rule = { readonly peers: Peer[]; readonly port: number; readonly protocol?: string };

/**
 * Default deny for every pod of the app, in both directions, then exactly the connections the
 * app makes: ingress controller -> client and server; server -> postgres and redis; worker ->
 * redis; every pod -> cluster DNS. Plain NetworkPolicy objects with readable names (cdk8s-plus
 * generates names containing "undefined"). Replies need no rule: policies are stateful.
 */
export class NetworkPolicies extends Construct {
  constructor(scope: Construct, id: string, props: NetworkPoliciesProps) {
    super(scope, id);
    const { client, server, worker, postgres, redis } = props;
    const app = { 'app.kubernetes.io/part-of': APP_NAME };
    const pods = (w: IPodPeer): Peer => ({ podSelector: { matchLabels: { ...w.podSelector } } });
    const controller: Peer = {
      namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': props.ingressController.namespace } },
      podSelector: { matchLabels: { ...props.ingressController.podLabels } },
    };
    const dns: Peer = {
      namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'kube-system' } },
      podSelector: { matchLabels: { 'k8s-app': 'kube-dns' } },
    };

    this.policy('default-deny-all', app, { ingress: [], egress: [] });
    this.policy('allow-dns-egress', app, { egress: [{ peers: [dns], port: 53, protocol: 'UDP' }, { peers: [dns], port: 53, protocol: 'TCP' }] });
    this.policy('client-allow-ingress-controller', client.podSelector, { ingress: [{ peers: [controller], port: client.port }] });
    this.policy('server-allow-ingress-controller', server.podSelector, { ingress: [{ peers: [controller], port: server.port }] });
    this.policy('server-allow-egress-to-stores', server.podSelector, {
      egress: [{ peers: [pods(postgres)], port: postgres.port }, { peers: [pods(redis)], port: redis.port }],
    });
    this.policy('worker-allow-egress-to-redis', worker.podSelector, { egress: [{ peers: [pods(redis)], port: redis.port }] });
    this.policy('postgres-allow-server', postgres.podSelector, { ingress: [{ peers: [pods(server)], port: postgres.port }] });
    this.policy('redis-allow-server-and-worker', redis.podSelector, {
      ingress: [{ peers: [pods(server), pods(worker)], port: redis.port }],
    });
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
