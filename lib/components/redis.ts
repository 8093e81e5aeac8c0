import { Size } from 'cdk8s';
import * as kplus from 'cdk8s-plus-27';
import { Construct } from 'constructs';
import { IClientEnv, IEndpoint } from './contracts';
import { command, every } from './probes';
import { Scale } from './scale';
import { Resources, Workload } from './workload';

/** The official redis image, pinned so that a deploy never picks up a new major by surprise. */
export const REDIS_IMAGE = 'redis:7.4.5';

export interface RedisProps {
  /** The redis image. @default REDIS_IMAGE */
  readonly image?: string;
  /** CPU and memory of the redis container. @default 50m/250m CPU, 64/128 MiB */
  readonly resources?: Resources;
}

/** Redis: the queue and cache between the API server and the worker; one pod, no persistence. */
export class Redis extends Construct implements IEndpoint, IClientEnv {
  public readonly service: kplus.Service;
  public readonly host: string;
  public readonly port = 6379;
  public readonly podSelector: Readonly<Record<string, string>>;
  /** REDIS_HOST and REDIS_PORT: the names the course's server/keys.js and worker/keys.js read. */
  public readonly clientEnv: Readonly<Record<string, kplus.EnvValue>>;
  /** The Deployment and its Service. */
  public readonly workload: Workload;

  constructor(scope: Construct, id: string, props: RedisProps = {}) {
    super(scope, id);
    const ping = command(['redis-cli', 'ping']);
    this.workload = new Workload(this, 'Workload', {
      component: 'redis',
      name: 'redis',
      deploymentName: 'redis-deployment',
      containerName: 'redis',
      image: props.image ?? REDIS_IMAGE,
      // Two redis pods would be two unrelated queues; the old one stops before the new one starts.
      scale: Scale.exclusive(),
      serves: { serviceName: 'redis-cluster-ip-service', port: this.port, portName: 'redis', startupProbe: ping(every(2, 30, 2)) },
      // The image's redis user; its entrypoint only drops to it from root, so it is set here.
      runAs: { user: 999, group: 999 },
      // Redis saves its snapshot to /data and refuses writes when it cannot.
      writablePaths: { data: '/data' },
      resources: props.resources ?? {
        cpu: { request: kplus.Cpu.millis(50), limit: kplus.Cpu.millis(250) },
        memory: { request: Size.mebibytes(64), limit: Size.mebibytes(128) },
      },
      // A busy redis may answer late; restart only after half a minute of silence.
      probes: { readiness: ping(every(5, 2, 2)), liveness: ping(every(10, 3, 5)) },
    });
    this.service = this.workload.requireService();
    this.host = this.service.name;
    this.podSelector = this.workload.podSelector;
    this.clientEnv = {
      REDIS_HOST: kplus.EnvValue.fromValue(this.host),
      REDIS_PORT: kplus.EnvValue.fromValue(String(this.port)),
    };
  }
}
