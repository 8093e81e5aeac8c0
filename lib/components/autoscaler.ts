import * as kplus from 'cdk8s-plus-27';
import { Construct } from 'constructs';

export interface AutoscalerProps {
  /** The Deployment it scales; it must leave `replicas` unset. */
  readonly deployment: kplus.Deployment;
  /** Fewest pods. */
  readonly min: number;
  /** Most pods. */
  readonly max: number;
  /** Average CPU use, in percent of the request, to aim for. */
  readonly targetCpuUtilization: number;
  /** Labels of the autoscaler object. @default {} */
  readonly labels?: Readonly<Record<string, string>>;
}

/** A CPU HorizontalPodAutoscaler (autoscaling/v2) named after the Deployment it scales. */
export class Autoscaler extends Construct {
  /** The autoscaler object. */
  public readonly resource: kplus.k8s.KubeHorizontalPodAutoscalerV2;

  constructor(scope: Construct, id: string, props: AutoscalerProps) {
    super(scope, id);
    // An HPA-managed Deployment must not set replicas: every `kubectl apply` would reset the HPA's choice.
    props.deployment.markHasAutoscaler();
    this.resource = new kplus.k8s.KubeHorizontalPodAutoscalerV2(this, 'Resource', {
      metadata: { name: props.deployment.name, labels: { ...props.labels } },
      spec: {
        scaleTargetRef: { apiVersion: 'apps/v1', kind: 'Deployment', name: props.deployment.name },
        minReplicas: props.min,
        maxReplicas: props.max,
        metrics: [{ type: 'Resource', resource: { name: 'cpu', target: { type: 'Utilization', averageUtilization: props.targetCpuUtilization } } }],
      },
    });
  }
}
