import * as fs from 'fs';
import * as path from 'path';
import { buildApp } from '../../lib/program/app';
import { AppConfig, ConfigError, IMAGE_SETTINGS, readConfig, SETTINGS as SETTINGS_TABLE } from '../../lib/program/config';
import { renderCharts, validateOptions } from '../../lib/program/synth';
import { formatProblem, validateManifests } from '../../lib/validate';
import { SHA } from '../helpers';

// Every setting with valid, invalid, empty and hostile values, alone on several bases, and every
// triple of settings (pairs and singles among them): each combination either synthesizes (the
// charts render and validate clean, its warnings one readable line each), or is refused by a
// ConfigError whose every problem is one line naming a setting it was given (what main.ts prints
// without a stack). Anything else thrown (a TypeError, a construct's Error) is a bug a user would
// meet as a stack trace.

const CANARY_PASSWORD = 'hunter2';
const HOSTILE = ['\u001b[2J\nforged: line', `bob:${CANARY_PASSWORD}@registry.example.com`, 'x'.repeat(5000), '$(touch /tmp/settings-walk)', ' , ,', '=/:@'];

/** Values each setting takes in the walk: valid ones first, then invalid; '' and HOSTILE are added to each. */
const VALUES: Record<string, readonly string[]> = {
  GIT_SHA: [SHA, 'abc'],
  IMAGE_PREFIX: ['ghcr.io/acme', 'Acme', 'acme/multi-server'],
  IMAGE_TAG: ['v1.2', 'latest', '-x'],
  CLIENT_IMAGE: ['stephengrider/multi-client:latest', `ghcr.io/acme/web@sha256:${'a'.repeat(64)}`, 'stephengrider/multi-client', 'Acme/web:v1', 'web:.v1'],
  SERVER_IMAGE: ['cygnetops/multi-server-pgfix-5-11:latest', 'stephengrider/multi-server:v1', `localhost:5000/api:v2@sha256:${'b'.repeat(64)}`, 'api@sha256:abc'],
  WORKER_IMAGE: ['stephengrider/multi-worker:latest', 'registry.example.com:5000/team/worker:v3', 'worker', 'worker:'],
  ENVIRONMENT: ['dev', 'staging'],
  PREVIEWS: ['pr-1', 'pr-1,pr-2', 'kube-system', 'cert-manager', 'PR_1', 'pr-1,pr-1', 'prod'],
  PREVIEW_DOMAIN: ['preview.example.com', 'Preview..com'],
  INGRESS_CONTROLLER_NAMESPACE: ['edge', 'Edge'],
  INGRESS_CONTROLLER_LABELS: ['app=x', 'app'],
  POSTGRES_IMAGE: ['postgres:16-alpine', 'postgres:8.4', 'postgres'],
  SERVER_REPLICAS_MIN: ['2', '0', '7'],
  SERVER_REPLICAS_MAX: ['8', '1000'],
  WORKER_REPLICAS_MIN: ['2', '5'],
  WORKER_REPLICAS_MAX: ['3', '-1'],
  DEPLOYER: ['ci', 'yes'],
  DEPLOYER_NAMESPACE: ['multi-k8s', 'Multi'],
  HOSTS: ['k8s-multi.com', 'k8s-multi.com,www.k8s-multi.com', '10.0.0.1', 'a.com,a.com'],
  TLS: ['none', 'letsencrypt', 'letsencrypt-staging', 'on'],
  ACME_EMAIL: ['ops@k8s-multi.com', 'ops'],
  ROUTING: ['gateway', 'ingress-nginx', 'traefik'],
  GATEWAY: ['infra/shared', 'infra', 'a/b/c'],
  GATEWAY_CLASS: ['gke-l7-global-external-managed', 'istio', 'Bad_Class'],
  GATEWAY_PROXY_NAMESPACE: ['proxies', 'Proxies'],
  GATEWAY_PROXY_LABELS: ['app=proxy', 'app'],
  GATEWAY_PROXY_CIDRS: ['10.0.0.0/8', '10.0.0.1/8', 'x'],
  PREVIEW_TLS_SECRET: ['wildcard', 'Wild_Card'],
};
const SETTINGS = Object.keys(VALUES);
const valuesOf = (setting: string) => [...VALUES[setting], '', ...HOSTILE];

/** Bases each setting is tried alone on: the README's deployments. */
const BASES: readonly NodeJS.ProcessEnv[] = [
  {}, { ENVIRONMENT: 'dev' }, { PREVIEWS: 'pr-1' }, { ROUTING: 'gateway' }, { ROUTING: 'gateway', GATEWAY: 'infra/shared' },
  { HOSTS: 'k8s-multi.com', ACME_EMAIL: 'ops@k8s-multi.com' }, { DEPLOYER: 'ci' }, { PREVIEWS: 'pr-1', PREVIEW_TLS_SECRET: 'wildcard', ROUTING: 'gateway' },
];

const CONTROL = /[\u0000-\u001f\u007f-\u009f]/;
const built = new Map<string, number>();

type Outcome = { built: number; warnings: readonly string[] } | { refused: readonly string[] };

/** The configuration these settings give, or the ConfigError's problems; anything else thrown fails the test. */
function configOf(env: NodeJS.ProcessEnv): AppConfig | { refused: readonly string[] } {
  try {
    return readConfig({ GIT_SHA: SHA, ...env }, () => undefined, () => false);
  } catch (error) {
    if (error instanceof ConfigError) return { refused: error.problems };
    throw error;
  }
}

/**
 * What `npm run synth` does with these settings, short of writing: the charts rendered and
 * validated (no problem, not even a warning), or refused by a ConfigError.
 */
function outcome(env: NodeJS.ProcessEnv, synthesize = true): Outcome {
  const config = configOf(env);
  if ('refused' in config) return config;
  if (!synthesize) return { built: 1, warnings: config.warnings };
  // The same configuration from other settings renders the same charts: rendered once.
  const { warnings, ...rest } = config;
  const key = JSON.stringify(rest);
  if (!built.has(key)) {
    const charts = buildApp(config);
    const items = renderCharts(charts, 'dist');
    const problems = validateManifests(items, validateOptions(charts)).map((p) => formatProblem(p));
    expect({ env, problems }).toEqual({ env, problems: [] });
    built.set(key, items.length);
  }
  return { built: built.get(key)!, warnings };
}

/** One message as printed: one line, no control character, no password, not the 5000 characters, naming a setting (of `named`). */
function expectLine(env: NodeJS.ProcessEnv, message: string, named: readonly string[]): void {
  const found = {
    control: CONTROL.test(message), password: message.includes(CANARY_PASSWORD), long: message.length > 1000, names: named.some((setting) => message.includes(setting)),
  };
  // Asked only when something is wrong: hundreds of thousands of lines are checked, and expect() is slow.
  if (found.control || found.password || found.long || !found.names) {
    const where = { env: JSON.stringify(env).slice(0, 300), message: message.slice(0, 300) };
    expect({ ...where, ...found }).toEqual({ ...where, control: false, password: false, long: false, names: true });
  }
}

/** Each problem and warning: a readable line naming a setting; a problem names one of the settings given. */
function expectReadable(env: NodeJS.ProcessEnv, result: Outcome, given: readonly string[] = SETTINGS): void {
  if ('built' in result) {
    expect(result.built).toBeGreaterThan(0);
    for (const warning of result.warnings) expectLine(env, warning, SETTINGS);
    return;
  }
  expect(result.refused.length).toBeGreaterThan(0);
  for (const problem of result.refused) expectLine(env, problem, given);
}

describe('every setting, alone on each of the README\'s bases', () => {
  test.each(SETTINGS)('%s: built, or refused in lines naming the setting', (setting) => {
    for (const base of BASES) {
      for (const value of valuesOf(setting)) {
        const env = { ...base, [setting]: value };
        const result = outcome(env);
        expectReadable(env, result);
        // A value that breaks only this setting (on the default base) is refused in exactly one line, naming it.
        if ('refused' in result && Object.keys(base).length === 0 && !(setting in DEPENDENT)) {
          expect({ env, refused: result.refused }).toEqual({ env, refused: [expect.stringContaining(setting)] });
        }
      }
    }
  });

  test('the valid values of each setting build on the default base, where no other setting is needed', () => {
    for (const [setting, value] of [['GIT_SHA', SHA], ['IMAGE_PREFIX', 'ghcr.io/acme'], ['ENVIRONMENT', 'dev'], ['PREVIEWS', 'pr-1,pr-2'], ['ROUTING', 'gateway'],
      ['POSTGRES_IMAGE', 'postgres:16-alpine'], ['SERVER_REPLICAS_MAX', '8'], ['GATEWAY_CLASS', 'istio'], ['GATEWAY_PROXY_CIDRS', '10.0.0.0/8'], ['INGRESS_CONTROLLER_LABELS', 'app=x']]) {
      expect({ setting, ...outcome({ [setting]: value }) }).toEqual({ setting, built: expect.any(Number), warnings: expect.any(Array) });
    }
  });
});

/**
 * Settings whose value alone on the default base may be refused for what another setting lacks
 * (the refusal names both): TLS and ACME_EMAIL need HOSTS, GATEWAY needs ROUTING=gateway,
 * DEPLOYER_NAMESPACE needs DEPLOYER=ci, a MIN above the default MAX, HOSTS defaults TLS to Let's
 * Encrypt, which needs ACME_EMAIL.
 */
const DEPENDENT: Record<string, true> = { TLS: true, ACME_EMAIL: true, GATEWAY: true, DEPLOYER_NAMESPACE: true, SERVER_REPLICAS_MIN: true, WORKER_REPLICAS_MIN: true, SERVER_REPLICAS_MAX: true, WORKER_REPLICAS_MAX: true, HOSTS: true };

/**
 * Values of each setting in the walk of every triple: one valid value that changes the output, and
 * one invalid (every other setting: one of '' and HOSTILE in turn, so that each is walked), besides
 * unset. Chosen, not the whole VALUES table: 31 settings make 4495 triples, and VALUES' 9 to 14
 * values each would be some 6 million configurations; with these two (and unset) the walk is 38 000
 * distinct ones, about 12 s of settings reads on the loaded 2-core machine (the whole file: 45 s). The singles above walk every
 * value of VALUES, hostile ones included, on every base.
 */
const TRIPLE_VALUES: Record<string, readonly string[]> = Object.fromEntries(SETTINGS.map((setting, i) => {
  const refused = (value: string) => 'refused' in configOf({ [setting]: value });
  const invalid = i % 2 === 0 ? VALUES[setting].find(refused)! : ['', ...HOSTILE][((i - 1) / 2) % (HOSTILE.length + 1)];
  return [setting, [VALUES[setting][0], invalid]];
}));

describe('every triple of settings (with pairs and singles: each may be unset)', () => {
  const triples = SETTINGS.flatMap((a, i) => SETTINGS.slice(i + 1).flatMap((b, j) => SETTINGS.slice(i + j + 2).map((c) => [a, b, c] as const)));

  // Settings reads only: rendering each of the accepted ones (about 50 ms each on the 2-core
  // machine) would take minutes; what renders is walked below, by the settings that shape it.
  // A pair or single comes up in many triples (the others unset): each is read once.
  const walked = new Set<string>();
  test.each(SETTINGS)('%s with every pair of the settings after it: accepted with readable warnings, or refused in lines naming a setting given', (first) => {
    for (const [a, b, c] of triples.filter(([a]) => a === first)) {
      for (const va of [undefined, ...TRIPLE_VALUES[a]]) {
        for (const vb of [undefined, ...TRIPLE_VALUES[b]]) {
          for (const vc of [undefined, ...TRIPLE_VALUES[c]]) {
            const env = Object.fromEntries([[a, va], [b, vb], [c, vc]].filter(([, value]) => value !== undefined));
            const key = JSON.stringify(env);
            if (walked.has(key)) continue;
            walked.add(key);
            expectReadable(env, outcome(env, false), Object.keys(env).length > 0 ? Object.keys(env) : ['GIT_SHA']);
          }
        }
      }
    }
  });

  test('the triples are every triple of the settings', () => {
    expect(triples).toHaveLength((SETTINGS.length * (SETTINGS.length - 1) * (SETTINGS.length - 2)) / 6);
    expect(new Set(triples.map((t) => [...t].sort().join(' '))).size).toBe(triples.length);
  });
});

/**
 * The settings that decide which objects the output holds and how they connect (environment,
 * previews, hosts and certificates, routing, the deployer's rights); every other setting puts a
 * value in fields these leave in place (an image, a count, labels, a namespace, a CIDR, a domain).
 */
const SHAPING: Record<string, string> = {
  ENVIRONMENT: 'dev', PREVIEWS: 'pr-1,pr-2', HOSTS: 'k8s-multi.com,www.k8s-multi.com', TLS: 'letsencrypt-staging', ACME_EMAIL: 'ops@k8s-multi.com',
  ROUTING: 'gateway', GATEWAY: 'infra/shared', GATEWAY_CLASS: 'gke-l7-global-external-managed', DEPLOYER: 'ci', DEPLOYER_NAMESPACE: 'multi-k8s', PREVIEW_TLS_SECRET: 'wildcard',
};
/** Every other setting's valid values at once, in two sets (all three *_IMAGE leave IMAGE_PREFIX and IMAGE_TAG unused). */
const VALUE_SETS: readonly NodeJS.ProcessEnv[] = [
  {},
  {
    IMAGE_PREFIX: 'ghcr.io/acme', IMAGE_TAG: 'v1.2', CLIENT_IMAGE: `ghcr.io/acme/web@sha256:${'a'.repeat(64)}`, POSTGRES_IMAGE: 'postgres:16-alpine',
    SERVER_REPLICAS_MIN: '2', SERVER_REPLICAS_MAX: '8', WORKER_REPLICAS_MIN: '2', WORKER_REPLICAS_MAX: '3', INGRESS_CONTROLLER_NAMESPACE: 'edge',
    INGRESS_CONTROLLER_LABELS: 'app=x', GATEWAY_PROXY_NAMESPACE: 'proxies', GATEWAY_PROXY_LABELS: 'app=proxy', GATEWAY_PROXY_CIDRS: '10.0.0.0/8', PREVIEW_DOMAIN: 'preview.example.com',
  },
  {
    CLIENT_IMAGE: 'stephengrider/multi-client:latest', SERVER_IMAGE: 'cygnetops/multi-server-pgfix-5-11:latest', WORKER_IMAGE: `localhost:5000/worker:v3@sha256:${'b'.repeat(64)}`,
    POSTGRES_IMAGE: 'postgres:18.1', SERVER_REPLICAS_MIN: '1', SERVER_REPLICAS_MAX: '1', WORKER_REPLICAS_MAX: '1', GATEWAY_PROXY_CIDRS: '',
  },
];

describe('every triple of the settings that shape the output, with the others\' values: synthesized clean, or refused', () => {
  const shaping = Object.keys(SHAPING);
  const subsets = shaping.flatMap((a, i) => [[a], ...shaping.slice(i + 1).flatMap((b, j) => [[a, b], ...shaping.slice(i + j + 2).map((c) => [a, b, c])])]);

  const synthesized = VALUE_SETS.map(() => 0);
  test.each(shaping)('%s with every pair of the shaping settings after it, each with each value set', (first) => {
    for (const subset of subsets.filter((s) => s[0] === first)) {
      VALUE_SETS.forEach((values, i) => {
        const env = { ...values, ...Object.fromEntries(subset.map((setting) => [setting, SHAPING[setting]])) };
        const result = outcome(env);
        expectReadable(env, result, Object.keys(env));
        if ('built' in result) synthesized[i] += 1;
      });
    }
  });

  test('not a walk of refusals: each value set synthesized with many of the subsets (run after the walk)', () => {
    expect(synthesized.every((count) => count >= 50)).toEqual(true);
  });

  test('the shaping settings and the value sets name every setting', () => {
    const named = new Set([...shaping, ...VALUE_SETS.flatMap((values) => Object.keys(values)), 'GIT_SHA']);
    expect([...named].sort()).toEqual([...SETTINGS].sort());
  });
});

describe('the walk covers every setting the program reads', () => {
  test('each variable lib/program/config.ts reads is walked', () => {
    const source = fs.readFileSync(path.join(__dirname, '../../lib/program/config.ts'), 'utf8');
    // A setting's name starts with a letter (Stryker's instrumented copy of the file also reads
    // env.__STRYKER_ACTIVE_MUTANT__, which is no setting).
    const read = new Set([...source.matchAll(/env\.([A-Z][A-Z_]*)/g)].map((m) => m[1]));
    for (const component of ['SERVER', 'WORKER']) for (const bound of ['MIN', 'MAX']) read.add(`${component}_REPLICAS_${bound}`);
    // Read as env[IMAGE_SETTINGS[component]].
    for (const setting of Object.values(IMAGE_SETTINGS)) read.add(setting);
    expect([...read].sort()).toEqual([...SETTINGS].sort());
    // And the table --help prints and the README's is checked against (test/program/readme.test.ts).
    expect(SETTINGS_TABLE.map((setting) => setting.name).sort()).toEqual([...SETTINGS].sort());
  });
});
