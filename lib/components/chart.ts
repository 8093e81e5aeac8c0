import { ApiObject, Chart, JsonPatch } from 'cdk8s';
import * as kplus from 'cdk8s-plus-27';
import { Construct } from 'constructs';
import { ApiServer } from './api-server';
import { ClientApp } from './client-app';
import { GatewayReference, ITlsCertificate } from './contracts';
import { Deployer, DeployerProps } from './deployer';
import { GATEWAY_NAME, GatewayRoute, HTTP_LISTENER } from './gateway-route';
import { DEFAULT_INGRESS_CLASS, IngressNginx } from './ingress-nginx';
import { EntryPeer, IngressControllerPeer, NetworkPolicies } from './network-policies';
import { Postgres, SecretKeyReference } from './postgres';
import { Redis } from './redis';
import { Scale } from './scale';
import { LetsEncryptCertificate, LetsEncryptServer, ProvidedCertificate } from './tls';
import { acceptedFindings } from './accept-finding';
import { AcceptedPolicyFinding, annotateForValidator } from './validator-annotations';
import { Worker } from './worker';
import { APP_NAME, floatsOnLatest } from './workload';

/** The label that names the app on every object (and in the pod templates, where it already was). */
export const PART_OF_LABEL = 'app.kubernetes.io/part-of';
/**
 * The label that names the environment (`prod`, `dev`) or preview (its name) on every object's
 * metadata, never in a selector or pod template: a pruning `kubectl apply` selects by it.
 */
export const INSTANCE_LABEL = 'app.kubernetes.io/instance';


/** Why the default output serves plain HTTP: the listed `[ingress-tls]` exception. */
export const PLAIN_HTTP_ANY_HOST = 'plain HTTP on any host, as the course serves it: a certificate needs host names (HOSTS and ACME_EMAIL give HTTPS from Let\'s Encrypt)';

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

/** Where the app's certificate comes from. */
export type TlsChoice =
  /** Let's Encrypt through cert-manager: a ClusterIssuer and a Certificate for the hosts. */
  | { readonly letsEncrypt: LetsEncryptServer; readonly email: string }
  /** A `kubernetes.io/tls` Secret the operator creates in the app's namespace (e.g. a wildcard certificate). */
  | { readonly secretName: string };

/** The app reached through Gateway API instead of ingress-nginx. */
export interface GatewayRouting {
  /** The GatewayClass of the Gateway the chart creates. */
  readonly className: string;
  /** An existing, shared Gateway to attach the route to instead. @default - the chart creates a Gateway */
  readonly existing?: GatewayReference;
  /** The Gateway's data plane (its proxies' pods, or a load balancer's source ranges), for the NetworkPolicies. */
  readonly dataPlane: Omit<EntryPeer, 'name'>;
}

export type { AcceptedPolicyFinding };

/** The app's own images, each a whole reference (`[registry/]path:tag`, or with `@sha256:...`). */
export interface AppImages {
  readonly client: string;
  readonly server: string;
  readonly worker: string;
}

export interface MultiK8sChartProps {
  /** The client, server and worker images, whole references (lib/program/config.ts makes them from the settings). */
  readonly images: AppImages;
  /** Pod counts and add-ons of the environment. */
  readonly profile: EnvironmentProfile;
  /** The environment's or preview's name, in the `app.kubernetes.io/instance` label of every object's metadata. */
  readonly instance: string;
  /** A namespace the chart creates and owns (Pod Security "restricted" enforced). @default - the namespace kubectl applies to */
  readonly namespace?: string;
  /** The host names the app answers for. @default - any host, as the course's Ingress */
  readonly hosts?: readonly string[];
  /** HTTPS for the hosts, with plain HTTP redirected to it. @default - plain HTTP, a listed `[ingress-tls]` policy exception */
  readonly tls?: TlsChoice;
  /** Serve through Gateway API. @default - an Ingress for ingress-nginx */
  readonly gateway?: GatewayRouting;
  /** Where the ingress controller runs, for the NetworkPolicies that let it in (ingress-nginx routing). */
  readonly ingressController: IngressControllerPeer;
  /** The postgres image; its major must be the one a live database runs. @default POSTGRES_IMAGE */
  readonly postgresImage?: string;
  /** A least-privilege ServiceAccount, Role and bindings for CI (lib/components/deployer.ts). @default - none */
  readonly deployer?: Omit<DeployerProps, 'namespace'>;
  /**
   * Adds your own components to the chart, after the app's and before the Deployer (which grants
   * what the chart then holds): they take connection details from the chart's providers
   * (`chart.postgres`, `chart.redis`) and accept findings with acceptFinding (README: "Your own
   * components"). @default - the app alone
   */
  readonly extend?: (chart: MultiK8sChart) => void;
}

/** The whole Fibonacci app: client, API server, worker, postgres, redis, Ingress and NetworkPolicies. */
export class MultiK8sChart extends Chart {
  public readonly client: ClientApp;
  public readonly server: ApiServer;
  public readonly worker: Worker;
  public readonly postgres: Postgres;
  public readonly redis: Redis;
  /** The Ingress, unless the app is served through a Gateway. */
  public readonly ingress?: IngressNginx;
  /** The Gateway route, when the app is served through a Gateway. */
  public readonly gatewayRoute?: GatewayRoute;
  /** The certificate the app serves, when it serves HTTPS. */
  public readonly certificate?: ITlsCertificate;
  /** Secrets the pods read that the operator creates before `kubectl apply`: never in the output. */
  public readonly requiredSecrets: readonly SecretKeyReference[];
  /** The chart's own policy exceptions (acceptFinding's are found in the tree when asked for). */
  private readonly ownExceptions: readonly AcceptedPolicyFinding[];

  constructor(scope: Construct, id: string, props: MultiK8sChartProps) {
    super(scope, id, {
      namespace: props.namespace,
      // cdk8s puts a Chart's labels in the metadata of each object only (ApiObject's constructor);
      // selectors and pod templates keep the course's labels, so no immutable field changes.
      labels: { 'app.kubernetes.io/managed-by': 'cdk8s', [PART_OF_LABEL]: APP_NAME, [INSTANCE_LABEL]: props.instance },
    });
    const { profile, images } = props;

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
      image: images.server, postgres: this.postgres, redis: this.redis, scale: profile.server, availability: profile.availability,
    });
    this.worker = new Worker(this, 'Worker', {
      image: images.worker, redis: this.redis, scale: profile.worker, availability: profile.availability,
    });
    this.client = new ClientApp(this, 'Client', { image: images.client, scale: profile.client, availability: profile.availability });
    const hosts = props.hosts ?? [];
    const { gateway, tls } = props;
    if (tls && hosts.length === 0) throw new Error('MultiK8sChart tls without hosts: a certificate names its hosts; allowed is tls only with hosts');
    if (tls && 'letsEncrypt' in tls) {
      // The solver route goes through the same Gateway or ingress class that serves the app.
      const solver = gateway
        ? { gateway: { name: gateway.existing?.name ?? GATEWAY_NAME, namespace: gateway.existing?.namespace ?? props.namespace, sectionName: HTTP_LISTENER } }
        : { ingressClassName: DEFAULT_INGRESS_CLASS };
      this.certificate = new LetsEncryptCertificate(this, 'Tls', { hosts, email: tls.email, server: tls.letsEncrypt, solver });
    } else if (tls) {
      this.certificate = new ProvidedCertificate(tls.secretName, hosts);
    }
    const routeProps = { client: this.client, server: this.server, hosts, tls: this.certificate };
    let entry: EntryPeer;
    if (gateway) {
      this.gatewayRoute = new GatewayRoute(this, 'Gateway', { ...routeProps, gatewayClassName: gateway.className, existingGateway: gateway.existing });
      entry = { name: 'gateway', ...gateway.dataPlane };
    } else {
      this.ingress = new IngressNginx(this, 'Ingress', routeProps);
      entry = { name: 'ingress-controller', pods: props.ingressController };
    }
    new NetworkPolicies(this, 'NetworkPolicies', {
      client: this.client, server: this.server, worker: this.worker, postgres: this.postgres, redis: this.redis,
      entry, acmeSolver: this.certificate instanceof LetsEncryptCertificate,
    });
    props.extend?.(this);
    // Last: it grants exactly what the chart holds by now.
    if (props.deployer) new Deployer(this, 'Deployer', { ...props.deployer, namespace: props.namespace });
    this.requiredSecrets = [this.postgres.passwordSecret];
    this.ownExceptions = [
      ...(this.certificate ? [] : [{
        rule: 'ingress-tls',
        object: gateway ? `HTTPRoute/${GATEWAY_NAME}` : 'Ingress/ingress-service',
        reason: hosts.length === 0 ? PLAIN_HTTP_ANY_HOST : 'plain HTTP was asked for (no certificate for the hosts)',
      }]),
      // The validator's image-tag rule (lib/validate/policy.ts) finds `latest` without a digest.
      ...(Object.values(images).some(floatsOnLatest) ? [{ rule: 'image-tag', object: '*', reason: 'an app image tagged latest was asked for: images that move under the deployment' }] : []),
    ];
  }

  /** Policy findings this chart has on purpose, each with its reason, its own and those accepted with acceptFinding; the synth lists them. */
  public get policyExceptions(): readonly AcceptedPolicyFinding[] {
    return [...this.ownExceptions, ...acceptedFindings(this)];
  }

  /** The chart's objects, each annotated with what the validator must know of it. */
  public toJson(): any[] {
    return annotateForValidator(super.toJson(), this.requiredSecrets, this.policyExceptions);
  }
}
