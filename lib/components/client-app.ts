import { Size } from 'cdk8s';
import * as kplus from 'cdk8s-plus-27';
import { Construct } from 'constructs';
import { IEndpoint } from './contracts';
import { every, httpGet } from './probes';
import { Scale } from './scale';
import { Resources, Workload } from './workload';

export interface ClientAppProps {
  /** The full client image reference, `<prefix>/multi-client:<tag>`. */
  readonly image: string;
  /** How many pods. @default Scale.fixed(3), the course's count */
  readonly scale?: Scale;
  /** A disruption budget and a spread across nodes when more than one pod may run. @default false */
  readonly availability?: boolean;
  /** CPU and memory of the nginx container. @default 50m/200m CPU, 32/64 MiB */
  readonly resources?: Resources;
}

/** The React client, built into static files and served by nginx on port 3000. */
export class ClientApp extends Construct implements IEndpoint {
  public readonly service: kplus.Service;
  public readonly host: string;
  public readonly port = 3000;
  public readonly podSelector: Readonly<Record<string, string>>;
  /** The Deployment and its Service. */
  public readonly workload: Workload;

  constructor(scope: Construct, id: string, props: ClientAppProps) {
    super(scope, id);
    const index = httpGet('/', this.port);
    this.workload = new Workload(this, 'Workload', {
      component: 'web',
      name: 'client',
      deploymentName: 'client-deployment',
      containerName: 'client',
      image: props.image,
      scale: props.scale ?? Scale.fixed(3),
      availability: props.availability,
      serves: { serviceName: 'client-cluster-ip-service', port: this.port, portName: 'http', startupProbe: index(every(2, 15, 2)) },
      // The nginx image's own unprivileged user; port 3000 needs no privilege to bind.
      runAs: { user: 101, group: 101 },
      // nginx writes its temp files under /var/cache/nginx and its pid file under /var/run.
      writablePaths: { cache: '/var/cache/nginx', run: '/var/run' },
      resources: props.resources ?? {
        cpu: { request: kplus.Cpu.millis(50), limit: kplus.Cpu.millis(200) },
        memory: { request: Size.mebibytes(32), limit: Size.mebibytes(64) },
      },
      probes: { readiness: index(every(5, 2, 2)), liveness: index(every(10, 3, 5)) },
    });
    this.service = this.workload.requireService();
    this.host = this.service.name;
    this.podSelector = this.workload.podSelector;
  }
}
