import { execFileSync } from 'child_process';

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
}

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

  if (problems.length > 0) throw new ConfigError(problems);
  return { imagePrefix, imageTag, imageTagSource, warnings };
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
