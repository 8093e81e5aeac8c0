import { Chart } from 'cdk8s';
import { Construct } from 'constructs';
import { ApiServer } from './api-server';
import { ClientApp } from './client-app';
import { APP_NAME } from './component-workload';
import { IngressNginx } from './ingress-nginx';
import { Postgres, SecretKeyReference } from './postgres';
import { Redis } from './redis';
import { Worker } from './worker';

export interface MultiK8sChartProps {
  /** Registry and owner of the app images, e.g. `stephengrider`. */
  readonly imagePrefix: string;
  /** Tag of the client, server and worker images: the commit's SHA. */
  readonly imageTag: string;
}

/** The whole Fibonacci app: client, API server, worker, postgres, redis and the Ingress. */
export class MultiK8sChart extends Chart {
  public readonly client: ClientApp;
  public readonly server: ApiServer;
  public readonly worker: Worker;
  public readonly postgres: Postgres;
  public readonly redis: Redis;
  public readonly ingress: IngressNginx;
  /** Secrets the pods read that the operator creates before `kubectl apply`: never in the output. */
  public readonly requiredSecrets: readonly SecretKeyReference[];

  constructor(scope: Construct, id: string, props: MultiK8sChartProps) {
    super(scope, id, { labels: { 'app.kubernetes.io/managed-by': 'cdk8s', 'app.kubernetes.io/part-of': APP_NAME } });
    const image = (name: string) => `${props.imagePrefix}/multi-${name}:${props.imageTag}`;

    this.postgres = new Postgres(this, 'Postgres');
    this.redis = new Redis(this, 'Redis');
    this.server = new ApiServer(this, 'Server', { image: image('server'), postgres: this.postgres, redis: this.redis });
    this.worker = new Worker(this, 'Worker', { image: image('worker'), redis: this.redis });
    this.client = new ClientApp(this, 'Client', { image: image('client') });
    this.ingress = new IngressNginx(this, 'Ingress', { client: this.client, server: this.server });
    this.requiredSecrets = [this.postgres.passwordSecret];
  }
}
