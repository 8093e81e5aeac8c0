import { randomBytes } from 'crypto';
import * as fs from 'fs';
import * as path from 'path';
import { KubeObject } from '../../lib/validate/problem';
import { COURSE_K8S, courseObjects, tempDir } from '../helpers';
import { deletePreviews, getLive, kubectlName, mainApply, outcomes, previewsApply, ROOT, shOk, synth, work, Work } from '../support/cluster/deploy';
import { Cluster, describeWithCluster, Run, run } from '../support/envtest';

// `npm run plan -- --cluster` against the real API server (test/support/envtest), as the README
// runs it: in a checkout whose dist/ (and .dist-previous/) `npm run synth` wrote, with a
// kubeconfig whose context names the namespace, through the launcher (scripts/launch.js, what
// `npm run plan` runs) in a child process. Exit codes as the README documents them, after
// `kubectl diff`: 0 no difference, 1 differences, 2 an error.

interface Plan {
  readonly code: number;
  /** Standard output: one line per change, then warnings. */
  readonly out: string[];
  /** Standard error: the summary, errors. */
  readonly err: string[];
}

/** `npm run plan -- --cluster [ARGS]` in the checkout, against the namespace of the kubeconfig. */
async function planCluster(at: Work, kubeconfig: string, args: readonly string[] = []): Promise<Plan> {
  const result: Run = await run(process.execPath, [path.join(ROOT, 'scripts', 'launch.js'), 'plan', '--cluster', ...args], {
    cwd: at.dir, env: { ...process.env, KUBECONFIG: kubeconfig }, timeoutMs: 300000,
  });
  const lines = (text: string) => text.split('\n').filter((line) => line !== '' && !line.startsWith('compiling TypeScript'));
  return { code: result.code, out: lines(result.stdout), err: lines(result.stderr) };
}

/** The objects a plan line names, `Kind/name`, for one sign. */
const named = (plan: Plan, sign: string) => plan.out.filter((l) => l.startsWith(`${sign} `)).map((l) => l.slice(2).replace(/( \(.*\))?(: .*)?$/, '')).sort();
const kindName = (objects: readonly KubeObject[]) => objects.map((o) => `${o.kind}/${o.metadata.name}`).sort();

/** Preview namespaces the tests' applies created: deleted at the end. */
const previewNamespaces: string[] = [];

describeWithCluster('npm run plan -- --cluster against the API server', (cluster) => {
  afterAll(async () => deletePreviews(cluster(), previewNamespaces));

  async function site(c: Cluster) {
    const ns = await c.namespace('plan');
    return { ns, kubeconfig: c.kubeconfigFor(ns), at: work(tempDir()) };
  }

  test('exit 1 with every object to add before the first apply; exit 0 and "no differences" after it', async () => {
    const s = await site(cluster());
    const output = synth(s.at, { ENVIRONMENT: 'prod' });
    const before = await planCluster(s.at, s.kubeconfig);
    expect(before.code).toBe(1);
    expect(named(before, '+')).toEqual(kindName(output));
    expect(before.err).toContain(`plan: ${output.length} to add, 0 to change, 0 to remove; 0 warning(s)`);
    // The plan's server-side dry run stored nothing.
    expect(await getLive(cluster(), 'deployment.apps', 'server-deployment', s.ns)).toBeUndefined();
    await shOk(mainApply(), { kubeconfig: s.kubeconfig, cwd: s.at.dir });
    const after = await planCluster(s.at, s.kubeconfig);
    expect(after).toEqual({ code: 0, out: [], err: ['plan: no differences'] });
  });

  test('prod -> dev: exit 1; what it says goes is exactly what the apply then prunes, and what it says changes is what the apply changes', async () => {
    const s = await site(cluster());
    synth(s.at, { ENVIRONMENT: 'prod' });
    await shOk(mainApply(), { kubeconfig: s.kubeconfig, cwd: s.at.dir });
    const dev = synth(s.at, { ENVIRONMENT: 'dev' });
    const plan = await planCluster(s.at, s.kubeconfig);
    expect(plan.code).toBe(1);
    const applied = outcomes(await shOk(mainApply(), { kubeconfig: s.kubeconfig, cwd: s.at.dir }));
    const byName = new Map(dev.map((o) => [kubectlName(o), `${o.kind}/${o.metadata.name}`]));
    const kubectlSaid = (word: string) => (applied[word] ?? []).map((n) => byName.get(n) ?? n.replace(/^horizontalpodautoscaler\.autoscaling\//, 'HorizontalPodAutoscaler/').replace(/^poddisruptionbudget\.policy\//, 'PodDisruptionBudget/')).sort();
    expect(named(plan, '-')).toEqual(kubectlSaid('pruned'));
    expect(named(plan, '-')).toHaveLength(5);
    expect(named(plan, '+')).toEqual([]);
    // kubectl says "configured" for nothing else than what the plan says changes.
    expect(named(plan, '~')).toEqual(kubectlSaid('configured'));
    // The autoscalers and budgets that go are named as dips, on the Deployments they kept up.
    expect(plan.out.filter((l) => l.startsWith('! dip ')).map((l) => l.replace(/ \(.*$/, '')).sort()).toEqual([
      '! dip Deployment/server-deployment', '! dip Deployment/worker-deployment',
      '! dip PodDisruptionBudget/client-disruption-budget', '! dip PodDisruptionBudget/server-disruption-budget', '! dip PodDisruptionBudget/worker-disruption-budget',
    ]);
  });

  test('over the course\'s k8s/: exit 1, the eleven to change, the rest to add, nothing to remove; postgres and redis named as turning Recreate', async () => {
    const s = await site(cluster());
    await shOk(`kubectl apply -f ${COURSE_K8S}`, { kubeconfig: s.kubeconfig, cwd: s.at.dir });
    const output = synth(s.at, { ENVIRONMENT: 'prod' });
    const plan = await planCluster(s.at, s.kubeconfig);
    expect(plan.code).toBe(1);
    expect(named(plan, '-')).toEqual([]);
    expect(named(plan, '~')).toEqual(kindName(courseObjects()));
    expect(named(plan, '+')).toEqual(kindName(output).filter((n) => !kindName(courseObjects()).includes(n)));
    expect(plan.out.filter((l) => l.includes('the strategy becomes Recreate')).map((l) => l.replace(/ \(.*$/, ''))).toEqual(['! dip Deployment/postgres-deployment', '! dip Deployment/redis-deployment']);
  });

  // The server's dry run of the apply has already defaulted the replicas it deletes back to 1:
  // the plan reads what the apply deletes from the last-applied annotations (lib/plan/rules.ts),
  // and the server does fall from 3 pods to 1 (apply.test.ts).
  test('over the course\'s k8s/: the server\'s fall from 3 pods to 1 is named, with the edit-last-applied step', async () => {
    const s = await site(cluster());
    await shOk(`kubectl apply -f ${COURSE_K8S}`, { kubeconfig: s.kubeconfig, cwd: s.at.dir });
    synth(s.at, { ENVIRONMENT: 'prod' });
    const plan = await planCluster(s.at, s.kubeconfig);
    expect(plan.code).toBe(1);
    const dips = plan.out.filter((l) => l.startsWith('! dip ') && l.includes('edit-last-applied'));
    expect(dips.map((l) => l.match(/^! dip Deployment\/([\w-]+)/)?.[1])).toEqual(['server-deployment']);
  });

  test('exit 2 when the server refuses the apply (a Deployment selector changed), with the command that replaces the object', async () => {
    const s = await site(cluster());
    const course = fs.readFileSync(path.join(COURSE_K8S, 'server-deployment.yaml'), 'utf8').replace(/component: server/g, 'component: api');
    await cluster().kubectlOk(['apply', '-f', '-'], { kubeconfig: s.kubeconfig, input: course });
    synth(s.at, { ENVIRONMENT: 'prod' });
    const plan = await planCluster(s.at, s.kubeconfig);
    expect(plan.code).toBe(2);
    // kubectl diff meets the refusal first: it runs the same server-side dry run per object.
    expect(plan.err).toEqual([expect.stringMatching(/^error: kubectl diff failed: The Deployment "server-deployment" is invalid: spec\.selector: .*field is immutable$/)]);
    expect(plan.out).toEqual([expect.stringMatching(/^! replace Deployment\/server-deployment: the API server refuses to change spec\.selector in place: run `kubectl delete deployment server-deployment`, then apply$/)]);
  });

  test('exit 2 when no server answers, naming kubectl\'s error', async () => {
    const s = await site(cluster());
    synth(s.at, { ENVIRONMENT: 'prod' });
    const unreachable = path.join(tempDir(), 'kubeconfig');
    // A port nothing listens on: the admin's kubeconfig with another server address.
    fs.writeFileSync(unreachable, fs.readFileSync(s.kubeconfig, 'utf8').replace(/server: https:\/\/127\.0\.0\.1:\d+/, 'server: https://127.0.0.1:1'));
    const plan = await planCluster(s.at, unreachable);
    expect(plan.code).toBe(2);
    expect(plan.err).toEqual([expect.stringMatching(/^error: kubectl diff failed: .*127\.0\.0\.1:1.*refused/)]);
  });

  // A new preview's objects are in a namespace the output creates, and `kubectl diff` (a
  // server-side dry run per object) is refused for each: "namespaces ... not found". The plan
  // names them all as additions (lib/plan/kubectl.ts viewCluster), as the apply creates them.
  test('a new preview: exit 1, its Namespace and objects to add, though the namespace does not exist yet', async () => {
    const s = await site(cluster());
    const name = `pr-${randomBytes(3).toString('hex')}-plan`;
    const output = synth(s.at, { PREVIEWS: name });
    const plan = await planCluster(s.at, s.kubeconfig);
    expect(plan.err.filter((l) => l.startsWith('error'))).toEqual([]);
    expect(plan.code).toBe(1);
    expect(named(plan, '+')).toEqual(kindName(output));
    // The plan stored nothing: the namespace is still absent.
    expect(await getLive(cluster(), 'namespace', name)).toBeUndefined();
    // The README's previews apply (open-preview creates the Namespace first) then creates every
    // other object the plan named as an addition, and changes nothing else.
    previewNamespaces.push(name);
    const applied = outcomes(await shOk(previewsApply(), { kubeconfig: s.kubeconfig, cwd: s.at.dir, env: { PREVIEWS: name } }));
    const byName = new Map(output.map((o) => [kubectlName(o), `${o.kind}/${o.metadata.name}`]));
    expect((applied.created ?? []).map((n) => byName.get(n) ?? n).sort()).toEqual(named(plan, '+').filter((n) => n !== `Namespace/${name}`));
  });

  test('an existing preview: exit 1 for a change, 0 once applied; the apply created its namespace', async () => {
    const s = await site(cluster());
    const name = `pr-${randomBytes(3).toString('hex')}-plan`;
    previewNamespaces.push(name);
    synth(s.at, { PREVIEWS: name, IMAGE_TAG: 'v1' });
    await shOk(previewsApply(), { kubeconfig: s.kubeconfig, cwd: s.at.dir, env: { PREVIEWS: name } });
    expect(await planCluster(s.at, s.kubeconfig)).toEqual({ code: 0, out: [], err: ['plan: no differences'] });
    synth(s.at, { PREVIEWS: name, IMAGE_TAG: 'v2' });
    const plan = await planCluster(s.at, s.kubeconfig);
    expect(plan.code).toBe(1);
    expect(named(plan, '~')).toEqual(['Deployment/client-deployment', 'Deployment/server-deployment', 'Deployment/worker-deployment']);
    expect(plan.out.filter((l) => l.startsWith('~ ')).every((l) => l.includes(`(${name}): `) && /containers\[\w+\]\.image/.test(l))).toBe(true);
  });
});
