import { KubeObject } from '../../../lib/validate/problem';
import { expectOnly } from '../../helpers';
import { BreakCase, breakValid, the } from '../../support/valid-fixtures';

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

describe('Ingress rules (networking ValidateIngressSpec)', () => {
  test.each(CASES)('%s is reported, and nothing else', (_what, breakIt, object, p, message) => {
    expectOnly(breakValid(breakIt), { check: 'api', object, path: p, message });
  });

  test('an ImplementationSpecific path may be empty', () => {
    expect(breakValid((o) => { Object.assign(path(o), { pathType: 'ImplementationSpecific', path: '' }); })).toEqual([]);
  });
});
