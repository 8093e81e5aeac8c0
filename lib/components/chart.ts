import { ApiObject, Chart, JsonPatch } from 'cdk8s';
import * as kplus from 'cdk8s-plus-27';
import { Construct } from 'constructs';
import { ApiServer } from './api-server';
import { ClientApp } from './client-app';
import { IngressNginx } from './ingress-nginx';
import { IngressControllerPeer, NetworkPolicies } from './network-policies';
import { Postgres, SecretKeyReference } from './postgres';
import { Redis } from './redis';
import { Scale } from './scale';
import { Worker } from './worker';
import { APP_NAME } from './workload';

/** A policy finding the chart's output has on purpose, with its reason. */
export interface AcceptedPolicyFinding {
  /** The policy rule, e.g. `ingress-tls`. */
  readonly rule: string;
  /** `Kind/name` of the object, or `*` for every object. */
  readonly object: string;
  /** Why it is accepted. */
  readonly reason: string;
}

/** What differs between environments, as the chart takes it; lib/program/environments.ts holds every row. */
export interface EnvironmentProfile {
  /** Pods of the client. */
  readonly client: Scale;
  /** Pods of the API server. */
  readonly server: Scale;
  /** Pods of the worker. */
  readonly worker: Scale;
  /** A disruption budget and a spread across nodes for each component that may run more than one pod. */
  readonly availability: boolean;
}

export interface MultiK8sChartProps {
  /** Registry and owner of the app images, e.g. `stephengrider`. */
  readonly imagePrefix: string;
  /** Tag of the client, server and worker images: the commit's SHA. */
  readonly imageTag: string;
  /** Pod counts and add-ons of the environment. */
  readonly profile: EnvironmentProfile;
  /** A namespace the chart creates and owns (Pod Security "restricted" enforced). @default - the namespace kubectl applies to */
  readonly namespace?: string;
  /** The host the Ingress answers for. @default - any host, as the course's Ingress */
  readonly host?: string;
  /** Where the ingress controller runs, for the NetworkPolicies that let it in. */
  readonly ingressController: IngressControllerPeer;
  /** The postgres image; its major must be the one a live database runs. @default POSTGRES_IMAGE */
  readonly postgresImage?: string;
}

/** The whole Fibonacci app: client, API server, worker, postgres, redis, Ingress and NetworkPolicies. */
export class MultiK8sChart extends Chart {
  public readonly client: ClientApp;
  public readonly server: ApiServer;
  public readonly worker: Worker;
  public readonly postgres: Postgres;
  public readonly redis: Redis;
  public readonly ingress: IngressNginx;
  /** Secrets the pods read that the operator creates before `kubectl apply`: never in the output. */
  public readonly requiredSecrets: readonly SecretKeyReference[];
  /** Policy findings this chart has on purpose, each with its reason; the synth lists them. */
  public readonly policyExceptions: readonly AcceptedPolicyFinding[];

  constructor(scope: Construct, id: string, props: MultiK8sChartProps) {
    super(scope, id, {
      namespace: props.namespace,
      labels: { 'app.kubernetes.io/managed-by': 'cdk8s', 'app.kubernetes.io/part-of': APP_NAME },
    });
    const image = (name: string) => `${props.imagePrefix}/multi-${name}:${props.imageTag}`;
    const { profile } = props;

    if (props.namespace) {
      const namespace = new kplus.Namespace(this, 'Namespace', {
        metadata: {
          name: props.namespace,
          // The API server itself refuses any pod here that breaks the restricted profile.
          labels: { 'pod-security.kubernetes.io/enforce': 'restricted', 'pod-security.kubernetes.io/enforce-version': 'v1.27' },
        },
      });
      // The chart's namespace goes on every object it holds, but a Namespace is cluster-scoped.
      ApiObject.of(namespace).addJsonPatch(JsonPatch.remove('/metadata/namespace'));
    }
    this.postgres = new Postgres(this, 'Postgres', { image: props.postgresImage });
    this.redis = new Redis(this, 'Redis');
    this.server = new ApiServer(this, 'Server', {
      image: image('server'), postgres: this.postgres, redis: this.redis, scale: profile.server, availability: profile.availability,
    });
    this.worker = new Worker(this, 'Worker', {
      image: image('worker'), redis: this.redis, scale: profile.worker, availability: profile.availability,
    });
    this.client = new ClientApp(this, 'Client', { image: image('client'), scale: profile.client, availability: profile.availability });
    this.ingress = new IngressNginx(this, 'Ingress', { client: this.client, server: this.server, host: props.host });
    new NetworkPolicies(this, 'NetworkPolicies', {
      client: this.client, server: this.server, worker: this.worker, postgres: this.postgres, redis: this.redis,
      ingressController: props.ingressController,
    });
    this.requiredSecrets = [this.postgres.passwordSecret];
    this.policyExceptions = [
      {
        rule: 'ingress-tls',
        object: 'Ingress/ingress-service',
        reason: 'TLS is not configurable yet: the course serves plain HTTP; terminate TLS in front of ingress-nginx until it is',
      },
      ...(props.imageTag === 'latest' ? [{ rule: 'image-tag', object: '*', reason: 'IMAGE_TAG=latest was asked for: images that move under the deployment' }] : []),
    ];
  }
}
