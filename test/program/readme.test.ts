import * as fs from 'fs';
import * as path from 'path';
import { buildApp } from '../../lib/program/app';
import { readConfig } from '../../lib/program/config';
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

  test('synthesizes without this repository\'s commit: the course\'s public images, at the tag they are published with', () => {
    const env = synthEnv(block);
    // No git repository and no GIT_SHA: the recipe must not depend on either.
    const config = readConfig(env, () => undefined);
    const images = new Set<string>();
    for (const { object } of renderCharts(buildApp(config), 'dist')) {
      if (object.kind === 'Deployment') for (const c of [...object.spec.template.spec.containers, ...(object.spec.template.spec.initContainers ?? [])]) images.add(c.image);
    }
    const app = [...images].filter((i) => i.startsWith('stephengrider/'));
    // The course's deploy script pushes stephengrider/multi-{client,server,worker}:latest besides the SHA tags.
    expect(app.sort()).toEqual(['stephengrider/multi-client:latest', 'stephengrider/multi-server:latest', 'stephengrider/multi-worker:latest']);
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
