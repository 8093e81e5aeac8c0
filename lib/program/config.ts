import { execFileSync } from 'child_process';
import type { ReplicaRange } from '../components/chart';
import type { IngressControllerPeer } from '../components/network-policies';
import { isDnsLabel, isDnsSubdomain, isLabelValue, labelKeyProblem } from '../validate/names';

export type { ReplicaRange };

/** Everything the program reads from its environment, parsed and checked. */
export interface AppConfig {
  /** Registry and owner of the app images, e.g. `stephengrider` or `ghcr.io/acme`. */
  readonly imagePrefix: string;
  /** Tag of the client, server and worker images. */
  readonly imageTag: string;
  /** Where the tag came from, for the synth summary. */
  readonly imageTagSource: 'GIT_SHA' | 'git rev-parse HEAD' | 'IMAGE_TAG';
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
  /** Replica bounds of the API server's autoscaler (prod). */
  readonly serverReplicas: ReplicaRange;
  /** Replica bounds of the worker's autoscaler (prod). */
  readonly workerReplicas: ReplicaRange;
}

export const ENVIRONMENTS = ['dev', 'prod'] as const;
export type EnvironmentName = (typeof ENVIRONMENTS)[number];

/** The ingress controller's namespace and the labels of its pods. */
export type IngressControllerConfig = IngressControllerPeer;

/** ingress-nginx's own namespace and pod label, which minikube's ingress addon uses too. */
export const DEFAULT_INGRESS_CONTROLLER: IngressControllerConfig = { namespace: 'ingress-nginx', podLabels: { 'app.kubernetes.io/name': 'ingress-nginx' } };
/** The course runs 3 server pods; up to twice that under load. */
export const DEFAULT_SERVER_REPLICAS: ReplicaRange = { min: 3, max: 6 };
/** The course runs 1 worker; the autoscaler adds up to 3 more for a burst of indexes. */
export const DEFAULT_WORKER_REPLICAS: ReplicaRange = { min: 1, max: 4 };

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

// `user:password@host`, alone or after `scheme://`; not `name:tag@sha256:<hex>`, an image digest.
const CREDENTIALS = /([^\s:/@"'=]+):[^\s/@"']*@(?![A-Za-z][A-Za-z0-9]*(?:[+._-][A-Za-z0-9]+)*:[0-9A-Fa-f]{32,})/g;

/** Replaces the password of every `user:password@` in a text by `***`. */
export function maskCredentials(text: string): string {
  return text.replace(CREDENTIALS, '$1:***@');
}

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
 * Namespaces a preview must not be named after: deleting the preview deletes its Namespace.
 * `default`, `kube-system` and `kube-public` are the API server's own (k8s.io/kubernetes
 * plugin/pkg/admission/namespace/lifecycle: immortal namespaces), `kube-node-lease` is the
 * kubelets' (k8s.io/api core/v1 NamespaceNodeLease); the `kube-` prefix is reserved for
 * Kubernetes system namespaces (kubernetes.io docs, Concepts > Namespaces).
 */
export function previewNameProblem(name: string, controllerNamespace: string): string | undefined {
  if (name === 'default' || name.startsWith('kube-')) return 'a namespace Kubernetes owns';
  if (name === controllerNamespace) return `the ingress controller's namespace (INGRESS_CONTROLLER_NAMESPACE=${echo(controllerNamespace)})`;
  return undefined;
}

/**
 * Parses and checks the environment. Throws a ConfigError naming every bad variable.
 * @param readGitHead how to find the checkout's commit when GIT_SHA is not set
 * @param readGitDirty whether the checkout has uncommitted changes, asked only when HEAD is used
 */
export function readConfig(env: NodeJS.ProcessEnv, readGitHead: () => string | undefined = gitHead, readGitDirty: () => boolean = gitDirty): AppConfig {
  const problems: string[] = [];
  const warnings: string[] = [];

  const imagePrefix = env.IMAGE_PREFIX ?? DEFAULT_IMAGE_PREFIX;
  const prefixProblem = checkImagePrefix(imagePrefix);
  if (prefixProblem) problems.push(`IMAGE_PREFIX=${echo(imagePrefix)} ${prefixProblem}`);

  const gitSha = env.GIT_SHA;
  if (gitSha !== undefined && !GIT_SHA.test(gitSha)) {
    problems.push(`GIT_SHA=${echo(gitSha)} is not a commit SHA: allowed is the full 40-character hexadecimal SHA (git rev-parse HEAD)`);
  }

  const override = env.IMAGE_TAG;
  if (override !== undefined && !TAG.test(override)) {
    problems.push(`IMAGE_TAG=${echo(override)} is not a valid image tag: allowed are 1 to 128 of A-Z a-z 0-9 _ . -, not starting with . or -`);
  }

  let imageTag = '';
  let imageTagSource: AppConfig['imageTagSource'] = 'GIT_SHA';
  if (override !== undefined) {
    imageTag = override;
    imageTagSource = 'IMAGE_TAG';
    warnings.push(`IMAGE_TAG=${echo(override)} overrides the commit SHA: the app images are not tied to the commit being deployed`);
  } else if (gitSha !== undefined) {
    imageTag = gitSha.toLowerCase();
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
        + 'set GIT_SHA to the 40-character SHA of the commit being deployed, or IMAGE_TAG to an image tag');
    }
  }

  const environment = (env.ENVIRONMENT ?? 'prod') as EnvironmentName;
  if (!ENVIRONMENTS.includes(environment)) problems.push(`ENVIRONMENT=${echo(environment)} is not an environment: allowed are ${ENVIRONMENTS.join(', ')}`);

  const previews = (env.PREVIEWS ?? '').split(',').map((name) => name.trim()).filter((name) => name !== '');
  const badPreview = previews.find((name) => !isDnsLabel(name, 50));
  if (badPreview !== undefined) {
    problems.push(`PREVIEWS has ${echo(badPreview)}, which is not a namespace name: allowed is a comma-separated list of DNS labels (a-z 0-9 -, at most 50 characters, starting and ending with a-z or 0-9)`);
  }
  const duplicate = previews.find((name, i) => previews.indexOf(name) !== i);
  if (duplicate !== undefined) problems.push(`PREVIEWS names ${echo(duplicate)} twice: allowed is each name once`);
  if (previews.length > MAX_PREVIEWS) problems.push(`PREVIEWS names ${previews.length} environments: allowed are at most ${MAX_PREVIEWS}`);

  const previewDomain = env.PREVIEW_DOMAIN ?? 'preview.multi-k8s.local';
  if (!isDnsSubdomain(previewDomain, 190)) {
    problems.push(`PREVIEW_DOMAIN=${echo(previewDomain)} is not a DNS name: allowed are lowercase a-z 0-9 - . (e.g. preview.example.com)`);
  }

  const controllerNamespace = env.INGRESS_CONTROLLER_NAMESPACE ?? DEFAULT_INGRESS_CONTROLLER.namespace;
  if (!isDnsLabel(controllerNamespace)) {
    problems.push(`INGRESS_CONTROLLER_NAMESPACE=${echo(controllerNamespace)} is not a namespace name: allowed is a DNS label (a-z 0-9 -, at most 63 characters)`);
  }
  for (const name of previews.filter((n) => n !== badPreview)) {
    const reserved = previewNameProblem(name, controllerNamespace);
    if (reserved !== undefined) {
      problems.push(`PREVIEWS has ${echo(name)}, ${reserved}: deleting the preview would delete that namespace; allowed are names other than default, kube-* and INGRESS_CONTROLLER_NAMESPACE`);
    }
  }
  const podLabels = env.INGRESS_CONTROLLER_LABELS === undefined ? DEFAULT_INGRESS_CONTROLLER.podLabels : parseLabels(env.INGRESS_CONTROLLER_LABELS);
  if (!podLabels) {
    problems.push(`INGRESS_CONTROLLER_LABELS=${echo(env.INGRESS_CONTROLLER_LABELS ?? '')} is not a label list: allowed is key=value[,key=value...] (e.g. app.kubernetes.io/name=ingress-nginx)`);
  }

  const serverReplicas = readRange(env, 'SERVER', DEFAULT_SERVER_REPLICAS, problems);
  const workerReplicas = readRange(env, 'WORKER', DEFAULT_WORKER_REPLICAS, problems);

  if (problems.length > 0) throw new ConfigError(problems);
  return {
    imagePrefix, imageTag, imageTagSource, warnings, environment, previews, previewDomain,
    ingressController: { namespace: controllerNamespace, podLabels: podLabels! }, serverReplicas, workerReplicas,
  };
}


function parseLabels(text: string): Record<string, string> | undefined {
  const labels: Record<string, string> = {};
  for (const pair of text.split(',')) {
    const [key, value, ...rest] = pair.trim().split('=');
    if (value === undefined || rest.length > 0 || labelKeyProblem(key) !== undefined || !isLabelValue(value)) return undefined;
    labels[key] = value;
  }
  return labels;
}

function readRange(env: NodeJS.ProcessEnv, component: string, defaults: ReplicaRange, problems: string[]): ReplicaRange {
  const read = (bound: 'MIN' | 'MAX', fallback: number) => {
    const name = `${component}_REPLICAS_${bound}`;
    const text = env[name];
    if (text === undefined) return fallback;
    if (!/^[1-9][0-9]{0,2}$/.test(text)) {
      problems.push(`${name}=${echo(text)} is not a replica count: allowed is a whole number from 1 to 999`);
      return fallback;
    }
    return Number(text);
  };
  const range = { min: read('MIN', defaults.min), max: read('MAX', defaults.max) };
  if (range.min > range.max) problems.push(`${component}_REPLICAS_MIN=${range.min} exceeds ${component}_REPLICAS_MAX=${range.max}: allowed is MIN <= MAX`);
  return range;
}

function checkImagePrefix(prefix: string): string | undefined {
  const allowed = 'allowed is [registry[:port]/]owner[/path], lowercase a-z 0-9 with . _ - inside components, e.g. "stephengrider" or "ghcr.io/acme"';
  if (prefix.length === 0) return `is empty: ${allowed}`;
  if (prefix.length > MAX_PREFIX_LENGTH) return `is longer than ${MAX_PREFIX_LENGTH} characters: ${allowed}`;
  const components = prefix.split('/');
  const first = components[0];
  const hasRegistry = components.length > 1 && (first.includes('.') || first.includes(':') || first === 'localhost');
  if (hasRegistry && !REGISTRY.test(first)) return `has an invalid registry ${echo(first)}: ${allowed}`;
  const path = hasRegistry ? components.slice(1) : components;
  const bad = path.find((component) => !PATH_COMPONENT.test(component));
  if (bad !== undefined) return `has an invalid path component ${echo(bad)}: ${allowed}`;
  return undefined;
}
