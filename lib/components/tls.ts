import type { ICertificate } from '@kubernetes-models/cert-manager/cert-manager.io/v1/Certificate';
import type { IClusterIssuer } from '@kubernetes-models/cert-manager/cert-manager.io/v1/ClusterIssuer';
import { Construct } from 'constructs';
import { GatewayReference, ITlsCertificate } from './contracts';
import { ModelObject } from './model-object';
import { isDnsSubdomain } from '../validate/names';

/** Let's Encrypt's two ACME directories: real certificates, or untrusted ones with far higher rate limits for trying things. */
export type LetsEncryptServer = 'production' | 'staging';

// letsencrypt.org/docs/acme-protocol-updates and letsencrypt.org/docs/staging-environment: the ACME v2 directories.
const DIRECTORY: Record<LetsEncryptServer, string> = {
  production: 'https://acme-v02.api.letsencrypt.org/directory',
  staging: 'https://acme-staging-v02.api.letsencrypt.org/directory',
};
// The course's ClusterIssuer is `letsencrypt-prod`: a course deployment keeps its ACME account.
const ISSUER_NAME: Record<LetsEncryptServer, string> = { production: 'letsencrypt-prod', staging: 'letsencrypt-staging' };

/** Where cert-manager routes Let's Encrypt's HTTP-01 requests to its solver: an ingress class, or a Gateway's HTTP listener. */
export type Http01Route =
  | { readonly ingressClassName: string }
  | { readonly gateway: GatewayReference & { readonly sectionName: string } };

type AcmeSolver = NonNullable<NonNullable<IClusterIssuer['spec']['acme']>['solvers']>[number];
type Http01 = NonNullable<AcmeSolver['http01']>;

// cert-manager >= 1.12 takes ingressClassName, its recommended field (`class` sets the deprecated
// kubernetes.io/ingress.class annotation); the model carries cert-manager 1.11's schema, which
// does not list it yet, so the one field is added to the model's type here.
function http01Ingress(ingressClassName: string): NonNullable<Http01['ingress']> {
  const ingress: NonNullable<Http01['ingress']> & { readonly ingressClassName: string } = { ingressClassName };
  return ingress;
}

/** The names a certificate for these hosts gets: from the first host, dots as dashes, as the course named them. */
export function certificateNames(hosts: readonly string[]): { readonly certificate: string; readonly secret: string } {
  const base = hosts[0].replace(/\./g, '-');
  return { certificate: `${base}-tls`, secret: base };
}

export interface LetsEncryptCertificateProps {
  /** The host names the certificate covers; the first names the Certificate and its Secret. */
  readonly hosts: readonly string[];
  /** The ACME account's e-mail: Let's Encrypt writes to it about expiring certificates. */
  readonly email: string;
  /** Which Let's Encrypt directory issues the certificate. @default "production" */
  readonly server?: LetsEncryptServer;
  /** How the HTTP-01 challenge reaches cert-manager's solver: the ingress class or the Gateway that serves the app. */
  readonly solver: Http01Route;
}

/**
 * HTTPS from Let's Encrypt through cert-manager (cert-manager.io/v1): a ClusterIssuer with an
 * ACME account, HTTP-01 solved through the same ingress class or Gateway that serves the app,
 * and a Certificate for every host, renewed by cert-manager into one Secret.
 */
export class LetsEncryptCertificate extends Construct implements ITlsCertificate {
  public readonly hosts: readonly string[];
  public readonly secretName: string;
  /** The ClusterIssuer: `letsencrypt-prod` or `letsencrypt-staging`. */
  public readonly issuerName: string;
  /** The Certificate. */
  public readonly certificateName: string;

  constructor(scope: Construct, id: string, props: LetsEncryptCertificateProps) {
    super(scope, id);
    if (props.hosts.length === 0) throw new Error('LetsEncryptCertificate hosts is empty: allowed are one or more DNS names');
    // HTTP-01 cannot prove control of a wildcard name (RFC 8555 section 7.1.3; letsencrypt.org/docs/challenge-types).
    const bad = props.hosts.find((host) => !isDnsSubdomain(host));
    if (bad !== undefined) throw new Error(`LetsEncryptCertificate host "${bad}" is not a DNS name: allowed are lowercase a-z 0-9 - . (no wildcard: HTTP-01 cannot issue one)`);
    const names = certificateNames(props.hosts);
    if (!isDnsSubdomain(names.certificate)) {
      throw new Error(`LetsEncryptCertificate host "${props.hosts[0]}" is too long to name the Certificate "${names.certificate}": allowed is a first host of at most 249 characters`);
    }
    const server = props.server ?? 'production';
    this.hosts = [...props.hosts];
    this.secretName = names.secret;
    this.certificateName = names.certificate;
    this.issuerName = ISSUER_NAME[server];

    const http01: Http01 = 'ingressClassName' in props.solver
      ? { ingress: http01Ingress(props.solver.ingressClassName) }
      : {
        gatewayHTTPRoute: {
          parentRefs: [{
            group: 'gateway.networking.k8s.io',
            kind: 'Gateway',
            name: props.solver.gateway.name,
            ...(props.solver.gateway.namespace ? { namespace: props.solver.gateway.namespace } : {}),
            // The HTTP listener: Let's Encrypt asks over plain HTTP on port 80.
            sectionName: props.solver.gateway.sectionName,
          }],
        },
      };
    const issuer = new ModelObject<IClusterIssuer>(this, 'ClusterIssuer', {
      apiVersion: 'cert-manager.io/v1',
      kind: 'ClusterIssuer',
      metadata: { name: this.issuerName },
      spec: {
        acme: {
          server: DIRECTORY[server],
          email: props.email,
          // The ACME account key, in cert-manager's cluster resource namespace; named as the course named it.
          privateKeySecretRef: { name: this.issuerName },
          solvers: [{ http01 }],
        },
      },
    });
    // A ClusterIssuer is cluster-scoped: the chart's namespace must not land on it.
    issuer.clusterScoped();

    new ModelObject<ICertificate>(this, 'Certificate', {
      apiVersion: 'cert-manager.io/v1',
      kind: 'Certificate',
      metadata: { name: this.certificateName },
      spec: {
        secretName: this.secretName,
        issuerRef: { group: 'cert-manager.io', kind: 'ClusterIssuer', name: this.issuerName },
        // No commonName: cert-manager's docs discourage it, and Let's Encrypt's certificates leave it out.
        dnsNames: [...this.hosts],
      },
    });
  }
}

/** A certificate the operator provides as a Secret (e.g. one wildcard certificate shared by every preview). */
export class ProvidedCertificate implements ITlsCertificate {
  public readonly hosts: readonly string[];

  /**
   * @param secretName the `kubernetes.io/tls` Secret, created by the operator in the app's namespace
   * @param hosts the host names it serves
   */
  constructor(public readonly secretName: string, hosts: readonly string[]) {
    if (!isDnsSubdomain(secretName)) throw new Error(`ProvidedCertificate secretName "${secretName}" is not a Secret name: allowed are lowercase a-z 0-9 - . (DNS subdomain)`);
    this.hosts = [...hosts];
  }
}
