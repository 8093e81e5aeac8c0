import * as kplus from 'cdk8s-plus-27';
import { Construct } from 'constructs';
import { IEndpoint, ITlsCertificate } from './contracts';
import { isDnsSubdomain } from '../validate/names';

/** The IngressClass ingress-nginx installs (and minikube's ingress addon). */
export const DEFAULT_INGRESS_CLASS = 'nginx';

export interface IngressNginxProps {
  /** The client; every path the API does not take goes to it. */
  readonly client: IEndpoint;
  /** The API server; /api/* goes to it with the /api prefix removed. */
  readonly server: IEndpoint;
  /** The IngressClass of the ingress-nginx controller. @default "nginx" */
  readonly className?: string;
  /** The hosts it answers for, one rule each. @default - any host (or the certificate's hosts with `tls`) */
  readonly hosts?: readonly string[];
  /** Serve HTTPS with this certificate and redirect plain HTTP to it. @default - plain HTTP only */
  readonly tls?: ITlsCertificate;
}

/** The Ingress for ingress-nginx: / to the client, /api/ to the server. */
export class IngressNginx extends Construct {
  /** The Ingress. */
  public readonly ingress: kplus.Ingress;

  constructor(scope: Construct, id: string, props: IngressNginxProps) {
    super(scope, id);
    const className = props.className ?? DEFAULT_INGRESS_CLASS;
    if (!isDnsSubdomain(className)) {
      throw new Error(`IngressNginx className "${className}" is not a valid IngressClass name: allowed are lowercase a-z 0-9 - . (DNS subdomain)`);
    }
    const { tls } = props;
    const hosts = props.hosts ?? tls?.hosts ?? [];
    // k8s.io/kubernetes pkg/apis/networking/validation/validation.go validateIngressRules: a rule's host is a DNS subdomain, optionally "*." first.
    const bad = hosts.find((host) => !isDnsSubdomain(host.startsWith('*.') ? host.slice(2) : host));
    if (bad !== undefined) throw new Error(`IngressNginx host "${bad}" is not a host name: allowed are lowercase a-z 0-9 - . with an optional leading "*."`);
    const uncovered = tls && hosts.find((host) => !tls.hosts.includes(host));
    if (tls && (hosts.length === 0 || uncovered !== undefined)) {
      throw new Error(`IngressNginx host "${uncovered ?? '*'}" is not among the certificate's hosts (${tls.hosts.join(', ')}): allowed are only hosts the certificate covers`);
    }
    this.ingress = new kplus.Ingress(this, 'Ingress', {
      metadata: {
        name: 'ingress-service',
        annotations: {
          'nginx.ingress.kubernetes.io/use-regex': 'true',
          // The server serves /values/*, the client calls /api/values/*: the first group is forwarded.
          'nginx.ingress.kubernetes.io/rewrite-target': '/$1',
          // ingress-nginx redirects plain HTTP to HTTPS for hosts with TLS by default; said here, as the course did.
          ...(tls ? { 'nginx.ingress.kubernetes.io/ssl-redirect': 'true' } : {}),
        },
      },
      className,
    });
    // Regex paths need ImplementationSpecific: ingress-nginx's admission webhook rejects them as Prefix.
    const regex = kplus.HttpIngressPathType.IMPLEMENTATION_SPECIFIC;
    const client = kplus.IngressBackend.fromService(props.client.service, { port: props.client.port });
    const server = kplus.IngressBackend.fromService(props.server.service, { port: props.server.port });
    if (hosts.length === 0) {
      this.ingress.addRule('/?(.*)', client, regex);
      this.ingress.addRule('/api/?(.*)', server, regex);
    }
    for (const host of hosts) {
      this.ingress.addHostRule(host, '/?(.*)', client, regex);
      this.ingress.addHostRule(host, '/api/?(.*)', server, regex);
    }
    if (tls) this.ingress.addTls([{ hosts: [...hosts], secret: kplus.Secret.fromSecretName(this, 'TlsSecret', tls.secretName) }]);
  }
}
