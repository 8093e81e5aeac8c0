import { Construct } from 'constructs';
import { IClientEnv, IPodPeer } from './contracts';
import { NODE_RESOURCES, NODE_USER, NODE_WRITABLE_PATHS } from './node-image';
import { Scale } from './scale';
import { Resources, Workload } from './workload';

export interface WorkerProps {
  /** The full worker image reference, `<prefix>/multi-worker:<tag>`. */
  readonly image: string;
  /** The Redis it takes indexes from and writes Fibonacci values to: its client env. */
  readonly redis: IClientEnv;
  /** How many pods. @default Scale.fixed(1), the course's count */
  readonly scale?: Scale;
  /** A disruption budget and a spread across nodes when more than one pod may run. @default false */
  readonly availability?: boolean;
  /** CPU and memory of the worker container. @default NODE_RESOURCES */
  readonly resources?: Resources;
}

/**
 * The worker: computes Fibonacci values for indexes published on Redis. It serves no port and
 * has no Service. It has no probe either: it exposes nothing a probe could ask, and its Redis
 * client reconnects by itself (retry_strategy), so a restart would not heal anything.
 */
export class Worker extends Construct implements IPodPeer {
  public readonly podSelector: Readonly<Record<string, string>>;
  /** The Deployment. */
  public readonly workload: Workload;

  constructor(scope: Construct, id: string, props: WorkerProps) {
    super(scope, id);
    this.workload = new Workload(this, 'Workload', {
      component: 'worker',
      name: 'worker',
      deploymentName: 'worker-deployment',
      containerName: 'worker',
      image: props.image,
      scale: props.scale ?? Scale.fixed(1),
      availability: props.availability,
      runAs: NODE_USER,
      writablePaths: NODE_WRITABLE_PATHS,
      env: { ...props.redis.clientEnv },
      resources: props.resources ?? NODE_RESOURCES,
    });
    this.podSelector = this.workload.podSelector;
  }
}
