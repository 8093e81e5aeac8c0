import { execFileSync } from 'child_process';
import type { IngressControllerPeer } from '../components/network-policies';
import { POSTGRES_IMAGE, postgresMajor } from '../components/postgres';
import { isDnsLabel, isDnsSubdomain, isLabelValue, labelKeyProblem } from '../validate/names';
import { BoundsOverride, ENVIRONMENT_NAMES, ENVIRONMENT_TABLE, EnvironmentName } from './environments';

/** Bounds of an autoscaler. */
export type ReplicaRange = BoundsOverride;

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
  /** The postgres image, tagged with its major version; keep the major a live database runs. */
  readonly postgresImage: string;
  /** Replica bounds of the API server's autoscaler (prod). */
  readonly serverReplicas: ReplicaRange;
  /** Replica bounds of the worker's autoscaler (prod). */
  readonly workerReplicas: ReplicaRange;
}

export type { EnvironmentName };

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

/** Reads `git rev-parse HEAD` of the working directory, or undefined outside a repository. */
export function gitHead(cwd: string = process.cwd()): string | undefined {
  try {
    return execFileSync('git', ['rev-parse', 'HEAD'], { cwd, encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim();
  } catch {
    return undefined;
  }
}

/**
 * Parses and checks the environment. Throws a ConfigError naming every bad variable.
 * @param readGitHead how to find the checkout's commit when GIT_SHA is not set
 */
export function readConfig(env: NodeJS.ProcessEnv, readGitHead: () => string | undefined = gitHead): AppConfig {
  const problems: string[] = [];
  const warnings: string[] = [];

  const imagePrefix = env.IMAGE_PREFIX ?? DEFAULT_IMAGE_PREFIX;
  const prefixProblem = checkImagePrefix(imagePrefix);
  if (prefixProblem) problems.push(`IMAGE_PREFIX="${imagePrefix}" ${prefixProblem}`);

  const gitSha = env.GIT_SHA;
  if (gitSha !== undefined && !GIT_SHA.test(gitSha)) {
    problems.push(`GIT_SHA="${gitSha}" is not a commit SHA: allowed is the full 40-character hexadecimal SHA (git rev-parse HEAD)`);
  }

  const override = env.IMAGE_TAG;
  if (override !== undefined && !TAG.test(override)) {
    problems.push(`IMAGE_TAG="${override}" is not a valid image tag: allowed are 1 to 128 of A-Z a-z 0-9 _ . -, not starting with . or -`);
  }

  let imageTag = '';
  let imageTagSource: AppConfig['imageTagSource'] = 'GIT_SHA';
  if (override !== undefined) {
    imageTag = override;
    imageTagSource = 'IMAGE_TAG';
    warnings.push(`IMAGE_TAG="${override}" overrides the commit SHA: the app images are not tied to the commit being deployed`);
  } else if (gitSha !== undefined) {
    imageTag = gitSha.toLowerCase();
  } else {
    const head = readGitHead();
    if (head && GIT_SHA.test(head)) {
      imageTag = head.toLowerCase();
      imageTagSource = 'git rev-parse HEAD';
    } else {
      problems.push('GIT_SHA is not set and `git rev-parse HEAD` found no commit (not a git repository, or no commit yet): '
        + 'set GIT_SHA to the 40-character SHA of the commit being deployed, or IMAGE_TAG to an image tag');
    }
  }

  const environment = (env.ENVIRONMENT ?? 'prod') as EnvironmentName;
  if (!ENVIRONMENT_NAMES.includes(environment)) problems.push(`ENVIRONMENT="${env.ENVIRONMENT}" is not an environment: allowed are ${ENVIRONMENT_NAMES.join(', ')}`);

  const previews = (env.PREVIEWS ?? '').split(',').map((name) => name.trim()).filter((name) => name !== '');
  const badPreview = previews.find((name) => !isDnsLabel(name, 50));
  if (badPreview !== undefined) {
    problems.push(`PREVIEWS has "${badPreview}", which is not a namespace name: allowed is a comma-separated list of DNS labels (a-z 0-9 -, at most 50 characters, starting and ending with a-z or 0-9)`);
  }
  const duplicate = previews.find((name, i) => previews.indexOf(name) !== i);
  if (duplicate !== undefined) problems.push(`PREVIEWS names "${duplicate}" twice: allowed is each name once`);
  if (previews.length > MAX_PREVIEWS) problems.push(`PREVIEWS names ${previews.length} environments: allowed are at most ${MAX_PREVIEWS}`);

  const previewDomain = env.PREVIEW_DOMAIN ?? 'preview.multi-k8s.local';
  if (!isDnsSubdomain(previewDomain, 190)) {
    problems.push(`PREVIEW_DOMAIN="${previewDomain}" is not a DNS name: allowed are lowercase a-z 0-9 - . (e.g. preview.example.com)`);
  }

  const controllerNamespace = env.INGRESS_CONTROLLER_NAMESPACE ?? DEFAULT_INGRESS_CONTROLLER.namespace;
  if (!isDnsLabel(controllerNamespace)) {
    problems.push(`INGRESS_CONTROLLER_NAMESPACE="${controllerNamespace}" is not a namespace name: allowed is a DNS label (a-z 0-9 -, at most 63 characters)`);
  }
  const podLabels = env.INGRESS_CONTROLLER_LABELS === undefined ? DEFAULT_INGRESS_CONTROLLER.podLabels : parseLabels(env.INGRESS_CONTROLLER_LABELS);
  if (!podLabels) {
    problems.push(`INGRESS_CONTROLLER_LABELS="${env.INGRESS_CONTROLLER_LABELS}" is not a label list: allowed is key=value[,key=value...] (e.g. app.kubernetes.io/name=ingress-nginx)`);
  }

  const postgresImage = env.POSTGRES_IMAGE ?? POSTGRES_IMAGE;
  const postgresProblem = checkPostgresImage(postgresImage);
  if (postgresProblem) problems.push(`POSTGRES_IMAGE="${postgresImage}" ${postgresProblem}`);

  const serverReplicas = readRange(env, 'SERVER', DEFAULT_SERVER_REPLICAS, problems);
  const workerReplicas = readRange(env, 'WORKER', DEFAULT_WORKER_REPLICAS, problems);

  if (problems.length > 0) throw new ConfigError(problems);
  return {
    imagePrefix, imageTag, imageTagSource, warnings, environment, previews, previewDomain,
    ingressController: { namespace: controllerNamespace, podLabels: podLabels! }, serverReplicas, workerReplicas, postgresImage,
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
      problems.push(`${name}="${text}" is not a replica count: allowed is a whole number from 1 to 999`);
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
  if (hasRegistry && !REGISTRY.test(first)) return `has an invalid registry "${first}": ${allowed}`;
  const path = hasRegistry ? components.slice(1) : components;
  const bad = path.find((component) => !PATH_COMPONENT.test(component));
  if (bad !== undefined) return `has an invalid path component "${bad}": ${allowed}`;
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
