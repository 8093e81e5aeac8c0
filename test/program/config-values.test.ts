/**
 * The values of the settings readHttps, readDataPlane, readRange and the image checks judge, at
 * their boundaries: each test names the rule it holds the code to, and asserts whole messages or
 * whole results (toStrictEqual where a key that should be absent could be present as undefined).
 */
import { AppConfig, ConfigError, readConfig, shownValue } from '../../lib/program/config';
import { SHA } from '../helpers';
import { describeWithCluster } from '../support/envtest';
import { configProblems } from '../support/config';

const noGit = () => undefined;
/** A run that gives no warning of its own: images under an owner of our own, at a commit. */
const BASE = { GIT_SHA: SHA, IMAGE_PREFIX: 'ghcr.io/acme' };

function configOf(env: NodeJS.ProcessEnv): AppConfig {
  return readConfig({ ...BASE, ...env }, noGit, () => false);
}

function problemsOf(env: NodeJS.ProcessEnv): readonly string[] {
  return configProblems({ ...BASE, ...env });
}

/** A DNS subdomain of exactly `length` characters: 63-character labels, then the rest. */
function dnsName(length: number): string {
  const labels: string[] = [];
  let left = length;
  while (left > 64) {
    labels.push('a'.repeat(63));
    left -= 64;
  }
  labels.push('b'.repeat(left));
  const name = labels.join('.');
  expect(name).toHaveLength(length);
  return name;
}

describe('HOSTS', () => {
  const NOT_DNS = 'which is not a DNS name: allowed is a comma-separated list of lowercase DNS names (a-z 0-9 - .), e.g. k8s-multi.com,www.k8s-multi.com';

  // k8s.io/kubernetes pkg/apis/networking/validation/validation.go validateIngressRules refuses a
  // host that parses as an IP; a name that only starts or ends with digits is a name.
  test('a name starting with an address (nip.io) or ending with digits is a host', () => {
    expect(configOf({ HOSTS: '10.0.0.1.nip.io,web-2', TLS: 'none' }).hosts).toEqual(['10.0.0.1.nip.io', 'web-2']);
  });

  test('an address is refused', () => {
    expect(problemsOf({ HOSTS: 'web-2,192.168.49.2', TLS: 'none' })).toEqual([`HOSTS has "192.168.49.2", ${NOT_DNS}`]);
  });

  // Stricter than the API server, which takes these as names: a browser reads a host of digits and
  // dots as an IPv4 address (WHATWG URL's host parser: 1.2.3 is 1.2.0.3, 123 is 0.0.0.123), so no
  // request would name them, and no public name is all digits (RFC 3696 section 2: no numeric TLD).
  test.each(['1.2.3', '123'])('%s, digits and dots only, is refused', (host) => {
    expect(problemsOf({ HOSTS: host, TLS: 'none' })).toEqual([`HOSTS has "${host}", ${NOT_DNS}`]);
  });

  // The Certificate is named "<first host>-tls", a DNS subdomain of at most 253 characters.
  test('with Let\'s Encrypt the first host may have 249 characters, not 250', () => {
    const longest = dnsName(249);
    expect(configOf({ HOSTS: longest, ACME_EMAIL: 'ops@k8s-multi.com' }).hosts).toEqual([longest]);
    expect(problemsOf({ HOSTS: dnsName(250), ACME_EMAIL: 'ops@k8s-multi.com' })).toEqual([
      'HOSTS starts with a host of 250 characters, which names the Certificate "<host>-tls": allowed is a first host of at most 249 characters',
    ]);
  });
});

describe('ACME_EMAIL', () => {
  const https = { HOSTS: 'k8s-multi.com' };
  const refused = (email: string) => `ACME_EMAIL=${shownValue(email)} is not an e-mail address: allowed is local@domain, e.g. ops@k8s-multi.com`;

  // RFC 5322's dot-atom: atoms of atext joined by single dots.
  test.each(['first.last@k8s-multi.com', 'a.b.c+tag@k8s-multi.com', "o'neil_ops-1@mail.k8s-multi.com"])('%s is an address', (email) => {
    expect(configOf({ ...https, ACME_EMAIL: email }).acmeEmail).toBe(email);
  });

  test.each(['.ops@k8s-multi.com', 'ops.@k8s-multi.com', 'o..ps@k8s-multi.com', '@k8s-multi.com', 'ops.k8s-multi.com', 'ops@k8s-multi', 'ops@K8S-multi.com.'])('%s is refused in one line', (email) => {
    expect(problemsOf({ ...https, ACME_EMAIL: email })).toEqual([refused(email)]);
  });

  // RFC 5321 4.5.3.1.3: a path of at most 256 octets, the address and its two angle brackets.
  test('an address may have 254 characters, not 255', () => {
    const longest = `ops@${dnsName(250)}`;
    expect(configOf({ ...https, ACME_EMAIL: longest }).acmeEmail).toBe(longest);
    const tooLong = `ops@${dnsName(251)}`;
    expect(problemsOf({ ...https, ACME_EMAIL: tooLong })).toEqual([refused(tooLong)]);
  });
});

describe('the Gateway\'s data plane', () => {
  const gateway = { ROUTING: 'gateway' };
  const EG_PODS = { namespace: 'envoy-gateway-system', podLabels: { 'gateway.envoyproxy.io/owning-gateway-name': 'multi-k8s' } };

  test('the class\'s defaults have exactly the keys they need: no namespace for the convention, no cidrs for pods', () => {
    expect(configOf({ ...gateway, GATEWAY_CLASS: 'nginx' }).gatewayDataPlane).toStrictEqual({ pods: { podLabels: { 'gateway.networking.k8s.io/gateway-name': 'multi-k8s' } } });
    expect(configOf(gateway).gatewayDataPlane).toStrictEqual({ pods: EG_PODS });
  });

  test('GATEWAY_PROXY_LABELS alone replaces the labels and keeps the class\'s namespace', () => {
    expect(configOf({ ...gateway, GATEWAY_PROXY_LABELS: 'app=proxy, tier=edge' }).gatewayDataPlane)
      .toStrictEqual({ pods: { namespace: 'envoy-gateway-system', podLabels: { app: 'proxy', tier: 'edge' } } });
  });

  test('an empty GATEWAY_PROXY_CIDRS with proxy pods leaves the pods alone: no empty cidrs list', () => {
    expect(configOf({ ...gateway, GATEWAY_PROXY_CIDRS: '' }).gatewayDataPlane).toStrictEqual({ pods: EG_PODS });
    expect(configOf({ ...gateway, GATEWAY_PROXY_CIDRS: ' , ' }).gatewayDataPlane).toStrictEqual({ pods: EG_PODS });
  });

  test('a class with no proxy pods takes the CIDRs given instead of its own', () => {
    expect(configOf({ ...gateway, GATEWAY_CLASS: 'gke-l7-gxlb', GATEWAY_PROXY_CIDRS: '10.0.0.0/16' }).gatewayDataPlane).toStrictEqual({ cidrs: ['10.0.0.0/16'] });
  });

  test('a class with no proxy pods and no CIDR is one line naming both ways out', () => {
    expect(problemsOf({ ...gateway, GATEWAY_CLASS: 'gke-l7-global-external-managed', GATEWAY_PROXY_CIDRS: ' ' })).toEqual([
      'GATEWAY_PROXY_CIDRS is empty and GATEWAY_CLASS=gke-l7-global-external-managed names no proxy pods: allowed is at least one CIDR, or GATEWAY_PROXY_LABELS',
    ]);
  });
});

describe('GATEWAY_PROXY_LABELS (and INGRESS_CONTROLLER_LABELS): label keys and values as Kubernetes validates them', () => {
  const refused = (setting: string, value: string, example: string) => `${setting}=${shownValue(value)} is not a label list: allowed is key=value[,key=value...], each key once (e.g. ${example})`;

  test.each([
    ['app=proxy', { app: 'proxy' }],
    [' app=proxy , example.com/tier=edge_1 ', { app: 'proxy', 'example.com/tier': 'edge_1' }],
    ['app=', { app: '' }],
  ])('%j is read', (text, labels) => {
    expect(configOf({ ROUTING: 'gateway', GATEWAY_PROXY_LABELS: text }).gatewayDataPlane).toStrictEqual({ pods: { namespace: 'envoy-gateway-system', podLabels: labels } });
    expect(configOf({ INGRESS_CONTROLLER_LABELS: text }).ingressController).toStrictEqual({ namespace: 'ingress-nginx', podLabels: labels });
  });

  // lib/validate/names.ts: a key is [DNS subdomain/]qualified name, a value empty or a qualified name.
  // A key given twice would be one label with the last value: refused, never silently merged.
  test.each(['app=a=b', 'app', '=proxy', '-app=proxy', 'Example.com/app=proxy', 'app=-proxy', 'app=proxy,', 'app proxy=x', `app=${'v'.repeat(64)}`, 'app=a,app=b', 'app=a, app=a'])('%j is refused in one line', (text) => {
    expect(problemsOf({ ROUTING: 'gateway', GATEWAY_PROXY_LABELS: text })).toEqual([refused('GATEWAY_PROXY_LABELS', text, 'gateway.networking.k8s.io/gateway-name=multi-k8s')]);
    expect(problemsOf({ INGRESS_CONTROLLER_LABELS: text })).toEqual([refused('INGRESS_CONTROLLER_LABELS', text, 'app.kubernetes.io/name=ingress-nginx')]);
  });
});

/**
 * CIDRs go into a NetworkPolicy's ipBlock.cidr, which k8s.io/kubernetes
 * pkg/apis/networking/validation/validation.go ValidateIPBlock checks with
 * IsValidCIDRForLegacyField (staging/src/k8s.io/apimachinery/pkg/util/validation/ip.go): without
 * the StrictIPCIDRValidation feature gate (alpha in 1.33, off in 1.34) it parses sloppily and
 * only warns about bits set past the prefix ("ambiguous"), leading zeros and IPv4-mapped IPv6
 * ("will be considered invalid in a future Kubernetes release"); with it, those are refused.
 * The settings refuse all three, so the output applies without a warning on any cluster.
 */
const ACCEPTED_CIDRS = ['0.0.0.0/0', '10.0.0.1/32', '10.0.0.0/16', '192.168.128.0/17', '::/0', '::/128', '::1/128', 'fd00::/8', '2001:db8::/32', '8000::/1', '1:2:3:4:5:6:7:8/128', '2001:db9::/32', '64:ff9b::/96', 'fd00::/127', '1:2:3:4:5:6:7:0/125'];
const REFUSED_CIDRS = [
  // Not a CIDR at all.
  '10.0.0.0/33', '10.0.0.0/8/9', '10.0.0.0/ 8', '10.0.0.0/+8', '10.0.0.0/8.0', '10.0.0.0/0x8', '10.0.0.0/1000', '10.0.0.0', '10.0.0.0/', '/8', 'proxy/8', '10.0.0/8',
  'fd00::/129', 'fe80::%eth0/64',
  // Bits set past the prefix: the address or the network?
  '10.0.0.1/0', '10.0.0.1/8', '192.168.129.0/17', 'fd00::1/8', '8000::1/127', '2001:db9::/31', '::1/127', '1:2:3:4:5:6:7:8/124',
  '64:ff9b::10.0.0.1/96', '::10.0.0.1/104', '1:2:3:4:5:6:10.0.0.1/112',
  // Leading zeros (octal to some parsers), and IPv4-mapped IPv6 (an IPv4 CIDR in disguise).
  '010.0.0.0/8', '10.0.0.0/08', '10.0.0.0/0008', '::ffff:10.0.0.0/104', '::FFFF:0:0/96', '0:0:0:0:0:ffff:a00:0/104',
];
/** IPv6 spelled other than RFC 5952's way: valid even to strict validation, which only suggests the canonical form. */
const NON_CANONICAL_CIDRS = ['FD00::/8', '2001:db8:0::/48', '::10.0.0.0/104', '1:2:3:4:5:6:10.0.0.0/112', '1:0:0:0:0:0:0:0/16'];

describe('GATEWAY_PROXY_CIDRS', () => {
  const refused = (cidr: string) => `GATEWAY_PROXY_CIDRS has ${shownValue(cidr)}, which is not a CIDR: allowed is a comma-separated list of address/prefix, e.g. 35.191.0.0/16,130.211.0.0/22`;

  test.each([...ACCEPTED_CIDRS, ...NON_CANONICAL_CIDRS])('%s is a CIDR', (cidr) => {
    expect(configOf({ ROUTING: 'gateway', GATEWAY_CLASS: 'gke-l7-gxlb', GATEWAY_PROXY_CIDRS: cidr }).gatewayDataPlane).toStrictEqual({ cidrs: [cidr] });
  });

  test.each(REFUSED_CIDRS)('%s is refused in one line', (cidr) => {
    expect(problemsOf({ ROUTING: 'gateway', GATEWAY_PROXY_CIDRS: `10.0.0.0/16,${cidr}` })).toEqual([refused(cidr)]);
  });
});

describeWithCluster('GATEWAY_PROXY_CIDRS against the API server: what the settings accept applies without a word, what they refuse is refused or warned about', (cluster) => {
  /** Whether the settings take this CIDR. */
  function settings(cidr: string): 'accepted' | 'refused' {
    try {
      configOf({ ROUTING: 'gateway', GATEWAY_CLASS: 'gke-l7-gxlb', GATEWAY_PROXY_CIDRS: cidr });
      return 'accepted';
    } catch (error) {
      expect(error).toBeInstanceOf(ConfigError);
      return 'refused';
    }
  }

  /** What a server-side dry run of a NetworkPolicy with this ipBlock says. */
  async function verdict(namespace: string, cidr: string): Promise<string> {
    const policy = {
      apiVersion: 'networking.k8s.io/v1', kind: 'NetworkPolicy', metadata: { name: 'cidr-probe' },
      spec: { podSelector: {}, policyTypes: ['Ingress'], ingress: [{ from: [{ ipBlock: { cidr } }] }] },
    };
    const run = await cluster().kubectl(['create', '--dry-run=server', '-n', namespace, '-f', '-'], { input: JSON.stringify(policy) });
    const said = run.stderr.trim();
    if (run.code !== 0) return /must be a valid CIDR value/.test(said) ? 'invalid' : `exit ${run.code}: ${said}`;
    if (said === '') return 'accepted';
    if (/is ambiguous in this context/.test(said)) return 'ambiguous';
    if (/will be considered invalid in a future Kubernetes release/.test(said)) return 'invalid in a future release';
    if (/should be in RFC 5952 canonical format/.test(said)) return 'not canonical';
    return said;
  }

  it('accepted CIDRs: the server accepts them without a warning', async () => {
    const namespace = await cluster().namespace('cidrs');
    for (const cidr of ACCEPTED_CIDRS) {
      expect({ cidr, settings: settings(cidr), server: await verdict(namespace, cidr) }).toEqual({ cidr, settings: 'accepted', server: 'accepted' });
    }
  });

  it('refused CIDRs: the server refuses them, or warns that they are ambiguous or will be invalid', async () => {
    const namespace = await cluster().namespace('cidrs');
    for (const cidr of REFUSED_CIDRS) {
      expect({ cidr, settings: settings(cidr), server: await verdict(namespace, cidr) })
        .toEqual({ cidr, settings: 'refused', server: expect.stringMatching(/^(invalid|ambiguous|invalid in a future release)$/) });
    }
  });

  it('non-canonical IPv6: accepted by both, the server only suggesting the RFC 5952 spelling', async () => {
    const namespace = await cluster().namespace('cidrs');
    for (const cidr of NON_CANONICAL_CIDRS) {
      expect({ cidr, settings: settings(cidr), server: await verdict(namespace, cidr) }).toEqual({ cidr, settings: 'accepted', server: 'not canonical' });
    }
  });
});

describe('SERVER_REPLICAS_* and WORKER_REPLICAS_*', () => {
  test.each(['1', '999'])('%s is a replica count', (count) => {
    expect(configOf({ WORKER_REPLICAS_MIN: '1', WORKER_REPLICAS_MAX: count }).workerReplicas).toEqual({ min: 1, max: Number(count) });
  });

  test.each(['0', '01', '-1', '1000', '5x', 'x5', ' 5', '1e2', ''])('%j is refused in one line', (count) => {
    expect(problemsOf({ WORKER_REPLICAS_MAX: count })).toEqual([`WORKER_REPLICAS_MAX=${shownValue(count)} is not a replica count: allowed is a whole number from 1 to 999`]);
  });
});

describe('IMAGE_PREFIX and the *_IMAGE names: Docker\'s reference grammar (distribution/reference)', () => {
  const PREFIX_ALLOWED = 'allowed is [registry[:port]/]owner[/path], lowercase a-z 0-9 with . _ - inside components, e.g. "stephengrider" or "ghcr.io/acme"';
  const IMAGE_ALLOWED = 'allowed is [registry[:port]/]path:tag, path@sha256:<64 hex> or path:tag@sha256:<64 hex>, with a lowercase path (a-z 0-9, . _ - inside components) and a tag of 1 to 128 of A-Z a-z 0-9 _ . - not starting with . or -, e.g. ghcr.io/acme/multi-server:v1.2';

  // `<prefix>/multi-client` must stay within the 255 characters of a name.
  test('IMAGE_PREFIX may have 242 characters, not 243', () => {
    const longest = `ghcr.io/${'a'.repeat(234)}`;
    expect(configOf({ IMAGE_PREFIX: longest }).images.client).toBe(`${longest}/multi-client:${SHA}`);
    const tooLong = `${longest}b`;
    expect(problemsOf({ IMAGE_PREFIX: tooLong })).toEqual([`IMAGE_PREFIX=${shownValue(tooLong)} is longer than 242 characters: ${PREFIX_ALLOWED}`]);
  });

  // A registry is a first component followed by a slash: a name of one component is a path,
  // whatever it contains (anchoredNameRegexp: (domain/)?path-component(/path-component)*).
  test.each([
    ['My.Name:v1', 'My.Name'],
    ['localhost:5000:v1', 'localhost:5000'],
    ['/app:v1', ''],
  ])('%s names the invalid path component %j', (reference, component) => {
    expect(problemsOf({ CLIENT_IMAGE: reference })).toEqual([`CLIENT_IMAGE=${shownValue(reference)} has an invalid path component "${component}": ${IMAGE_ALLOWED}`]);
  });

  test('a registry is read as one, with or without a dot or a port', () => {
    expect(problemsOf({ CLIENT_IMAGE: 'Registry_1.example.com/app:v1' })).toEqual([`CLIENT_IMAGE="Registry_1.example.com/app:v1" has an invalid registry "Registry_1.example.com": ${IMAGE_ALLOWED}`]);
    expect(configOf({ CLIENT_IMAGE: 'localhost/app:v1', SERVER_IMAGE: 'REGISTRY.example.com:5000/app:v1' }).images)
      .toEqual({ client: 'localhost/app:v1', server: 'REGISTRY.example.com:5000/app:v1', worker: `ghcr.io/acme/multi-worker:${SHA}` });
  });
});

describe('POSTGRES_IMAGE', () => {
  const ALLOWED = 'allowed is a postgres image whose tag starts with its major version, e.g. postgres:17.6, postgres:16-alpine or registry.example.com/postgres:18.1';
  const notTagged = (image: string) => `POSTGRES_IMAGE=${shownValue(image)} is not an image reference with a tag: ${ALLOWED}`;
  const DIGEST = `sha256:${'c'.repeat(64)}`;

  test.each([
    ['the oldest major', 'postgres:9.6'],
    ['a tag pinned by a digest', `postgres:16-alpine@${DIGEST}`],
    ['a name of two components and 242 characters', `acme/${'p'.repeat(237)}:17`],
  ])('%s is a postgres image', (_, image) => {
    expect(configOf({ POSTGRES_IMAGE: image }).postgresImage).toBe(image);
  });

  test('major 8 is refused, naming the oldest allowed', () => {
    expect(problemsOf({ POSTGRES_IMAGE: 'postgres:8.4' })).toEqual([`POSTGRES_IMAGE="postgres:8.4" names major 8: ${ALLOWED} (9 or later)`]);
  });

  // A digest is sha256: and exactly 64 hex digits; one digit more is no digest, and no tag either.
  test('a digest of 65 hex digits is not read as a digest and a longer tag', () => {
    const image = `postgres:17@${DIGEST}0`;
    expect(problemsOf({ POSTGRES_IMAGE: image })).toEqual([notTagged(image)]);
  });

  // distribution/reference ParseNormalizedNamed: docker.io/library/<name> within 255 characters.
  test('a one-component name too long once Docker Hub\'s library/ is added is refused', () => {
    const image = `${'p'.repeat(240)}:17`;
    expect(problemsOf({ POSTGRES_IMAGE: image })).toEqual([notTagged(image)]);
  });
});
