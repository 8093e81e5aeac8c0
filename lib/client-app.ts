import { Duration } from 'cdk8s';
import * as kplus from 'cdk8s-plus-27';
import { Construct } from 'constructs';
import { ComponentWorkload, ResourceBudget } from './component-workload';

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
    const index = (periodSeconds: number, failureThreshold: number, timeoutSeconds: number) => kplus.Probe.fromHttpGet('/', {
      port: port.number,
      periodSeconds: Duration.seconds(periodSeconds),
      failureThreshold,
      timeoutSeconds: Duration.seconds(timeoutSeconds),
    });
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
        startup: index(2, 15, 2),
        readiness: index(5, 2, 2),
        liveness: index(10, 3, 5),
      },
    });
    this.service = this.workload.requireService();
    this.port = port.number;
  }
}
