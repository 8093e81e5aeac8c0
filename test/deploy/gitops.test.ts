import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import * as ts from 'typescript';
import { parseAllDocuments } from 'yaml';
import { KubeObject } from '../../lib/validate/problem';
import { describeWithCluster, describeWithCrds } from '../support/envtest';

/*
 * deploy/gitops/ holds the Argo CD Application and the Flux GitRepository + Kustomization that
 * sync the rendered/prod branch. They are checked against their CRDs' schemas as the npm packages
 * @kubernetes-models/argo-cd and @kubernetes-models/flux-cd carry them (generated from Argo CD's
 * and Flux's Go API types): the packages' validators judge types, required fields and enums, and
 * their TypeScript types judge field names (an object literal may only name known properties).
 */

const root = path.join(__dirname, '..', '..');
const GITOPS = path.join(root, 'deploy', 'gitops');

/** Where each kind's model lives in the packages, with the TypeScript type of its objects. */
const MODELS: Record<string, { module: string; type: string }> = {
  'argoproj.io/v1alpha1 Application': { module: '@kubernetes-models/argo-cd/argoproj.io/v1alpha1/Application', type: 'IApplication' },
  'source.toolkit.fluxcd.io/v1 GitRepository': { module: '@kubernetes-models/flux-cd/source.toolkit.fluxcd.io/v1/GitRepository', type: 'IGitRepository' },
  'kustomize.toolkit.fluxcd.io/v1 Kustomization': { module: '@kubernetes-models/flux-cd/kustomize.toolkit.fluxcd.io/v1/Kustomization', type: 'IKustomization' },
};

function load(file: string): KubeObject[] {
  return parseAllDocuments(fs.readFileSync(path.join(GITOPS, file), 'utf8')).map((doc) => doc.toJS());
}

function modelOf(object: KubeObject) {
  const model = MODELS[`${object.apiVersion} ${object.kind}`];
  if (!model) throw new Error(`no model for ${object.apiVersion} ${object.kind}`);
  return model;
}

/**
 * The packages' own validators, one message per invalid object. The packages are ES modules
 * only, which jest's CommonJS runtime cannot load: a child node imports them.
 */
function validateEach(objects: readonly KubeObject[]): string[][] {
  const script = `
    const objects = JSON.parse(await new Promise((done) => { let s = ''; process.stdin.on('data', (d) => s += d).on('end', () => done(s)); }));
    const problems = [];
    for (const { module, object } of objects) {
      const mod = await import(module);
      const Model = mod[object.kind];
      try { new Model(object).validate(); problems.push([]); } catch (error) { problems.push([object.kind + '/' + object.metadata.name + ': ' + error.message]); }
    }
    process.stdout.write(JSON.stringify(problems));`;
  const input = JSON.stringify(objects.map((object) => ({ module: modelOf(object).module, object })));
  const result = spawnSync(process.execPath, ['--input-type=module', '-e', script], { cwd: root, input, encoding: 'utf8' });
  if (result.status !== 0) throw new Error(result.stderr);
  return JSON.parse(result.stdout);
}

/** Type-checks each object as an object literal of its package's type: unknown fields are errors. */
function typeCheckEach(objects: readonly KubeObject[]): string[][] {
  const file = path.join(root, 'test', 'deploy', '__gitops-objects__.mts');
  const source = objects.map((object, i) => {
    const { module, type } = modelOf(object);
    // One object per line, so that each diagnostic's line says whose it is.
    return `import type { ${type} as T${i} } from '${module}';\nexport const o${i}: T${i} = ${JSON.stringify(object)};\n`;
  }).join('');
  const host = ts.createCompilerHost({});
  const read = host.getSourceFile;
  host.getSourceFile = (name, language) => (name === file ? ts.createSourceFile(name, source, language) : read(name, language));
  const exists = host.fileExists;
  host.fileExists = (name) => name === file || exists(name);
  const options: ts.CompilerOptions = {
    strict: true, noEmit: true, skipLibCheck: true, types: [], target: ts.ScriptTarget.ES2022, lib: ['lib.es2022.d.ts'],
    module: ts.ModuleKind.Node16, moduleResolution: ts.ModuleResolutionKind.Node16,
  };
  const program = ts.createProgram([file], options, host);
  const each: string[][] = objects.map(() => []);
  for (const d of ts.getPreEmitDiagnostics(program)) {
    const line = d.file && d.start !== undefined ? d.file.getLineAndCharacterOfPosition(d.start).line : -1;
    const message = ts.flattenDiagnosticMessageText(d.messageText, ' ');
    if (line < 0) throw new Error(message);
    each[Math.floor(line / 2)].push(message);
  }
  return each;
}

const application = load('argocd-application.yaml');
const flux = load('flux.yaml');
const byKind = (objects: KubeObject[], kind: string) => {
  const found = objects.filter((o) => o.kind === kind);
  if (found.length !== 1) throw new Error(`expected one ${kind}, found ${found.length}`);
  return found[0];
};
const app = byKind(application, 'Application');
const gitRepository = byKind(flux, 'GitRepository');
const kustomization = byKind(flux, 'Kustomization');

// Broken copies, to prove that each check catches what it should.
const wrongType = structuredClone(kustomization);
wrongType.spec.prune = 'yes';
const missing = structuredClone(gitRepository);
delete missing.spec.url;
const misspelt = structuredClone(app);
misspelt.spec.syncPolicy.automatic = misspelt.spec.syncPolicy.automated;
delete misspelt.spec.syncPolicy.automated;

// Each check runs once for all objects (a child node, a TypeScript program: ~1-2 s each), per object after.
const files = [app, gitRepository, kustomization];
let validated: string[][];
let typeChecked: string[][];
beforeAll(() => {
  validated = validateEach([...files, wrongType, missing]);
  typeChecked = typeCheckEach([...files, misspelt]);
});

describe('GitOps files', () => {
  test('are valid by the Argo CD and Flux models\' validators', () => {
    expect(validated.slice(0, files.length)).toEqual([[], [], []]);
  });

  test('name no field their types lack', () => {
    expect(typeChecked.slice(0, files.length)).toEqual([[], [], []]);
  });

  test('a wrong type, a missing required field and a misspelt field are caught', () => {
    expect(validated.slice(files.length)).toEqual([
      [expect.stringMatching(/^Kustomization\/multi-k8s-prod: .*prune must be boolean/)],
      [expect.stringMatching(/^GitRepository\/multi-k8s-prod: .*must have required property '?url'?/)],
    ]);
    expect(typeChecked[files.length]).toEqual([expect.stringContaining('\'"automatic"\' does not exist in type')]);
  });

  test('Argo CD syncs the root of rendered/prod with automated sync, prune and self-heal', () => {
    expect(app.spec.source).toMatchObject({ targetRevision: 'rendered/prod', path: '.' });
    expect(app.spec.syncPolicy.automated).toEqual({ prune: true, selfHeal: true });
    expect(app.spec.destination).toEqual({ server: 'https://kubernetes.default.svc', namespace: 'multi-k8s' });
  });

  test('Flux\'s Kustomization prunes what its GitRepository of rendered/prod holds, into the same namespace as Argo CD', () => {
    expect(gitRepository.spec.ref).toEqual({ branch: 'rendered/prod' });
    expect(kustomization.spec.sourceRef).toEqual({ kind: 'GitRepository', name: gitRepository.metadata.name });
    expect(kustomization.metadata.namespace).toBe(gitRepository.metadata.namespace);
    expect(kustomization.spec.prune).toBe(true);
    expect(kustomization.spec.targetNamespace).toBe(app.spec.destination.namespace);
  });

  test('both point at the same repository, a placeholder the README tells to replace', () => {
    expect(gitRepository.spec.url).toBe(app.spec.source.repoURL);
    expect(app.spec.source.repoURL).toContain('YOUR-ORG');
    expect(fs.readFileSync(path.join(root, 'README.md'), 'utf8')).toContain('YOUR-ORG');
  });
});

// The same files judged by a real API server with Argo CD's and Flux's own CRDs installed (read
// where they lie, ../shared/crds): their OpenAPI schemas, enums and CEL rules, with kubectl's
// strict field validation (its default), which refuses a field the schema lacks. The package
// checks above stay for machines without the server's binaries. The files name the namespaces
// Argo CD and Flux run in (argocd, flux-system), which are cluster-wide names on a server other
// test files share: each object is applied into a namespace of this file's instead, with the
// README's commands otherwise as printed (`kubectl apply [-n NS] -f FILE`).
describeWithCluster('GitOps files on the API server', (cluster) => describeWithCrds('with the Argo CD and Flux CRDs', ['argo-cd-v3.5.1', 'flux-source-controller-v1.9.1', 'flux-kustomize-controller-v1.9.4'], (crds) => {
  beforeAll(async () => {
    for (const folder of Object.values(crds)) await cluster().installCrds(folder);
  });

  /** `kubectl apply -n NS -f -` of the objects, moved into NS. */
  async function applyIn(ns: string, objects: readonly KubeObject[]) {
    const moved = objects.map((o) => ({ ...o, metadata: { ...o.metadata, namespace: ns } }));
    return cluster().kubectl(['apply', '-n', ns, '-f', '-'], { input: moved.map((o) => JSON.stringify(o)).join('\n') });
  }

  test('the README\'s commands name the files; each object is created as written', async () => {
    const readme = fs.readFileSync(path.join(root, 'README.md'), 'utf8');
    expect(readme).toContain('`kubectl apply -n argocd -f deploy/gitops/argocd-application.yaml`');
    expect(readme).toContain('`kubectl apply -f deploy/gitops/flux.yaml`');
    const ns = await cluster().namespace('gitops');
    const applied = await applyIn(ns, [...application, ...flux]);
    expect({ code: applied.code, stderr: applied.stderr }).toEqual({ code: 0, stderr: '' });
    expect(applied.stdout.trim().split('\n').sort()).toEqual([
      'application.argoproj.io/multi-k8s-prod created', 'gitrepository.source.toolkit.fluxcd.io/multi-k8s-prod created', 'kustomization.kustomize.toolkit.fluxcd.io/multi-k8s-prod created',
    ]);
    // Stored as written: the server pruned no field it does not know (nothing it would silently drop).
    const live = JSON.parse(await cluster().kubectlOk(['get', '-n', ns, 'applications.argoproj.io/multi-k8s-prod', 'kustomizations.kustomize.toolkit.fluxcd.io/multi-k8s-prod', 'gitrepositories.source.toolkit.fluxcd.io/multi-k8s-prod', '-o', 'json'])).items;
    for (const written of [app, kustomization, gitRepository]) {
      const stored = live.find((o: KubeObject) => o.kind === written.kind);
      expect({ kind: written.kind, spec: stored.spec }).toEqual({ kind: written.kind, spec: expect.objectContaining(written.spec) });
    }
  });

  test.each([
    ['a wrong type', () => [wrongType], /spec\.prune: Invalid value: "string": spec\.prune in body must be of type boolean/],
    ['a missing required field', () => [missing], /spec\.url: Required value/],
    ['a misspelt field', () => [misspelt], /unknown field "spec\.syncPolicy\.automatic"/],
  ])('%s is refused', async (_what, objects, message) => {
    const ns = await cluster().namespace('gitops-bad');
    const applied = await applyIn(ns, objects());
    expect(applied.code).not.toBe(0);
    expect(applied.stderr).toMatch(message);
  });
}));
