import { execFileSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import { ConfigError, COURSE_FIXED_SERVER_IMAGE, DEFAULT_IMAGE_PREFIX, echo, gitDirty, gitHead, maskCredentials, parseImageReference, readConfig, SETTINGS, TOOL_NAMESPACES } from '../../lib/program/config';
import { SHA, tempDir } from '../helpers';
import { committedRepository, configProblems, gitIn } from '../support/config';

const noGit = () => undefined;
/** The default synth's two image warnings: the course's images at this repository's SHA, and the course's server against postgres 17. */
const COURSE_AT_SHA = `stephengrider/multi-client:${SHA}, stephengrider/multi-server:${SHA}, stephengrider/multi-worker:${SHA} are course images at a tag Docker Hub does not have (the course publishes latest): `
  + 'the pods would not pull it; set IMAGE_PREFIX to your registry\'s owner (images you pushed, tagged with the commit), or CLIENT_IMAGE, SERVER_IMAGE and WORKER_IMAGE (README "minikube, first run" names the course\'s working ones)';
const SCRAM = `the server image stephengrider/multi-server:${SHA} carries node-postgres 7.4.3, which cannot log in to postgres 17 (SCRAM, postgres' default since 14: "Error: Unknown authenticationOk message type"): `
  + 'set SERVER_IMAGE=cygnetops/multi-server-pgfix-5-11:latest, or an image built with pg 8 (README "Building the images from the course\'s source")';

function problemsOf(env: NodeJS.ProcessEnv, head: () => string | undefined = noGit): readonly string[] {
  return configProblems(env, head);
}

describe('readConfig', () => {
  test('GIT_SHA tags the images; the prefix defaults to the course account', () => {
    const config = readConfig({ GIT_SHA: SHA }, noGit);
    expect(config).toEqual({
      images: { client: `stephengrider/multi-client:${SHA}`, server: `stephengrider/multi-server:${SHA}`, worker: `stephengrider/multi-worker:${SHA}` },
      imagePrefix: DEFAULT_IMAGE_PREFIX, imageTag: SHA, imageTagSource: 'GIT_SHA', warnings: [COURSE_AT_SHA, SCRAM], environment: 'prod', previews: [],
      previewDomain: 'preview.multi-k8s.local', ingressController: { namespace: 'ingress-nginx', podLabels: { 'app.kubernetes.io/name': 'ingress-nginx' } },
      hosts: [], tls: 'none', acmeEmail: undefined, routing: 'ingress-nginx', gatewayClass: 'eg', gateway: undefined,
      gatewayDataPlane: { pods: { namespace: 'envoy-gateway-system', podLabels: { 'gateway.envoyproxy.io/owning-gateway-name': 'multi-k8s' } } },
      previewTlsSecret: undefined, serverReplicas: { min: 3, max: 6 }, workerReplicas: { min: 1, max: 4 }, postgresImage: 'postgres:17.6', deployer: false,
    });
    expect(DEFAULT_IMAGE_PREFIX).toBe('stephengrider');
  });

  test('GIT_SHA in upper case is normalised, so the output does not depend on how CI spells it', () => {
    expect(readConfig({ GIT_SHA: SHA.toUpperCase() }, noGit).imageTag).toBe(SHA);
  });

  test('without GIT_SHA the checkout HEAD is used', () => {
    const head = 'fedcba9876543210fedcba9876543210fedcba98';
    const config = readConfig({ IMAGE_PREFIX: 'ghcr.io/acme' }, () => head, () => false);
    expect(config.imageTag).toBe(head);
    expect(config.imageTagSource).toBe('git rev-parse HEAD');
    expect(config.warnings).toEqual([]);
  });

  test('HEAD of a work tree with uncommitted changes is used with a warning naming it', () => {
    const head = 'fedcba9876543210fedcba9876543210fedcba98';
    const config = readConfig({ IMAGE_PREFIX: 'ghcr.io/acme' }, () => head, () => true);
    expect(config.imageTag).toBe(head);
    expect(config.warnings).toEqual([`the work tree has uncommitted changes to tracked files: the images are tagged with HEAD ${head}, which does not contain them; commit first, or set GIT_SHA`]);
  });

  test('a dirty work tree does not matter when GIT_SHA names the commit', () => {
    expect(readConfig({ GIT_SHA: SHA, IMAGE_PREFIX: 'ghcr.io/acme' }, () => 'f'.repeat(40), () => true).warnings).toEqual([]);
  });

  test('GIT_SHA wins over HEAD', () => {
    expect(readConfig({ GIT_SHA: SHA }, () => 'f'.repeat(40), () => false).imageTag).toBe(SHA);
  });

  test('IMAGE_TAG overrides the SHA, with a warning', () => {
    const config = readConfig({ IMAGE_TAG: 'v1.2', IMAGE_PREFIX: 'ghcr.io/acme' }, noGit);
    expect(config.imageTag).toBe('v1.2');
    expect(config.imageTagSource).toBe('IMAGE_TAG');
    expect(config.warnings).toEqual([expect.stringContaining('IMAGE_TAG="v1.2" overrides the commit SHA')]);
  });

  test('GIT_SHA given with IMAGE_TAG does nothing, and says so', () => {
    const config = readConfig({ IMAGE_TAG: 'v1.2', GIT_SHA: SHA, IMAGE_PREFIX: 'ghcr.io/acme' }, noGit);
    expect(config.imageTag).toBe('v1.2');
    expect(config.warnings).toEqual([expect.stringContaining('overrides the commit SHA'), 'GIT_SHA is set, but IMAGE_TAG="v1.2" tags the images: it does nothing']);
    expect(readConfig({ IMAGE_TAG: 'v1.2', IMAGE_PREFIX: 'ghcr.io/acme' }, noGit).warnings).toHaveLength(1);
  });

  // A path component's separators, as distribution/reference and the OCI distribution spec
  // (v1.0.1, "name" pattern `[a-z0-9]+((\.|_|__|-+)[a-z0-9]+)*`) write them: `.`, `_`, `__` or
  // any run of `-`.
  test.each(['ghcr.io/acme', 'localhost:5000/team/app', 'registry.example.com:443/a_b/c-d', 'us-docker.pkg.dev/proj/repo', 'my.name', 'acme--corp/a---b', 'a__b/c.d'])('IMAGE_PREFIX %s is accepted', (prefix) => {
    expect(readConfig({ GIT_SHA: SHA, IMAGE_PREFIX: prefix }, noGit).imagePrefix).toBe(prefix);
  });

  test.each([
    ['', 'is empty'],
    ['a___b', 'invalid path component "a___b"'],
    ['a_-b', 'invalid path component "a_-b"'],
    ['StephenGrider', 'invalid path component "StephenGrider"'],
    ['acme/', 'invalid path component ""'],
    ['ghcr.io/Acme', 'invalid path component "Acme"'],
    ['bad_host!.io/acme', 'invalid registry "bad_host!.io"'],
    ['-registry.io:5000/acme', 'invalid registry "-registry.io:5000"'],
    ['acme/app:tag', 'invalid path component "app:tag"'],
    ['a'.repeat(250), 'longer than 242 characters'],
  ])('IMAGE_PREFIX "%s" is rejected: %s', (prefix, reason) => {
    const problems = problemsOf({ GIT_SHA: SHA, IMAGE_PREFIX: prefix });
    expect(problems).toHaveLength(1);
    expect(problems[0]).toContain('IMAGE_PREFIX=');
    expect(problems[0]).toContain(reason);
    expect(problems[0]).toContain('allowed is [registry[:port]/]owner[/path]');
  });

  test.each(['', 'abc', SHA.slice(1), `${SHA}0`, `${SHA.slice(1)}g`, ' '.repeat(40)])('GIT_SHA "%s" is rejected', (sha) => {
    expect(problemsOf({ GIT_SHA: sha })).toEqual([expect.stringMatching(/^GIT_SHA=".*" is not a commit SHA: allowed is the full 40-character hexadecimal SHA/)]);
  });

  test.each(['', '-dev', '.hidden', 'has space', 'a:b', 'x'.repeat(129)])('IMAGE_TAG "%s" is rejected', (tag) => {
    expect(problemsOf({ IMAGE_TAG: tag })).toEqual([expect.stringMatching(/^IMAGE_TAG=".*" is not a valid image tag: allowed are 1 to 128 of A-Z a-z 0-9 _ \. -/)]);
  });

  test('no GIT_SHA, no IMAGE_TAG and no git commit says what to set', () => {
    expect(problemsOf({})).toEqual([expect.stringContaining('GIT_SHA is not set and `git rev-parse HEAD` found no commit')]);
    expect(problemsOf({})[0]).toContain('set GIT_SHA to the 40-character SHA of the commit being deployed, IMAGE_TAG to an image tag, or CLIENT_IMAGE, SERVER_IMAGE and WORKER_IMAGE');
  });

  test('every bad variable is reported at once', () => {
    const problems = problemsOf({ GIT_SHA: 'nope', IMAGE_PREFIX: 'UPPER', IMAGE_TAG: '-x' });
    expect(problems.map((p) => p.split('=')[0])).toEqual(['IMAGE_PREFIX', 'GIT_SHA', 'IMAGE_TAG']);
    expect(() => readConfig({ GIT_SHA: 'nope' }, noGit)).toThrow(/invalid configuration:\n  - GIT_SHA="nope"/);
  });

  test('a ConfigError names itself and puts each problem on a line of its own', () => {
    let error: unknown;
    try {
      readConfig({ GIT_SHA: 'nope', IMAGE_TAG: '-x' }, noGit);
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(ConfigError);
    const { name, message, problems } = error as ConfigError;
    expect(name).toBe('ConfigError');
    expect(problems).toHaveLength(2);
    expect(message.split('\n')).toEqual(['invalid configuration:', `  - ${problems[0]}`, `  - ${problems[1]}`]);
    expect(problems[0]).toMatch(/^GIT_SHA="nope" /);
    expect(problems[1]).toMatch(/^IMAGE_TAG="-x" /);
  });

  test('environment, previews, ingress controller and replica bounds are read', () => {
    const config = readConfig({
      GIT_SHA: SHA, ENVIRONMENT: 'dev', PREVIEWS: ' pr-1, pr-2 ,', PREVIEW_DOMAIN: 'preview.example.com',
      INGRESS_CONTROLLER_NAMESPACE: 'kube-system', INGRESS_CONTROLLER_LABELS: 'app=nginx,tier=edge',
      SERVER_REPLICAS_MIN: '2', SERVER_REPLICAS_MAX: '10', WORKER_REPLICAS_MIN: '2', WORKER_REPLICAS_MAX: '2',
    }, noGit);
    expect(config).toMatchObject({
      environment: 'dev', previews: ['pr-1', 'pr-2'], previewDomain: 'preview.example.com',
      ingressController: { namespace: 'kube-system', podLabels: { app: 'nginx', tier: 'edge' } },
      serverReplicas: { min: 2, max: 10 }, workerReplicas: { min: 2, max: 2 },
    });
  });

  test.each([
    [{ ENVIRONMENT: 'staging' }, 'ENVIRONMENT="staging" is not an environment: allowed are prod, dev'],
    [{ PREVIEWS: 'pr-1,PR_2' }, 'PREVIEWS has "PR_2", which is not a namespace name: allowed is a comma-separated list of DNS labels'],
    [{ PREVIEWS: 'a'.repeat(51) }, 'which is not a namespace name'],
    [{ PREVIEWS: 'pr-1,pr-1' }, 'PREVIEWS names "pr-1" twice: allowed is each name once'],
    [{ PREVIEWS: Array.from({ length: 501 }, (_, i) => `p${i}`).join(',') }, 'PREVIEWS names 501 environments: allowed are at most 500'],
    [{ PREVIEW_DOMAIN: 'Example.COM' }, 'PREVIEW_DOMAIN="Example.COM" is not a DNS name'],
    [{ INGRESS_CONTROLLER_NAMESPACE: 'Ingress' }, 'INGRESS_CONTROLLER_NAMESPACE="Ingress" is not a namespace name'],
    [{ INGRESS_CONTROLLER_LABELS: 'app' }, 'INGRESS_CONTROLLER_LABELS="app" is not a label list: allowed is key=value[,key=value...]'],
    [{ SERVER_REPLICAS_MIN: '0' }, 'SERVER_REPLICAS_MIN="0" is not a replica count: allowed is a whole number from 1 to 999'],
    [{ WORKER_REPLICAS_MAX: 'many' }, 'WORKER_REPLICAS_MAX="many" is not a replica count'],
    [{ WORKER_REPLICAS_MIN: '5', WORKER_REPLICAS_MAX: '2' }, 'WORKER_REPLICAS_MIN=5 exceeds WORKER_REPLICAS_MAX=2: allowed is MIN <= MAX'],
    [{ SERVER_REPLICAS_MAX: '2' }, 'SERVER_REPLICAS_MIN=3 (the default) exceeds SERVER_REPLICAS_MAX=2: allowed is MIN <= MAX'],
    [{ ENVIRONMENT: 'dev', WORKER_REPLICAS_MIN: '5', WORKER_REPLICAS_MAX: '2' }, 'WORKER_REPLICAS_MIN=5 exceeds WORKER_REPLICAS_MAX=2: allowed is MIN <= MAX'],
    [{ POSTGRES_IMAGE: 'postgres' }, 'POSTGRES_IMAGE="postgres" is not an image reference with a tag: allowed is a postgres image whose tag starts with its major version'],
    [{ POSTGRES_IMAGE: 'postgres:latest' }, 'POSTGRES_IMAGE="postgres:latest" names no major version (the data directory belongs to one major)'],
    [{ POSTGRES_IMAGE: 'postgres:8.4' }, 'POSTGRES_IMAGE="postgres:8.4" names major 8'],
    [{ POSTGRES_IMAGE: 'Postgres:17' }, 'POSTGRES_IMAGE="Postgres:17" is not an image reference with a tag'],
  ])('%j is rejected', (env, message) => {
    const problems = problemsOf({ GIT_SHA: SHA, ...env });
    expect(problems).toHaveLength(1);
    expect(problems[0]).toContain(message);
  });
});

test.each([
  ['postgres:17.6', 'postgres:17.6'],
  ['postgres:16-alpine', 'postgres:16-alpine'],
  ['registry.example.com:5000/db/postgres:18.1', 'registry.example.com:5000/db/postgres:18.1'],
  [`postgres:17@sha256:${'a'.repeat(64)}`, `postgres:17@sha256:${'a'.repeat(64)}`],
])('POSTGRES_IMAGE=%s is taken as it is', (value, expected) => {
  expect(readConfig({ GIT_SHA: SHA, POSTGRES_IMAGE: value }, noGit).postgresImage).toBe(expected);
});

describe('DEPLOYER', () => {
  test('ci asks for the least-privilege deployer of CI', () => {
    expect(readConfig({ GIT_SHA: SHA, DEPLOYER: 'ci' }, noGit).deployer).toBe(true);
  });

  test.each(['', 'yes', 'CI', 'admin'])('"%s" is rejected with one line naming the allowed value', (value) => {
    expect(problemsOf({ GIT_SHA: SHA, DEPLOYER: value })).toEqual([`DEPLOYER="${value}" is not a deployer: allowed is ci (a ServiceAccount for CI with the least rights), or unset`]);
  });

  const letsEncrypt = { GIT_SHA: SHA, DEPLOYER: 'ci', HOSTS: 'k8s-multi.com', ACME_EMAIL: 'ops@k8s-multi.com' };

  test('DEPLOYER_NAMESPACE names where the main environment\'s deployer lives; unset, none', () => {
    expect(readConfig({ ...letsEncrypt, DEPLOYER_NAMESPACE: 'multi-k8s' }, noGit).deployerNamespace).toBe('multi-k8s');
    expect(readConfig({ GIT_SHA: SHA, DEPLOYER: 'ci' }, noGit).deployerNamespace).toBeUndefined();
  });

  test.each(['letsencrypt', 'letsencrypt-staging'])('with TLS=%s (a cluster-wide ClusterIssuer), DEPLOYER=ci needs DEPLOYER_NAMESPACE: one line naming both', (tls) => {
    expect(problemsOf({ ...letsEncrypt, TLS: tls })).toEqual([
      `DEPLOYER=ci with TLS=${tls} needs DEPLOYER_NAMESPACE: the ClusterIssuer is cluster-wide, so the deployer's rights on it are a ClusterRoleBinding, which must name the namespace of its ServiceAccount; allowed is DEPLOYER_NAMESPACE=<the namespace you apply to, e.g. multi-k8s>, or TLS=none`,
    ]);
    expect(readConfig({ ...letsEncrypt, TLS: 'none' }, noGit).deployer).toBe(true);
  });

  test.each([
    [{ DEPLOYER_NAMESPACE: 'Multi_K8s' }, 'DEPLOYER_NAMESPACE="Multi_K8s" is not a namespace name: allowed is a DNS label (a-z 0-9 -, at most 63 characters), the namespace the output is applied to'],
    [{ DEPLOYER: undefined, DEPLOYER_NAMESPACE: 'multi-k8s' }, 'DEPLOYER_NAMESPACE is set without DEPLOYER=ci: it names where the deployer\'s ServiceAccount lives; allowed only with DEPLOYER=ci'],
    [{ PREVIEWS: 'pr-1', DEPLOYER_NAMESPACE: 'multi-k8s' }, 'DEPLOYER_NAMESPACE is set with PREVIEWS: each preview\'s deployer lives in its preview\'s namespace; allowed is one of the two'],
  ])('%j is one line naming the setting', (env, message) => {
    expect(problemsOf({ GIT_SHA: SHA, DEPLOYER: 'ci', ...env })).toEqual([message]);
  });
});

describe('readConfig: hosts, TLS and routing', () => {
  const course = { GIT_SHA: SHA, HOSTS: 'k8s-multi.com, www.k8s-multi.com', ACME_EMAIL: 'ops@k8s-multi.com' };

  test('HOSTS turns on Let\'s Encrypt production by default, with the ACME e-mail', () => {
    expect(readConfig(course, noGit)).toMatchObject({ hosts: ['k8s-multi.com', 'www.k8s-multi.com'], tls: 'letsencrypt', acmeEmail: 'ops@k8s-multi.com', routing: 'ingress-nginx' });
  });

  test('without HOSTS the app serves plain HTTP on any host, as today', () => {
    expect(readConfig({ GIT_SHA: SHA }, noGit)).toMatchObject({ hosts: [], tls: 'none' });
  });

  test.each(['letsencrypt-staging', 'none'])('TLS=%s is taken as given', (tls) => {
    expect(readConfig({ ...course, TLS: tls }, noGit).tls).toBe(tls);
  });

  test('ACME_EMAIL without Let\'s Encrypt is a warning, not an error', () => {
    expect(readConfig({ ...course, TLS: 'none', IMAGE_PREFIX: 'ghcr.io/acme' }, noGit).warnings).toEqual([expect.stringMatching(/^ACME_EMAIL is set, but TLS=none: it is used only with TLS=letsencrypt/)]);
  });

  test('ROUTING=gateway with a shared GATEWAY defaults TLS to none: its owner terminates HTTPS', () => {
    const config = readConfig({ GIT_SHA: SHA, HOSTS: 'k8s-multi.com', ROUTING: 'gateway', GATEWAY: 'infra/shared' }, noGit);
    expect(config).toMatchObject({ routing: 'gateway', gateway: { namespace: 'infra', name: 'shared' }, tls: 'none' });
  });

  test.each([
    ['eg', { pods: { namespace: 'envoy-gateway-system', podLabels: { 'gateway.envoyproxy.io/owning-gateway-name': 'multi-k8s' } } }],
    ['gke-l7-global-external-managed', { cidrs: ['35.191.0.0/16', '130.211.0.0/22'] }],
    ['gke-l7-gxlb', { cidrs: ['35.191.0.0/16', '130.211.0.0/22'] }],
    ['nginx', { pods: { podLabels: { 'gateway.networking.k8s.io/gateway-name': 'multi-k8s' } } }],
  ])('GATEWAY_CLASS=%s gives its data plane\'s default peers', (gatewayClass, dataPlane) => {
    expect(readConfig({ GIT_SHA: SHA, ROUTING: 'gateway', GATEWAY_CLASS: gatewayClass }, noGit).gatewayDataPlane).toEqual(dataPlane);
  });

  test('a shared Gateway of an unlisted class: proxies in its namespace with the Gateway API label', () => {
    const config = readConfig({ GIT_SHA: SHA, ROUTING: 'gateway', GATEWAY: 'infra/shared', GATEWAY_CLASS: 'istio' }, noGit);
    expect(config.gatewayDataPlane).toEqual({ pods: { namespace: 'infra', podLabels: { 'gateway.networking.k8s.io/gateway-name': 'shared' } } });
  });

  test('GATEWAY_PROXY_NAMESPACE, _LABELS and _CIDRS replace the class\'s defaults', () => {
    const config = readConfig({
      GIT_SHA: SHA, ROUTING: 'gateway', GATEWAY_PROXY_NAMESPACE: 'edge', GATEWAY_PROXY_LABELS: 'app=proxy', GATEWAY_PROXY_CIDRS: '10.0.0.0/8, fd00::/8',
    }, noGit);
    expect(config.gatewayDataPlane).toEqual({ pods: { namespace: 'edge', podLabels: { app: 'proxy' } }, cidrs: ['10.0.0.0/8', 'fd00::/8'] });
  });

  test('PREVIEW_TLS_SECRET is read for previews', () => {
    expect(readConfig({ GIT_SHA: SHA, PREVIEWS: 'pr-1', PREVIEW_TLS_SECRET: 'preview-wildcard-tls' }, noGit).previewTlsSecret).toBe('preview-wildcard-tls');
  });

  test.each([
    [{ HOSTS: 'k8s-multi.com,K8S.com', TLS: 'none' }, 'HOSTS has "K8S.com", which is not a DNS name: allowed is a comma-separated list of lowercase DNS names'],
    [{ HOSTS: '*.k8s-multi.com', TLS: 'none' }, 'HOSTS has "*.k8s-multi.com", which is not a DNS name'],
    [{ HOSTS: '10.0.0.1', TLS: 'none' }, 'HOSTS has "10.0.0.1", which is not a DNS name'],
    [{ HOSTS: 'a.com,a.com', TLS: 'none' }, 'HOSTS names "a.com" twice: allowed is each host once'],
    [{ HOSTS: `${'a'.repeat(61)}.${'b'.repeat(61)}.${'c'.repeat(61)}.${'d'.repeat(61)}.com`, ACME_EMAIL: 'o@a.com' }, 'HOSTS starts with a host of 251 characters, which names the Certificate "<host>-tls": allowed is a first host of at most 249 characters'],
    [{ TLS: 'yes', HOSTS: 'a.com' }, 'TLS="yes" is not a TLS setting: allowed are letsencrypt, letsencrypt-staging, none'],
    [{ TLS: 'letsencrypt', ACME_EMAIL: 'o@a.com' }, 'TLS=letsencrypt needs HOSTS: a certificate names its hosts; allowed is TLS=letsencrypt with HOSTS, or TLS=none'],
    [{ HOSTS: 'a.com' }, 'ACME_EMAIL is not set: TLS=letsencrypt (the default with HOSTS) needs it'],
    [{ HOSTS: 'a.com', TLS: 'letsencrypt' }, 'ACME_EMAIL is not set: TLS=letsencrypt needs it'],
    [{ HOSTS: 'a.com', ACME_EMAIL: 'ops' }, 'ACME_EMAIL="ops" is not an e-mail address: allowed is local@domain'],
    [{ HOSTS: 'a.com', ACME_EMAIL: 'ops@localhost' }, 'ACME_EMAIL="ops@localhost" is not an e-mail address'],
    [{ HOSTS: 'a.com', ACME_EMAIL: 'o ps@a.com' }, 'ACME_EMAIL="o ps@a.com" is not an e-mail address'],
    [{ ROUTING: 'traefik' }, 'ROUTING="traefik" is not a routing: allowed are ingress-nginx, gateway'],
    [{ ROUTING: 'gateway', GATEWAY_CLASS: 'Envoy' }, 'GATEWAY_CLASS="Envoy" is not a GatewayClass name: allowed are lowercase a-z 0-9 - . (DNS subdomain)'],
    [{ ROUTING: 'gateway', GATEWAY: 'shared' }, 'GATEWAY="shared" is not a Gateway: allowed is namespace/name'],
    [{ ROUTING: 'gateway', GATEWAY: 'a/b/c' }, 'GATEWAY="a/b/c" is not a Gateway'],
    [{ GATEWAY: 'infra/shared' }, 'GATEWAY is set with ROUTING=ingress-nginx: allowed only with ROUTING=gateway'],
    [{ ROUTING: 'gateway', GATEWAY: 'infra/shared', HOSTS: 'a.com', TLS: 'letsencrypt', ACME_EMAIL: 'o@a.com' }, 'TLS=letsencrypt is set with GATEWAY: the shared Gateway\'s owner configures its HTTPS listeners'],
    [{ PREVIEWS: 'pr-1', HOSTS: 'a.com' }, 'HOSTS is set with PREVIEWS: previews answer at <name>.<PREVIEW_DOMAIN>; allowed is one of the two'],
    [{ PREVIEWS: 'pr-1', TLS: 'letsencrypt', ACME_EMAIL: 'o@a.com' }, 'TLS=letsencrypt is set with PREVIEWS: previews share one wildcard certificate; allowed is PREVIEW_TLS_SECRET'],
    [{ PREVIEWS: 'pr-1', PREVIEW_TLS_SECRET: 'Wild_Card' }, 'PREVIEW_TLS_SECRET="Wild_Card" is not a Secret name'],
    [{ PREVIEWS: 'pr-1', ROUTING: 'gateway', GATEWAY: 'infra/shared', PREVIEW_TLS_SECRET: 'wild' }, 'PREVIEW_TLS_SECRET is set with GATEWAY'],
    [{ ROUTING: 'gateway', GATEWAY_PROXY_NAMESPACE: 'Edge' }, 'GATEWAY_PROXY_NAMESPACE="Edge" is not a namespace name'],
    [{ ROUTING: 'gateway', GATEWAY_PROXY_LABELS: 'app' }, 'GATEWAY_PROXY_LABELS="app" is not a label list: allowed is key=value[,key=value...]'],
    [{ ROUTING: 'gateway', GATEWAY_PROXY_CIDRS: '10.0.0.0/33' }, 'GATEWAY_PROXY_CIDRS has "10.0.0.0/33", which is not a CIDR'],
    [{ ROUTING: 'gateway', GATEWAY_PROXY_CIDRS: '10.0.0.1/8' }, 'GATEWAY_PROXY_CIDRS has "10.0.0.1/8", which is not a CIDR'],
    [{ ROUTING: 'gateway', GATEWAY_PROXY_CIDRS: 'gateway' }, 'GATEWAY_PROXY_CIDRS has "gateway", which is not a CIDR'],
    [{ ROUTING: 'gateway', GATEWAY_CLASS: 'gke-l7-gxlb', GATEWAY_PROXY_CIDRS: '' }, 'GATEWAY_PROXY_CIDRS is empty and GATEWAY_CLASS=gke-l7-gxlb names no proxy pods'],
  ])('%j is rejected with one line', (env, message) => {
    const problems = problemsOf({ GIT_SHA: SHA, ...env });
    expect(problems).toEqual([expect.stringContaining(message)]);
  });
});

describe('PREVIEWS', () => {
  const ALLOWED = 'allowed are names other than default, kube-*, ingress-nginx, cert-manager, argocd, flux-system, envoy-gateway-system, multi-k8s and the namespaces of INGRESS_CONTROLLER_NAMESPACE, GATEWAY, GATEWAY_PROXY_NAMESPACE';

  test.each(['default', 'kube-system', 'kube-public', 'kube-node-lease', 'kube-anything'])('refuses %s, a namespace Kubernetes owns', (name) => {
    expect(problemsOf({ GIT_SHA: SHA, PREVIEWS: `pr-1,${name}` })).toEqual([
      `PREVIEWS has "${name}", a namespace Kubernetes owns: closing the preview would delete that namespace; ${ALLOWED}`,
    ]);
  });

  test.each([...TOOL_NAMESPACES])('refuses %s, the namespace of a tool the README uses, with any routing', (name) => {
    for (const routing of [{}, { ROUTING: 'gateway' }, { ROUTING: 'gateway', GATEWAY: 'infra/shared' }]) {
      const problems = problemsOf({ GIT_SHA: SHA, PREVIEWS: `pr-1,${name}`, INGRESS_CONTROLLER_NAMESPACE: 'edge', GATEWAY_CLASS: 'other', ...routing });
      expect(problems).toEqual([`PREVIEWS has "${name}", the namespace of a tool the README uses: closing the preview would delete that namespace; ${ALLOWED}`]);
    }
  });

  test.each([
    ['the ingress controller\'s, by default', { PREVIEWS: 'ingress-nginx' }, 'ingress-nginx', 'INGRESS_CONTROLLER_NAMESPACE'],
    ['the ingress controller\'s, configured', { PREVIEWS: 'edge', INGRESS_CONTROLLER_NAMESPACE: 'edge' }, 'edge', 'INGRESS_CONTROLLER_NAMESPACE'],
    ['the shared Gateway\'s', { PREVIEWS: 'infra', ROUTING: 'gateway', GATEWAY: 'infra/shared' }, 'infra', 'GATEWAY'],
    ['the Gateway proxies\', configured', { PREVIEWS: 'proxies', ROUTING: 'gateway', GATEWAY_PROXY_NAMESPACE: 'proxies' }, 'proxies', 'GATEWAY_PROXY_NAMESPACE (or GATEWAY_CLASS\'s default)'],
    ['the Gateway proxies\', by the class\'s convention (the shared Gateway\'s namespace)', { PREVIEWS: 'gw', ROUTING: 'gateway', GATEWAY: 'gw/shared', GATEWAY_CLASS: 'istio' }, 'gw', 'GATEWAY'],
  ])('refuses %s namespace, named by its setting', (_what, env, name, setting) => {
    expect(problemsOf({ GIT_SHA: SHA, ...env })).toEqual([`PREVIEWS has "${name}", the namespace ${setting} names: closing the preview would delete that namespace; ${ALLOWED}`]);
  });

  test('a namespace no setting names is a preview name again', () => {
    expect(readConfig({ GIT_SHA: SHA, PREVIEWS: 'edge', INGRESS_CONTROLLER_NAMESPACE: 'ingress' }, noGit).previews).toEqual(['edge']);
    expect(readConfig({ GIT_SHA: SHA, PREVIEWS: 'infra', ROUTING: 'gateway' }, noGit).previews).toEqual(['infra']);
  });

  test('accepts names that only resemble reserved ones', () => {
    expect(readConfig({ GIT_SHA: SHA, PREVIEWS: 'kube,my-kube-system,defaults,cert-manager-x,argo' }, noGit).previews).toEqual(['kube', 'my-kube-system', 'defaults', 'cert-manager-x', 'argo']);
  });
});

describe('echoed values', () => {
  test('control characters are escaped, so a value cannot drive the terminal', () => {
    const problems = problemsOf({ GIT_SHA: SHA, ENVIRONMENT: 'prod\u001b[2J\nfake: line' });
    expect(problems).toEqual(['ENVIRONMENT="prod\\u001b[2J\\nfake: line" is not an environment: allowed are prod, dev']);
    expect(problems[0]).not.toMatch(/[\u0000-\u001f]/);
  });

  test('a password in a registry or URL is masked, the user and host kept', () => {
    const problems = problemsOf({ GIT_SHA: SHA, IMAGE_PREFIX: 'bob:hunter2@ghcr.io/acme' });
    expect(problems.join('\n')).not.toContain('hunter2');
    expect(problems[0]).toContain('IMAGE_PREFIX="bob:***@ghcr.io/acme"');
    expect(maskCredentials('see https://bob:p%40ss@example.com/x and ftp://u:v@h')).toBe('see https://bob:***@example.com/x and ftp://u:***@h');
  });

  test('an image digest is not taken for a password', () => {
    const digest = `redis:7.4.5@sha256:${'a'.repeat(64)}`;
    expect(maskCredentials(digest)).toBe(digest);
    expect(echo('plain')).toBe('"plain"');
  });
});

describe('gitDirty', () => {
  test('is true when a tracked file changed, false when only untracked files were added', () => {
    const dir = committedRepository();
    expect(gitDirty(dir)).toBe(false);
    fs.writeFileSync(path.join(dir, 'untracked'), 'u');
    expect(gitDirty(dir)).toBe(false);
    fs.writeFileSync(path.join(dir, 'a'), 'changed');
    expect(gitDirty(dir)).toBe(true);
  });

  test('is false outside a repository', () => {
    expect(gitDirty(tempDir())).toBe(false);
  });
});

describe('gitHead', () => {
  test('reads the commit a checkout is at', () => {
    const dir = committedRepository();
    expect(gitHead(dir)).toBe(gitIn(dir, 'rev-parse', 'HEAD'));
    expect(gitHead(dir)).toMatch(/^[0-9a-f]{40}$/);
  });

  test('is undefined outside a repository, and in one without a commit', () => {
    const dir = tempDir();
    expect(gitHead(dir)).toBeUndefined();
    execFileSync('git', ['init', '-q'], { cwd: dir });
    expect(gitHead(dir)).toBeUndefined();
  });
});

describe('CLIENT_IMAGE, SERVER_IMAGE, WORKER_IMAGE', () => {
  const DIGEST = `sha256:${'a'.repeat(64)}`;
  const WORKING = { CLIENT_IMAGE: 'stephengrider/multi-client:latest', SERVER_IMAGE: COURSE_FIXED_SERVER_IMAGE, WORKER_IMAGE: 'stephengrider/multi-worker:latest' };

  test('all three name the images whole: no commit is needed, git is not asked, and the course\'s working images give no warning', () => {
    const asked: string[] = [];
    const config = readConfig(WORKING, () => { asked.push('head'); return undefined; }, () => { asked.push('dirty'); return true; });
    expect(config.images).toEqual({ client: 'stephengrider/multi-client:latest', server: 'cygnetops/multi-server-pgfix-5-11:latest', worker: 'stephengrider/multi-worker:latest' });
    expect(config.imageTag).toBeUndefined();
    expect(config.warnings).toEqual([]);
    expect(asked).toEqual([]);
  });

  test('one of them replaces only its own image; the others keep prefix and tag', () => {
    const config = readConfig({ GIT_SHA: SHA, IMAGE_PREFIX: 'ghcr.io/acme', SERVER_IMAGE: `registry.example.com:5000/team/api@${DIGEST}` }, noGit);
    expect(config.images).toEqual({ client: `ghcr.io/acme/multi-client:${SHA}`, server: `registry.example.com:5000/team/api@${DIGEST}`, worker: `ghcr.io/acme/multi-worker:${SHA}` });
    expect(config.warnings).toEqual([]);
  });

  test.each(['IMAGE_PREFIX', 'IMAGE_TAG', 'GIT_SHA'])('%s given alongside all three does nothing, one warning line', (setting) => {
    const value = { IMAGE_PREFIX: 'ghcr.io/acme', IMAGE_TAG: 'v1', GIT_SHA: SHA }[setting]!;
    const config = readConfig({ ...WORKING, [setting]: value }, noGit);
    expect(config.warnings).toEqual([`${setting} is set, but CLIENT_IMAGE, SERVER_IMAGE and WORKER_IMAGE name every app image: it does nothing`]);
    expect(config.images.client).toBe('stephengrider/multi-client:latest');
  });

  test.each([
    'acme/app:v1', 'ghcr.io/acme/app:v1', 'localhost:5000/app:1.0', `acme/app@${DIGEST}`, `acme/app:v1@${DIGEST}`, 'app:V_1.x-y', `a/b:${'t'.repeat(128)}`, 'REGISTRY.example.com/a:v',
  ])('%s is an image reference', (reference) => {
    expect(readConfig({ GIT_SHA: SHA, CLIENT_IMAGE: reference }, noGit).images.client).toBe(reference);
  });

  test.each([
    ['acme/app', 'names no tag or digest, which would mean latest without saying so'],
    ['localhost:5000/app', 'names no tag or digest'],
    ['Acme/app:v1', 'has an invalid path component "Acme"'],
    ['acme/app:-v1', 'has an invalid tag'],
    ['acme/app:.v1', 'has an invalid tag'],
    [`acme/app:${'t'.repeat(129)}`, 'has an invalid tag'],
    ['acme/app:', 'has an invalid tag'],
    ['acme/app@sha256:abc', 'has an invalid digest after @'],
    [`acme/app@sha512:${'a'.repeat(64)}`, 'has an invalid digest after @'],
    ['', 'is empty'],
    [`${'a'.repeat(256)}:v1`, 'is longer than 255 characters'],
    ['bob:hunter2@registry.example.com', 'has an invalid digest after @'],
  ])('%s is refused in one line naming the setting and what is allowed: %s', (reference, reason) => {
    for (const setting of ['CLIENT_IMAGE', 'SERVER_IMAGE', 'WORKER_IMAGE']) {
      const problems = problemsOf({ GIT_SHA: SHA, [setting]: reference });
      expect(problems).toEqual([expect.stringContaining(`${setting}=`)]);
      expect(problems[0]).toContain(reason);
      expect(problems[0]).toContain('allowed is [registry[:port]/]path:tag, path@sha256:<64 hex> or path:tag@sha256:<64 hex>');
      expect(problems[0]).not.toContain('hunter2');
      expect(problems[0]).not.toContain('\n');
    }
  });

  test('parseImageReference splits name, tag and digest as Docker does', () => {
    expect(parseImageReference(`localhost:5000/a/b:v1@${DIGEST}`)).toEqual({ name: 'localhost:5000/a/b', tag: 'v1', digest: DIGEST });
    expect(parseImageReference('localhost:5000')).toEqual({ name: 'localhost', tag: '5000' });
  });

  test.each(['myname/multi-client', 'myname/multi-server', 'ghcr.io/acme/multi-worker', 'multi-client'])('IMAGE_PREFIX %s holds an image name: refused, naming the *_IMAGE settings', (prefix) => {
    expect(problemsOf({ GIT_SHA: SHA, IMAGE_PREFIX: prefix })).toEqual([expect.stringMatching(
      new RegExp(`^IMAGE_PREFIX="${prefix}" ends with an image's name \\(multi-(client|server|worker)\\): .*CLIENT_IMAGE, SERVER_IMAGE and WORKER_IMAGE to name whole images`),
    )]);
  });

  test('IMAGE_PREFIX of a name that only resembles an image name is a prefix', () => {
    expect(readConfig({ GIT_SHA: SHA, IMAGE_PREFIX: 'acme/multi-clients' }, noGit).images.client).toBe(`acme/multi-clients/multi-client:${SHA}`);
  });
});

describe('the course\'s public images', () => {
  const course = (warnings: readonly string[]) => warnings.filter((w) => w.includes('course images') || w.includes('is a course image'));
  const scram = (warnings: readonly string[]) => warnings.filter((w) => w.includes('node-postgres 7.4.3'));

  test('the default synth names them at this repository\'s SHA, which Docker Hub does not have: one line naming both fixes', () => {
    expect(course(readConfig({ GIT_SHA: SHA }, noGit).warnings)).toEqual([COURSE_AT_SHA]);
  });

  test.each([
    [{ CLIENT_IMAGE: 'stephengrider/multi-client:v2' }, 'stephengrider/multi-client:v2 is a course image'],
    [{ SERVER_IMAGE: 'docker.io/cygnetops/multi-server-pgfix-5-11:1.0' }, 'docker.io/cygnetops/multi-server-pgfix-5-11:1.0 is a course image'],
  ])('any tag but latest is said: %j', (env, start) => {
    expect(course(readConfig({ GIT_SHA: SHA, IMAGE_PREFIX: 'ghcr.io/acme', ...env }, noGit).warnings)).toEqual([expect.stringMatching(new RegExp(`^${start.replace(/\./g, '\\.')} at a tag Docker Hub does not have`))]);
  });

  test('at latest, by digest, or under another owner, nothing is said', () => {
    for (const env of [{ IMAGE_TAG: 'latest' }, { CLIENT_IMAGE: `stephengrider/multi-client@sha256:${'b'.repeat(64)}`, IMAGE_PREFIX: 'acme' }, { IMAGE_PREFIX: 'stephengrider2' }]) {
      expect({ env, warnings: course(readConfig({ GIT_SHA: SHA, ...env }, noGit).warnings) }).toEqual({ env, warnings: [] });
    }
  });

  test('stephengrider/multi-server with postgres 14 or later: one line naming the fixed server', () => {
    expect(scram(readConfig({ IMAGE_TAG: 'latest' }, noGit).warnings)).toEqual([expect.stringContaining('cannot log in to postgres 17')]);
    expect(scram(readConfig({ IMAGE_TAG: 'latest', POSTGRES_IMAGE: 'postgres:14-alpine' }, noGit).warnings)).toEqual([expect.stringContaining(`set SERVER_IMAGE=${COURSE_FIXED_SERVER_IMAGE}`)]);
    expect(scram(readConfig({ SERVER_IMAGE: 'stephengrider/multi-server:latest', IMAGE_PREFIX: 'acme', GIT_SHA: SHA }, noGit).warnings)).toHaveLength(1);
  });

  test('postgres 13 or older (md5 passwords), or another server image: nothing is said', () => {
    expect(scram(readConfig({ IMAGE_TAG: 'latest', POSTGRES_IMAGE: 'postgres:13.16' }, noGit).warnings)).toEqual([]);
    expect(scram(readConfig({ IMAGE_TAG: 'latest', SERVER_IMAGE: COURSE_FIXED_SERVER_IMAGE }, noGit).warnings)).toEqual([]);
  });
});

describe('settings that do nothing with the others given: one warning line each', () => {
  const warningsOf = (env: NodeJS.ProcessEnv) => readConfig({ GIT_SHA: SHA, IMAGE_PREFIX: 'ghcr.io/acme', ...env }, noGit).warnings;

  test.each(['SERVER_REPLICAS_MIN', 'SERVER_REPLICAS_MAX', 'WORKER_REPLICAS_MIN', 'WORKER_REPLICAS_MAX'])('%s with ENVIRONMENT=dev or with PREVIEWS (no autoscaler), not in prod', (setting) => {
    // Within the other bound's default, so that prod accepts it too.
    const value = setting.endsWith('MIN') ? '2' : '8';
    expect(warningsOf({ ENVIRONMENT: 'dev', [setting]: value })).toEqual([`${setting} is set, but ENVIRONMENT=dev runs one pod of each component, with no autoscaler: it is used only by ENVIRONMENT=prod without PREVIEWS`]);
    expect(warningsOf({ PREVIEWS: 'pr-1', [setting]: value })).toEqual([`${setting} is set, but PREVIEWS runs one pod of each component, with no autoscaler: it is used only by ENVIRONMENT=prod without PREVIEWS`]);
    expect(warningsOf({ [setting]: value })).toEqual([]);
  });

  test.each(['dev', 'previews'])('one bound past the other\'s default in %s does nothing and is not refused: a warning, no problem', (where) => {
    const place = where === 'dev' ? { ENVIRONMENT: 'dev' } : { PREVIEWS: 'pr-1' };
    // SERVER's default MIN is 3, WORKER's default MAX is 4: prod refuses both (the rejected table above).
    for (const [setting, value] of [['SERVER_REPLICAS_MAX', '2'], ['WORKER_REPLICAS_MIN', '9']]) {
      const config = readConfig({ GIT_SHA: SHA, IMAGE_PREFIX: 'ghcr.io/acme', ...place, [setting]: value }, noGit);
      expect(config.warnings).toEqual([expect.stringMatching(new RegExp(`^${setting} is set, but .* runs one pod of each component, with no autoscaler`))]);
      expect(() => readConfig({ GIT_SHA: SHA, IMAGE_PREFIX: 'ghcr.io/acme', [setting]: value }, noGit)).toThrow(/exceeds/);
    }
  });

  test('PREVIEW_DOMAIN and PREVIEW_TLS_SECRET without PREVIEWS; not with', () => {
    expect(warningsOf({ PREVIEW_DOMAIN: 'preview.example.com' })).toEqual(['PREVIEW_DOMAIN is set without PREVIEWS: it is used only by previews']);
    expect(warningsOf({ PREVIEW_TLS_SECRET: 'wildcard' })).toEqual(['PREVIEW_TLS_SECRET is set without PREVIEWS: it is used only by previews']);
    expect(warningsOf({ PREVIEWS: 'pr-1', PREVIEW_DOMAIN: 'preview.example.com', PREVIEW_TLS_SECRET: 'wildcard' })).toEqual([]);
  });

  test.each(['GATEWAY_CLASS', 'GATEWAY_PROXY_NAMESPACE', 'GATEWAY_PROXY_LABELS', 'GATEWAY_PROXY_CIDRS'])('%s with ROUTING other than gateway; not with gateway', (setting) => {
    const value = { GATEWAY_CLASS: 'istio', GATEWAY_PROXY_NAMESPACE: 'proxies', GATEWAY_PROXY_LABELS: 'app=proxy', GATEWAY_PROXY_CIDRS: '10.0.0.0/8' }[setting]!;
    expect(warningsOf({ [setting]: value })).toEqual([`${setting} is set, but ROUTING=ingress-nginx: it is used only with ROUTING=gateway`]);
    expect(warningsOf({ ROUTING: 'gateway', [setting]: value })).toEqual([]);
  });

  test('GATEWAY with another ROUTING stays an error: it would move the route', () => {
    expect(problemsOf({ GIT_SHA: SHA, GATEWAY: 'infra/shared' })).toEqual(['GATEWAY is set with ROUTING=ingress-nginx: allowed only with ROUTING=gateway']);
  });

  test.each(['INGRESS_CONTROLLER_NAMESPACE', 'INGRESS_CONTROLLER_LABELS'])('%s with ROUTING=gateway (the proxies reach the app); not with ingress-nginx', (setting) => {
    const value = setting === 'INGRESS_CONTROLLER_NAMESPACE' ? 'edge' : 'app=x';
    expect(warningsOf({ ROUTING: 'gateway', [setting]: value })).toEqual([expect.stringMatching(new RegExp(`^${setting} is set, but ROUTING=gateway: .*used only with ROUTING=ingress-nginx$`))]);
    expect(warningsOf({ [setting]: value })).toEqual([]);
  });

  test('GATEWAY_CLASS with a shared GATEWAY whose proxies are all given: the class gives nothing', () => {
    const all = { ROUTING: 'gateway', GATEWAY: 'infra/shared', GATEWAY_PROXY_NAMESPACE: 'proxies', GATEWAY_PROXY_LABELS: 'app=proxy', GATEWAY_PROXY_CIDRS: '10.0.0.0/8' };
    expect(warningsOf({ ...all, GATEWAY_CLASS: 'istio' })).toEqual([expect.stringMatching(/^GATEWAY_CLASS is set, but with GATEWAY the class gives only the proxies' defaults.*: it does nothing$/)]);
    const { GATEWAY_PROXY_CIDRS: _cidrs, ...partial } = all;
    expect(warningsOf({ ...partial, GATEWAY_CLASS: 'gke-l7-gxlb' })).toEqual([]);
  });

  test('ACME_EMAIL with TLS=none', () => {
    expect(warningsOf({ ACME_EMAIL: 'ops@k8s-multi.com' })).toEqual([expect.stringMatching(/^ACME_EMAIL is set, but TLS=none: it is used only with TLS=letsencrypt/)]);
  });

  test('DEPLOYER_NAMESPACE with TLS=none: no ClusterRoleBinding names it (the output is the same without it)', () => {
    expect(warningsOf({ DEPLOYER: 'ci', DEPLOYER_NAMESPACE: 'multi-k8s' })).toEqual([expect.stringMatching(/^DEPLOYER_NAMESPACE is set, but with TLS=none .*: it is used only with TLS=letsencrypt or letsencrypt-staging$/)]);
    expect(warningsOf({ DEPLOYER: 'ci', DEPLOYER_NAMESPACE: 'multi-k8s', HOSTS: 'k8s-multi.com', ACME_EMAIL: 'ops@k8s-multi.com' })).toEqual([]);
  });

  test('ENVIRONMENT with PREVIEWS, which are dev apps whatever it says', () => {
    expect(warningsOf({ PREVIEWS: 'pr-1', ENVIRONMENT: 'prod' })).toEqual(['ENVIRONMENT is set, but PREVIEWS synthesizes every preview as a dev app: it does nothing with PREVIEWS']);
    expect(warningsOf({ ENVIRONMENT: 'prod' })).toEqual([]);
  });
});

describe('the settings table (--help, README)', () => {
  test('lists every variable config.ts reads, once, and nothing else', () => {
    const source = fs.readFileSync(path.join(__dirname, '../../lib/program/config.ts'), 'utf8');
    // A setting's name starts with a letter (Stryker's instrumented copy of the file also reads
    // env.__STRYKER_ACTIVE_MUTANT__, which is no setting).
    const read = new Set([...source.matchAll(/env\.([A-Z][A-Z_]*)/g), ...source.matchAll(/'([A-Z]+(?:_[A-Z]+)+)'/g)].map((m) => m[1]).filter((name) => !['ENVIRONMENT_NAMES'].includes(name)));
    for (const component of ['SERVER', 'WORKER']) for (const bound of ['MIN', 'MAX']) read.add(`${component}_REPLICAS_${bound}`);
    const names = SETTINGS.map((s) => s.name);
    expect(new Set(names).size).toBe(names.length);
    expect([...names].sort()).toEqual([...read].sort());
    for (const setting of SETTINGS) expect(setting.default.length * setting.allowed.length).toBeGreaterThan(0);
  });
});
