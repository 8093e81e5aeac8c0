import { execFileSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import { ConfigError, DEFAULT_IMAGE_PREFIX, echo, gitDirty, gitHead, maskCredentials, readConfig, TOOL_NAMESPACES } from '../../lib/program/config';
import { SHA, tempDir } from '../helpers';

const noGit = () => undefined;

function problemsOf(env: NodeJS.ProcessEnv, head: () => string | undefined = noGit): readonly string[] {
  try {
    readConfig(env, head);
  } catch (error) {
    expect(error).toBeInstanceOf(ConfigError);
    return (error as ConfigError).problems;
  }
  throw new Error('expected a ConfigError');
}

describe('readConfig', () => {
  test('GIT_SHA tags the images; the prefix defaults to the course account', () => {
    const config = readConfig({ GIT_SHA: SHA }, noGit);
    expect(config).toEqual({
      imagePrefix: DEFAULT_IMAGE_PREFIX, imageTag: SHA, imageTagSource: 'GIT_SHA', warnings: [], environment: 'prod', previews: [],
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
    const config = readConfig({}, () => head, () => false);
    expect(config.imageTag).toBe(head);
    expect(config.imageTagSource).toBe('git rev-parse HEAD');
    expect(config.warnings).toEqual([]);
  });

  test('HEAD of a work tree with uncommitted changes is used with a warning naming it', () => {
    const head = 'fedcba9876543210fedcba9876543210fedcba98';
    const config = readConfig({}, () => head, () => true);
    expect(config.imageTag).toBe(head);
    expect(config.warnings).toEqual([`the work tree has uncommitted changes to tracked files: the images are tagged with HEAD ${head}, which does not contain them; commit first, or set GIT_SHA`]);
  });

  test('a dirty work tree does not matter when GIT_SHA names the commit', () => {
    expect(readConfig({ GIT_SHA: SHA }, () => 'f'.repeat(40), () => true).warnings).toEqual([]);
  });

  test('GIT_SHA wins over HEAD', () => {
    expect(readConfig({ GIT_SHA: SHA }, () => 'f'.repeat(40), () => false).imageTag).toBe(SHA);
  });

  test('IMAGE_TAG overrides the SHA, with a warning', () => {
    const config = readConfig({ IMAGE_TAG: 'latest', GIT_SHA: SHA }, noGit);
    expect(config.imageTag).toBe('latest');
    expect(config.imageTagSource).toBe('IMAGE_TAG');
    expect(config.warnings).toEqual([expect.stringContaining('IMAGE_TAG="latest" overrides the commit SHA')]);
  });

  test.each(['ghcr.io/acme', 'localhost:5000/team/app', 'registry.example.com:443/a_b/c-d', 'us-docker.pkg.dev/proj/repo', 'my.name'])('IMAGE_PREFIX %s is accepted', (prefix) => {
    expect(readConfig({ GIT_SHA: SHA, IMAGE_PREFIX: prefix }, noGit).imagePrefix).toBe(prefix);
  });

  test.each([
    ['', 'is empty'],
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
    expect(problemsOf({})[0]).toContain('set GIT_SHA to the 40-character SHA of the commit being deployed, or IMAGE_TAG');
  });

  test('every bad variable is reported at once', () => {
    const problems = problemsOf({ GIT_SHA: 'nope', IMAGE_PREFIX: 'UPPER', IMAGE_TAG: '-x' });
    expect(problems.map((p) => p.split('=')[0])).toEqual(['IMAGE_PREFIX', 'GIT_SHA', 'IMAGE_TAG']);
    expect(() => readConfig({ GIT_SHA: 'nope' }, noGit)).toThrow(/invalid configuration:\n  - GIT_SHA="nope"/);
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
    expect(readConfig({ ...course, TLS: 'none' }, noGit).warnings).toEqual([expect.stringMatching(/^ACME_EMAIL is set, but TLS=none: it is used only with TLS=letsencrypt/)]);
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
    [{ HOSTS: 'a.com' }, 'ACME_EMAIL is not set: TLS=letsencrypt needs it'],
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
  const git = (dir: string, ...args: string[]) => execFileSync('git', ['-c', 'user.name=t', '-c', 'user.email=t@example.com', ...args], { cwd: dir, encoding: 'utf8' });

  test('is true when a tracked file changed, false when only untracked files were added', () => {
    const dir = tempDir();
    git(dir, 'init', '-q');
    fs.writeFileSync(path.join(dir, 'a'), 'a');
    git(dir, 'add', 'a');
    git(dir, 'commit', '-qm', 'a');
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
    const dir = tempDir();
    const git = (...args: string[]) => execFileSync('git', ['-c', 'user.name=t', '-c', 'user.email=t@example.com', ...args], { cwd: dir, encoding: 'utf8' }).trim();
    git('init', '-q');
    fs.writeFileSync(path.join(dir, 'a'), 'a');
    git('add', 'a');
    git('commit', '-qm', 'a');
    expect(gitHead(dir)).toBe(git('rev-parse', 'HEAD'));
    expect(gitHead(dir)).toMatch(/^[0-9a-f]{40}$/);
  });

  test('is undefined outside a repository, and in one without a commit', () => {
    const dir = tempDir();
    expect(gitHead(dir)).toBeUndefined();
    execFileSync('git', ['init', '-q'], { cwd: dir });
    expect(gitHead(dir)).toBeUndefined();
  });
});
