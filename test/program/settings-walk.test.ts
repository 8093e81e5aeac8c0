import * as fs from 'fs';
import * as path from 'path';
import { buildApp } from '../../lib/program/app';
import { ConfigError, readConfig } from '../../lib/program/config';
import { SHA } from '../helpers';

// Every setting with valid, invalid, empty and hostile values, alone on several bases and in every
// pair: each combination either builds the charts, or is refused by a ConfigError whose every
// problem is one line naming a setting (what main.ts prints without a stack). Anything else
// thrown (a TypeError, a construct's Error) is a bug a user would meet as a stack trace.

const CANARY_PASSWORD = 'hunter2';
const HOSTILE = ['\u001b[2J\nforged: line', `bob:${CANARY_PASSWORD}@registry.example.com`, 'x'.repeat(5000), '$(touch /tmp/settings-walk)', ' , ,', '=/:@'];

/** Values each setting takes in the walk: valid ones first, then invalid; '' and HOSTILE are added to each. */
const VALUES: Record<string, readonly string[]> = {
  GIT_SHA: [SHA, 'abc'],
  IMAGE_PREFIX: ['ghcr.io/acme', 'Acme'],
  IMAGE_TAG: ['v1.2', '-x'],
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

type Outcome = { built: number } | { refused: readonly string[] };

/** What `npm run synth` does with these settings, short of writing: charts built, or refused by a ConfigError. */
function outcome(env: NodeJS.ProcessEnv): Outcome {
  let config;
  try {
    config = readConfig({ GIT_SHA: SHA, ...env }, () => undefined, () => false);
  } catch (error) {
    if (error instanceof ConfigError) return { refused: error.problems };
    throw error;
  }
  // The same configuration from other settings builds the same charts: built once.
  const key = JSON.stringify(config);
  if (!built.has(key)) built.set(key, buildApp(config).reduce((sum, { chart }) => sum + chart.toJson().length, 0));
  return { built: built.get(key)! };
}

/** Each problem: one line, no control character, no password, not the 5000 characters, naming a setting it is about. */
function expectReadable(env: NodeJS.ProcessEnv, result: Outcome): void {
  if ('built' in result) {
    expect(result.built).toBeGreaterThan(0);
    return;
  }
  expect(result.refused.length).toBeGreaterThan(0);
  for (const problem of result.refused) {
    const where = { env: JSON.stringify(env).slice(0, 300), problem: problem.slice(0, 300) };
    expect({ ...where, control: CONTROL.test(problem) }).toEqual({ ...where, control: false });
    expect({ ...where, password: problem.includes(CANARY_PASSWORD) }).toEqual({ ...where, password: false });
    expect({ ...where, long: problem.length > 1000 }).toEqual({ ...where, long: false });
    expect({ ...where, names: SETTINGS.some((setting) => problem.includes(setting)) }).toEqual({ ...where, names: true });
  }
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
      expect({ setting, ...outcome({ [setting]: value }) }).toEqual({ setting, built: expect.any(Number) });
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

describe('every pair of settings, each with each of its values', () => {
  const pairs = SETTINGS.flatMap((a, i) => SETTINGS.slice(i + 1).map((b) => [a, b] as const));

  test.each(pairs)('%s with %s: built, or refused in lines naming the settings', (a, b) => {
    for (const va of valuesOf(a)) {
      for (const vb of valuesOf(b)) {
        const env = { [a]: va, [b]: vb };
        expectReadable(env, outcome(env));
      }
    }
  });
});

describe('the walk covers every setting the program reads', () => {
  test('each variable lib/program/config.ts reads is walked', () => {
    const source = fs.readFileSync(path.join(__dirname, '../../lib/program/config.ts'), 'utf8');
    const read = new Set([...source.matchAll(/env\.([A-Z_]+)/g)].map((m) => m[1]));
    for (const component of ['SERVER', 'WORKER']) for (const bound of ['MIN', 'MAX']) read.add(`${component}_REPLICAS_${bound}`);
    expect([...read].sort()).toEqual([...SETTINGS].sort());
  });
});
