import * as kplus from 'cdk8s-plus-27';
import { Construct } from 'constructs';
import { Autoscale, ComponentWorkload, httpProbe, ResourceBudget } from './workload';
import { NODE_RESOURCES, NODE_USER, NODE_WRITABLE_PATHS } from './node-image';
import { Postgres } from './postgres';
import { Redis } from './redis';

export interface ApiServerProps {
  /** The full server image reference, `<prefix>/multi-server:<tag>`. */
  readonly image: string;
  /** The Postgres it stores submitted indexes in; host, port, user, database and password come from it. */
  readonly postgres: Postgres;
  /** The Redis it publishes indexes to and reads computed values from. */
  readonly redis: Redis;
  /** Pod count. @default 3 */
  readonly replicas?: number;
  /** A PodDisruptionBudget and a spread across nodes when more than one pod runs. @default true */
  readonly highAvailability?: boolean;
  /** Scale on CPU between these bounds instead of a fixed count. @default - fixed replicas */
  readonly autoscale?: Autoscale;
  /** CPU and memory of the server container. @default NODE_RESOURCES */
  readonly resources?: ResourceBudget;
}

/** The Express API: answers /values/* (the Ingress maps /api/ to it) on port 5000. */
export class ApiServer extends Construct {
  /** The Service the Ingress routes /api/ to. */
  public readonly service: kplus.Service;
  /** The port the Service serves. */
  public readonly port: number;
  /** The Deployment and its Service. */
  public readonly workload: ComponentWorkload;

  constructor(scope: Construct, id: string, props: ApiServerProps) {
    super(scope, id);
    const port = { number: 5000, name: 'http' };
    const { postgres, redis } = props;
    this.workload = new ComponentWorkload(this, 'Workload', {
      component: 'server',
      name: 'server',
      deploymentName: 'server-deployment',
      containerName: 'server',
      serviceName: 'server-cluster-ip-service',
      image: props.image,
      autoscale: props.autoscale,
      highAvailability: props.highAvailability,
      replicas: props.replicas ?? 3,
      strategy: 'RollingUpdate',
      port,
      runAs: NODE_USER,
      writablePaths: NODE_WRITABLE_PATHS,
      // server/keys.js reads exactly these names.
      env: {
        REDIS_HOST: kplus.EnvValue.fromValue(redis.host),
        REDIS_PORT: kplus.EnvValue.fromValue(String(redis.port)),
        PGUSER: kplus.EnvValue.fromValue(postgres.user),
        PGHOST: kplus.EnvValue.fromValue(postgres.host),
        PGPORT: kplus.EnvValue.fromValue(String(postgres.port)),
        PGDATABASE: kplus.EnvValue.fromValue(postgres.database),
        PGPASSWORD: kplus.EnvValue.fromSecretValue({ secret: postgres.passwordSecret.secret, key: postgres.passwordSecret.key }),
      },
      resources: props.resources ?? NODE_RESOURCES,
      // GET / answers "Hi" without touching postgres or redis, so a database outage does not restart the API.
      probes: {
        startup: httpProbe('/', port.number, { periodSeconds: 2, failureThreshold: 30, timeoutSeconds: 2 }),
        readiness: httpProbe('/', port.number, { periodSeconds: 5, failureThreshold: 2, timeoutSeconds: 2 }),
        // A long garbage collection must not restart the pod: half a minute of failures first.
        liveness: httpProbe('/', port.number, { periodSeconds: 10, failureThreshold: 3, timeoutSeconds: 5 }),
      },
    });
    this.service = this.workload.requireService();
    this.port = port.number;
  }
}
