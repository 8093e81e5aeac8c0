import { ApiObject, JsonPatch } from 'cdk8s';
import * as kplus from 'cdk8s-plus-27';
import { Construct } from 'constructs';

export interface AvailabilityProps {
  /** The Deployment whose pods it keeps available. */
  readonly deployment: kplus.Deployment;
  /** Labels that select exactly the Deployment's pods. */
  readonly podSelector: Readonly<Record<string, string>>;
  /** The disruption budget's name. */
  readonly budgetName: string;
  /** Labels of the budget object. @default {} */
  readonly labels?: Readonly<Record<string, string>>;
}

/**
 * For a component that runs more than one pod: a PodDisruptionBudget that lets a node drain take
 * at most one pod at a time, and a spread of the pods across nodes.
 */
export class Availability extends Construct {
  /** The disruption budget. */
  public readonly budget: kplus.k8s.KubePodDisruptionBudget;

  constructor(scope: Construct, id: string, props: AvailabilityProps) {
    super(scope, id);
    this.budget = new kplus.k8s.KubePodDisruptionBudget(this, 'Resource', {
      metadata: { name: props.budgetName, labels: { ...props.labels } },
      spec: { maxUnavailable: kplus.k8s.IntOrString.fromNumber(1), selector: { matchLabels: { ...props.podSelector } } },
    });
    // cdk8s-plus-27's topology spread API adds its own hashed selector label; the course selects by `component` only.
    ApiObject.of(props.deployment).addJsonPatch(JsonPatch.add('/spec/template/spec/topologySpreadConstraints', [{
      maxSkew: 1,
      topologyKey: 'kubernetes.io/hostname',
      // Spread when there are nodes to spread over; a one-node minikube still schedules every pod.
      whenUnsatisfiable: 'ScheduleAnyway',
      labelSelector: { matchLabels: { ...props.podSelector } },
    }]));
  }
}
