import * as fs from 'fs';
import * as path from 'path';
import { ACCEPT_POLICY_ANNOTATION, OPERATOR_SECRET_ANNOTATION } from '../../lib/components/validator-annotations';
import { synthesize } from '../../lib/program/synth';
import { formatPolicyException, validate } from '../../lib/validate';
import { ACCEPT_POLICY, OPERATOR_SECRET } from '../../lib/validate/annotations';
import { containerOf, defaultChart, defaultCharts, defaultItems, defaultObjects, envIndex, find, tempDir } from '../helpers';
import { runCli } from '../support/cli';

// `npm run validate -- dist` is the generic validator (scripts/launch.js runs lib/validate/cli.js):
// what it knows of the app's output, the output carries itself, as annotations the chart writes.

describe('npm run validate -- dist gives the verdict of the synth that wrote dist', () => {
  test.each([
    ['the default app', {}],
    ['dev', { ENVIRONMENT: 'dev' }],
    ['two previews', { PREVIEWS: 'pr-1,pr-2' }],
    ['IMAGE_TAG=latest, an accepted finding on every workload', { IMAGE_TAG: 'latest' }],
  ])('%s: clean, listing the same accepted policy findings', (_name, env) => {
    const outdir = path.join(tempDir(), 'dist');
    const summary = synthesize(defaultCharts(env), { outdir });
    const { code, out, err } = runCli([outdir]);
    expect(out).toEqual([]);
    expect(code).toBe(0);
    const listed = err.filter((line) => line.startsWith('policy exception ')).sort();
    // The synth lists each exception as declared (`*`: every object); validate names the objects
    // where it accepted a finding: for image-tag, the workloads running an image tagged latest.
    const latest = defaultObjects(env).filter((o) => JSON.stringify(o.spec ?? {}).includes(':latest"')).map((o) => `${o.kind}/${o.metadata.name}`);
    expect(listed).toEqual(summary.policyExceptions.map((e) => formatPolicyException(e.object === '*' ? { ...e, object: latest.join(', ') } : e)).sort());
  });
});

describe('the annotations the chart writes for the validator', () => {
  test('are the ones the validator reads', () => {
    expect(ACCEPT_POLICY_ANNOTATION).toBe(ACCEPT_POLICY);
    expect(OPERATOR_SECRET_ANNOTATION).toBe(OPERATOR_SECRET);
  });

  test('accept each policy finding the chart declares on the object that has it, with its reason', () => {
    const objects = defaultObjects();
    for (const e of defaultChart().policyExceptions) {
      const [kind, name] = e.object.split('/');
      expect(find(objects, kind, name).metadata.annotations[`${ACCEPT_POLICY}${e.rule}`]).toBe(e.reason);
    }
    const carriers = objects.filter((o) => Object.keys(o.metadata.annotations ?? {}).some((k) => k.startsWith(ACCEPT_POLICY)));
    expect(carriers.map((o) => `${o.kind}/${o.metadata.name}`)).toEqual(defaultChart().policyExceptions.map((e) => e.object));
  });

  test('name the operator\'s Secret and key on each object whose pods read it, and on no other', () => {
    const objects = defaultObjects();
    const [required] = defaultChart().requiredSecrets;
    const key = `${OPERATOR_SECRET}${required.secret.name}`;
    const readers = objects.filter((o) => JSON.stringify(o.spec ?? {}).includes(`"name":"${required.secret.name}"`));
    expect(readers.map((o) => o.kind)).toEqual(['Deployment', 'Deployment']);
    for (const o of objects) expect(o.metadata.annotations?.[key]).toBe(readers.includes(o) ? required.key : undefined);
  });

  test('are what exempts the output: without them, the accepted finding and the Secret reference are problems', () => {
    const items = defaultItems();
    for (const { object } of items) {
      for (const k of Object.keys(object.metadata.annotations ?? {})) if (k.startsWith(ACCEPT_POLICY) || k.startsWith(OPERATOR_SECRET)) delete object.metadata.annotations[k];
    }
    const messages = validate(items).problems.map((p) => `${p.object}: ${p.message}`).sort();
    expect(messages).toEqual([
      'Deployment/postgres-deployment: Secret "pgpassword" is neither in the output nor required from the operator',
      'Deployment/server-deployment: Secret "pgpassword" is neither in the output nor required from the operator',
      'Ingress/ingress-service: [ingress-tls] the Ingress serves plain HTTP',
    ]);
  });

  test('apply to the object that carries them only', () => {
    const items = defaultItems();
    const objects = items.map((i) => i.object);
    const ingress = find(objects, 'Ingress', 'ingress-service');
    const server = find(objects, 'Deployment', 'server-deployment');
    const worker = find(objects, 'Deployment', 'worker-deployment');
    // The Ingress's exception moved to the worker, the server's Secret declaration removed.
    worker.metadata.annotations = { ...worker.metadata.annotations, [`${ACCEPT_POLICY}ingress-tls`]: ingress.metadata.annotations[`${ACCEPT_POLICY}ingress-tls`] };
    delete ingress.metadata.annotations[`${ACCEPT_POLICY}ingress-tls`];
    delete server.metadata.annotations[`${OPERATOR_SECRET}pgpassword`];
    const result = validate(items);
    expect(result.problems.map((p) => `${p.object}: ${p.path}`).sort()).toEqual([
      `Deployment/server-deployment: spec.template.spec.containers[0].env[${envIndex(containerOf(server), 'PGPASSWORD')}].valueFrom.secretKeyRef`,
      'Ingress/ingress-service: spec.tls',
    ]);
    expect(result.exceptions).toEqual([]);
  });

  test('that name an unknown rule, or give no reason, are problems: a typo must not pass for an exception', () => {
    const items = defaultItems();
    const ingress = find(items.map((i) => i.object), 'Ingress', 'ingress-service');
    ingress.metadata.annotations[`${ACCEPT_POLICY}ingress-tsl`] = 'typo';
    ingress.metadata.annotations[`${ACCEPT_POLICY}image-tag`] = ' ';
    expect(validate(items).problems.map((p) => `${p.object}: ${p.path}: ${p.message}`)).toEqual([
      `Ingress/ingress-service: metadata.annotations.${ACCEPT_POLICY}ingress-tsl: accepts the unknown policy rule "ingress-tsl"`,
      `Ingress/ingress-service: metadata.annotations.${ACCEPT_POLICY}image-tag: accepts a policy finding without a reason`,
    ]);
  });

  test('are written in dist/ (the snapshot shows them; this asserts the file)', () => {
    const outdir = path.join(tempDir(), 'dist');
    synthesize(defaultCharts(), { outdir });
    const text = fs.readFileSync(path.join(outdir, 'multi-k8s.k8s.yaml'), 'utf8');
    expect(text).toContain(`    ${ACCEPT_POLICY}ingress-tls: "${defaultChart().policyExceptions[0].reason}"\n`);
    expect(text.split(`    ${OPERATOR_SECRET}pgpassword: PGPASSWORD\n`)).toHaveLength(3);
  });
});
