import * as fs from 'fs';
import * as path from 'path';
import { buildApp } from '../../lib/program/app';
import { readConfig, SETTINGS } from '../../lib/program/config';
import { synthHelp } from '../../lib/program/synth-command';
import { renderCharts } from '../../lib/program/synth';

const readme = fs.readFileSync(path.join(__dirname, '..', '..', 'README.md'), 'utf8');

/** The shell block under a README heading. */
function recipe(heading: string): string {
  const at = readme.indexOf(`### ${heading}`);
  if (at < 0) throw new Error(`README has no "### ${heading}" section`);
  const block = /```sh\n([\s\S]*?)```/.exec(readme.slice(at));
  if (!block) throw new Error(`README section "${heading}" has no sh block`);
  return block[1];
}

/** The variables a recipe sets on its `npm run synth` line. */
function synthEnv(block: string): Record<string, string> {
  const line = block.split('\n').find((l) => /\bnpm run synth\b/.test(l));
  if (!line) throw new Error('the recipe runs no npm run synth');
  const before = line.slice(0, line.indexOf('npm run synth')).replace(/^.*&&\s*/, '');
  return Object.fromEntries([...before.matchAll(/([A-Z_]+)=(\S+)/g)].map((m) => [m[1], m[2]]));
}

describe('README: minikube, first run', () => {
  const block = recipe('minikube, first run');

  test('synthesizes without this repository\'s commit or git: the course\'s working public images, at the tag they are published with, and no image warning', () => {
    const env = synthEnv(block);
    // No git repository and no GIT_SHA: the recipe must not depend on either (git is not even asked).
    const config = readConfig(env, () => { throw new Error('the recipe asked git for the commit'); }, () => { throw new Error('the recipe asked git for changes'); });
    const images = new Map<string, string>();
    for (const { object } of renderCharts(buildApp(config), 'dist')) {
      if (object.kind === 'Deployment') for (const c of object.spec.template.spec.containers) images.set(c.name, c.image);
    }
    // The course's deploy script pushes stephengrider/multi-{client,worker}:latest; the server is the
    // course's fix for postgres 14 and later (students were told to `kubectl set image` to it).
    expect(Object.fromEntries(['client', 'server', 'worker'].map((name) => [name, images.get(name)]))).toEqual({
      client: 'stephengrider/multi-client:latest', server: 'cygnetops/multi-server-pgfix-5-11:latest', worker: 'stephengrider/multi-worker:latest',
    });
    expect(config.warnings).toEqual([]);
    // The same settings with the server the course first published: the SCRAM warning the recipe avoids.
    expect(readConfig({ ...env, SERVER_IMAGE: 'stephengrider/multi-server:latest' }).warnings).toEqual([expect.stringContaining('node-postgres 7.4.3')]);
  });

  test('creates the Secret, then applies, then waits for the pods, in that order', () => {
    const secret = block.indexOf('kubectl create secret generic pgpassword --from-literal PGPASSWORD=');
    const apply = block.indexOf('kubectl apply -f dist');
    expect(secret).toBeGreaterThanOrEqual(0);
    expect(apply).toBeGreaterThan(secret);
    expect(block.indexOf('kubectl get pods -w')).toBeGreaterThan(apply);
  });
});

describe('README: where this program lives, and the image build', () => {
  test('says where the program lives relative to the app\'s source and how CI passes the app\'s SHA', () => {
    expect(readme).toContain('in place of the course\'s `k8s/` folder');
    expect(readme).toContain('`GIT_SHA=<the app\'s commit SHA>`');
  });

  test('tells image builders to raise the server\'s pg from 7.4.3 to 8.x', () => {
    expect(readme).toMatch(/pins `pg`\s+7\.4\.3/);
    expect(readme).toContain('npm install pg@8');
  });

  test('tells how to read the running postgres major and keep it', () => {
    expect(readme).toContain('kubectl exec deploy/postgres-deployment -- cat /var/lib/postgresql/data/PG_VERSION');
    expect(readme).toContain('export POSTGRES_IMAGE=postgres:16');
    expect(readConfig({ POSTGRES_IMAGE: 'postgres:16', IMAGE_TAG: 'x' }, () => undefined).postgresImage).toBe('postgres:16');
  });
});

describe('README: Configuration', () => {
  /** The variables the Configuration table's first column names (a row may name two or three, `A` / `B`). */
  const tableVariables = () => {
    const section = readme.slice(readme.indexOf('## Configuration'), readme.indexOf('\n## ', readme.indexOf('## Configuration') + 1));
    const header = section.indexOf('| variable | default | allowed |');
    expect(header).toBeGreaterThanOrEqual(0);
    const lines = section.slice(header).split('\n').slice(2);
    // The table ends at its first line that is not a row.
    const rows = lines.slice(0, lines.findIndex((line) => !line.startsWith('|')));
    const names = rows.flatMap((row) => [...row.split('|')[1].matchAll(/`([A-Z][A-Z_]*)`/g)].map((m) => m[1]));
    expect(rows.length).toBeGreaterThan(20);
    return names;
  };

  test('the table lists exactly the settings npm run synth -- --help lists (config.ts\'s SETTINGS), each once', () => {
    const names = tableVariables();
    expect(new Set(names).size).toBe(names.length);
    const help = synthHelp();
    const inHelp = SETTINGS.map((s) => s.name).filter((name) => help.includes(`  ${name}`));
    expect(inHelp).toHaveLength(SETTINGS.length);
    expect([...names].sort()).toEqual([...inHelp].sort());
  });

  test('names npm run synth -- --help', () => {
    expect(readme.slice(readme.indexOf('## Configuration'))).toContain('`npm run synth -- --help`');
  });
});
