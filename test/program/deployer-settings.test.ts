import { buildApp } from '../../lib/program/app';
import { ConfigError, readConfig } from '../../lib/program/config';
import { renderCharts, validateOptions } from '../../lib/program/synth';
import { validateManifests } from '../../lib/validate';
import { SHA } from '../helpers';

/** Each value a setting takes here, unset first; every combination is tried. */
const SETTINGS: Record<string, readonly (NodeJS.ProcessEnv)[]> = {
  scope: [{}, { ENVIRONMENT: 'dev' }, { PREVIEWS: 'pr-1' }, { PREVIEWS: 'pr-1,pr-2' }],
  https: [{}, { HOSTS: 'k8s-multi.com', ACME_EMAIL: 'ops@k8s-multi.com' }, { HOSTS: 'k8s-multi.com', ACME_EMAIL: 'ops@k8s-multi.com', TLS: 'letsencrypt-staging' }, { HOSTS: 'k8s-multi.com', TLS: 'none' }, { PREVIEW_TLS_SECRET: 'wildcard' }],
  routing: [{}, { ROUTING: 'gateway' }, { ROUTING: 'gateway', GATEWAY: 'infra/shared' }],
  namespace: [{}, { DEPLOYER_NAMESPACE: 'multi-k8s' }],
};

function combinations(): NodeJS.ProcessEnv[] {
  return Object.values(SETTINGS).reduce<NodeJS.ProcessEnv[]>((all, values) => all.flatMap((env) => values.map((value) => ({ ...env, ...value }))), [{}]);
}

/**
 * What `DEPLOYER=ci npm run synth` ends in with these settings: written (every check of the
 * validator passes), or refused with lines naming the settings (a ConfigError, which main.ts
 * prints without a stack). Anything else thrown is a bug that main.ts prints with its stack.
 */
function outcome(env: NodeJS.ProcessEnv): { written: true } | { refused: readonly string[] } {
  let config;
  try {
    config = readConfig({ GIT_SHA: SHA, DEPLOYER: 'ci', ...env }, () => undefined);
  } catch (error) {
    if (error instanceof ConfigError) return { refused: error.problems };
    throw error;
  }
  const outputs = buildApp(config);
  expect(validateManifests(renderCharts(outputs, 'dist'), validateOptions(outputs))).toEqual([]);
  return { written: true };
}

describe('DEPLOYER=ci with every other setting', () => {
  test.each(combinations().map((env) => [JSON.stringify(env), env]))('%s: written, or refused in one line per conflict', (_name, env) => {
    const result = outcome(env as NodeJS.ProcessEnv);
    if ('refused' in result) {
      expect(result.refused.length).toBeGreaterThan(0);
      for (const line of result.refused) expect(line).not.toContain('\n');
    }
  });

  test('the combinations the README deploys are written', () => {
    for (const env of [{}, { ENVIRONMENT: 'dev' }, { PREVIEWS: 'pr-1' }, { ROUTING: 'gateway' }, { PREVIEWS: 'pr-1', ROUTING: 'gateway' },
      { HOSTS: 'k8s-multi.com', ACME_EMAIL: 'ops@k8s-multi.com', DEPLOYER_NAMESPACE: 'multi-k8s' },
      { HOSTS: 'k8s-multi.com', ACME_EMAIL: 'ops@k8s-multi.com', ROUTING: 'gateway', DEPLOYER_NAMESPACE: 'multi-k8s' },
      { ROUTING: 'gateway', GATEWAY: 'infra/shared' }, { PREVIEWS: 'pr-1', PREVIEW_TLS_SECRET: 'wildcard' }]) {
      expect({ env, ...outcome(env) }).toEqual({ env, written: true });
    }
  });
});
