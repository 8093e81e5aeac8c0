import { execFileSync } from 'child_process';
import { isIPv4, isIPv6 } from 'net';
import type { AppImages } from '../components/chart';
import type { GatewayReference } from '../components/contracts';
import { DEFAULT_GATEWAY_CLASS, GATEWAY_NAME } from '../components/gateway-route';
import type { EntryPeer, IngressControllerPeer } from '../components/network-policies';
import { POSTGRES_IMAGE, postgresMajor } from '../components/postgres';
import { maskCredentials } from '../validate/echo';
import { isDnsLabel, isDnsSubdomain, isLabelValue, labelKeyProblem } from '../validate/names';
import { BoundsOverride, ENVIRONMENT_NAMES, ENVIRONMENT_TABLE, EnvironmentName, PREVIEW_ENVIRONMENT } from './environments';

/** One setting as `npm run synth -- --help` lists it. */
export interface SettingHelp {
  /** The environment variable. */
  readonly name: string;
  /** What it is when unset. */
  readonly default: string;
  /** The values it takes, and what they do. */
  readonly allowed: string;
}

/**
 * Every setting readConfig reads, with its default and allowed values: the synth's --help prints
 * this table, and tests hold it to the README's Configuration table and to the variables this
 * file reads, so that none of the three can drift from the others.
 */
export const SETTINGS: readonly SettingHelp[] = [
  { name: 'GIT_SHA', default: 'git rev-parse HEAD of the checkout (not needed when CLIENT_IMAGE, SERVER_IMAGE and WORKER_IMAGE are all set)', allowed: 'the full 40-character hexadecimal commit SHA; tags the client, server and worker images' },
  { name: 'IMAGE_PREFIX', default: 'stephengrider (the course\'s Docker Hub account)', allowed: '[registry[:port]/]owner[/path], lowercase, e.g. ghcr.io/acme; not ending with an image name (multi-client, multi-server, multi-worker): name whole images with CLIENT_IMAGE, SERVER_IMAGE, WORKER_IMAGE' },
  { name: 'IMAGE_TAG', default: 'unset', allowed: 'a Docker tag (1-128 of A-Z a-z 0-9 _ . -, not starting with . or -); overrides the SHA on purpose, with a warning' },
  { name: 'CLIENT_IMAGE', default: 'unset: <IMAGE_PREFIX>/multi-client:<tag>', allowed: 'a whole image reference, [registry[:port]/]path:tag, path@sha256:<64 hex> or path:tag@sha256:<64 hex> (a tag or digest is required), e.g. stephengrider/multi-client:latest' },
  { name: 'SERVER_IMAGE', default: 'unset: <IMAGE_PREFIX>/multi-server:<tag>', allowed: 'a whole image reference, as CLIENT_IMAGE, e.g. cygnetops/multi-server-pgfix-5-11:latest (the course\'s server fixed for postgres 14 and later)' },
  { name: 'WORKER_IMAGE', default: 'unset: <IMAGE_PREFIX>/multi-worker:<tag>', allowed: 'a whole image reference, as CLIENT_IMAGE, e.g. stephengrider/multi-worker:latest' },
  { name: 'ENVIRONMENT', default: 'prod', allowed: 'prod or dev (see Environments); not used with PREVIEWS' },
  { name: 'PREVIEWS', default: 'unset', allowed: 'comma-separated preview names, each a DNS label of at most 50 characters other than prod and dev, each once, at most 500; not default, kube-*, the namespaces of the tools the README uses or those INGRESS_CONTROLLER_NAMESPACE, GATEWAY, GATEWAY_PROXY_NAMESPACE name' },
  { name: 'PREVIEW_DOMAIN', default: 'preview.multi-k8s.local', allowed: 'a DNS name; previews answer at <name>.<PREVIEW_DOMAIN>' },
  { name: 'SERVER_REPLICAS_MIN', default: '3', allowed: 'a whole number 1-999, at most SERVER_REPLICAS_MAX (prod autoscaler)' },
  { name: 'SERVER_REPLICAS_MAX', default: '6', allowed: 'a whole number 1-999 (prod autoscaler)' },
  { name: 'WORKER_REPLICAS_MIN', default: '1', allowed: 'a whole number 1-999, at most WORKER_REPLICAS_MAX (prod autoscaler)' },
  { name: 'WORKER_REPLICAS_MAX', default: '4', allowed: 'a whole number 1-999 (prod autoscaler)' },
  { name: 'INGRESS_CONTROLLER_NAMESPACE', default: 'ingress-nginx', allowed: 'a namespace name' },
  { name: 'INGRESS_CONTROLLER_LABELS', default: 'app.kubernetes.io/name=ingress-nginx', allowed: 'key=value[,key=value...]: labels of the controller\'s pods' },
  { name: 'POSTGRES_IMAGE', default: 'postgres:17.6', allowed: 'a postgres image whose tag starts with its major version (postgres:16-alpine, postgres:18.1, optionally @sha256:...), major 9 or later; keep the major your database runs' },
  { name: 'DEPLOYER', default: 'unset', allowed: 'ci: a ServiceAccount for CI with the least rights' },
  { name: 'DEPLOYER_NAMESPACE', default: 'unset', allowed: 'with DEPLOYER=ci only, not with PREVIEWS: the namespace the output is applied to; required with TLS=letsencrypt or letsencrypt-staging' },
  { name: 'HOSTS', default: 'unset: any host, plain HTTP (as the course\'s Ingress)', allowed: 'comma-separated lowercase DNS names the app answers for, e.g. k8s-multi.com,www.k8s-multi.com; not with PREVIEWS' },
  { name: 'TLS', default: 'letsencrypt when HOSTS is set (and no shared GATEWAY), else none', allowed: 'letsencrypt, letsencrypt-staging or none; the two letsencrypt values need HOSTS and ACME_EMAIL' },
  { name: 'ACME_EMAIL', default: 'unset', allowed: 'an e-mail address: the Let\'s Encrypt account, told of expiring certificates' },
  { name: 'ROUTING', default: 'ingress-nginx', allowed: 'ingress-nginx (the course\'s Ingress) or gateway (Gateway API)' },
  { name: 'GATEWAY_CLASS', default: 'eg (Envoy Gateway)', allowed: 'a GatewayClass name (ROUTING=gateway), e.g. gke-l7-global-external-managed' },
  { name: 'GATEWAY', default: 'unset: the chart creates Gateway multi-k8s', allowed: 'namespace/name of an existing, shared Gateway (ROUTING=gateway only)' },
  { name: 'GATEWAY_PROXY_NAMESPACE', default: 'by GATEWAY_CLASS', allowed: 'a namespace: where the Gateway\'s proxy pods run (ROUTING=gateway)' },
  { name: 'GATEWAY_PROXY_LABELS', default: 'by GATEWAY_CLASS', allowed: 'key=value[,key=value...]: labels of the Gateway\'s proxy pods (ROUTING=gateway)' },
  { name: 'GATEWAY_PROXY_CIDRS', default: 'by GATEWAY_CLASS', allowed: 'comma-separated CIDRs a load balancer reaches the pods from (empty: none; ROUTING=gateway)' },
  { name: 'PREVIEW_TLS_SECRET', default: 'unset: previews serve plain HTTP', allowed: 'the name of a kubernetes.io/tls Secret for *.<PREVIEW_DOMAIN> that you create in each preview namespace (PREVIEWS)' },
];

/** Bounds of an autoscaler. */
export type ReplicaRange = BoundsOverride;

/** Everything the program reads from its environment, parsed and checked. */
export interface AppConfig {
  /**
   * The client, server and worker images as whole references: the one place settings become
   * image references (CLIENT_IMAGE, SERVER_IMAGE, WORKER_IMAGE, else `<imagePrefix>/multi-<name>:<imageTag>`).
   */
  readonly images: AppImages;
  /** Registry and owner of the app images, e.g. `stephengrider` or `ghcr.io/acme`. */
  readonly imagePrefix: string;
  /** Tag of the app images the prefix names; undefined when CLIENT_IMAGE, SERVER_IMAGE and WORKER_IMAGE name all three. */
  readonly imageTag?: string;
  /** Where the tag came from, for the synth summary; undefined with no tag. */
  readonly imageTagSource?: 'GIT_SHA' | 'git rev-parse HEAD' | 'IMAGE_TAG';
  /** Messages the user should see, such as an overridden tag. */
  readonly warnings: readonly string[];
  /** `prod`: the production defaults; `dev`: one replica each, no autoscalers or disruption budgets. */
  readonly environment: EnvironmentName;
  /** Names of preview environments, each synthesized into a namespace of that name; empty for none. */
  readonly previews: readonly string[];
  /** Previews are served at `<name>.<previewDomain>`. */
  readonly previewDomain: string;
  /** Where the ingress controller runs, for the NetworkPolicies that let it reach the app. */
  readonly ingressController: IngressControllerConfig;
  /** The postgres image, tagged with its major version; keep the major a live database runs. */
  readonly postgresImage: string;
  /** Host names the app answers for; empty for any host. */
  readonly hosts: readonly string[];
  /** Where the app's certificate comes from: Let's Encrypt (production or staging) through cert-manager, or none. */
  readonly tls: TlsSetting;
  /** The ACME account's e-mail, for the two Let's Encrypt settings. */
  readonly acmeEmail?: string;
  /** Served through an ingress-nginx Ingress, or through Gateway API. */
  readonly routing: Routing;
  /** The GatewayClass of the Gateway the chart creates (or of the shared GATEWAY, for its data plane's defaults). */
  readonly gatewayClass: string;
  /** An existing, shared Gateway to attach the routes to instead of creating one. */
  readonly gateway?: GatewayReference;
  /** The Gateway's data plane (its proxies' pods, or a load balancer's source ranges), for the NetworkPolicies. */
  readonly gatewayDataPlane: Omit<EntryPeer, 'name'>;
  /** A wildcard certificate Secret for `*.<previewDomain>` the operator creates in each preview namespace; unset: previews serve plain HTTP. */
  readonly previewTlsSecret?: string;
  /** Replica bounds of the API server's autoscaler (prod). */
  readonly serverReplicas: ReplicaRange;
  /** Replica bounds of the worker's autoscaler (prod). */
  readonly workerReplicas: ReplicaRange;
  /** Emit a least-privilege ServiceAccount, Role and bindings for CI to deploy with (DEPLOYER=ci). */
  readonly deployer: boolean;
  /**
   * The namespace the main environment is applied to, where its deployer's ServiceAccount lives
   * (DEPLOYER_NAMESPACE): a ClusterRoleBinding, which grants the rights on cluster-scoped objects
   * (a ClusterIssuer), must name it. Unset unless given; previews' deployers live in their own.
   */
  readonly deployerNamespace?: string;
}

export type { AppImages, EnvironmentName };

export const TLS_SETTINGS = ['letsencrypt', 'letsencrypt-staging', 'none'] as const;
/** TLS: Let's Encrypt production, Let's Encrypt staging (untrusted certificates, generous rate limits), or plain HTTP. */
export type TlsSetting = (typeof TLS_SETTINGS)[number];
export const ROUTINGS = ['ingress-nginx', 'gateway'] as const;
/** ROUTING: an Ingress for ingress-nginx, or Gateway API routes. */
export type Routing = (typeof ROUTINGS)[number];

/**
 * GATEWAY_CLASS's default, `eg`: Envoy Gateway's quickstart class. The README runs the Gateway
 * route on minikube with Envoy Gateway; on GKE the class is one variable away
 * (gke-l7-global-external-managed, whose Gateway is a Google Cloud load balancer that costs money).
 */
export { DEFAULT_GATEWAY_CLASS };

// docs.cloud.google.com/load-balancing/docs/firewall-rules: the global external Application Load
// Balancers (and the classic one) reach zonal-NEG backends, which GKE's container-native load
// balancing uses, from the Google Front End ranges, the same as their health checks.
const GOOGLE_FRONT_ENDS = ['35.191.0.0/16', '130.211.0.0/22'];

/**
 * Where a GatewayClass's data plane sends requests from, for the NetworkPolicies, by class;
 * GATEWAY_PROXY_NAMESPACE, GATEWAY_PROXY_LABELS and GATEWAY_PROXY_CIDRS replace any part.
 */
export const GATEWAY_DATA_PLANES: Readonly<Record<string, (gateway: GatewayReference) => Omit<EntryPeer, 'name'>>> = {
  // Envoy Gateway (gateway.envoyproxy.io, deployment mode "controller namespace", its default):
  // the proxies run in the controller's namespace, labelled with the Gateway they serve.
  eg: (gateway) => ({ pods: { namespace: 'envoy-gateway-system', podLabels: { 'gateway.envoyproxy.io/owning-gateway-name': gateway.name } } }),
  'gke-l7-global-external-managed': () => ({ cidrs: GOOGLE_FRONT_ENDS }),
  'gke-l7-gxlb': () => ({ cidrs: GOOGLE_FRONT_ENDS }),
};
/**
 * Any other class: Gateway API's convention (GEP-1762, in-cluster Gateway deployments) of proxies
 * in the Gateway's own namespace labelled `gateway.networking.k8s.io/gateway-name` (Istio, NGINX
 * Gateway Fabric, and Envoy Gateway in its "gateway namespace" mode).
 */
export function conventionDataPlane(gateway: GatewayReference): Omit<EntryPeer, 'name'> {
  return { pods: { namespace: gateway.namespace, podLabels: { 'gateway.networking.k8s.io/gateway-name': gateway.name } } };
}

/** The ingress controller's namespace and the labels of its pods. */
export type IngressControllerConfig = IngressControllerPeer;

/** ingress-nginx's own namespace and pod label, which minikube's ingress addon uses too. */
export const DEFAULT_INGRESS_CONTROLLER: IngressControllerConfig = { namespace: 'ingress-nginx', podLabels: { 'app.kubernetes.io/name': 'ingress-nginx' } };
/** The prod row's autoscaler bounds, which SERVER_REPLICAS_* and WORKER_REPLICAS_* replace. */
const DEFAULT_SERVER_REPLICAS: ReplicaRange = ENVIRONMENT_TABLE.prod.server.autoscale;
const DEFAULT_WORKER_REPLICAS: ReplicaRange = ENVIRONMENT_TABLE.prod.worker.autoscale;

/** More preview namespaces than this in one run is a typo more often than a plan. */
export const MAX_PREVIEWS = 500;

/** A configuration mistake: lists every problem found, each naming its variable. */
export class ConfigError extends Error {
  constructor(public readonly problems: readonly string[]) {
    super(`invalid configuration:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
    this.name = 'ConfigError';
  }
}

export const DEFAULT_IMAGE_PREFIX = 'stephengrider';

const GIT_SHA = /^[0-9a-f]{40}$/i;
// Docker's reference grammar (distribution/reference): a tag, a registry host, a path component.
const TAG = /^[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}$/;
const DOMAIN_COMPONENT = '(?:[A-Za-z0-9]|[A-Za-z0-9][A-Za-z0-9-]*[A-Za-z0-9])';
const REGISTRY = new RegExp(`^(?:localhost|${DOMAIN_COMPONENT}(?:\\.${DOMAIN_COMPONENT})*)(?::[0-9]+)?$`);
const PATH_COMPONENT = /^[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*$/;
// The longest app image name, `<prefix>/multi-client`, must stay within Docker's 255 characters.
const MAX_PREFIX_LENGTH = 255 - '/multi-client'.length;

/**
 * A value from the environment as it may be echoed in a message: JSON-quoted, so control
 * characters show as `\n` or `\u001b` instead of moving the cursor or recolouring the terminal,
 * and with the password of any `user:password@` (a URL's or a registry's credentials) masked.
 */
export function echo(value: string): string {
  return JSON.stringify(maskCredentials(value));
}

/** A value of plain lowercase name characters as it is (as in `TLS=none`), any other as shownValue shows it. */
function plainOrShown(value: string): string {
  return /^[a-z0-9.-]{1,63}$/.test(value) ? value : shownValue(value);
}

/** Longest echo of a value in a message; a longer one keeps its start and end and says its length. */
const MAX_ECHO = 160;

/** A value as a message shows it: `echo`ed (control characters escaped, passwords masked), shortened when long. */
export function shownValue(value: string): string {
  const text = echo(value);
  return text.length <= MAX_ECHO ? text : `${text.slice(0, MAX_ECHO - 33)}…${text.slice(-32)} (${value.length} characters)`;
}

// `user:password@host`, alone or after `scheme://`; not `name:tag@sha256:<hex>`, an image digest.
// The validator's masking (lib/validate/echo.ts), one linear pass: the regular expression this
// replaced backtracked quadratically (one bad 100 KB IMAGE_TAG took 31 s before its error).
export { maskCredentials };

/** Reads `git rev-parse HEAD` of the working directory, or undefined outside a repository. */
export function gitHead(cwd: string = process.cwd()): string | undefined {
  try {
    return execFileSync('git', ['rev-parse', 'HEAD'], { cwd, encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim();
  } catch {
    return undefined;
  }
}

/**
 * Whether tracked files of the work tree differ from HEAD (`git status --porcelain
 * --untracked-files=no` prints anything); false outside a repository, where there is no HEAD.
 */
export function gitDirty(cwd: string = process.cwd()): boolean {
  try {
    return execFileSync('git', ['status', '--porcelain', '--untracked-files=no'], { cwd, encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim() !== '';
  } catch {
    return false;
  }
}

/**
 * Namespaces of tools the README installs or names, which a preview must not be named after:
 * ingress-nginx's (and minikube's ingress addon's), cert-manager's, Argo CD's, Flux's, Envoy
 * Gateway's (GATEWAY_CLASS=eg, where its proxies run too) and the README's main environment's
 * (`kubectl create namespace multi-k8s`). No list is complete: the preview's own check
 * (lib/program/open-preview-command.ts) refuses any existing namespace this app did not create.
 */
export const TOOL_NAMESPACES = ['ingress-nginx', 'cert-manager', 'argocd', 'flux-system', 'envoy-gateway-system', 'multi-k8s'] as const;

/** Namespaces the settings name (the ingress controller's, the shared Gateway's, its proxies'), by the setting that names each. */
export type NamedNamespaces = readonly (readonly [setting: string, namespace: string | undefined])[];

/**
 * Namespaces a preview must not be named after: a preview owns its Namespace, and closing it
 * deletes that Namespace with everything in it. `default`, `kube-system` and `kube-public` are the
 * API server's own (k8s.io/kubernetes plugin/pkg/admission/namespace/lifecycle: immortal
 * namespaces), `kube-node-lease` is the kubelets' (k8s.io/api core/v1 NamespaceNodeLease); the
 * `kube-` prefix is reserved for Kubernetes system namespaces (kubernetes.io docs, Concepts >
 * Namespaces); then TOOL_NAMESPACES and the namespaces the settings name.
 */
export function previewNameProblem(name: string, named: NamedNamespaces): string | undefined {
  if (name === 'default' || name.startsWith('kube-')) return 'a namespace Kubernetes owns';
  const setting = named.find(([, namespace]) => namespace === name);
  if (setting) return `the namespace ${setting[0]} names`;
  if ((TOOL_NAMESPACES as readonly string[]).includes(name)) return 'the namespace of a tool the README uses';
  return undefined;
}

/**
 * Parses and checks the environment, reading each setting SETTINGS lists once (a value that changed between reads, from a getter or a live store, would be judged as one value and echoed or used as another). Throws a ConfigError naming every bad variable.
 * @param readGitHead how to find the checkout's commit when GIT_SHA is not set
 * @param readGitDirty whether the checkout has uncommitted changes, asked only when HEAD is used
 */
export function readConfig(source: NodeJS.ProcessEnv, readGitHead: () => string | undefined = gitHead, readGitDirty: () => boolean = gitDirty): AppConfig {
  const env: NodeJS.ProcessEnv = Object.fromEntries(SETTINGS.map(({ name }) => [name, source[name]]));
  const problems: string[] = [];
  const warnings: string[] = [];

  const images = readImages(env, problems, warnings, readGitHead, readGitDirty);

  const environment = (env.ENVIRONMENT ?? 'prod') as EnvironmentName;
  if (!ENVIRONMENT_NAMES.includes(environment)) problems.push(`ENVIRONMENT=${shownValue(environment)} is not an environment: allowed are ${ENVIRONMENT_NAMES.join(', ')}`);

  const previews = (env.PREVIEWS ?? '').split(',').map((name) => name.trim()).filter((name) => name !== '');
  const badPreview = previews.find((name) => !isDnsLabel(name, 50));
  if (badPreview !== undefined) {
    problems.push(`PREVIEWS has ${shownValue(badPreview)}, which is not a namespace name: allowed is a comma-separated list of DNS labels (a-z 0-9 -, at most 50 characters, starting and ending with a-z or 0-9)`);
  }
  const duplicate = previews.find((name, i) => previews.indexOf(name) !== i);
  if (duplicate !== undefined) problems.push(`PREVIEWS names ${shownValue(duplicate)} twice: allowed is each name once`);
  // A preview's name is its objects' app.kubernetes.io/instance label, which a pruning apply of the
  // main environment selects by (lib/program/ownership.ts): it must not be an environment's name.
  const envNamed = previews.find((name) => (ENVIRONMENT_NAMES as readonly string[]).includes(name));
  if (envNamed !== undefined) problems.push(`PREVIEWS has ${shownValue(envNamed)}, which is an environment's name: allowed are names other than ${ENVIRONMENT_NAMES.join(', ')}`);
  if (previews.length > MAX_PREVIEWS) problems.push(`PREVIEWS names ${previews.length} environments: allowed are at most ${MAX_PREVIEWS}`);

  const previewDomain = env.PREVIEW_DOMAIN ?? 'preview.multi-k8s.local';
  if (!isDnsSubdomain(previewDomain, 190)) {
    problems.push(`PREVIEW_DOMAIN=${shownValue(previewDomain)} is not a DNS name: allowed are lowercase a-z 0-9 - . (e.g. preview.example.com)`);
  }

  const controllerNamespace = env.INGRESS_CONTROLLER_NAMESPACE ?? DEFAULT_INGRESS_CONTROLLER.namespace;
  if (!isDnsLabel(controllerNamespace)) {
    problems.push(`INGRESS_CONTROLLER_NAMESPACE=${shownValue(controllerNamespace)} is not a namespace name: allowed is a DNS label (a-z 0-9 -, at most 63 characters)`);
  }
  const podLabels = env.INGRESS_CONTROLLER_LABELS === undefined ? DEFAULT_INGRESS_CONTROLLER.podLabels : parseLabels(env.INGRESS_CONTROLLER_LABELS);
  if (!podLabels) {
    problems.push(`INGRESS_CONTROLLER_LABELS=${shownValue(env.INGRESS_CONTROLLER_LABELS ?? '')} is not a label list: allowed is key=value[,key=value...], each key once (e.g. app.kubernetes.io/name=ingress-nginx)`);
  }

  const postgresImage = env.POSTGRES_IMAGE ?? POSTGRES_IMAGE;
  const postgresProblem = checkPostgresImage(postgresImage);
  if (postgresProblem) problems.push(`POSTGRES_IMAGE=${shownValue(postgresImage)} ${postgresProblem}`);

  // Only the prod row has autoscalers (lib/program/environments.ts); previews are dev apps.
  const autoscaled = environment === 'prod' && previews.length === 0;
  const serverReplicas = readRange(env, 'SERVER', DEFAULT_SERVER_REPLICAS, autoscaled, problems);
  const workerReplicas = readRange(env, 'WORKER', DEFAULT_WORKER_REPLICAS, autoscaled, problems);
  if (env.DEPLOYER !== undefined && env.DEPLOYER !== 'ci') problems.push(`DEPLOYER=${shownValue(env.DEPLOYER)} is not a deployer: allowed is ci (a ServiceAccount for CI with the least rights), or unset`);
  const https = readHttps(env, previews, problems, warnings);
  // After readHttps: the shared Gateway's namespace and its proxies' are known only there.
  const named: NamedNamespaces = [
    ['INGRESS_CONTROLLER_NAMESPACE', controllerNamespace], ['GATEWAY', https.gateway?.namespace],
    ['GATEWAY_PROXY_NAMESPACE (or GATEWAY_CLASS\'s default)', https.gatewayDataPlane.pods?.namespace], ['DEPLOYER_NAMESPACE', env.DEPLOYER_NAMESPACE],
  ];
  for (const name of previews.filter((n) => n !== badPreview)) {
    const reserved = previewNameProblem(name, named);
    if (reserved !== undefined) {
      problems.push(`PREVIEWS has ${shownValue(name)}, ${reserved}: closing the preview would delete that namespace; allowed are names other than default, kube-*, ${TOOL_NAMESPACES.join(', ')} and the namespaces of INGRESS_CONTROLLER_NAMESPACE, GATEWAY, GATEWAY_PROXY_NAMESPACE`);
    }
  }
  const deployerNamespace = readDeployerNamespace(env, previews, https.tls, problems);

  if (problems.length > 0) throw new ConfigError(problems);
  warnings.push(...imageWarnings(images.images, postgresImage), ...unusedSettings(env, environment, previews, https));
  return {
    ...images, warnings, environment, previews, previewDomain,
    ingressController: { namespace: controllerNamespace, podLabels: podLabels! }, ...https, serverReplicas, workerReplicas, postgresImage,
    deployer: env.DEPLOYER === 'ci', ...(deployerNamespace !== undefined ? { deployerNamespace } : {}),
  };
}

/**
 * Settings that are valid but do nothing with the others given, one line each: a setting that
 * is silently ignored reads as applied. (PREVIEW_TLS_SECRET without PREVIEWS and ACME_EMAIL
 * without Let's Encrypt are said in readHttps, the *_IMAGE overrides in readImages.)
 */
function unusedSettings(env: NodeJS.ProcessEnv, environment: EnvironmentName, previews: readonly string[], https: HttpsConfig): string[] {
  const warnings: string[] = [];
  const given = (...settings: string[]) => settings.filter((setting) => env[setting] !== undefined);
  const replicas = given('SERVER_REPLICAS_MIN', 'SERVER_REPLICAS_MAX', 'WORKER_REPLICAS_MIN', 'WORKER_REPLICAS_MAX');
  // Only the prod row has autoscalers (lib/program/environments.ts); previews are dev apps.
  if (previews.length > 0 || environment !== 'prod') {
    const where = previews.length > 0 ? 'PREVIEWS runs' : `ENVIRONMENT=${environment} runs`;
    for (const setting of replicas) warnings.push(`${setting} is set, but ${where} one pod of each component, with no autoscaler: it is used only by ENVIRONMENT=prod without PREVIEWS`);
  }
  if (previews.length > 0 && env.ENVIRONMENT !== undefined) {
    warnings.push(`ENVIRONMENT is set, but PREVIEWS synthesizes every preview as a ${PREVIEW_ENVIRONMENT} app: it does nothing with PREVIEWS`);
  }
  if (previews.length === 0 && env.PREVIEW_DOMAIN !== undefined) warnings.push('PREVIEW_DOMAIN is set without PREVIEWS: it is used only by previews');
  // The deployer's namespace goes only into the ClusterRoleBinding for the ClusterIssuer (lib/components/deployer.ts).
  if (env.DEPLOYER === 'ci' && env.DEPLOYER_NAMESPACE !== undefined && previews.length === 0 && https.tls === 'none') {
    warnings.push('DEPLOYER_NAMESPACE is set, but with TLS=none the output has nothing cluster-wide, so the deployer needs no ClusterRoleBinding to name it: it is used only with TLS=letsencrypt or letsencrypt-staging');
  }
  if (https.routing !== 'gateway') {
    // GATEWAY itself is refused there (readHttps): it would change where the route attaches.
    for (const setting of given('GATEWAY_CLASS', 'GATEWAY_PROXY_NAMESPACE', 'GATEWAY_PROXY_LABELS', 'GATEWAY_PROXY_CIDRS')) {
      warnings.push(`${setting} is set, but ROUTING=${https.routing}: it is used only with ROUTING=gateway`);
    }
  } else {
    for (const setting of given('INGRESS_CONTROLLER_NAMESPACE', 'INGRESS_CONTROLLER_LABELS')) {
      warnings.push(`${setting} is set, but ROUTING=gateway: the Gateway's proxies reach the app, not the ingress controller; it is used only with ROUTING=ingress-nginx`);
    }
    // With a shared GATEWAY the class only gives the data plane's defaults, which these three replace.
    if (https.gateway && given('GATEWAY_CLASS', 'GATEWAY_PROXY_NAMESPACE', 'GATEWAY_PROXY_LABELS', 'GATEWAY_PROXY_CIDRS').length === 4) {
      warnings.push('GATEWAY_CLASS is set, but with GATEWAY the class gives only the proxies\' defaults, which GATEWAY_PROXY_NAMESPACE, GATEWAY_PROXY_LABELS and GATEWAY_PROXY_CIDRS all replace: it does nothing');
    }
  }
  return warnings;
}

/** The settings that name one app image each, whole. */
export const IMAGE_SETTINGS: Readonly<Record<keyof AppImages, string>> = { client: 'CLIENT_IMAGE', server: 'SERVER_IMAGE', worker: 'WORKER_IMAGE' };
const APP_COMPONENTS: readonly ('client' | 'server' | 'worker')[] = ['client', 'server', 'worker'];

/**
 * The course's public images (Docker Hub), which are published with the tag `latest` only: the
 * course's deploy script pushes `latest` and its own commits' SHAs, and students were told to
 * `kubectl set image deployments/server-deployment server=cygnetops/multi-server-pgfix-5-11`.
 */
export const COURSE_IMAGES = ['stephengrider/multi-client', 'stephengrider/multi-server', 'stephengrider/multi-worker', 'cygnetops/multi-server-pgfix-5-11'] as const;
/** The course's server with node-postgres 8, which logs in to postgres 14 and later (SCRAM). */
export const COURSE_FIXED_SERVER_IMAGE = 'cygnetops/multi-server-pgfix-5-11:latest';
/** The course's own server image, whose node-postgres 7.4.3 cannot log in with SCRAM. */
const COURSE_SERVER = 'stephengrider/multi-server';
/** postgres 14 made scram-sha-256 the default password_encryption (PostgreSQL 14 release notes, "Migration to Version 14"). */
const FIRST_SCRAM_MAJOR = 14;

/** An image reference, split as Docker's reference grammar splits it (distribution/reference). */
export interface ImageReference {
  /** `[registry[:port]/]path`. */
  readonly name: string;
  readonly tag?: string;
  /** `sha256:<64 hex>`. */
  readonly digest?: string;
}

const DIGEST = /^sha256:[0-9a-f]{64}$/;
const IMAGE_ALLOWED = 'allowed is [registry[:port]/]path:tag, path@sha256:<64 hex> or path:tag@sha256:<64 hex>, with a lowercase path (a-z 0-9, . _ - inside components) and a tag of 1 to 128 of A-Z a-z 0-9 _ . - not starting with . or -, e.g. ghcr.io/acme/multi-server:v1.2';

/**
 * Splits a whole image reference (distribution/reference's grammar: `name[:tag][@digest]`, a name
 * of at most 255 characters), or says what is wrong with it. A reference with neither tag nor
 * digest is refused: the container runtime would read it as `latest` without saying so.
 */
export function parseImageReference(reference: string): ImageReference | string {
  const at = reference.indexOf('@');
  const digest = at < 0 ? undefined : reference.slice(at + 1);
  if (digest !== undefined && !DIGEST.test(digest)) return `has an invalid digest after @: ${IMAGE_ALLOWED}`;
  const rest = at < 0 ? reference : reference.slice(0, at);
  const colon = rest.lastIndexOf(':');
  const tagged = colon > rest.lastIndexOf('/');
  const tag = tagged ? rest.slice(colon + 1) : undefined;
  const name = tagged ? rest.slice(0, colon) : rest;
  if (tag !== undefined && !TAG.test(tag)) return `has an invalid tag: ${IMAGE_ALLOWED}`;
  // `:latest` or `@sha256:...` alone (CLIENT_IMAGE=$NAME:latest with NAME empty) is not an empty value.
  if (name === '' && reference !== '') return `has no image name before its tag or digest: ${IMAGE_ALLOWED}`;
  const nameProblem = repositoryProblem(name, 255, IMAGE_ALLOWED);
  if (nameProblem) return nameProblem;
  if (tag === undefined && digest === undefined) return `names no tag or digest, which would mean latest without saying so: ${IMAGE_ALLOWED}`;
  return { name, ...(tag !== undefined ? { tag } : {}), ...(digest !== undefined ? { digest } : {}) };
}

/** A Docker Hub image's name as Docker Hub itself spells it: `docker.io/acme/x` is `acme/x`. */
function hubName(name: string): string {
  return name.replace(/^(?:docker\.io|index\.docker\.io|registry-1\.docker\.io)\//, '');
}

/**
 * CLIENT_IMAGE, SERVER_IMAGE, WORKER_IMAGE, IMAGE_PREFIX, IMAGE_TAG and GIT_SHA, turned into the
 * three app image references. With all three *_IMAGE given, no tag (nor git) is needed.
 */
function readImages(env: NodeJS.ProcessEnv, problems: string[], warnings: string[], readGitHead: () => string | undefined, readGitDirty: () => boolean)
  : Pick<AppConfig, 'images' | 'imagePrefix' | 'imageTag' | 'imageTagSource'> {
  const imagePrefix = env.IMAGE_PREFIX ?? DEFAULT_IMAGE_PREFIX;
  const prefixProblem = checkImagePrefix(imagePrefix);
  if (prefixProblem) problems.push(`IMAGE_PREFIX=${shownValue(imagePrefix)} ${prefixProblem}`);
  const imageName = imagePrefix.split('/').pop();
  if (!prefixProblem && APP_COMPONENTS.some((component) => imageName === `multi-${component}`)) {
    problems.push(`IMAGE_PREFIX=${shownValue(imagePrefix)} ends with an image's name (${imageName}): the app's images are <IMAGE_PREFIX>/multi-client, /multi-server and /multi-worker; `
      + 'allowed is the registry and owner alone (e.g. myname), or CLIENT_IMAGE, SERVER_IMAGE and WORKER_IMAGE to name whole images (e.g. CLIENT_IMAGE=myname/multi-client:v1)');
  }

  const given: Partial<Record<keyof AppImages, string>> = {};
  for (const component of APP_COMPONENTS) {
    const setting = IMAGE_SETTINGS[component];
    const value = env[setting];
    if (value === undefined) continue;
    const parsed = parseImageReference(value);
    if (typeof parsed === 'string') problems.push(`${setting}=${shownValue(value)} ${parsed}`);
    else given[component] = value;
  }
  const allGiven = APP_COMPONENTS.every((component) => env[IMAGE_SETTINGS[component]] !== undefined);

  const gitSha = env.GIT_SHA;
  if (gitSha !== undefined && !GIT_SHA.test(gitSha)) {
    problems.push(`GIT_SHA=${shownValue(gitSha)} is not a commit SHA: allowed is the full 40-character hexadecimal SHA (git rev-parse HEAD)`);
  }
  const override = env.IMAGE_TAG;
  if (override !== undefined && !TAG.test(override)) {
    problems.push(`IMAGE_TAG=${shownValue(override)} is not a valid image tag: allowed are 1 to 128 of A-Z a-z 0-9 _ . -, not starting with . or -`);
  }

  let imageTag: string | undefined;
  let imageTagSource: AppConfig['imageTagSource'];
  if (allGiven) {
    // Nothing is tagged from the prefix: the commit is not asked for, and what names it does nothing.
    for (const setting of ['IMAGE_PREFIX', 'IMAGE_TAG', 'GIT_SHA']) {
      if (env[setting] !== undefined) warnings.push(`${setting} is set, but CLIENT_IMAGE, SERVER_IMAGE and WORKER_IMAGE name every app image: it does nothing`);
    }
  } else if (override !== undefined) {
    imageTag = override;
    imageTagSource = 'IMAGE_TAG';
    warnings.push(`IMAGE_TAG=${shownValue(override)} overrides the commit SHA: the app images are not tied to the commit being deployed`);
    if (gitSha !== undefined) warnings.push(`GIT_SHA is set, but IMAGE_TAG=${shownValue(override)} tags the images: it does nothing`);
  } else if (gitSha !== undefined) {
    imageTag = gitSha.toLowerCase();
    imageTagSource = 'GIT_SHA';
  } else {
    const head = readGitHead();
    if (head && GIT_SHA.test(head)) {
      imageTag = head.toLowerCase();
      imageTagSource = 'git rev-parse HEAD';
      if (readGitDirty()) {
        warnings.push(`the work tree has uncommitted changes to tracked files: the images are tagged with HEAD ${imageTag}, which does not contain them; commit first, or set GIT_SHA`);
      }
    } else {
      problems.push('GIT_SHA is not set and `git rev-parse HEAD` found no commit (not a git repository, or no commit yet): '
        + 'set GIT_SHA to the 40-character SHA of the commit being deployed, IMAGE_TAG to an image tag, or CLIENT_IMAGE, SERVER_IMAGE and WORKER_IMAGE to whole images');
    }
  }
  const images = Object.fromEntries(APP_COMPONENTS.map((component) => [component, given[component] ?? `${imagePrefix}/multi-${component}:${imageTag}`])) as unknown as AppImages;
  return { images, imagePrefix, ...(imageTag !== undefined ? { imageTag, imageTagSource } : {}) };
}

/**
 * What the app images will meet, one line each: the course's public images at a tag Docker Hub
 * does not have, and the course's server (node-postgres 7.4.3) against a postgres that asks for
 * SCRAM, which that driver cannot answer (`Error: Unknown authenticationOk message type`).
 */
function imageWarnings(images: AppImages, postgresImage: string): string[] {
  const warnings: string[] = [];
  const parsed = APP_COMPONENTS.map((component) => ({ component, reference: images[component], image: parseImageReference(images[component]) }));
  const unpublished = parsed.filter(({ image }) => typeof image !== 'string' && (COURSE_IMAGES as readonly string[]).includes(hubName(image.name)) && image.digest === undefined && image.tag !== 'latest');
  if (unpublished.length > 0) {
    warnings.push(`${unpublished.map(({ reference }) => reference).join(', ')} ${unpublished.length === 1 ? 'is a course image' : 'are course images'} at a tag Docker Hub does not have (the course publishes latest): `
      + 'the pods would not pull it; set IMAGE_PREFIX to your registry\'s owner (images you pushed, tagged with the commit), or CLIENT_IMAGE, SERVER_IMAGE and WORKER_IMAGE (README "minikube, first run" names the course\'s working ones)');
  }
  const server = parseImageReference(images.server);
  const major = postgresMajor(postgresImage);
  if (typeof server !== 'string' && hubName(server.name) === COURSE_SERVER && major !== undefined && major >= FIRST_SCRAM_MAJOR) {
    warnings.push(`the server image ${images.server} carries node-postgres 7.4.3, which cannot log in to postgres ${major} (SCRAM, postgres' default since ${FIRST_SCRAM_MAJOR}: "Error: Unknown authenticationOk message type"): `
      + `set SERVER_IMAGE=${COURSE_FIXED_SERVER_IMAGE}, or an image built with pg 8 (README "Building the images from the course's source")`);
  }
  return warnings;
}

/**
 * DEPLOYER_NAMESPACE, and the settings DEPLOYER=ci cannot work with. Let's Encrypt in the main
 * environment emits a ClusterIssuer, which is cluster-scoped: the deployer's rights on it come from
 * a ClusterRoleBinding, whose ServiceAccount subject must name a namespace (RBAC: a subject of
 * kind ServiceAccount in a ClusterRoleBinding has no namespace of its own to fall back to,
 * k8s.io/kubernetes pkg/apis/rbac/validation/validation.go ValidateRoleBindingSubject), and the
 * main environment's namespace is the one kubectl applies to, unknown to the synth.
 */
function readDeployerNamespace(env: NodeJS.ProcessEnv, previews: readonly string[], tls: TlsSetting, problems: string[]): string | undefined {
  const namespace = env.DEPLOYER_NAMESPACE;
  if (namespace !== undefined) {
    if (!isDnsLabel(namespace)) problems.push(`DEPLOYER_NAMESPACE=${shownValue(namespace)} is not a namespace name: allowed is a DNS label (a-z 0-9 -, at most 63 characters), the namespace the output is applied to`);
    if (env.DEPLOYER !== 'ci') problems.push('DEPLOYER_NAMESPACE is set without DEPLOYER=ci: it names where the deployer\'s ServiceAccount lives; allowed only with DEPLOYER=ci');
    if (previews.length > 0) problems.push('DEPLOYER_NAMESPACE is set with PREVIEWS: each preview\'s deployer lives in its preview\'s namespace; allowed is one of the two');
  }
  const letsEncrypt = tls === 'letsencrypt' || tls === 'letsencrypt-staging';
  if (env.DEPLOYER === 'ci' && letsEncrypt && previews.length === 0 && namespace === undefined) {
    problems.push(`DEPLOYER=ci with TLS=${tls} needs DEPLOYER_NAMESPACE: the ClusterIssuer is cluster-wide, so the deployer's rights on it are a ClusterRoleBinding, which must name the namespace of its ServiceAccount; allowed is DEPLOYER_NAMESPACE=<the namespace you apply to, e.g. multi-k8s>, or TLS=none`);
  }
  return namespace;
}

type HttpsConfig = Pick<AppConfig, 'hosts' | 'tls' | 'acmeEmail' | 'routing' | 'gatewayClass' | 'gateway' | 'gatewayDataPlane' | 'previewTlsSecret'>;

// Let's Encrypt needs an address it can write to; RFC 5322's dot-atom local part, a DNS domain with a dot.
const EMAIL_LOCAL = /^[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+(\.[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+)*$/;

function readHttps(env: NodeJS.ProcessEnv, previews: readonly string[], problems: string[], warnings: string[]): HttpsConfig {
  const hosts = (env.HOSTS ?? '').split(',').map((host) => host.trim()).filter((host) => host !== '');
  // A rule's host in k8s.io/kubernetes pkg/apis/networking/validation/validation.go validateIngressRules: a DNS subdomain, not an IP.
  const badHost = hosts.find((host) => !isDnsSubdomain(host) || /^[0-9.]+$/.test(host));
  if (badHost !== undefined) problems.push(`HOSTS has ${shownValue(badHost)}, which is not a DNS name: allowed is a comma-separated list of lowercase DNS names (a-z 0-9 - .), e.g. k8s-multi.com,www.k8s-multi.com`);
  const twice = hosts.find((host, i) => hosts.indexOf(host) !== i);
  if (twice !== undefined) problems.push(`HOSTS names ${shownValue(twice)} twice: allowed is each host once`);
  if (hosts.length > 0 && previews.length > 0) problems.push('HOSTS is set with PREVIEWS: previews answer at <name>.<PREVIEW_DOMAIN>; allowed is one of the two');

  const routing = (env.ROUTING ?? 'ingress-nginx') as Routing;
  if (!ROUTINGS.includes(routing)) problems.push(`ROUTING=${shownValue(routing)} is not a routing: allowed are ${ROUTINGS.join(', ')}`);

  let gateway: GatewayReference | undefined;
  if (env.GATEWAY !== undefined) {
    const [namespace, name, ...rest] = env.GATEWAY.split('/');
    if (name === undefined || rest.length > 0 || !isDnsLabel(namespace) || !isDnsSubdomain(name)) {
      problems.push(`GATEWAY=${shownValue(env.GATEWAY)} is not a Gateway: allowed is namespace/name (a namespace name, then a DNS subdomain), e.g. infra/shared-gateway`);
    } else gateway = { namespace, name };
    if (routing !== 'gateway') problems.push(`GATEWAY is set with ROUTING=${plainOrShown(routing)}: allowed only with ROUTING=gateway`);
  }
  const gatewayClass = env.GATEWAY_CLASS ?? DEFAULT_GATEWAY_CLASS;
  if (!isDnsSubdomain(gatewayClass)) problems.push(`GATEWAY_CLASS=${shownValue(gatewayClass)} is not a GatewayClass name: allowed are lowercase a-z 0-9 - . (DNS subdomain), e.g. eg or gke-l7-global-external-managed`);

  const defaultTls: TlsSetting = hosts.length > 0 && previews.length === 0 && !gateway ? 'letsencrypt' : 'none';
  const tls = (env.TLS ?? defaultTls) as TlsSetting;
  const letsEncrypt = tls === 'letsencrypt' || tls === 'letsencrypt-staging';
  if (!TLS_SETTINGS.includes(tls)) problems.push(`TLS=${shownValue(tls)} is not a TLS setting: allowed are ${TLS_SETTINGS.join(', ')}`);
  if (letsEncrypt && hosts.length === 0 && previews.length === 0) problems.push(`TLS=${tls} needs HOSTS: a certificate names its hosts; allowed is TLS=${tls} with HOSTS, or TLS=none`);
  if (letsEncrypt && previews.length > 0) problems.push(`TLS=${tls} is set with PREVIEWS: previews share one wildcard certificate; allowed is PREVIEW_TLS_SECRET (the operator's Secret), or TLS=none`);
  if (letsEncrypt && gateway) problems.push(`TLS=${tls} is set with GATEWAY: the shared Gateway's owner configures its HTTPS listeners; allowed is TLS=none with GATEWAY`);
  if (letsEncrypt && hosts[0] !== undefined && hosts[0].length > 249) {
    problems.push(`HOSTS starts with a host of ${hosts[0].length} characters, which names the Certificate "<host>-tls": allowed is a first host of at most 249 characters`);
  }

  const acmeEmail = env.ACME_EMAIL;
  if (acmeEmail !== undefined) {
    const at = acmeEmail.lastIndexOf('@');
    const domain = acmeEmail.slice(at + 1).toLowerCase();
    if (acmeEmail.length > 254 || at < 1 || !EMAIL_LOCAL.test(acmeEmail.slice(0, at)) || !domain.includes('.') || !isDnsSubdomain(domain)) {
      problems.push(`ACME_EMAIL=${shownValue(acmeEmail)} is not an e-mail address: allowed is local@domain, e.g. ops@k8s-multi.com`);
    }
    if (!letsEncrypt) warnings.push(`ACME_EMAIL is set, but TLS=${plainOrShown(tls)}: it is used only with TLS=letsencrypt or letsencrypt-staging`);
  } else if (letsEncrypt) {
    // TLS defaults to letsencrypt with HOSTS: the line names HOSTS then, the setting that was given.
    problems.push(`ACME_EMAIL is not set: TLS=${tls}${env.TLS === undefined ? ' (the default with HOSTS)' : ''} needs it (the Let's Encrypt account, told of expiring certificates); allowed is an e-mail address, or TLS=none`);
  }

  const previewTlsSecret = env.PREVIEW_TLS_SECRET;
  if (previewTlsSecret !== undefined) {
    if (!isDnsSubdomain(previewTlsSecret)) problems.push(`PREVIEW_TLS_SECRET=${shownValue(previewTlsSecret)} is not a Secret name: allowed are lowercase a-z 0-9 - . (DNS subdomain)`);
    if (gateway) problems.push('PREVIEW_TLS_SECRET is set with GATEWAY: the shared Gateway\'s owner configures its HTTPS listeners; allowed is one of the two');
    if (previews.length === 0) warnings.push('PREVIEW_TLS_SECRET is set without PREVIEWS: it is used only by previews');
  }

  const gatewayDataPlane = readDataPlane(env, gatewayClass, gateway ?? { name: GATEWAY_NAME }, problems);
  return { hosts, tls, acmeEmail, routing, gatewayClass, gateway, gatewayDataPlane, previewTlsSecret };
}

function readDataPlane(env: NodeJS.ProcessEnv, gatewayClass: string, gateway: GatewayReference, problems: string[]): Omit<EntryPeer, 'name'> {
  const defaults = (GATEWAY_DATA_PLANES[gatewayClass] ?? conventionDataPlane)(gateway);
  const namespace = env.GATEWAY_PROXY_NAMESPACE;
  if (namespace !== undefined && !isDnsLabel(namespace)) {
    problems.push(`GATEWAY_PROXY_NAMESPACE=${shownValue(namespace)} is not a namespace name: allowed is a DNS label (a-z 0-9 -, at most 63 characters)`);
  }
  const labels = env.GATEWAY_PROXY_LABELS === undefined ? undefined : parseLabels(env.GATEWAY_PROXY_LABELS);
  if (env.GATEWAY_PROXY_LABELS !== undefined && !labels) {
    problems.push(`GATEWAY_PROXY_LABELS=${shownValue(env.GATEWAY_PROXY_LABELS)} is not a label list: allowed is key=value[,key=value...], each key once (e.g. gateway.networking.k8s.io/gateway-name=multi-k8s)`);
  }
  const pods = namespace === undefined && labels === undefined ? defaults.pods : {
    namespace: namespace ?? defaults.pods?.namespace ?? gateway.namespace,
    podLabels: labels ?? defaults.pods?.podLabels ?? conventionDataPlane(gateway).pods!.podLabels,
  };
  let cidrs = defaults.cidrs;
  if (env.GATEWAY_PROXY_CIDRS !== undefined) {
    cidrs = env.GATEWAY_PROXY_CIDRS.split(',').map((cidr) => cidr.trim()).filter((cidr) => cidr !== '');
    const bad = cidrs.find((cidr) => !isCidr(cidr));
    if (bad !== undefined) problems.push(`GATEWAY_PROXY_CIDRS has ${shownValue(bad)}, which is not a CIDR: allowed is a comma-separated list of address/prefix, e.g. 35.191.0.0/16,130.211.0.0/22`);
    if (cidrs.length === 0 && !pods) problems.push(`GATEWAY_PROXY_CIDRS is empty and GATEWAY_CLASS=${plainOrShown(gatewayClass)} names no proxy pods: allowed is at least one CIDR, or GATEWAY_PROXY_LABELS`);
  }
  const { namespace: podsNamespace, ...rest } = pods ?? { podLabels: {} };
  return {
    ...(pods ? { pods: podsNamespace === undefined ? rest : { namespace: podsNamespace, ...rest } } : {}),
    ...(cidrs && cidrs.length > 0 ? { cidrs } : {}),
  };
}

// k8s.io/kubernetes pkg/apis/networking/validation/validation.go ValidateIPBlock checks the cidr
// with IsValidCIDRForLegacyField (staging/src/k8s.io/apimachinery/pkg/util/validation/ip.go):
// without the StrictIPCIDRValidation feature gate (off in 1.34) it parses sloppily and only warns
// about bits set past the prefix, leading zeros and IPv4-mapped IPv6, which the gate refuses. This
// refuses all three, so that the NetworkPolicy applies on any cluster without a warning (and
// 10.0.0.1/8 reads like the one address besides), and an IPv6 zone (fe80::1%eth0), which no
// server parses.
function isCidr(text: string): boolean {
  const [address, prefix, ...rest] = text.split('/');
  if (prefix === undefined || rest.length > 0 || !/^(?:0|[1-9][0-9]{0,2})$/.test(prefix)) return false;
  const bits = Number(prefix);
  if (isIPv4(address)) return bits <= 32 && hostBitsZero(ipv4Value(address), 32 - bits);
  const value = ipv6Value(address);
  // ::ffff:a.b.c.d is an IPv4 address written as IPv6 (netip's Is4In6).
  return value !== undefined && bits <= 128 && value >> 32n !== 0xffffn && hostBitsZero(value, 128 - bits);
}

function hostBitsZero(value: bigint, hostBits: number): boolean {
  return value % (1n << BigInt(hostBits)) === 0n;
}

/** The 32 bits of an address Node's isIPv4 accepts (four decimal octets). */
function ipv4Value(address: string): bigint {
  return address.split('.').reduce((sum, part) => sum * 256n + BigInt(part), 0n);
}

/** The 128 bits of an address Node's isIPv6 accepts (at most one ::, maybe a dotted IPv4 tail), or undefined for any other, or one with a zone. */
function ipv6Value(address: string): bigint | undefined {
  if (!isIPv6(address) || address.includes('%')) return undefined;
  const [head, tail = ''] = address.split('::');
  const fields = (part: string) => (part === '' ? [] : part.split(':').map((field) => (field.includes('.') ? { bits: 32, value: ipv4Value(field) } : { bits: 16, value: BigInt(`0x${field}`) })));
  const join = (parts: { bits: number; value: bigint }[]) => parts.reduce((sum, field) => (sum << BigInt(field.bits)) + field.value, 0n);
  const before = fields(head);
  const beforeBits = before.reduce((sum, field) => sum + field.bits, 0);
  return (join(before) << BigInt(128 - beforeBits)) + join(fields(tail));
}

function parseLabels(text: string): Record<string, string> | undefined {
  const labels: Record<string, string> = {};
  for (const pair of text.split(',')) {
    const [key, value, ...rest] = pair.trim().split('=');
    // A key given twice would be one label, the last value silently winning: refused instead.
    if (value === undefined || rest.length > 0 || labelKeyProblem(key) !== undefined || !isLabelValue(value) || Object.hasOwn(labels, key)) return undefined;
    labels[key] = value;
  }
  return labels;
}

/**
 * A component's autoscaler bounds. MIN <= MAX is checked where the autoscaler uses them, and,
 * elsewhere, only when both were given: one bound given in dev does nothing (a warning says so),
 * and is not refused for a default it never meets.
 */
function readRange(env: NodeJS.ProcessEnv, component: string, defaults: ReplicaRange, autoscaled: boolean, problems: string[]): ReplicaRange {
  const read = (bound: 'MIN' | 'MAX', fallback: number) => {
    const name = `${component}_REPLICAS_${bound}`;
    const text = env[name];
    if (text === undefined) return fallback;
    if (!/^[1-9][0-9]{0,2}$/.test(text)) {
      problems.push(`${name}=${shownValue(text)} is not a replica count: allowed is a whole number from 1 to 999`);
      return fallback;
    }
    return Number(text);
  };
  const range = { min: read('MIN', defaults.min), max: read('MAX', defaults.max) };
  const givenMin = env[`${component}_REPLICAS_MIN`] !== undefined;
  const givenMax = env[`${component}_REPLICAS_MAX`] !== undefined;
  if (range.min > range.max && (autoscaled || (givenMin && givenMax))) {
    const bound = (name: string, value: number, given: boolean) => `${component}_REPLICAS_${name}=${value}${given ? '' : ' (the default)'}`;
    problems.push(`${bound('MIN', range.min, givenMin)} exceeds ${bound('MAX', range.max, givenMax)}: allowed is MIN <= MAX`);
  }
  return range;
}

function checkImagePrefix(prefix: string): string | undefined {
  // Always followed by /multi-client (or -server, -worker): its first component is the image's first.
  return repositoryProblem(prefix, MAX_PREFIX_LENGTH, 'allowed is [registry[:port]/]owner[/path], lowercase a-z 0-9 with . _ - inside components, e.g. "stephengrider" or "ghcr.io/acme"', true);
}

/**
 * What is wrong with `[registry[:port]/]path` as Docker's reference grammar reads it, if anything.
 * @param followed the text is the start of a longer name (more components follow), so a lone first
 *   component that looks like a host is one (distribution/reference reads a first component with a
 *   `.` or `:`, or `localhost`, as the registry whenever another follows)
 */
function repositoryProblem(prefix: string, maxLength: number, allowed: string, followed = false): string | undefined {
  if (prefix.length === 0) return `is empty: ${allowed}`;
  if (prefix.length > maxLength) return `is longer than ${maxLength} characters: ${allowed}`;
  const components = prefix.split('/');
  const first = components[0];
  const hasRegistry = (followed || components.length > 1) && (first.includes('.') || first.includes(':') || first === 'localhost');
  if (hasRegistry && !REGISTRY.test(first)) return `has an invalid registry ${shownValue(first)}: ${allowed}`;
  const path = hasRegistry ? components.slice(1) : components;
  const bad = path.find((component) => !PATH_COMPONENT.test(component));
  if (bad !== undefined) return `has an invalid path component ${shownValue(bad)}: ${allowed}`;
  return undefined;
}

/** The oldest major the official image still publishes that the app's SQL runs on (the course used whatever was current). */
const OLDEST_POSTGRES_MAJOR = 9;

function checkPostgresImage(reference: string): string | undefined {
  // A digest may pin the tag's content; the tag still names the major.
  const image = reference.replace(/@sha256:[0-9a-f]{64}$/, '');
  const allowed = 'allowed is a postgres image whose tag starts with its major version, e.g. postgres:17.6, postgres:16-alpine or registry.example.com/postgres:18.1';
  const slash = image.lastIndexOf('/');
  const colon = image.lastIndexOf(':');
  if (colon <= slash || !TAG.test(image.slice(colon + 1)) || checkImagePrefix(image.slice(0, colon).replace(/^([^/]*)$/, 'library/$1'))) {
    return `is not an image reference with a tag: ${allowed}`;
  }
  const major = postgresMajor(image);
  if (major === undefined) return `names no major version (the data directory belongs to one major): ${allowed}`;
  if (major < OLDEST_POSTGRES_MAJOR) return `names major ${major}: ${allowed} (${OLDEST_POSTGRES_MAJOR} or later)`;
  return undefined;
}
