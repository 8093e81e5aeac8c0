import * as kplus from 'cdk8s-plus-27';
import { Construct } from 'constructs';
import { IPodPeer, IServingPods } from './contracts';
import { APP_NAME } from './workload';

export interface ConnectionPolicyProps {
  /** A name for the connection, in the policies' names: `multi-k8s-<name>-egress`, `multi-k8s-<name>-ingress`. */
  readonly name: string;
  /** The pods that connect. */
  readonly from: IPodPeer;
  /** The pods they connect to, and the port (e.g. the chart's `postgres`). */
  readonly to: IServingPods;
}

/**
 * One connection through the app's default deny (NetworkPolicies): an egress rule on the client
 * pods and an ingress rule on the provider's pods, for the provider's port over TCP. Both ends
 * are needed, as each pod is isolated in both directions; the validator's connectivity check
 * names the side that is missing. The port and pods come from the provider (contracts.ts), never
 * retyped.
 */
export class ConnectionPolicy extends Construct {
  constructor(scope: Construct, id: string, props: ConnectionPolicyProps) {
    super(scope, id);
    const ports = [{ port: kplus.k8s.IntOrString.fromNumber(props.to.port), protocol: 'TCP' }];
    const pods = (peer: IPodPeer) => ({ podSelector: { matchLabels: { ...peer.podSelector } } });
    new kplus.k8s.KubeNetworkPolicy(this, 'Egress', {
      metadata: { name: `${APP_NAME}-${props.name}-egress` },
      spec: { podSelector: pods(props.from).podSelector, policyTypes: ['Egress'], egress: [{ to: [pods(props.to)], ports }] },
    });
    new kplus.k8s.KubeNetworkPolicy(this, 'Ingress', {
      metadata: { name: `${APP_NAME}-${props.name}-ingress` },
      spec: { podSelector: pods(props.to).podSelector, policyTypes: ['Ingress'], ingress: [{ from: [pods(props.from)], ports }] },
    });
  }
}
