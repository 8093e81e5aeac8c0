import type { IGateway } from '@kubernetes-models/gateway-api/gateway.networking.k8s.io/v1/Gateway';
import type { IHTTPRoute } from '@kubernetes-models/gateway-api/gateway.networking.k8s.io/v1/HTTPRoute';
import { Construct } from 'constructs';
import { GatewayReference, IEndpoint, ITlsCertificate } from './contracts';
import { ModelObject } from './model-object';
import { APP_NAME } from './workload';
import { isDnsLabel, isDnsSubdomain } from '../validate/names';

/** The name of the Gateway the construct creates, and of its HTTPRoute. */
export const GATEWAY_NAME = APP_NAME;
/** The listener of plain HTTP on port 80: Let's Encrypt's HTTP-01 requests arrive there too. */
export const HTTP_LISTENER = 'http';
/** The listener of HTTPS on port 443. */
export const HTTPS_LISTENER = 'https';
/** Envoy Gateway's quickstart GatewayClass: the implementation the README installs on minikube. */
export const DEFAULT_GATEWAY_CLASS = 'eg';

/**
 * DEFAULTED: the Gateway API CRDs default some fields the objects would otherwise leave out (a
 * listener's allowedRoutes, a reference's group, a backend's weight, a rule's matches; the
 * `+kubebuilder:default` markers of sigs.k8s.io/gateway-api apis/v1 gateway_types.go,
 * httproute_types.go, object_reference_types.go, shared_types.go). kubectl patches a custom
 * resource with a JSON merge patch, which replaces a list whole when it differs from the live one:
 * a list the server had filled in was re-sent on every apply, and kubectl printed "configured" for
 * the Gateway and each HTTPRoute every time. Written at their defaults, the objects are stored as
 * sent, and a repeated apply is "unchanged" (test/program/apply.test.ts, on a real API server).
 */
const SAME_NAMESPACE = { namespaces: { from: 'Same' as const } };

type ParentRef = NonNullable<IHTTPRoute['spec']['parentRefs']>[number];
type Listener = IGateway['spec']['listeners'][number];

export interface GatewayRouteProps {
  /** The client; every path the API does not take goes to it. */
  readonly client: IEndpoint;
  /** The API server; /api and below goes to it with the /api prefix removed. */
  readonly server: IEndpoint;
  /** The host names the routes answer for. @default - any host (or the certificate's hosts with `tls`) */
  readonly hosts?: readonly string[];
  /** Serve HTTPS with this certificate and redirect plain HTTP to it. @default - plain HTTP only */
  readonly tls?: ITlsCertificate;
  /** The GatewayClass of the Gateway this construct creates. @default "eg" (Envoy Gateway's quickstart class) */
  readonly gatewayClassName?: string;
  /** An existing Gateway (often a platform team's, in its own namespace) to attach the route to instead of creating one. @default - a Gateway `multi-k8s` is created */
  readonly existingGateway?: GatewayReference;
}

/**
 * Gateway API (gateway.networking.k8s.io/v1, standard channel) beside IngressNginx: an HTTPRoute
 * sending /api and below to the server with the prefix removed and everything else to the
 * client, on a Gateway of its own or on an existing one. With TLS, the Gateway terminates HTTPS
 * with the certificate's Secret and a second HTTPRoute redirects plain HTTP to HTTPS.
 */
export class GatewayRoute extends Construct {
  /** The Gateway the routes attach to. */
  public readonly gateway: GatewayReference;
  /** The Gateway's listener that serves plain HTTP (and ACME HTTP-01), for cert-manager's solver route; undefined on an existing Gateway. */
  public readonly httpListener?: string;

  constructor(scope: Construct, id: string, props: GatewayRouteProps) {
    super(scope, id);
    const hosts = props.hosts ?? props.tls?.hosts ?? [];
    const bad = hosts.find((host) => !isHostname(host));
    // sigs.k8s.io/gateway-api apis/v1 shared_types.go Hostname: a DNS subdomain, optionally with a leading "*.", no IP.
    if (bad !== undefined) throw new Error(`GatewayRoute host "${bad}" is not a hostname: allowed are lowercase a-z 0-9 - . with an optional leading "*."`);
    if (props.tls) {
      const uncovered = hosts.length === 0 ? '*' : hosts.find((host) => !props.tls!.hosts.includes(host));
      if (uncovered !== undefined) throw new Error(`GatewayRoute host "${uncovered}" is not among the certificate's hosts (${props.tls.hosts.join(', ')}): allowed are only hosts the certificate covers`);
      if (props.existingGateway) {
        throw new Error('GatewayRoute tls with an existingGateway: the existing Gateway\'s owner configures its HTTPS listeners; allowed is tls only on a Gateway this construct creates');
      }
    }

    if (props.existingGateway) {
      const { name, namespace } = props.existingGateway;
      if (!isDnsSubdomain(name) || (namespace !== undefined && !isDnsLabel(namespace))) {
        throw new Error(`GatewayRoute existingGateway "${namespace ?? ''}/${name}" is not a Gateway reference: allowed is a namespace (DNS label) and a name (DNS subdomain)`);
      }
      this.gateway = props.existingGateway;
      this.route('Route', GATEWAY_NAME, hosts, [this.parent(undefined)], this.appRules(props));
      return;
    }

    const className = props.gatewayClassName ?? DEFAULT_GATEWAY_CLASS;
    if (!isDnsSubdomain(className)) throw new Error(`GatewayRoute gatewayClassName "${className}" is not a GatewayClass name: allowed are lowercase a-z 0-9 - . (DNS subdomain)`);
    this.gateway = { name: GATEWAY_NAME };
    this.httpListener = HTTP_LISTENER;
    // Every field the Gateway API CRDs default is written out, at its default (see DEFAULTED).
    const listeners: Listener[] = [{ name: HTTP_LISTENER, protocol: 'HTTP', port: 80, allowedRoutes: SAME_NAMESPACE }];
    if (props.tls) {
      listeners.push({
        name: HTTPS_LISTENER,
        protocol: 'HTTPS',
        port: 443,
        allowedRoutes: SAME_NAMESPACE,
        tls: { mode: 'Terminate', certificateRefs: [{ group: '', kind: 'Secret', name: props.tls.secretName }] },
      });
    }
    new ModelObject<IGateway>(this, 'Gateway', {
      apiVersion: 'gateway.networking.k8s.io/v1', kind: 'Gateway', metadata: { name: GATEWAY_NAME }, spec: { gatewayClassName: className, listeners },
    });

    if (!props.tls) {
      this.route('Route', GATEWAY_NAME, hosts, [this.parent(HTTP_LISTENER)], this.appRules(props));
      return;
    }
    this.route('Route', GATEWAY_NAME, hosts, [this.parent(HTTPS_LISTENER)], this.appRules(props));
    // Without a port, the redirect goes to the scheme's well-known one, 443 (HTTPRequestRedirectFilter.Port).
    this.route('Redirect', `${GATEWAY_NAME}-https-redirect`, hosts, [this.parent(HTTP_LISTENER)], [{
      // Every path: the CRD's default match, written out (see DEFAULTED).
      matches: [{ path: { type: 'PathPrefix', value: '/' } }],
      filters: [{ type: 'RequestRedirect', requestRedirect: { scheme: 'https', statusCode: 301 } }],
    }]);
  }

  private parent(sectionName: string | undefined): ParentRef {
    return {
      group: 'gateway.networking.k8s.io',
      kind: 'Gateway',
      name: this.gateway.name,
      ...(this.gateway.namespace !== undefined ? { namespace: this.gateway.namespace } : {}),
      ...(sectionName !== undefined ? { sectionName } : {}),
    };
  }

  private appRules(props: GatewayRouteProps): NonNullable<IHTTPRoute['spec']['rules']> {
    // group "" (core) and weight 1: the CRD's defaults, written out (see DEFAULTED).
    const backend = (endpoint: IEndpoint) => ({ group: '', kind: 'Service', name: endpoint.service.name, port: endpoint.port, weight: 1 });
    return [
      {
        // PathPrefix matches whole path elements: /api, /api/ and /api/values/all, but not /apifoo.
        matches: [{ path: { type: 'PathPrefix', value: '/api' } }],
        // The server serves /values/*, the client calls /api/values/*: the prefix goes, as the Ingress's rewrite does.
        filters: [{ type: 'URLRewrite', urlRewrite: { path: { type: 'ReplacePrefixMatch', replacePrefixMatch: '/' } } }],
        backendRefs: [backend(props.server)],
      },
      {
        matches: [{ path: { type: 'PathPrefix', value: '/' } }],
        backendRefs: [backend(props.client)],
      },
    ];
  }

  private route(id: string, name: string, hosts: readonly string[], parentRefs: ParentRef[], rules: NonNullable<IHTTPRoute['spec']['rules']>): void {
    new ModelObject<IHTTPRoute>(this, id, {
      apiVersion: 'gateway.networking.k8s.io/v1',
      kind: 'HTTPRoute',
      metadata: { name },
      spec: { parentRefs, ...(hosts.length > 0 ? { hostnames: [...hosts] } : {}), rules },
    });
  }
}

function isHostname(host: string): boolean {
  return isDnsSubdomain(host.startsWith('*.') ? host.slice(2) : host) && !/^[0-9.]+$/.test(host);
}
