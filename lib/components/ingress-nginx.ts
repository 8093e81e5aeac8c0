import * as kplus from 'cdk8s-plus-27';
import { Construct } from 'constructs';
import { IEndpoint } from './contracts';
import { isDnsSubdomain } from '../validate/names';

export interface IngressNginxProps {
  /** The client; every path the API does not take goes to it. */
  readonly client: IEndpoint;
  /** The API server; /api/* goes to it with the /api prefix removed. */
  readonly server: IEndpoint;
  /** The IngressClass of the ingress-nginx controller. @default "nginx" */
  readonly className?: string;
  /** The one host it answers for. @default - any host */
  readonly host?: string;
}

/** The Ingress for ingress-nginx: / to the client, /api/ to the server. */
export class IngressNginx extends Construct {
  /** The Ingress. */
  public readonly ingress: kplus.Ingress;

  constructor(scope: Construct, id: string, props: IngressNginxProps) {
    super(scope, id);
    const className = props.className ?? 'nginx';
    if (!isDnsSubdomain(className)) {
      throw new Error(`IngressNginx className "${className}" is not a valid IngressClass name: allowed are lowercase a-z 0-9 - . (DNS subdomain)`);
    }
    this.ingress = new kplus.Ingress(this, 'Ingress', {
      metadata: {
        name: 'ingress-service',
        annotations: {
          'nginx.ingress.kubernetes.io/use-regex': 'true',
          // The server serves /values/*, the client calls /api/values/*: the first group is forwarded.
          'nginx.ingress.kubernetes.io/rewrite-target': '/$1',
        },
      },
      className,
    });
    // Regex paths need ImplementationSpecific: ingress-nginx's admission webhook rejects them as Prefix.
    const regex = kplus.HttpIngressPathType.IMPLEMENTATION_SPECIFIC;
    const route = (path: string, backend: kplus.IngressBackend) => (props.host
      ? this.ingress.addHostRule(props.host, path, backend, regex)
      : this.ingress.addRule(path, backend, regex));
    route('/?(.*)', kplus.IngressBackend.fromService(props.client.service, { port: props.client.port }));
    route('/api/?(.*)', kplus.IngressBackend.fromService(props.server.service, { port: props.server.port }));
  }
}
