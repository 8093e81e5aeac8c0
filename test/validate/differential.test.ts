import * as path from 'path';
import { loadManifests } from '../../lib/validate/load';
import { KubeObject, objectId } from '../../lib/validate/problem';
import { defaultItems } from '../helpers';
import { describeWithCluster, sharedCrds } from '../support/envtest';
import { ISSUE_CASES } from './differential/issue-cases';
import { Case, compare, disagrees, explain, Namespaces, Verdicts } from './differential/judge';
import { mutations } from './differential/mutations';
import { ruleCases } from './differential/rule-cases';
import { Resources } from './differential/server';

/**
 * The validator (checks schema, api and admission, judging as Kubernetes 1.34) against the real API server
 * (v1.34.2, test/support/envtest): the same objects go to both, and each object's verdicts must
 * agree (accepted by both, or refused by both). The server's verdict is a server-side dry-run
 * create with strict field validation (a real create where a dry run skips a check: see
 * differential/server.ts). Inputs: the fixtures (test/fixtures, the course's manifests among
 * them), the outputs of every setting, the cases of issue 18, the API rules' own test cases, and
 * mutations of the outputs and the valid fixtures.
 */

const FIXTURES = path.join(__dirname, '..', 'fixtures');
const COURSE = { HOSTS: 'k8s-multi.com,www.k8s-multi.com', ACME_EMAIL: 'ops@k8s-multi.com' };
const SETTINGS: Record<string, NodeJS.ProcessEnv> = {
  default: {},
  'ENVIRONMENT=dev': { ENVIRONMENT: 'dev' },
  'PREVIEWS=pr-1,pr-2': { PREVIEWS: 'pr-1,pr-2' },
  'HTTPS ROUTING=ingress-nginx': { ...COURSE, ROUTING: 'ingress-nginx' },
  'HTTPS ROUTING=gateway': { ...COURSE, ROUTING: 'gateway' },
  'DEPLOYER=ci': { DEPLOYER: 'ci' },
};
const CRD_FOLDERS = ['gateway-api-v1.6.1', 'cert-manager-v1.21.1'];

/**
 * Disagreements the validator cannot settle offline, each with why. They are all the server
 * refusing what the validator accepts, for a reason of the cluster's own configuration, which
 * no manifest shows: the validator must warn of each (checked below), and never refuse it.
 */
const EXCEPTIONS: Readonly<Record<string, string>> = {
  'rule case "a clusterIP that is an IPv4 or IPv6 address, or empty": Service/cache':
    'the address 10.96.0.10 lies outside this server\'s --service-cluster-ip-range (10.0.0.0/24); a cluster\'s range is its own',
  'rule case "a clusterIP that is an IPv4 or IPv6 address, or empty": Service/db':
    'this server is IPv4 only: an IPv6 clusterIP is refused where IPv6 is not configured, accepted where it is',
  'rule case "every ipFamilyPolicy and internalTrafficPolicy": Service/web':
    'RequireDualStack is refused by a single-stack cluster (this one), accepted by a dual-stack one',
  'rule case "ipFamilyPolicy RequireDualStack": Service/cache':
    'RequireDualStack is refused by a single-stack cluster (this one), accepted by a dual-stack one',
  'rule case "an IPv6 family": Service/db':
    'this server is IPv4 only: an IPv6 family is refused where IPv6 is not configured, accepted where it is',
};

/**
 * Disagreements whose fix lies outside the API rules (files this suite's authors do not own),
 * each named with where it lies. Listed so that they stay visible; an entry that no longer
 * disagrees fails the test, so that the list shrinks as they are fixed.
 */
const PENDING: Readonly<Record<string, string>> = {
};

function outputCases(): Case[] {
  const seen = new Set<string>();
  const cases: Case[] = [];
  for (const [setting, env] of Object.entries(SETTINGS)) {
    for (const item of defaultItems(env)) {
      const key = JSON.stringify(item.object);
      if (seen.has(key)) continue;
      seen.add(key);
      cases.push({ label: `output ${setting}: ${objectId(item.object)}`, object: item.object });
    }
  }
  return cases;
}

function fixtureCases(): Case[] {
  return loadManifests([FIXTURES]).map((item) => ({ label: `fixture ${path.relative(FIXTURES, item.file)}: ${objectId(item.object)}`, object: item.object }));
}

describeWithCluster('the validator agrees with the real API server, object by object', (cluster) => {
  let crds: KubeObject[] = [];
  let resources: Resources;
  let namespaces: Namespaces;
  const totals = { compared: 0, disagreements: 0, excepted: 0, pending: 0 };
  const started = Date.now();

  beforeAll(async () => {
    // The definitions lie beside the checkout on this project's machines (../shared/crds); where
    // they do not, the server serves no Gateway API or cert-manager kinds, and their objects are
    // not compared (said so below).
    const folders = CRD_FOLDERS.map((name) => sharedCrds(name)).filter((folder): folder is string => folder !== undefined);
    if (folders.length < CRD_FOLDERS.length) process.stdout.write(`differential: without ../shared/crds (${CRD_FOLDERS.join(', ')}), custom objects are not compared\n`);
    for (const folder of folders) await cluster().installCrds(folder);
    crds = loadManifests(folders).map((item) => item.object).filter((o) => o.kind === 'CustomResourceDefinition');
    resources = new Resources(cluster);
  }, 120000);

  afterAll(() => {
    process.stdout.write(`differential: ${totals.compared} objects compared with the API server, ${totals.disagreements} disagreements (${totals.excepted} excepted, ${totals.pending} pending), ${((Date.now() - started) / 1000).toFixed(1)} s\n`);
  });

  /** Compares the cases; fails on any disagreement not listed, and on any listed one that no longer disagrees. */
  async function check(what: string, cases: Case[]): Promise<Verdicts[]> {
    namespaces ??= new Namespaces(cluster, [...fixtureCases(), ...outputCases()].map((c) => c.object));
    const verdicts = await compare(cases, cluster, resources, namespaces, crds);
    const compared = verdicts.filter((v) => v.judged && v.server);
    const found = verdicts.filter(disagrees);
    const listed = (v: Verdicts) => Object.prototype.hasOwnProperty.call(EXCEPTIONS, v.label) || Object.prototype.hasOwnProperty.call(PENDING, v.label);
    totals.compared += compared.length;
    totals.disagreements += found.length;
    totals.excepted += found.filter((v) => Object.prototype.hasOwnProperty.call(EXCEPTIONS, v.label)).length;
    totals.pending += found.filter((v) => Object.prototype.hasOwnProperty.call(PENDING, v.label)).length;
    const slowest = [...compared].sort((a, b) => b.server!.ms - a.server!.ms).slice(0, 3).map((v) => `${v.label} (${v.server!.ms} ms)`);
    process.stdout.write(`${what}: ${compared.length} of ${cases.length} objects compared, ${found.length} disagreements; slowest answers: ${slowest.join(', ')}\n`);
    expect(found.filter((v) => !listed(v)).map(explain)).toEqual([]);
    const settled = verdicts.filter((v) => listed(v) && !disagrees(v)).map((v) => `${v.label}: listed as a disagreement, but the verdicts agree now`);
    expect(settled).toEqual([]);
    const unwarned = found.filter((v) => Object.prototype.hasOwnProperty.call(EXCEPTIONS, v.label) && v.warnings.length === 0).map((v) => `${v.label}: an exception, but the validator does not warn of it`);
    expect(unwarned).toEqual([]);
    return verdicts;
  }

  it('on the outputs of every setting, and every fixture (the course\'s manifests among them)', async () => {
    const verdicts = await check('outputs and fixtures', [...outputCases(), ...fixtureCases()]);
    // Every output and fixture is a kind the server serves, but the custom resource fixture's two
    // (a Listener, and a Job of a group of its own), whose CRDs are not installed (and, without
    // ../shared/crds, the Gateway API's and cert-manager's).
    const uncompared = verdicts.filter((v) => !v.judged || !v.server).map((v) => v.label).filter((label) => crds.length > 0 || !/: (Gateway|HTTPRoute|Certificate|ClusterIssuer|Issuer)\//.test(label));
    expect(uncompared).toEqual(['fixture valid/custom-resource.yaml: Listener/web.listener', 'fixture valid/custom-resource.yaml: Job/not-a-batch-job']);
  }, 120000);

  it('on the cases of issue 18', async () => {
    await check('issue 18', [...ISSUE_CASES]);
  }, 120000);

  it('on the API rules\' own cases (test/validate/rules)', async () => {
    const cases = ruleCases(path.join(__dirname, 'rules'));
    expect(cases.length).toBeGreaterThan(300);
    await check('API rule cases', cases);
  }, 120000);

  it('on generated mistakes and near-misses of the outputs and the valid fixtures', async () => {
    const bases = [...defaultItems(), ...defaultItems(SETTINGS['HTTPS ROUTING=gateway']), ...loadManifests([path.join(FIXTURES, 'valid')])].map((item) => item.object);
    const cases = mutations(bases);
    expect(cases.length).toBeGreaterThanOrEqual(300);
    await check('generated', cases);
  }, 180000);
});
