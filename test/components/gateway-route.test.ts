import { validateManifests } from '../../lib/validate';
import { KubeObject } from '../../lib/validate/problem';
import { Chart } from 'cdk8s';
import { ApiServer } from '../../lib/components/api-server';
import { ClientApp } from '../../lib/components/client-app';
import { GatewayRoute, GatewayRouteProps } from '../../lib/components/gateway-route';
import { Postgres } from '../../lib/components/postgres';
import { Redis } from '../../lib/components/redis';
import { ProvidedCertificate } from '../../lib/components/tls';
import { defaultObjects, find, testApp } from '../helpers';
import { HttpRequest, Outcome, routeThroughGateway } from '../support/gateway-api-model';
import { routeThroughIngress } from '../support/ingress-nginx-model';
import { describeWithCluster, describeWithCrds } from '../support/envtest';

const COURSE = { HOSTS: 'k8s-multi.com,www.k8s-multi.com', ACME_EMAIL: 'ops@k8s-multi.com' };
// Rendered inside each test (test/helpers.ts): mutation testing credits the tests that use them.
const https = () => defaultObjects({ ...COURSE, ROUTING: 'gateway' });
const plain = () => defaultObjects({ ROUTING: 'gateway' });
const gateway = { name: 'multi-k8s' };
const client = (path: string): Outcome => ({ backend: 'client-cluster-ip-service', port: 3000, path });
const server = (path: string): Outcome => ({ backend: 'server-cluster-ip-service', port: 5000, path });
const get = (scheme: HttpRequest['scheme'], host: string, path: string): HttpRequest => ({ scheme, host, path });

// Each request, and where the app's routes must send it; `/apifoo` is the one the two differ on.
const REQUESTS: [string, Outcome, Outcome][] = [
  ['/', client('/'), client('/')],
  ['/index.html', client('/index.html'), client('/index.html')],
  ['/static/js/main.js', client('/static/js/main.js'), client('/static/js/main.js')],
  ['/api', server('/'), server('/')],
  ['/api/', server('/'), server('/')],
  ['/api/values/all', server('/values/all'), server('/values/all')],
  ['/api/values/current', server('/values/current'), server('/values/current')],
  // A path element: the Gateway's PathPrefix /api does not take /apifoo; the Ingress's regex ^/api/?(.*) does.
  ['/apifoo', client('/apifoo'), server('/foo')],
];

describe('GatewayRoute, request by request', () => {
  test.each(REQUESTS)('HTTPS %s', (path, expected) => {
    for (const host of ['k8s-multi.com', 'www.k8s-multi.com']) {
      expect(routeThroughGateway(https(), gateway, get('https', host, path))).toEqual(expected);
    }
  });

  test.each(REQUESTS)('plain HTTP with TLS on: %s is redirected to HTTPS with 301', (path) => {
    expect(routeThroughGateway(https(), gateway, get('http', 'www.k8s-multi.com', path)))
      .toEqual({ redirect: 301, location: `https://www.k8s-multi.com${path}` });
  });

  test('a host that is not in HOSTS gets no route', () => {
    expect(routeThroughGateway(https(), gateway, get('https', 'other.example.com', '/'))).toHaveProperty('notFound');
    expect(routeThroughGateway(https(), gateway, get('http', 'other.example.com', '/'))).toHaveProperty('notFound');
  });

  test('Let\'s Encrypt\'s HTTP-01 request reaches cert-manager\'s solver route, not the redirect', () => {
    // The HTTPRoute cert-manager creates for a challenge (pkg/issuer/acme/http/httproute.go
    // generateHTTPRouteSpec): the issuer's parentRefs, the domain, an Exact path of the token.
    const issuer = find(https(), 'ClusterIssuer', 'letsencrypt-prod');
    const solver = {
      apiVersion: 'gateway.networking.k8s.io/v1', kind: 'HTTPRoute', metadata: { name: 'cm-acme-http-solver-x' },
      spec: {
        parentRefs: issuer.spec.acme.solvers[0].http01.gatewayHTTPRoute.parentRefs,
        hostnames: ['k8s-multi.com'],
        rules: [{ matches: [{ path: { type: 'Exact', value: '/.well-known/acme-challenge/t0k3n' } }], backendRefs: [{ name: 'cm-acme-http-solver-x', port: 8089 }] }],
      },
    };
    expect(routeThroughGateway([...https(), solver], gateway, get('http', 'k8s-multi.com', '/.well-known/acme-challenge/t0k3n')))
      .toEqual({ backend: 'cm-acme-http-solver-x', port: 8089, path: '/.well-known/acme-challenge/t0k3n' });
    expect(routeThroughGateway([...https(), solver], gateway, get('http', 'k8s-multi.com', '/'))).toEqual({ redirect: 301, location: 'https://k8s-multi.com/' });
  });

  test.each(REQUESTS)('without HOSTS, plain HTTP on any host: %s', (path, expected) => {
    expect(routeThroughGateway(plain(), gateway, get('http', '192.168.49.2', path))).toEqual(expected);
    expect(routeThroughGateway(plain(), gateway, get('https', '192.168.49.2', path))).toHaveProperty('notFound');
  });
});

describe('the regex Ingress, request by request: the same but for /apifoo', () => {
  const ingress = () => find(defaultObjects(), 'Ingress', 'ingress-service');
  const ingressTls = () => find(defaultObjects(COURSE), 'Ingress', 'ingress-service');

  test.each(REQUESTS)('%s', (path, _gateway, expected) => {
    expect(routeThroughIngress(ingress(), get('http', '192.168.49.2', path))).toEqual(expected);
    expect(routeThroughIngress(ingressTls(), get('https', 'k8s-multi.com', path))).toEqual(expected);
  });

  test('the two differ exactly on /apifoo', () => {
    const differing = REQUESTS.filter(([path]) => JSON.stringify(routeThroughGateway(https(), gateway, get('https', 'k8s-multi.com', path)))
      !== JSON.stringify(routeThroughIngress(ingressTls(), get('https', 'k8s-multi.com', path))));
    expect(differing.map(([path]) => path)).toEqual(['/apifoo']);
  });

  test('plain HTTP with TLS on is redirected to HTTPS (ingress-nginx answers 308)', () => {
    expect(routeThroughIngress(ingressTls(), get('http', 'www.k8s-multi.com', '/api/values/all')))
      .toEqual({ redirect: 308, location: 'https://www.k8s-multi.com/api/values/all' });
  });
});

describe('GatewayRoute', () => {
  test('creates Gateway multi-k8s of the configured class, HTTP on 80 and, with TLS, HTTPS on 443 with the Certificate\'s Secret', () => {
    expect(find(plain(), 'Gateway', 'multi-k8s').spec).toEqual({ gatewayClassName: 'eg', listeners: [{ name: 'http', protocol: 'HTTP', port: 80, allowedRoutes: { namespaces: { from: 'Same' } } }] });
    const withTls = find(defaultObjects({ ...COURSE, ROUTING: 'gateway', GATEWAY_CLASS: 'gke-l7-global-external-managed' }), 'Gateway', 'multi-k8s');
    expect(withTls.apiVersion).toBe('gateway.networking.k8s.io/v1');
    expect(withTls.spec.gatewayClassName).toBe('gke-l7-global-external-managed');
    expect(withTls.spec.listeners.find((l: any) => l.name === 'https')).toEqual({
      name: 'https', protocol: 'HTTPS', port: 443, allowedRoutes: { namespaces: { from: 'Same' } }, tls: { mode: 'Terminate', certificateRefs: [{ group: '', kind: 'Secret', name: 'k8s-multi-com' }] },
    });
  });

  test('attaches to a shared GATEWAY by namespace, creating no Gateway; it routes once the Gateway allows routes from other namespaces', () => {
    const objects = defaultObjects({ PREVIEWS: 'pr-1', ROUTING: 'gateway', GATEWAY: 'infra/shared' });
    expect(objects.filter((o) => o.kind === 'Gateway')).toEqual([]);
    const route = find(objects, 'HTTPRoute', 'multi-k8s');
    expect(route.metadata.namespace).toBe('pr-1');
    expect(route.spec.parentRefs).toEqual([{ group: 'gateway.networking.k8s.io', kind: 'Gateway', name: 'shared', namespace: 'infra' }]);
    const platform = (from?: string) => ({
      apiVersion: 'gateway.networking.k8s.io/v1', kind: 'Gateway', metadata: { name: 'shared', namespace: 'infra' },
      spec: { gatewayClassName: 'eg', listeners: [{ name: 'http', protocol: 'HTTP', port: 80, ...(from ? { allowedRoutes: { namespaces: { from } } } : {}) }] },
    });
    const request = get('http', 'pr-1.preview.multi-k8s.local', '/api/values/all');
    expect(routeThroughGateway([...objects, platform('All')], { namespace: 'infra', name: 'shared' }, request)).toEqual(server('/values/all'));
    expect(routeThroughGateway([...objects, platform()], { namespace: 'infra', name: 'shared' }, request)).toHaveProperty('notFound');
  });

  test('every object it writes passes the validator\'s Gateway API schemas (@kubernetes-models/gateway-api)', () => {
    const objects = [...https(), ...plain()].filter((o) => o.apiVersion === 'gateway.networking.k8s.io/v1');
    expect(objects.map((o) => o.kind).sort()).toEqual(['Gateway', 'Gateway', 'HTTPRoute', 'HTTPRoute', 'HTTPRoute']);
    const schema = (list: KubeObject[]) => validateManifests(list.map((object) => ({ file: 'x.yaml', object })), { checks: ['schema'] });
    expect(schema(objects)).toEqual([]);
    const broken = structuredClone(find(https(), 'HTTPRoute', 'multi-k8s'));
    broken.spec.rules[0].filters[0].urlRewrite.path.type = 'ReplacePrefix';
    expect(schema([broken]).map((p) => p.path)).toContain('spec.rules[0].filters[0].urlRewrite.path.type');
  });

  describe('as a construct', () => {
    const setup = () => {
      const chart = new Chart(testApp(), 'c');
      const c = new ClientApp(chart, 'Client', { image: 'c:1' });
      const s = new ApiServer(chart, 'Server', { image: 's:1', postgres: new Postgres(chart, 'Pg'), redis: new Redis(chart, 'Redis') });
      return { chart, client: c, server: s };
    };

    test('takes its backends from the ClientApp and ApiServer it is given', () => {
      const { chart, client: c, server: s } = setup();
      new GatewayRoute(chart, 'Route', { client: c, server: s });
      const route = chart.toJson().find((o: any) => o.kind === 'HTTPRoute');
      expect(route.spec.rules.flatMap((r: any) => r.backendRefs)).toEqual([
        { group: '', kind: 'Service', name: s.service.name, port: s.port, weight: 1 },
        { group: '', kind: 'Service', name: c.service.name, port: c.port, weight: 1 },
      ]);
    });

    test.each([
      [{ gatewayClassName: 'Envoy_Gateway' }, 'GatewayRoute gatewayClassName "Envoy_Gateway" is not a GatewayClass name: allowed are lowercase a-z 0-9 - . (DNS subdomain)'],
      [{ hosts: ['a.example.com', 'b.example.com'], tls: new ProvidedCertificate('a-tls', ['a.example.com']) }, 'GatewayRoute host "b.example.com" is not among the certificate\'s hosts (a.example.com): allowed are only hosts the certificate covers'],
      [{ hosts: [], tls: new ProvidedCertificate('a-tls', ['a.example.com']) }, 'GatewayRoute host "*" is not among the certificate\'s hosts (a.example.com)'],
      [{ tls: new ProvidedCertificate('a-tls', ['a.example.com']), existingGateway: { namespace: 'infra', name: 'shared' } }, 'GatewayRoute tls with an existingGateway'],
      [{ hosts: ['Bad_Host'] }, 'GatewayRoute host "Bad_Host" is not a hostname'],
      [{ existingGateway: { namespace: 'Infra', name: 'shared' } }, 'GatewayRoute existingGateway "Infra/shared" is not a Gateway reference'],
    ])('refuses %j', (props, message) => {
      const { chart, client: c, server: s } = setup();
      expect(() => new GatewayRoute(chart, 'Route', { client: c, server: s, ...props })).toThrow(message);
    });
  });
});

// Mutation survivors (issue 21): each test names the output or message a changed line would alter.
describe('GatewayRoute, output field by field', () => {
  const build = (props: Partial<GatewayRouteProps> = {}) => {
    const chart = new Chart(testApp(), 'c');
    const c = new ClientApp(chart, 'Client', { image: 'c:1' });
    const s = new ApiServer(chart, 'Server', { image: 's:1', postgres: new Postgres(chart, 'Pg'), redis: new Redis(chart, 'Redis') });
    new GatewayRoute(chart, 'Route', { client: c, server: s, ...props });
    const objects: KubeObject[] = chart.toJson();
    return { objects, route: (name = 'multi-k8s') => find(objects, 'HTTPRoute', name), client: c, server: s };
  };

  test('the app route\'s rules: /api to the server with the prefix replaced by /, every other path to the client', () => {
    const { route, client: c, server: s } = build();
    expect(route().spec.rules).toEqual([
      {
        matches: [{ path: { type: 'PathPrefix', value: '/api' } }],
        filters: [{ type: 'URLRewrite', urlRewrite: { path: { type: 'ReplacePrefixMatch', replacePrefixMatch: '/' } } }],
        backendRefs: [{ group: '', kind: 'Service', name: s.service.name, port: s.port, weight: 1 }],
      },
      {
        matches: [{ path: { type: 'PathPrefix', value: '/' } }],
        backendRefs: [{ group: '', kind: 'Service', name: c.service.name, port: c.port, weight: 1 }],
      },
    ]);
  });

  test('without hosts the route has no hostnames field (any host), not an empty list', () => {
    const spec = build().route().spec;
    expect(Object.keys(spec).sort()).toEqual(['parentRefs', 'rules']);
    expect(spec.parentRefs).toEqual([{ group: 'gateway.networking.k8s.io', kind: 'Gateway', name: 'multi-k8s', sectionName: 'http' }]);
  });

  test('with TLS, the redirect route sends every path (PathPrefix /) of the hosts to HTTPS with 301, from the HTTP listener', () => {
    const { route } = build({ tls: new ProvidedCertificate('a-tls', ['a.example.com']) });
    expect(route('multi-k8s-https-redirect').spec).toEqual({
      parentRefs: [{ group: 'gateway.networking.k8s.io', kind: 'Gateway', name: 'multi-k8s', sectionName: 'http' }],
      hostnames: ['a.example.com'],
      rules: [{
        matches: [{ path: { type: 'PathPrefix', value: '/' } }],
        filters: [{ type: 'RequestRedirect', requestRedirect: { scheme: 'https', statusCode: 301 } }],
      }],
    });
    expect(route().spec.parentRefs).toEqual([{ group: 'gateway.networking.k8s.io', kind: 'Gateway', name: 'multi-k8s', sectionName: 'https' }]);
  });

  test('an existing Gateway without a namespace (the route\'s own) is referenced by name only, with no section', () => {
    const { objects, route } = build({ existingGateway: { name: 'shared' } });
    expect(objects.filter((o) => o.kind === 'Gateway')).toEqual([]);
    expect(route().spec.parentRefs).toEqual([{ group: 'gateway.networking.k8s.io', kind: 'Gateway', name: 'shared' }]);
    expect(Object.keys(route().spec.parentRefs[0]).sort()).toEqual(['group', 'kind', 'name']);
  });

  // sigs.k8s.io/gateway-api apis/v1 shared_types.go Hostname: a DNS subdomain with an optional leading "*.", and not an IP.
  test.each([
    ['*.example.com'], ['localhost'], ['1a.example.com'], ['host.1'], ['www.k8s-multi.com'],
  ])('accepts the hostname %s', (host) => {
    expect(build({ hosts: [host] }).route().spec.hostnames).toEqual([host]);
  });

  test.each([
    ['10.0.0.1'], ['1'], ['*.*.example.com'], ['example.com*.'], ['a*.example.com'],
  ])('refuses the hostname %s', (host) => {
    expect(() => build({ hosts: [host] })).toThrow(`GatewayRoute host "${host}" is not a hostname: allowed are lowercase a-z 0-9 - . with an optional leading "*."`);
  });

  test('the refusals name the certificate\'s hosts, comma separated, and an existing Gateway without a namespace as "/name"', () => {
    expect(() => build({ hosts: ['c.example.com'], tls: new ProvidedCertificate('ab-tls', ['a.example.com', 'b.example.com']) }))
      .toThrow('GatewayRoute host "c.example.com" is not among the certificate\'s hosts (a.example.com, b.example.com): allowed are only hosts the certificate covers');
    expect(() => build({ existingGateway: { name: 'Shared_Gateway' } }))
      .toThrow('GatewayRoute existingGateway "/Shared_Gateway" is not a Gateway reference: allowed is a namespace (DNS label) and a name (DNS subdomain)');
  });
});

// The hostname rule against the HTTPRoute CRD's own schema (gateway-api v1.6.1, httproutes spec.hostnames items).
describeWithCluster('GatewayRoute hostnames on a real API server', (cluster) => describeWithCrds('with the Gateway API CRDs', ['gateway-api-v1.6.1'], (crds) => {
  beforeAll(async () => {
    await cluster().installCrds(crds['gateway-api-v1.6.1']);
  }, 120000);

  const routeWith = (hosts: string[]) => {
    const chart = new Chart(testApp(), 'c');
    const c = new ClientApp(chart, 'Client', { image: 'c:1' });
    const s = new ApiServer(chart, 'Server', { image: 's:1', postgres: new Postgres(chart, 'Pg'), redis: new Redis(chart, 'Redis') });
    new GatewayRoute(chart, 'Route', { client: c, server: s, hosts: ['placeholder.example.com'] });
    const route = find(chart.toJson(), 'HTTPRoute', 'multi-k8s');
    route.spec.hostnames = hosts;
    return route;
  };
  // The status, and for a refusal whether the server names the hostnames field (not some other field).
  const dryRun = async (ns: string, hosts: string[]) => {
    const answer = await cluster().request('POST', `/apis/gateway.networking.k8s.io/v1/namespaces/${ns}/httproutes?dryRun=All&fieldValidation=Strict`, routeWith(hosts));
    return answer.status === 201 ? 201 : `${answer.status}${answer.body.includes('spec.hostnames[0]') ? ' spec.hostnames[0]' : ''}`;
  };

  test('the hostnames the construct accepts, the server accepts; the malformed ones it refuses, the server refuses', async () => {
    const ns = await cluster().namespace('gw-hosts');
    for (const host of ['*.example.com', 'localhost', '1a.example.com', 'host.1', 'www.k8s-multi.com']) {
      expect({ host, status: await dryRun(ns, [host]) }).toEqual({ host, status: 201 });
    }
    for (const host of ['*.*.example.com', 'example.com*.', 'a*.example.com', 'Bad_Host']) {
      expect({ host, status: await dryRun(ns, [host]) }).toEqual({ host, status: '422 spec.hostnames[0]' });
    }
  });

  test('an IP address passes the CRD\'s pattern: only the field\'s documentation ("IPs are not allowed") forbids it, so the construct\'s own check is what refuses it', async () => {
    const ns = await cluster().namespace('gw-hosts');
    expect(await dryRun(ns, ['10.0.0.1'])).toBe(201);
  });
}));
