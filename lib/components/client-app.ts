import * as kplus from 'cdk8s-plus-27';
import { Construct } from 'constructs';
import { ComponentWorkload, httpProbe, ResourceBudget } from './workload';

export interface ClientAppProps {
  /** The full client image reference, `<prefix>/multi-client:<tag>`. */
  readonly image: string;
  /** Pod count. @default 3 */
  readonly replicas?: number;
  /** A PodDisruptionBudget and a spread across nodes when more than one pod runs. @default true */
  readonly highAvailability?: boolean;
  /** CPU and memory of the nginx container. @default 50m/200m CPU, 32/64 MiB */
  readonly resources?: ResourceBudget;
}

/** The React client, built into static files and served by nginx on port 3000. */
export class ClientApp extends Construct {
  /** The Service the Ingress routes / to. */
  public readonly service: kplus.Service;
  /** The port the Service serves. */
  public readonly port: number;
  /** The Deployment and its Service. */
  public readonly workload: ComponentWorkload;

  constructor(scope: Construct, id: string, props: ClientAppProps) {
    super(scope, id);
    const port = { number: 3000, name: 'http' };
    this.workload = new ComponentWorkload(this, 'Workload', {
      component: 'web',
      name: 'client',
      deploymentName: 'client-deployment',
      containerName: 'client',
      serviceName: 'client-cluster-ip-service',
      image: props.image,
      highAvailability: props.highAvailability,
      replicas: props.replicas ?? 3,
      strategy: 'RollingUpdate',
      port,
      // The nginx image's own unprivileged user; port 3000 needs no privilege to bind.
      runAs: { user: 101, group: 101 },
      // nginx writes its temp files under /var/cache/nginx and its pid file under /var/run.
      writablePaths: { cache: '/var/cache/nginx', run: '/var/run' },
      resources: props.resources ?? { cpuRequestMillis: 50, cpuLimitMillis: 200, memoryRequestMebibytes: 32, memoryLimitMebibytes: 64 },
      probes: {
        startup: httpProbe('/', port.number, { periodSeconds: 2, failureThreshold: 15, timeoutSeconds: 2 }),
        readiness: httpProbe('/', port.number, { periodSeconds: 5, failureThreshold: 2, timeoutSeconds: 2 }),
        liveness: httpProbe('/', port.number, { periodSeconds: 10, failureThreshold: 3, timeoutSeconds: 5 }),
      },
    });
    this.service = this.workload.requireService();
    this.port = port.number;
  }
}
