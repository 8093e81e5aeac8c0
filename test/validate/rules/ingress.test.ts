import { KubeObject } from '../../../lib/validate/problem';
import { SUBDOMAIN_RULE } from '../../../lib/validate/rules/common';
import { expectOnly } from '../../helpers';
import { apiRulesOf, BreakCase, breakValid, the } from '../../support/valid-fixtures';

const ing = (o: KubeObject[]) => the(o, 'Ingress', 'web');
const path = (o: KubeObject[], i = 0) => ing(o).spec.rules[0].http.paths[i];
const P = 'spec.rules[0].http.paths[0]';

// networking ValidateIngressSpec; [what is broken, how, object, path, message]
const CASES: BreakCase[] = [
  ['an Ingress with neither rules nor a default backend', (o) => { delete ing(o).spec.rules; }, 'Ingress/web', 'spec', /^the Ingress has neither rules nor a defaultBackend$/],
  ['a host that is an IP address', (o) => { ing(o).spec.rules[0].host = '203.0.113.10'; }, 'Ingress/web', 'spec.rules[0].host', /^host "203.0.113.10" is an IP address$/],
  ['a host with an underscore', (o) => { ing(o).spec.rules[0].host = 'shop_web.example.com'; }, 'Ingress/web', 'spec.rules[0].host', /^host "shop_web.example.com" is not a DNS name$/],
  ['a rule with no paths', (o) => { ing(o).spec.rules[0].http.paths = []; }, 'Ingress/web', 'spec.rules[0].http.paths', /^the rule has no paths$/],
  ['a Prefix path with a double slash', (o) => { path(o).path = '/api//v1'; }, 'Ingress/web', `${P}.path`, /^path "\/api\/\/v1" contains "\/\/"$/],
  ['an Exact path ending in /.', (o) => { path(o, 1).path = '/healthz/.'; }, 'Ingress/web', 'spec.rules[0].http.paths[1].path', /^path "\/healthz\/." contains "\/."$/],
  ['a relative ImplementationSpecific path', (o) => { Object.assign(path(o), { pathType: 'ImplementationSpecific', path: 'api' }); }, 'Ingress/web', `${P}.path`, /^path "api" is not absolute$/],
  ['a backend port with both name and number', (o) => { path(o).backend.service.port.number = 80; }, 'Ingress/web', `${P}.backend.service.port`, /^the backend port sets both name and number$/],
  ['a backend with both service and resource', (o) => { path(o).backend.resource = { apiGroup: 'example.com', kind: 'Bucket', name: 'static' }; }, 'Ingress/web', `${P}.backend`, /^the backend sets both service and resource$/],
  ['a TLS host with an underscore', (o) => { ing(o).spec.tls[0].hosts = ['shop_web.example.com']; }, 'Ingress/web', 'spec.tls[0].hosts[0]', /^host "shop_web.example.com" is not a DNS name$/],
];

const regexOn = (o: KubeObject[]) => { ing(o).metadata.annotations = { 'nginx.ingress.kubernetes.io/use-regex': 'true' }; };

// Changes that may also break links (the backend a path reaches): judged by the API rules alone.
const API_ONLY_CASES: BreakCase[] = [
  ['an ingressClassName that is not a DNS subdomain', (o) => { ing(o).spec.ingressClassName = 'Nginx_Class'; }, 'Ingress/web', 'spec.ingressClassName', /^IngressClass name "Nginx_Class" is not valid$/],
  ['a default backend with neither service nor resource', (o) => { ing(o).spec.defaultBackend = {}; }, 'Ingress/web', 'spec.defaultBackend', /^the backend sets neither service nor resource$/],
  ['a default backend with both service and resource', (o) => { ing(o).spec.defaultBackend = { service: { name: 'web', port: { number: 80 } }, resource: { kind: 'Bucket', name: 'static' } }; }, 'Ingress/web', 'spec.defaultBackend', /^the backend sets both service and resource$/],
  ['a pathType outside the enum', (o) => { path(o).pathType = 'Regex'; }, 'Ingress/web', `${P}.pathType`, /^pathType "Regex" is not valid$/],
  ['a relative Prefix path', (o) => { path(o).path = 'api'; }, 'Ingress/web', `${P}.path`, /^path "api" is not absolute$/],
  ['a Prefix path without a path', (o) => { delete path(o).path; }, 'Ingress/web', `${P}.path`, /^path "" is not absolute$/],
  ['a Prefix path with /./', (o) => { path(o).path = '/a/./b'; }, 'Ingress/web', `${P}.path`, /^path "\/a\/.\/b" contains "\/.\/"$/],
  ['a Prefix path with /../', (o) => { path(o).path = '/a/../b'; }, 'Ingress/web', `${P}.path`, /^path "\/a\/..\/b" contains "\/..\/"$/],
  ['a Prefix path with %2f', (o) => { path(o).path = '/a%2fb'; }, 'Ingress/web', `${P}.path`, /^path "\/a%2fb" contains "%2f"$/],
  ['a Prefix path with %2F', (o) => { path(o).path = '/a%2Fb'; }, 'Ingress/web', `${P}.path`, /^path "\/a%2Fb" contains "%2F"$/],
  ['an Exact path ending in /..', (o) => { path(o, 1).path = '/healthz/..'; }, 'Ingress/web', 'spec.rules[0].http.paths[1].path', /^path "\/healthz\/.." contains "\/.."$/],
  ['a regex Prefix path with use-regex on', (o) => { regexOn(o); path(o).path = '/api/(.*)'; }, 'Ingress/web', `${P}.pathType`, /^regex path "\/api\/\(\.\*\)" with pathType Prefix: ingress-nginx's admission webhook rejects it$/],
  ['a regex Exact path with use-regex on', (o) => { regexOn(o); path(o, 1).path = '/healthz$'; }, 'Ingress/web', 'spec.rules[0].http.paths[1].pathType', /^regex path "\/healthz\$" with pathType Exact/],
  ['a rule whose http holds no paths list', (o) => { delete ing(o).spec.rules[0].http.paths; }, 'Ingress/web', 'spec.rules[0].http.paths', /^the rule has no paths$/],
  ['a backend Service name that is not a DNS-1035 label', (o) => { path(o).backend.service.name = 'Web'; }, 'Ingress/web', `${P}.backend.service.name`, /^Service name "Web" is not valid$/],
  ['a backend port with neither name nor number', (o) => { path(o).backend.service.port = {}; }, 'Ingress/web', `${P}.backend.service.port`, /^the backend port has neither name nor number$/],
  ['a backend without a port', (o) => { delete path(o).backend.service.port; }, 'Ingress/web', `${P}.backend.service.port`, /^the backend port has neither name nor number$/],
  ['a backend port with an empty name and number 0', (o) => { path(o).backend.service.port = { name: '', number: 0 }; }, 'Ingress/web', `${P}.backend.service.port`, /^the backend port has neither name nor number$/],
  ['a backend port name that is not valid', (o) => { path(o).backend.service.port.name = 'HTTP_port'; }, 'Ingress/web', `${P}.backend.service.port.name`, /^port name "HTTP_port" is not valid$/],
  ['a backend port number out of range', (o) => { path(o, 1).backend.service.port.number = 70000; }, 'Ingress/web', 'spec.rules[0].http.paths[1].backend.service.port.number', /^port 70000 is out of range$/],
  ['a wildcard host whose rest is not a DNS name', (o) => { ing(o).spec.rules[0].host = '*.shop_web.example.com'; }, 'Ingress/web', 'spec.rules[0].host', /^host "\*.shop_web.example.com" is not a DNS name$/],
  ['a host with a wildcard inside it', (o) => { ing(o).spec.rules[0].host = 'shop.*.example.com'; }, 'Ingress/web', 'spec.rules[0].host', /^host "shop.\*.example.com" is not a DNS name$/],
  ['a TLS host that is an IP address', (o) => { ing(o).spec.tls[0].hosts = ['2001:db8::1']; }, 'Ingress/web', 'spec.tls[0].hosts[0]', /^host "2001:db8::1" is an IP address$/],
  ['a TLS secretName that is not a DNS subdomain', (o) => { ing(o).spec.tls[0].secretName = 'Web_TLS'; }, 'Ingress/web', 'spec.tls[0].secretName', /^Secret name "Web_TLS" is not valid$/],
];

describe('Ingress rules (networking ValidateIngressSpec)', () => {
  test.each(CASES)('%s is reported, and nothing else', (_what, breakIt, object, p, message) => {
    expectOnly(breakValid(breakIt), { check: 'api', object, path: p, message });
  });

  test.each(API_ONLY_CASES)('%s is reported by the API rules, and nothing else by them', (_what, breakIt, object, p, message) => {
    expectOnly(breakValid(breakIt, ['api']), { check: 'api', object, path: p, message });
  });

  test('an ImplementationSpecific path may be empty', () => {
    expect(breakValid((o) => { Object.assign(path(o), { pathType: 'ImplementationSpecific', path: '' }); })).toEqual([]);
  });
  test.each([
    ['a default backend instead of rules', (o: KubeObject[]) => { ing(o).spec.defaultBackend = { service: { name: 'web', port: { number: 80 } } }; delete ing(o).spec.rules; }],
    ['a backend that is a resource', (o: KubeObject[]) => { path(o).backend = { resource: { apiGroup: 'example.com', kind: 'Bucket', name: 'static' } }; }],
    ['a null ingressClassName', (o: KubeObject[]) => { ing(o).spec.ingressClassName = null; }],
    ['a rule host that is empty or null', (o: KubeObject[]) => { ing(o).spec.rules[0].host = ''; ing(o).spec.rules.push({ host: null, http: { paths: [{ path: '/', pathType: 'Prefix', backend: { service: { name: 'web', port: { number: 80 } } } }] } }); }],
    ['a rule with a host and no http', (o: KubeObject[]) => { ing(o).spec.rules.push({ host: 'static.example.com' }); }],
    ['a path without a pathType (the schema check requires it)', (o: KubeObject[]) => { delete path(o).pathType; path(o).path = 'api//v1'; }],
    ['an absolute ImplementationSpecific path with // in it', (o: KubeObject[]) => { Object.assign(path(o), { pathType: 'ImplementationSpecific', path: '/api//v1' }); }],
    ['a Prefix path with a dot that is no segment', (o: KubeObject[]) => { path(o).path = '/.well-known/x.'; }],
    ['a regex Prefix path with use-regex off', (o: KubeObject[]) => { ing(o).metadata.annotations = { 'nginx.ingress.kubernetes.io/use-regex': 'false' }; path(o).path = '/api/(.*)'; }],
    ['a regex ImplementationSpecific path with use-regex on', (o: KubeObject[]) => { regexOn(o); Object.assign(path(o), { pathType: 'ImplementationSpecific', path: '/api/(.*)' }); }],
    ['a plain Prefix path with use-regex on', (o: KubeObject[]) => { regexOn(o); path(o).path = '/api-v1.0/x_y'; }],
    ['a TLS entry without a secretName or with an empty one', (o: KubeObject[]) => { delete ing(o).spec.tls[0].secretName; ing(o).spec.tls.push({ hosts: ['shop.example.com'], secretName: '' }); }],
    ['a null pathType (the schema check requires one)', (o: KubeObject[]) => { path(o).pathType = null; }],
    ['a path without a backend (the schema check requires one)', (o: KubeObject[]) => { delete path(o).backend; }],
    ['a backend Service without a name (the schema check requires one)', (o: KubeObject[]) => { delete path(o).backend.service.name; }],
    ['a TLS entry without hosts (it then covers every host of the rules)', (o: KubeObject[]) => { delete ing(o).spec.tls[0].hosts; }],
    ['null entries in the rule, path and TLS lists (the schema check reports them)', (o: KubeObject[]) => {
      ing(o).spec.rules.push(null);
      ing(o).spec.rules[0].http.paths.push(null);
      ing(o).spec.tls.push(null);
    }],
  ])('%s passes: the API server accepts it', (_what, change) => {
    expect(breakValid(change, ['api'])).toEqual([]);
    expect(apiRulesOf(change)).toEqual([]);
  });
  test('an Ingress without metadata is judged by its spec like any other (the schema check requires metadata)', () => {
    const problems = apiRulesOf((o) => {
      const ingress = ing(o);
      ingress.spec.rules[0].host = 'shop_web.example.com';
      delete ingress.metadata;
    });
    expect(problems.filter((p) => p.path.startsWith('spec'))).toEqual([expect.objectContaining({ path: 'spec.rules[0].host', message: 'host "shop_web.example.com" is not a DNS name' })]);
  });
  // What each finding says is allowed, for the one who fixes it.
  test.each([
    ['neither rules nor a default backend', (o: KubeObject[]) => { delete ing(o).spec.rules; }, 'spec.rules or spec.defaultBackend'],
    ['a rule with no paths', (o: KubeObject[]) => { ing(o).spec.rules[0].http.paths = []; }, 'at least one path'],
    ['a pathType outside the enum', (o: KubeObject[]) => { path(o).pathType = 'Regex'; }, 'Exact, Prefix, ImplementationSpecific'],
    ['a relative Prefix path', (o: KubeObject[]) => { path(o).path = 'api'; }, 'a path starting with /'],
    ['a relative ImplementationSpecific path', (o: KubeObject[]) => { Object.assign(path(o), { pathType: 'ImplementationSpecific', path: 'api' }); }, 'a path starting with /'],
    ['a Prefix path with //', (o: KubeObject[]) => { path(o).path = '/a//b'; }, 'no //, /./, /../, %2f, %2F, trailing /.., trailing /. with pathType Prefix'],
    ['a regex Prefix path with use-regex on', (o: KubeObject[]) => { regexOn(o); path(o).path = '/api/(.*)'; }, 'pathType ImplementationSpecific for regex paths'],
    ['a host that is an address', (o: KubeObject[]) => { ing(o).spec.rules[0].host = '203.0.113.10'; }, 'a DNS name'],
    ['a host that is not a DNS name', (o: KubeObject[]) => { ing(o).spec.rules[0].host = 'a_b.example.com'; }, `${SUBDOMAIN_RULE}, or *. followed by one`],
    ['a backend with service and resource', (o: KubeObject[]) => { path(o).backend.resource = { kind: 'Bucket', name: 'static' }; }, 'one of service or resource'],
    ['a backend with neither', (o: KubeObject[]) => { path(o).backend = {}; }, 'a service (name and port)'],
    ['a backend port with name and number', (o: KubeObject[]) => { path(o).backend.service.port.number = 80; }, 'one of port.name or port.number'],
    ['a backend port with neither', (o: KubeObject[]) => { path(o).backend.service.port = {}; }, 'port.name or port.number'],
  ])('%s: the finding names what is allowed', (_what, breakIt, allowed) => {
    expect(breakValid(breakIt, ['api']).map((p) => p.allowed)).toEqual([allowed]);
  });
});

// The real API server (1.34) judges a missing spec as the zero value (test/validate/differential.test.ts).
test('an Ingress without a spec is refused: neither rules nor a defaultBackend', () => {
  const problems = apiRulesOf((o) => { o.push({ apiVersion: 'networking.k8s.io/v1', kind: 'Ingress', metadata: { name: 'empty', namespace: 'shop' } }); });
  expect(problems.map((p) => `${p.object} ${p.path}: ${p.message}`)).toEqual(['Ingress/empty spec: the Ingress has neither rules nor a defaultBackend']);
});

// port.number is an int32: null decodes to 0, which is no number.
test.each([
  ['a port name with a null number is the name alone', { name: 'http', number: null }, []],
  ['a null number alone is neither name nor number', { number: null }, ['spec.rules[0].http.paths[0].backend.service.port: the backend port has neither name nor number']],
])('%s', (_what, port, expected) => {
  const problems = apiRulesOf((o) => { path(o).backend.service.port = port; });
  expect(problems.map((p) => `${p.path}: ${p.message}`)).toEqual(expected);
});

// ingress-nginx's admission webhook is not the API server's: the server accepts the Ingress.
test('a regex Prefix path with use-regex on is a warning', () => {
  const problems = apiRulesOf((o) => {
    ing(o).metadata.annotations = { 'nginx.ingress.kubernetes.io/use-regex': 'true' };
    path(o).path = '/api/(.*)';
  });
  expect(problems.map((p) => `${p.path}: ${p.severity}`)).toEqual(['spec.rules[0].http.paths[0].pathType: warning']);
});
