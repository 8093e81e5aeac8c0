import * as kplus from 'cdk8s-plus-27';
import { Construct } from 'constructs';
import { commandProbe, ComponentWorkload, ResourceBudget } from './workload';

/** The official redis image, pinned so that a deploy never picks up a new major by surprise. */
export const REDIS_IMAGE = 'redis:7.4.5';

export interface RedisProps {
  /** The redis image. @default REDIS_IMAGE */
  readonly image?: string;
  /** CPU and memory of the redis container. @default 50m/250m CPU, 64/128 MiB */
  readonly resources?: ResourceBudget;
}

/** Redis: the queue and cache between the API server and the worker; one pod, no persistence. */
export class Redis extends Construct {
  /** The Service that clients connect to. */
  public readonly service: kplus.Service;
  /** The host name clients use: the Service's name. */
  public readonly host: string;
  /** The port clients connect to. */
  public readonly port: number;
  /** The Deployment and its Service. */
  public readonly workload: ComponentWorkload;

  constructor(scope: Construct, id: string, props: RedisProps = {}) {
    super(scope, id);
    const port = { number: 6379, name: 'redis' };
    const ping = ['redis-cli', 'ping'];
    this.workload = new ComponentWorkload(this, 'Workload', {
      component: 'redis',
      name: 'redis',
      deploymentName: 'redis-deployment',
      containerName: 'redis',
      serviceName: 'redis-cluster-ip-service',
      image: props.image ?? REDIS_IMAGE,
      replicas: 1,
      // Two redis pods would be two unrelated queues; the old one stops before the new one starts.
      strategy: 'Recreate',
      port,
      // The image's redis user; its entrypoint only drops to it from root, so it is set here.
      runAs: { user: 999, group: 999 },
      // Redis saves its snapshot to /data and refuses writes when it cannot.
      writablePaths: { data: '/data' },
      resources: props.resources ?? { cpuRequestMillis: 50, cpuLimitMillis: 250, memoryRequestMebibytes: 64, memoryLimitMebibytes: 128 },
      probes: {
        startup: commandProbe(ping, { periodSeconds: 2, failureThreshold: 30, timeoutSeconds: 2 }),
        readiness: commandProbe(ping, { periodSeconds: 5, failureThreshold: 2, timeoutSeconds: 2 }),
        // A busy redis may answer late; restart only after half a minute of silence.
        liveness: commandProbe(ping, { periodSeconds: 10, failureThreshold: 3, timeoutSeconds: 5 }),
      },
    });
    this.service = this.workload.requireService();
    this.host = this.service.name;
    this.port = port.number;
  }
}
