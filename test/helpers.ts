import { App, Chart } from 'cdk8s';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { buildApp, ChartOutput } from '../lib/program/app';
import { AppConfig, readConfig } from '../lib/program/config';
import { MultiK8sChart } from '../lib/components/chart';
import { renderCharts, validateOptions } from '../lib/program/synth';
import { Check, CHECKS, Located, Problem, validateManifests } from '../lib/validate';
import { parseAllDocuments } from 'yaml';
import { KubeObject } from '../lib/validate/problem';

/** A commit SHA as CI passes it. */
export const SHA = '0123456789abcdef0123456789abcdef01234567';
export const COURSE_K8S = path.join(__dirname, 'fixtures', 'course-k8s');

/** The configuration of a CI run at SHA, plus any variables given. */
export function config(env: NodeJS.ProcessEnv = {}): AppConfig {
  return readConfig({ GIT_SHA: SHA, ...env }, () => undefined);
}

/**
 * Fails when lib code is about to run outside a test (a describe body, a beforeAll): Stryker
 * credits code run there to no test, so every mutant in it would be run against the whole suite.
 */
function insideTest(helper: string): void {
  if (expect.getState().currentTestName === undefined) {
    throw new Error(`${helper}() was called outside a test: call it inside the test (e.g. \`const objects = () => ${helper}()\`) so that mutation testing credits the tests that use it`);
  }
}

/** The default app's charts. */
export function defaultCharts(env: NodeJS.ProcessEnv = {}): ChartOutput[] {
  insideTest('defaultCharts');
  return buildApp(config(env));
}

/** The default app's chart, for assertions on its typed members. */
export function defaultChart(): MultiK8sChart {
  return defaultCharts()[0].chart;
}

/**
 * An App for a test's charts. Not cdk8s' `Testing.app()`, which makes a temporary output folder
 * per call that nothing removes (hundreds per `npm test`); charts here render with `toJson()`
 * and no test synthesizes an App to disk, so its output folder is never created.
 */
export function testApp(): App {
  return new App();
}

/** Builds constructs in a fresh, small chart (as cdk8s-plus tests do) and returns its objects. */
export function synthIn(build: (chart: Chart) => void): KubeObject[] {
  insideTest('synthIn');
  const chart = new Chart(testApp(), 'test');
  build(chart);
  return chart.toJson();
}

const rendered = new Map<string, Located[]>();
// Under mutation testing every test renders afresh, so that the coverage Stryker records per test
// is real: a cached render would credit only the first test that asked for it.
const cacheRenders = process.env.STRYKER_MUTATOR_WORKER === undefined;

/** The default app's objects as they are written to dist/, each with its file: a fresh copy each call. */
export function defaultItems(env: NodeJS.ProcessEnv = {}): Located[] {
  const key = JSON.stringify(env);
  if (!cacheRenders) return renderCharts(defaultCharts(env), 'dist');
  if (!rendered.has(key)) rendered.set(key, renderCharts(defaultCharts(env), 'dist'));
  return structuredClone(rendered.get(key)!);
}

/** The default app's objects. */
export function defaultObjects(env: NodeJS.ProcessEnv = {}): KubeObject[] {
  return defaultItems(env).map((item) => item.object);
}

/** The one object of this kind and name; fails the test if there is not exactly one. */
export function find(objects: readonly KubeObject[], kind: string, name: string): KubeObject {
  const found = objects.filter((o) => o.kind === kind && o.metadata?.name === name);
  if (found.length !== 1) throw new Error(`expected one ${kind}/${name}, found ${found.length}`);
  return found[0];
}

/** The first container of a Deployment. */
export function containerOf(deployment: KubeObject): KubeObject {
  return deployment.spec.template.spec.containers[0];
}

/** A container's env var by name (the last, if it is set twice); fails the test if there is none. */
export function envVar(container: KubeObject, name: string): KubeObject {
  return container.env[envIndex(container, name)];
}

/** The index of a container's env var by name (the last, if it is set twice), for the paths findings give. */
export function envIndex(container: KubeObject, name: string): number {
  const index = (container.env ?? []).map((e: KubeObject) => e.name).lastIndexOf(name);
  if (index < 0) throw new Error(`the container has no env var ${name}`);
  return index;
}

/** Env of a container as name -> value or valueFrom. */
export function envOf(container: KubeObject): Record<string, unknown> {
  return Object.fromEntries((container.env ?? []).map((e: KubeObject) => [e.name, e.value ?? e.valueFrom]));
}

/** What the synth passes to the validator besides the objects: operator Secrets, policy exceptions. */
export function appValidateOptions(): ReturnType<typeof validateOptions> {
  return validateOptions(defaultCharts());
}

/** The default app as the synth hands it to the validator: its objects and the options it passes. */
export interface RenderedApp {
  readonly items: Located[];
  readonly options: ReturnType<typeof validateOptions>;
}

// Under mutation testing the validator's tests judge the default app as rendered once, at the
// start of the run: Stryker's dry run (no mutant active) writes it into its sandbox, which the
// run's end removes. A mutant in lib/components is then judged by the construct and program tests,
// in seconds, instead of by hundreds of validator tests that would each render and validate the
// whole app (about 15 s a mutant). `npm test` always renders live, so a construct change that the
// validator refuses still fails the suite; scripts/mutation-recheck.js --live does the same for
// the survivors of a mutation run.
const FROZEN_APP = path.join(__dirname, '..', 'reports', 'frozen-app.json');
const freezeApp = !cacheRenders && process.env.MUTATION_LIVE_RENDER === undefined;

function renderApp(): RenderedApp {
  return { items: defaultItems(), options: appValidateOptions() };
}

/**
 * The default app the validator's tests judge: a fresh copy each call. It is rendered live,
 * except under mutation testing (see FROZEN_APP).
 */
export function renderedApp(): RenderedApp {
  if (!freezeApp) return renderApp();
  if (!fs.existsSync(FROZEN_APP)) {
    const partial = `${FROZEN_APP}.${process.pid}`;
    fs.mkdirSync(path.dirname(FROZEN_APP), { recursive: true });
    fs.writeFileSync(partial, JSON.stringify(renderApp()));
    fs.renameSync(partial, FROZEN_APP);
  }
  return JSON.parse(fs.readFileSync(FROZEN_APP, 'utf8'));
}

/**
 * Breaks a freshly rendered default app in one way (objects may be added to or removed from the
 * list) and validates it with the options the synth would pass. Returns every problem.
 */
export function validateBroken(breakIt: (objects: KubeObject[]) => void, checks: readonly Check[] = CHECKS): Problem[] {
  const { items, options } = renderedApp();
  const objects = items.map((item) => item.object);
  breakIt(objects);
  return validateManifests(objects.map((object) => ({ file: items[0].file, object })), { ...options, checks });
}

/** Where a finding is expected: a path, or one read off the broken objects (an env var's index, found by name). */
export type ExpectedPath = string | ((objects: KubeObject[]) => string);

/** validateBroken, with the expected path resolved against the objects as broken. */
export function validateBrokenAt(breakIt: (objects: KubeObject[]) => void, path: ExpectedPath, checks: readonly Check[] = CHECKS): { problems: Problem[]; path: string } {
  let broken: KubeObject[] = [];
  const problems = validateBroken((objects) => { breakIt(objects); broken = objects; }, checks);
  return { problems, path: typeof path === 'string' ? path : path(broken) };
}

/** The course's hand-written manifests, read with the yaml package (not the validator's loader, which has tests of its own). */
export function courseObjects(): KubeObject[] {
  return fs.readdirSync(COURSE_K8S).sort().flatMap((file) => parseAllDocuments(fs.readFileSync(path.join(COURSE_K8S, file), 'utf8')).map((d) => d.toJS()));
}

// Removed after the test file that made them: a jest worker's test code never sees its process
// exit, so a process.on('exit') clean-up left every folder behind.
const tempDirs: string[] = [];
if (typeof afterAll === 'function') afterAll(() => {
  for (const dir of tempDirs.splice(0)) fs.rmSync(dir, { recursive: true, force: true });
});

/** A fresh temporary folder, removed once the test file's tests have run. */
export function tempDir(): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'multi-k8s-test-'));
  tempDirs.push(dir);
  return dir;
}

/** Runs `fn` with a fresh empty folder as the working directory, then goes back: to see a command write nothing. */
export function inEmptyFolder<T>(fn: () => T): { result: T; dir: string } {
  const cwd = process.cwd();
  const dir = tempDir();
  process.chdir(dir);
  try {
    return { result: fn(), dir };
  } finally {
    process.chdir(cwd);
  }
}

/** Every entry under a folder, by path: files by their content, links as `link -> TARGET` (never followed), folders walked. */
export function folderTree(dir: string): Record<string, string> {
  const entries: Record<string, string> = {};
  const walk = (folder: string, prefix: string) => {
    for (const name of fs.readdirSync(folder).sort()) {
      const full = path.join(folder, name);
      const stats = fs.lstatSync(full);
      if (stats.isSymbolicLink()) entries[`${prefix}${name}`] = `link -> ${fs.readlinkSync(full)}`;
      else if (stats.isDirectory()) walk(full, `${prefix}${name}/`);
      else entries[`${prefix}${name}`] = fs.readFileSync(full, 'utf8');
    }
  };
  walk(dir, '');
  return entries;
}

/** Parses a quantity the test expects to be well-formed. */
export { parseQuantity } from '../lib/validate/quantity';

/** Asserts that the problems are exactly one, with these fields. */
export function expectOnly(problems: readonly Problem[], expected: Omit<Partial<Problem>, 'message'> & { message: string | RegExp }): void {
  expect(problems).toHaveLength(1);
  const { message, ...rest } = expected;
  expect(problems[0]).toMatchObject(rest);
  if (typeof message === 'string') expect(problems[0].message).toBe(message);
  else expect(problems[0].message).toMatch(message);
}

/** Every family of checks but policy, which has tests of its own. */
export const NON_POLICY: readonly Check[] = ['schema', 'api', 'link'];

/** Pods a Deployment runs at rest: its replicas, or its autoscaler's minimum. */
export function podCount(objects: readonly KubeObject[], deployment: KubeObject): number {
  const hpa = objects.find((o) => o.kind === 'HorizontalPodAutoscaler' && o.spec.scaleTargetRef.name === deployment.metadata.name);
  return hpa ? hpa.spec.minReplicas : deployment.spec.replicas;
}
