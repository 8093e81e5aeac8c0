import * as kplus from 'cdk8s-plus-27';
import { Construct } from 'constructs';
import { Autoscale, ComponentWorkload, ResourceBudget } from './workload';
import { NODE_RESOURCES, NODE_USER, NODE_WRITABLE_PATHS } from './node-image';
import { Redis } from './redis';

export interface WorkerProps {
  /** The full worker image reference, `<prefix>/multi-worker:<tag>`. */
  readonly image: string;
  /** The Redis it takes indexes from and writes Fibonacci values to. */
  readonly redis: Redis;
  /** Pod count. @default 1 */
  readonly replicas?: number;
  /** Scale on CPU between these bounds instead of a fixed count. @default - fixed replicas */
  readonly autoscale?: Autoscale;
  /** CPU and memory of the worker container. @default NODE_RESOURCES */
  readonly resources?: ResourceBudget;
}

/**
 * The worker: computes Fibonacci values for indexes published on Redis. It serves no port and
 * has no Service. It has no probe either: it exposes nothing a probe could ask, and its Redis
 * client reconnects by itself (retry_strategy), so a restart would not heal anything.
 */
export class Worker extends Construct {
  /** The Deployment. */
  public readonly workload: ComponentWorkload;

  constructor(scope: Construct, id: string, props: WorkerProps) {
    super(scope, id);
    this.workload = new ComponentWorkload(this, 'Workload', {
      component: 'worker',
      name: 'worker',
      deploymentName: 'worker-deployment',
      containerName: 'worker',
      image: props.image,
      autoscale: props.autoscale,
      replicas: props.replicas ?? 1,
      strategy: 'RollingUpdate',
      runAs: NODE_USER,
      writablePaths: NODE_WRITABLE_PATHS,
      // worker/keys.js reads exactly these names.
      env: {
        REDIS_HOST: kplus.EnvValue.fromValue(props.redis.host),
        REDIS_PORT: kplus.EnvValue.fromValue(String(props.redis.port)),
      },
      resources: props.resources ?? NODE_RESOURCES,
    });
  }
}
