import * as kplus from 'cdk8s-plus-27';
import { Construct } from 'constructs';
import { IAwaitable, IClientEnv, IEndpoint } from './contracts';
import { every, httpGet } from './probes';
import { NODE_RESOURCES, NODE_USER, NODE_WRITABLE_PATHS } from './node-image';
import { Scale } from './scale';
import { Resources, Workload } from './workload';

export interface ApiServerProps {
  /** The full server image reference, `<prefix>/multi-server:<tag>`. */
  readonly image: string;
  /** The Postgres it stores submitted indexes in: its client env (host, port, user, database, password) and its ready check. */
  readonly postgres: IClientEnv & IAwaitable;
  /** The Redis it publishes indexes to and reads computed values from: its client env. */
  readonly redis: IClientEnv;
  /** How many pods. @default Scale.fixed(3), the course's count */
  readonly scale?: Scale;
  /** A disruption budget and a spread across nodes when more than one pod may run. @default false */
  readonly availability?: boolean;
  /** CPU and memory of the server container. @default NODE_RESOURCES */
  readonly resources?: Resources;
}

/** The Express API: answers /values/* (the routes map /api/ to it) on port 5000. */
export class ApiServer extends Construct implements IEndpoint {
  public readonly service: kplus.Service;
  public readonly host: string;
  public readonly port = 5000;
  public readonly podSelector: Readonly<Record<string, string>>;
  /** The Deployment and its Service. */
  public readonly workload: Workload;

  constructor(scope: Construct, id: string, props: ApiServerProps) {
    super(scope, id);
    // GET / answers "Hi" without touching postgres or redis, so a database outage does not restart the API.
    const hi = httpGet('/', this.port);
    this.workload = new Workload(this, 'Workload', {
      component: 'server',
      name: 'server',
      deploymentName: 'server-deployment',
      containerName: 'server',
      image: props.image,
      scale: props.scale ?? Scale.fixed(3),
      availability: props.availability,
      serves: { serviceName: 'server-cluster-ip-service', port: this.port, portName: 'http', startupProbe: hi(every(2, 30, 2)) },
      runAs: NODE_USER,
      writablePaths: NODE_WRITABLE_PATHS,
      // server/keys.js reads exactly these names; each provider writes its own.
      env: { ...props.redis.clientEnv, ...props.postgres.clientEnv },
      // Its one-time CREATE TABLE at start has no retry (the course's server/index.js): start after postgres.
      waitFor: [props.postgres.readyCheck],
      resources: props.resources ?? NODE_RESOURCES,
      // A long garbage collection must not restart the pod: half a minute of failures first.
      probes: { readiness: hi(every(5, 2, 2)), liveness: hi(every(10, 3, 5)) },
    });
    this.service = this.workload.requireService();
    this.host = this.service.name;
    this.podSelector = this.workload.podSelector;
  }
}
