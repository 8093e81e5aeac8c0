import * as fs from 'fs';
import * as path from 'path';
import { COURSE_K8S, tempDir } from '../helpers';
import { run } from '../../lib/validate/cli';
import { notEvaluated } from '../../lib/validate/crd';
import { Validation } from '../../lib/validate/index';
import { yamlDocuments } from '../../lib/validate/yaml-documents';
import { captureOutput, configMap, runCli, write } from '../support/cli';

// openSync and yamlDocuments watched (and passed through) to count how often a run reads and parses each file.
jest.mock('fs', () => {
  const real = jest.requireActual('fs');
  return { ...real, openSync: jest.fn(real.openSync) };
});
jest.mock('../../lib/validate/yaml-documents', () => {
  const real = jest.requireActual('../../lib/validate/yaml-documents');
  return { ...real, yamlDocuments: jest.fn(real.yamlDocuments) };
});

describe('npm run validate: verdicts', () => {
  test('a folder of hand-written manifests that the API server accepts exits 0 without the policy checks', () => {
    const { code, out, err } = runCli(['--checks', 'schema,api,link', '--operator-secret', 'pgpassword=PGPASSWORD', COURSE_K8S]);
    expect(out).toEqual([]);
    expect(err).toEqual(['11 objects from 11 file(s): no problems']);
    expect(code).toBe(0);
  });

  test('the course\'s manifests fail the policy checks, one line per finding, and get no policy exception', () => {
    const { code, out, err } = runCli(['--operator-secret', 'pgpassword=PGPASSWORD', COURSE_K8S]);
    expect(code).toBe(1);
    expect(out.every((line) => / \[[a-z-]+\] /.test(line))).toBe(true);
    expect(out).toContainEqual(expect.stringContaining('Deployment/postgres-deployment: spec.template.spec.containers[0].securityContext.runAsNonRoot: [restricted] runAsNonRoot is not true'));
    // The app's own exception (ingress-tls) is the app's: another folder's Ingress is judged.
    expect(out).toContain(`${path.join(COURSE_K8S, 'ingress-service.yaml')}: Ingress/ingress-service: spec.tls: [ingress-tls] the Ingress serves plain HTTP (allowed: spec.tls with a certificate Secret)`);
    expect(err).toEqual([`${out.length} problem(s) in 11 objects from 11 file(s)`]);
  });

  test('problems exit 1, one line each: file, kind/name, field path, what is wrong, what is allowed', () => {
    const dir = tempDir();
    const file = write(dir, 'svc.yaml', 'apiVersion: v1\nkind: Service\nmetadata:\n  name: web\nspec:\n  selector:\n    app: web\n  ports:\n    - port: 80\n      targetPrt: 8080\n');
    const { code, out, err } = runCli([dir]);
    expect(out).toEqual([
      `${file}: Service/web: spec.ports[0].targetPrt: unknown field "targetPrt" (Kubernetes 1.27.0 and 1.34.0 schemas) (allowed: only the fields the API defines here (check spelling and indentation))`,
      `${file}: Service/web: spec.selector: selector {"app":"web"} selects no pod template in the output (allowed: labels of a workload's pods; the output has no pod templates in this namespace)`,
    ]);
    expect(err).toEqual(['2 problem(s) in 1 objects from 1 file(s)']);
    expect(code).toBe(1);
  });

  test('--kubernetes-version judges for that version alone (repeatable); an unknown one exits 2 naming the flag and the allowed values', () => {
    const dir = tempDir();
    write(dir, 'pod.yaml', 'apiVersion: v1\nkind: Pod\nmetadata:\n  name: p\nspec:\n  initContainers:\n    - name: proxy\n      image: envoy:1\n      restartPolicy: Always\n  containers:\n    - name: app\n      image: app:1\n');
    expect(runCli(['--checks', 'schema', '--kubernetes-version', '1.34', dir]).code).toBe(0);
    const both = runCli(['--checks', 'schema', '--kubernetes-version', '1.34', '--kubernetes-version', '1.27', dir]);
    expect(both.out).toEqual([expect.stringContaining('spec.initContainers[0].restartPolicy: unknown field "restartPolicy" (Kubernetes 1.27.0 schema)')]);
    expect(both.code).toBe(1);
    expect(runCli(['--checks', 'schema', dir]).code).toBe(1);
    const bad = runCli(['--kubernetes-version', '1.30', dir]);
    expect(bad.err[0]).toBe('error: --kubernetes-version "1.30" is not a version the validator has schemas for: allowed are 1.27, 1.34 (or a patch release of one, e.g. 1.34.2)');
    expect(bad.code).toBe(2);
    expect(runCli(['--kubernetes-version', '', COURSE_K8S]).err[0]).toBe('error: --kubernetes-version "" is not a version the validator has schemas for: allowed are 1.27, 1.34 (or a patch release of one, e.g. 1.34.2)');
  });

  test('--operator-secret names a Secret created outside the manifests, for every object', () => {
    const without = runCli(['--checks', 'link', COURSE_K8S]);
    expect(without.code).toBe(1);
    // The finding names both ways to declare the Secret, with the reference's own name and key: the flag, and the object's annotation.
    const finding = `${path.join(COURSE_K8S, 'server-deployment.yaml')}: Deployment/server-deployment: spec.template.spec.containers[0].env[6].valueFrom.secretKeyRef: `
      + 'Secret "pgpassword" is neither in the output nor required from the operator (allowed: a Secret in the output, or one the operator creates, '
      + 'declared with --operator-secret pgpassword=PGPASSWORD (for every object) or on the object with the annotation operator-secret.multi-k8s.dev/pgpassword: "PGPASSWORD"; declared now: none)';
    expect(without.out).toContainEqual(finding);
    expect(runCli(['--checks', 'link', '--operator-secret', 'other=KEY', COURSE_K8S]).out).toContainEqual(expect.stringContaining('declared now: other (KEY))'));
    expect(runCli(['--checks', 'link', '--operator-secret', 'other=KEY', COURSE_K8S]).code).toBe(1);
    expect(runCli(['--checks', 'link', '--operator-secret', 'pgpassword=PGPASSWORD,OTHER', COURSE_K8S]).code).toBe(0);
  });

  test('the annotation the finding names declares the Secret on that object: the course\'s objects with it pass the links', () => {
    const dir = tempDir();
    for (const file of fs.readdirSync(COURSE_K8S)) {
      const text = fs.readFileSync(path.join(COURSE_K8S, file), 'utf8');
      // The annotation as the finding prints it, on each Deployment that reads the Secret.
      const annotated = /secretKeyRef:\s*\n\s*name: pgpassword/.test(text) ? text.replace(/^metadata:\n/m, 'metadata:\n  annotations:\n    operator-secret.multi-k8s.dev/pgpassword: "PGPASSWORD"\n') : text;
      fs.writeFileSync(path.join(dir, file), annotated);
    }
    expect(fs.readdirSync(dir).filter((f) => fs.readFileSync(path.join(dir, f), 'utf8').includes('operator-secret.multi-k8s.dev/'))).toHaveLength(2);
    expect(runCli(['--checks', 'link', dir])).toMatchObject({ code: 0 });
  });

  test('bad usage exits 2 with the usage text; --help exits 0', () => {
    for (const args of [[], ['--operator-secret', 'no-equals', COURSE_K8S], ['--frobnicate', COURSE_K8S], ['--checks', 'schema,style', COURSE_K8S]]) {
      const { code, err } = runCli(args);
      expect(code).toBe(2);
      expect(err.some((line) => line.startsWith('usage: npm run validate'))).toBe(true);
    }
    const help = runCli(['--help']);
    expect(help.code).toBe(0);
    expect(help.out).toContain('(warnings, lines marked "warning:", do not count); 1: problems, one per line; 2: an input could not');
    expect(help.out).toContain('--fail-on-warnings makes a warning fail the run, exit 1 (default: warnings are printed, exit 0).');
  });
});

describe('npm run validate: each usage error names itself on the first line, then the usage text', () => {
  test.each([
    ['no path', [], 'error: no file or folder given'],
    ['an unknown option', ['--frobnicate', COURSE_K8S], 'error: unknown option --frobnicate'],
    ['an unknown check family', ['--checks', 'schema,style', COURSE_K8S], 'error: --checks "schema,style" names an unknown family: allowed are schema, api, admission, link, policy'],
    ['--checks without its list', ['--checks'], 'error: --checks needs a comma-separated list of schema, api, admission, link, policy: nothing follows it'],
    ['--checks followed by another option', ['--checks', '--fail-on-unknown', COURSE_K8S], 'error: --checks needs a comma-separated list of schema, api, admission, link, policy: --fail-on-unknown follows it (a path starting with - is written ./--fail-on-unknown)'],
    ['--checks twice (the second silently won)', ['--checks', 'schema', '--checks', 'api', COURSE_K8S], 'error: --checks is given twice: give it once, naming every family in one comma-separated list'],
    ['--fail-on-unknown twice', ['--fail-on-unknown', '--fail-on-unknown', COURSE_K8S], 'error: --fail-on-unknown is given twice: give it once'],
    ['--crd followed by another option (it was taken as a path)', ['--crd', '--checks', 'schema', COURSE_K8S], 'error: --crd needs a file or folder of CustomResourceDefinitions: --checks follows it (a path starting with - is written ./--checks)'],
    ['--kubernetes-version without its version', ['--kubernetes-version'], 'error: --kubernetes-version needs a version: 1.27 or 1.34: nothing follows it'],
    ['an option after -- is a path, and options before it still count', ['--checks', 'schema', '--', '--checks'], 'error: --checks: no such file or directory (ENOENT)'],
    ['--operator-secret without =', ['--operator-secret', 'no-equals', COURSE_K8S], 'error: --operator-secret "no-equals" is not NAME=KEY[,KEY...]'],
    ['--operator-secret without its value', ['--operator-secret'], 'error: --operator-secret needs NAME=KEY[,KEY...]: nothing follows it'],
    ['--operator-secret with a capital in the name', ['--operator-secret', 'Pg=KEY', COURSE_K8S], 'error: --operator-secret "Pg=KEY" is not NAME=KEY[,KEY...]'],
    ['--operator-secret without keys', ['--operator-secret', 'pg=', COURSE_K8S], 'error: --operator-secret "pg=" is not NAME=KEY[,KEY...]'],
    ['--operator-secret with an empty key after a comma', ['--operator-secret', 'pg=A,', COURSE_K8S], 'error: --operator-secret "pg=A," is not NAME=KEY[,KEY...]'],
    ['--operator-secret with text before the name', ['--operator-secret', ' pg=A', COURSE_K8S], 'error: --operator-secret " pg=A" is not NAME=KEY[,KEY...]'],
    ['--operator-secret with a key that is no Secret key', ['--operator-secret', 'pg=A B', COURSE_K8S], 'error: --operator-secret "pg=A B" is not NAME=KEY[,KEY...]'],
    ['--crd without its path', ['--crd'], 'error: --crd needs a file or folder of CustomResourceDefinitions: nothing follows it'],
  ])('%s', (_what, args, message) => {
    const { code, out, err } = runCli(args);
    expect(code).toBe(2);
    expect(out).toEqual([]);
    expect(err[0]).toBe(message);
    // A path after -- is an input that could not be used, not a usage error.
    if (args.includes('--')) return;
    expect(err[1]).toMatch(/^usage: npm run validate -- \[--checks schema,api,admission,link,policy\] \[--operator-secret NAME=KEY\[,KEY\.\.\.\]\]\.\.\. \[--fail-on-unknown\] \[--fail-on-warnings\] \[--crd FILE_OR_FOLDER\]\.\.\. \[--kubernetes-version 1\.27\|1\.34\]\.\.\. \[--\] <file-or-folder>\.\.\.$/);
  });

  test('-h prints the usage, naming the annotations an object accepts a finding and declares a Secret with', () => {
    const { code, out, err } = runCli(['-h']);
    expect(code).toBe(0);
    expect(err).toEqual([]);
    expect(out[0]).toMatch(/^usage: npm run validate -- /);
    expect(out).toContain('An object accepts a policy finding with the annotation accept-policy.multi-k8s.dev/<rule>: "<reason>", and');
    expect(out).toContain('declares a Secret the operator creates with operator-secret.multi-k8s.dev/<secret>: "<KEY>[,<KEY>...]";');
  });
});

describe('npm run validate: the usage text names the target versions', () => {
  test('-h lists the versions judged by default, joined as words and as a list', () => {
    const { code, out } = runCli(['-h']);
    expect(code).toBe(0);
    expect(out).toContain('Judges Kubernetes manifests as the API server (strict schema for 1.27 and 1.34, API rules, Pod Security');
    expect(out).toContain('--kubernetes-version judges as that version\'s API server alone (repeatable; 1.27, 1.34; a patch');
  });
});

describe('npm run validate: options', () => {
  test('--operator-secret may be given more than once, with keys of dots, dashes and underscores', () => {
    const dir = tempDir();
    const pod = (name: string, secret: string, key: string) => write(dir, `${name}.yaml`, [
      'apiVersion: v1', 'kind: Pod', 'metadata:', `  name: ${name}`, 'spec:', '  containers:', '    - name: app', '      image: nginx:1.27', '      env:',
      '        - name: X', '          valueFrom:', '            secretKeyRef:', `              name: ${secret}`, `              key: ${key}`,
    ].join('\n'));
    pod('a', 'db.creds', 'pass_word-1.x');
    pod('b', 'api', 'TOKEN');
    expect(runCli(['--checks', 'link', '--operator-secret', 'db.creds=pass_word-1.x', dir]).code).toBe(1);
    const both = runCli(['--checks', 'link', '--operator-secret', 'db.creds=pass_word-1.x', '--operator-secret', 'api=TOKEN', dir]);
    expect(both.out).toEqual([]);
    expect(both.code).toBe(0);
  });

  test('--checks runs only the families named: a schema problem passes --checks api, and fails --checks api,schema', () => {
    const dir = tempDir();
    write(dir, 'cm.yaml', 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: web\ndata:\n  a: "1"\nbogus: 1\n');
    expect(runCli(['--checks', 'api', dir]).code).toBe(0);
    const both = runCli(['--checks', 'api,schema', dir]);
    expect(both.code).toBe(1);
    expect(both.out).toHaveLength(1);
    expect(both.out[0]).toContain('bogus: unknown field "bogus"');
  });

  test('-- ends the options: a file named like an option is read as a path', () => {
    const dir = tempDir();
    write(dir, '-web.yaml', configMap('web', ['  a: "1"']));
    const cwd = process.cwd();
    process.chdir(dir);
    try {
      const { code, err } = runCli(['--checks', 'schema', '--', '-web.yaml']);
      expect(err).toEqual(['1 objects from 1 file(s): no problems']);
      expect(code).toBe(0);
    } finally {
      process.chdir(cwd);
    }
  });

  test('--crd adds up when repeated: a custom object judged by the CRD of the second', () => {
    const crdDir = tempDir();
    const crd = (kind: string) => JSON.stringify({
      apiVersion: 'apiextensions.k8s.io/v1', kind: 'CustomResourceDefinition', metadata: { name: `${kind.toLowerCase()}s.example.com` },
      spec: { group: 'example.com', scope: 'Namespaced', names: { plural: `${kind.toLowerCase()}s`, singular: kind.toLowerCase(), kind, listKind: `${kind}List` },
        versions: [{ name: 'v1', served: true, storage: true, schema: { openAPIV3Schema: { type: 'object', properties: { spec: { type: 'object', properties: { size: { type: 'integer' } } } } } } }] },
    });
    const first = write(crdDir, 'a.json', crd('Apple'));
    const second = write(crdDir, 'b.json', crd('Pear'));
    const dir = tempDir();
    write(dir, 'pear.yaml', 'apiVersion: example.com/v1\nkind: Pear\nmetadata:\n  name: p\nspec:\n  size: big\n');
    const { out, code } = runCli(['--checks', 'schema', '--crd', first, '--crd', second, dir]);
    expect(out).toEqual([expect.stringContaining('pear.yaml: Pear/p: spec.size: wrong type')]);
    expect(code).toBe(1);
  });

  test('several paths are read together', () => {
    const one = tempDir();
    const two = tempDir();
    write(one, 'a.yaml', configMap('a', ['  a: "1"']));
    write(two, 'b.yaml', configMap('b', ['  b: "1"']));
    expect(runCli([one, two]).err).toEqual(['2 objects from 2 file(s): no problems']);
  });

  test('a policy finding an object accepts is one "policy exception" line on stderr, and no problem', () => {
    const dir = tempDir();
    write(dir, 'ingress.yaml', [
      'apiVersion: networking.k8s.io/v1', 'kind: Ingress', 'metadata:', '  name: web', '  annotations:',
      '    accept-policy.multi-k8s.dev/ingress-tls: "TLS ends at the load balancer"', 'spec:', '  ingressClassName: nginx',
      '  rules:', '    - host: shop.example.com', '      http:', '        paths:', '          - path: /', '            pathType: Prefix',
      '            backend:', '              service:', '                name: web', '                port:', '                  number: 80',
    ].join('\n'));
    const { out, err } = runCli(['--checks', 'policy', dir]);
    expect(out.filter((line) => line.includes('[ingress-tls]'))).toEqual([]);
    expect(err).toContain('policy exception [ingress-tls] Ingress/web: TLS ends at the load balancer');
  });
});

describe('npm run validate: inputs it cannot use cost one line each, exit 2, and every other input is still validated', () => {
  // A folder with one clean Service and one with a problem, beside the fault under test.
  function folderWithFault(): { dir: string; problemLine: string } {
    const dir = tempDir();
    write(dir, 'a-clean.yaml', configMap('clean', ['  a: "1"']));
    const bad = write(dir, 'z-problem.yaml', 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: broken\ndta:\n  a: "1"\n');
    return { dir, problemLine: `${bad}: ConfigMap/broken: dta: unknown field "dta" (Kubernetes 1.27.0 and 1.34.0 schemas) (allowed: only the fields the API defines here (check spelling and indentation))` };
  }

  const cases: [string, (dir: string) => string, (file: string) => string][] = [
    ['a missing path', (dir) => path.join(dir, 'nothing-here'), () => 'no such file or directory (ENOENT)'],
    ['a symlink to itself', (dir) => { const f = path.join(dir, 'self.yaml'); fs.symlinkSync('self.yaml', f); return f; }, () => 'symlink loop (ELOOP)'],
    ['a symlink back to a parent folder', (dir) => { const f = path.join(dir, 'sub', 'back'); fs.mkdirSync(path.dirname(f)); fs.symlinkSync('..', f); return f; }, () => 'symlink loop: leads back to a folder being read'],
    ['a dangling symlink named like a manifest', (dir) => { const f = path.join(dir, 'gone.yaml'); fs.symlinkSync('nowhere.yaml', f); return f; }, () => 'no such file or directory (ENOENT)'],
    ['an alias bomb', (dir) => write(dir, 'bomb.yaml', aliasBomb()), () => 'document 1: document contains excessive aliasing (an alias bomb): kubectl refuses it'],
    ['an alias inside its own anchor', (dir) => write(dir, 'cycle.yaml', 'apiVersion: v1\nkind: ConfigMap\nmetadata: &m\n  name: c\n  self: *m\n'), () => 'document 1: an alias refers to a node that contains it'],
    ['nesting deeper than any reader allows', (dir) => write(dir, 'deep.yaml', `a: ${'['.repeat(20000)}${']'.repeat(20000)}\n`), () => 'nested too deep for this validator to read'],
    ['a kind: List with a null item', (dir) => write(dir, 'list.yaml', `apiVersion: v1\nkind: List\nitems:\n  - null\n`), () => 'document 1: items[0] is null, not a Kubernetes object'],
    ['a kind: List with a scalar item', (dir) => write(dir, 'list.yaml', `apiVersion: v1\nkind: List\nitems:\n  - ${configMap('ok').trimEnd().split('\n').join('\n    ')}\n  - just text\n`), () => 'document 1: items[1] is a string, not a Kubernetes object'],
    ['a kind: List whose items is a map', (dir) => write(dir, 'list.yaml', 'apiVersion: v1\nkind: List\nitems:\n  a: b\n'), () => 'document 1: List items is a map, not a list of objects'],
    ['a document that is a scalar', (dir) => write(dir, 'scalar.yaml', `${configMap('first')}---\nhello\n`), () => 'document 2 is a string, not a Kubernetes object'],
    ['a document that is a list', (dir) => write(dir, 'list.yaml', '- a\n- b\n'), () => 'document 1 is a list, not a Kubernetes object'],
    ['bytes that are not UTF-8', (dir) => write(dir, 'latin1.yaml', Buffer.concat([Buffer.from('apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: caf'), Buffer.from([0xe9]), Buffer.from('\n')])), () => 'line 4: not UTF-8 text (byte 0xe9 at offset 52): kubectl would send U+FFFD in its place'],
    ['a file over the size limit', (dir) => { const f = path.join(dir, 'huge.yaml'); fs.writeFileSync(f, ''); fs.truncateSync(f, 65 * 2 ** 20); return f; }, () => '65 MiB or more, over the 64 MiB limit for one file: not read (split it)'],
    ['a YAML syntax error', (dir) => write(dir, 'broken.yaml', 'apiVersion: v1\nkind: Service\nmetadata:\n  name: x\n   labels: {}\n'), () => 'line 5 column 10: YAML syntax error: bad indentation of a mapping entry'],
  ];

  test.each(cases)('%s', (_name, makeFault, message) => {
    const { dir, problemLine } = folderWithFault();
    const fault = makeFault(dir);
    const inside = (() => {
      try {
        return fs.lstatSync(fault) !== undefined;
      } catch {
        return false;
      }
    })();
    const { code, out, err } = runCli(inside ? [dir] : [dir, fault]);
    expect(out).toEqual([problemLine]);
    expect(err).toEqual([`error: ${fault}: ${message(fault)}`, expect.stringMatching(/^1 problem\(s\) in [23] objects from [234] file\(s\); 1 input\(s\) could not be used$/)]);
    expect(code).toBe(2);
  });

  test('a file whose read fails (EIO: /proc/self/mem at offset 0, which fails for root too) is reported and the others are still validated', () => {
    const { dir, problemLine } = folderWithFault();
    const mem = path.join(dir, 'mem.yaml');
    fs.symlinkSync('/proc/self/mem', mem);
    const { code, out, err } = runCli([dir]);
    expect(out).toEqual([problemLine]);
    expect(err).toEqual([`error: ${mem}: input/output error (EIO)`, '1 problem(s) in 2 objects from 3 file(s); 1 input(s) could not be used']);
    expect(code).toBe(2);
  });
});

describe('npm run validate: empty inputs are 0 objects, as kubeconform counts them', () => {
  test.each([
    ['an empty file', (dir: string) => write(dir, 'empty.yaml', ''), '0 objects from 1 file(s): no problems'],
    ['a file of comments and document markers', (dir: string) => write(dir, 'comments.yaml', '# nothing yet\n---\n---\n'), '0 objects from 1 file(s): no problems'],
    ['an empty folder', (dir: string) => dir, '0 objects from 0 file(s): no problems'],
    ['a folder with no manifest files', (dir: string) => { write(dir, 'README.md', '# not a manifest\n'); return dir; }, '0 objects from 0 file(s): no problems'],
    ['a List with no items', (dir: string) => write(dir, 'list.yaml', 'apiVersion: v1\nkind: List\nitems: []\n'), '0 objects from 1 file(s): no problems'],
  ])('%s exits 0', (_name, make, summary) => {
    const { code, out, err } = runCli([make(tempDir())]);
    expect(out).toEqual([]);
    expect(err).toEqual([summary]);
    expect(code).toBe(0);
  });
});

describe('npm run validate: kinds without a schema', () => {
  const kustomization = 'apiVersion: kustomize.config.k8s.io/v1beta1\nkind: Kustomization\nresources:\n  - app.yaml\n';
  // A custom resource with fields that would break core-API rules if they were applied to it.
  const customResource = 'apiVersion: example.com/v1\nkind: Deployment\nmetadata:\n  name: Not_A_DNS_Name\nspec:\n  ports:\n    - protocol: HTTP\n';

  test('are one "skipped" line each and exit 0, not judged by the rules of built-in kinds', () => {
    const dir = tempDir();
    const k = write(dir, 'kustomization.yaml', kustomization);
    const cr = write(dir, 'cr.yaml', customResource);
    const { code, out, err } = runCli([dir]);
    expect(out).toEqual([
      `${cr}: Deployment/Not_A_DNS_Name: skipped: no schema for apiVersion example.com/v1 kind Deployment (use --fail-on-unknown to fail)`,
      `${k}: Kustomization/<no name>: skipped: no schema for apiVersion kustomize.config.k8s.io/v1beta1 kind Kustomization (use --fail-on-unknown to fail)`,
    ]);
    expect(err).toEqual(['2 objects from 2 file(s): no problems; 2 skipped (no schema)']);
    expect(code).toBe(0);
  });

  test('are problems with --fail-on-unknown', () => {
    const dir = tempDir();
    const k = write(dir, 'kustomization.yaml', kustomization);
    const { code, out } = runCli(['--fail-on-unknown', dir]);
    expect(out).toEqual([`${k}: Kustomization/<no name>: kind: no schema for apiVersion kustomize.config.k8s.io/v1beta1 kind Kustomization (allowed: a kind with a known schema (without --fail-on-unknown it is skipped))`]);
    expect(code).toBe(1);
  });

  test('a removed apiVersion of a built-in group is an error, not an unknown kind', () => {
    const dir = tempDir();
    const file = write(dir, 'old.yaml', 'apiVersion: extensions/v1beta1\nkind: Ingress\nmetadata:\n  name: old\n');
    const { code, out } = runCli(['--checks', 'schema', dir]);
    expect(out).toEqual([
      `${file}: Ingress/old: apiVersion: extensions/v1beta1/Ingress is not served by Kubernetes 1.27.0 (removed or not yet added) (allowed: apiVersion networking.k8s.io/v1)`,
      `${file}: Ingress/old: apiVersion: extensions/v1beta1/Ingress is not served by Kubernetes 1.34.0 (removed or not yet added) (allowed: apiVersion networking.k8s.io/v1)`,
    ]);
    expect(code).toBe(1);
  });
});

describe('npm run validate: names that are properties of every JavaScript object', () => {
  test.each(['toString', '__proto__', 'constructor', 'hasOwnProperty', 'valueOf'])('kind: %s is judged as the unknown kind it is, in the core group and in a custom one', (kind) => {
    const dir = tempDir();
    const core = write(dir, 'core.yaml', `apiVersion: v1\nkind: ${kind}\nmetadata:\n  name: x\n`);
    const custom = write(dir, 'custom.yaml', `apiVersion: example.com/v1\nkind: ${kind}\nmetadata:\n  name: custom\n`);
    const { code, out } = runCli([dir]);
    expect(out).toEqual([
      `${custom}: ${kind}/custom: skipped: no schema for apiVersion example.com/v1 kind ${kind} (use --fail-on-unknown to fail)`,
      `${core}: ${kind}/x: apiVersion: kind "${kind}" is not a built-in kind of Kubernetes 1.27.0 (allowed: a built-in kind)`,
      `${core}: ${kind}/x: apiVersion: kind "${kind}" is not a built-in kind of Kubernetes 1.34.0 (allowed: a built-in kind)`,
    ]);
    expect(code).toBe(1);
  });

  test('keys named __proto__ and constructor are data, checked like any other key', () => {
    const dir = tempDir();
    const file = write(dir, 'cm.yaml', 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: cm\n  labels:\n    constructor: a\n    toString: b\ndata:\n  __proto__: x\n  constructor: "y"\n');
    const { code, out } = runCli([dir]);
    expect(out).toEqual([]);
    expect(code).toBe(0);
    const bad = write(dir, 'cm.yaml', 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: cm\n  __proto__:\n    polluted: true\n');
    const again = runCli([dir]);
    expect(again.out).toEqual([`${bad}: ConfigMap/cm: metadata.__proto__: unknown field "__proto__" (Kubernetes 1.27.0 and 1.34.0 schemas) (allowed: only the fields the API defines here (check spelling and indentation))`]);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    expect(file).toBe(bad);
  });
});

describe('npm run validate: YAML as kubectl reads it', () => {
  test('a value kubectl types as a boolean or number where the API wants a string names the quoting fix', () => {
    const dir = tempDir();
    const file = write(dir, 'cm.yaml', [
      'apiVersion: v1', 'kind: ConfigMap', 'metadata:', '  name: flags', '  labels:', '    enabled: yes', '  annotations:', '    mode: 0777',
      'data:', '  feature: on', '  size: 1_000', '  ratio: 1e3', '  time: 1:20', '  quoted: "on"',
    ].join('\n'));
    const { code, out } = runCli(['--checks', 'schema', dir]);
    const line = (at: string, source: string, value: string, yaml12?: string) => `${file}: ConfigMap/flags: ${at}: kubectl reads the unquoted ${source} as ${value} (YAML 1.1), but the field takes a string${yaml12 ? ` (YAML 1.2 tools read the string "${yaml12}")` : ''} (allowed: quote it: "${source}")`;
    expect(out).toEqual([
      line('metadata.labels.enabled', 'yes', 'the boolean true', 'yes'),
      line('metadata.annotations.mode', '0777', 'the number 511'),
      line('data.feature', 'on', 'the boolean true', 'on'),
      line('data.size', '1_000', 'the number 1000', '1_000'),
      line('data.ratio', '1e3', 'the number 1000'),
    ]);
    expect(code).toBe(1);
  });

  test('env values, args and command of a container get the same advice', () => {
    const dir = tempDir();
    const file = write(dir, 'pod.yaml', [
      'apiVersion: v1', 'kind: Pod', 'metadata:', '  name: web', 'spec:', '  containers:', '    - name: web', '      image: nginx:1.27',
      '      command: [nginx, off]', '      args: ["-p", 0777]', '      env:', '        - name: DEBUG', '          value: on', '        - name: QUOTED', '          value: "on"',
    ].join('\n'));
    const { out } = runCli(['--checks', 'schema', dir]);
    expect(out).toEqual([
      `${file}: Pod/web: spec.containers[0].command[1]: kubectl reads the unquoted off as the boolean false (YAML 1.1), but the field takes a string (YAML 1.2 tools read the string "off") (allowed: quote it: "off")`,
      `${file}: Pod/web: spec.containers[0].args[1]: kubectl reads the unquoted 0777 as the number 511 (YAML 1.1), but the field takes a string (allowed: quote it: "0777")`,
      `${file}: Pod/web: spec.containers[0].env[0].value: kubectl reads the unquoted on as the boolean true (YAML 1.1), but the field takes a string (YAML 1.2 tools read the string "on") (allowed: quote it: "on")`,
    ]);
  });

  test('the same values where the API wants a number or boolean are what kubectl sends, and pass', () => {
    const dir = tempDir();
    write(dir, 'deploy.yaml', [
      'apiVersion: apps/v1', 'kind: Deployment', 'metadata:', '  name: web', 'spec:', '  replicas: 0x2', '  selector:', '    matchLabels:', '      app: web',
      '  template:', '    metadata:', '      labels:', '        app: web', '    spec:', '      automountServiceAccountToken: no',
      '      containers:', '        - name: web', '          image: nginx:1.27', '          args: ["--port", "8080"]',
      '      volumes:', '        - name: config', '          configMap:', '            name: web', '            defaultMode: 0644',
    ].join('\n'));
    write(dir, 'cm.yaml', configMap('web', ['  a: "b"']));
    expect(runCli(['--checks', 'schema,api', dir]).out).toEqual([]);
  });
});

describe('npm run validate: data over the API server\'s 1 MiB', () => {
  test('a ConfigMap and a Secret over MaxSecretSize are one problem line each', () => {
    const dir = tempDir();
    const big = 'x'.repeat(2 ** 20);
    const cm = write(dir, 'cm.yaml', configMap('big', [`  a: ${big}`, '  b: "1"']));
    const secret = write(dir, 'secret.yaml', `apiVersion: v1\nkind: Secret\nmetadata:\n  name: big\ndata:\n  a: ${Buffer.from(big.slice(10)).toString('base64')}\nstringData:\n  b: "${'y'.repeat(11)}"\n`);
    const { code, out } = runCli(['--checks', 'api', dir]);
    expect(out).toEqual([
      `${cm}: ConfigMap/big: data: the ConfigMap holds 1048577 bytes (allowed: at most 1048576 bytes (1 MiB) in all)`,
      `${secret}: Secret/big: data: the Secret holds 1048577 bytes (allowed: at most 1048576 bytes (1 MiB) in all)`,
    ]);
    expect(code).toBe(1);
  });
});

/** Nine levels of nine aliases each: 9^9 strings once expanded, from a few hundred bytes. */
function aliasBomb(): string {
  const lines = ['  a: &a ["lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol"]'];
  const levels = 'abcdefghi';
  for (let i = 1; i < levels.length; i++) lines.push(`  ${levels[i]}: &${levels[i]} [${Array(9).fill(`*${levels[i - 1]}`).join(', ')}]`);
  return `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: bomb\ndata:\n${lines.join('\n')}\n`;
}

describe('npm run validate: warnings', () => {
  // What the API server accepts but the kubelet refuses at start: a warning, not a problem.
  const rootUser = 'apiVersion: v1\nkind: Pod\nmetadata:\n  name: p\nspec:\n  securityContext:\n    runAsNonRoot: true\n    runAsUser: 0\n  containers:\n    - name: c\n      image: nginx:1.27\n';

  test('are printed marked "warning:" and exit 0; the summary counts them apart from problems', () => {
    const dir = tempDir();
    const file = write(dir, 'pod.yaml', rootUser);
    const { code, out, err } = runCli(['--checks', 'schema,api', dir]);
    expect(out).toEqual([`${file}: Pod/p: spec.containers[0].securityContext.runAsUser: warning: runAsNonRoot is true but runAsUser is 0: the kubelet refuses to start the container (allowed: a non-zero runAsUser)`]);
    expect(err).toEqual(['1 objects from 1 file(s): no problems; 1 warning(s)']);
    expect(code).toBe(0);
  });

  test('fail the run with --fail-on-warnings (exit 1), which is given once', () => {
    const dir = tempDir();
    write(dir, 'pod.yaml', rootUser);
    const failing = runCli(['--checks', 'schema,api', '--fail-on-warnings', dir]);
    expect(failing.code).toBe(1);
    expect(failing.err).toEqual(['1 objects from 1 file(s): no problems; 1 warning(s) (--fail-on-warnings)']);
    const twice = runCli(['--fail-on-warnings', '--fail-on-warnings', dir]);
    expect(twice.code).toBe(2);
    expect(twice.err[0]).toBe('error: --fail-on-warnings is given twice: give it once');
  });

  test('a problem still fails the run beside a warning, and is counted alone', () => {
    const dir = tempDir();
    write(dir, 'pod.yaml', rootUser);
    write(dir, 'cm.yaml', 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: c\ndatum: {}\n');
    const { code, err } = runCli(['--checks', 'schema,api', dir]);
    expect(code).toBe(1);
    expect(err).toEqual(['1 problem(s) in 2 objects from 2 file(s); 1 warning(s)']);
  });
});

describe('npm run validate: how it reads and writes', () => {
  test('- is a path, not an option, alone and as the value of --crd', () => {
    expect(runCli(['-'])).toEqual({ code: 2, out: [], err: ['error: -: no such file or directory (ENOENT)', '0 objects from 0 file(s): no problems; 1 input(s) could not be used'] });
    const dir = tempDir();
    write(dir, 'cm.yaml', configMap('web', ['  a: "1"']));
    expect(runCli(['--crd', '-', dir])).toEqual({ code: 2, out: [], err: ['error: -: no such file or directory (ENOENT)', '1 objects from 1 file(s): no problems; 1 input(s) could not be used'] });
  });

  test('a folder without a Namespace or CustomResourceDefinition is read once; one that may hold either is read again for it', () => {
    const dir = tempDir();
    const a = write(dir, 'a.yaml', configMap('a', ['  a: "1"']));
    const b = write(dir, 'b.yaml', configMap('b', ['  b: "1"']));
    const opened = fs.openSync as unknown as jest.Mock;
    const parsed = yamlDocuments as unknown as jest.Mock;
    const reads = () => opened.mock.calls.map(([file]) => String(file)).filter((file) => file.startsWith(dir));
    const parses = () => parsed.mock.calls.map(([, options]) => String(options?.filename)).filter((file) => file.startsWith(dir));
    opened.mockClear();
    parsed.mockClear();
    expect(runCli(['--checks', 'schema', dir]).err).toEqual(['2 objects from 2 file(s): no problems']);
    expect(reads()).toEqual([a, b]);
    expect(parses()).toEqual([a, b]);
    opened.mockClear();
    parsed.mockClear();
    const ns = write(dir, 'c.yaml', 'apiVersion: v1\nkind: Namespace\nmetadata:\n  name: c\n');
    expect(runCli(['--checks', 'schema', dir]).err).toEqual(['3 objects from 3 file(s): no problems']);
    // The first pass stops at the Namespace; then the context is read (only its file parsed), then every file is judged.
    expect(reads()).toEqual([a, b, ns, a, b, ns, a, b, ns]);
    expect(parses()).toEqual([a, b, ns, a, b, ns]);
  });

  test('a run that starts again with the context takes back the notes of its stopped pass, and keeps those it had before', () => {
    const dir = tempDir();
    write(dir, 'ns.yaml', 'apiVersion: v1\nkind: Namespace\nmetadata:\n  name: c\n');
    notEvaluated.add('an earlier note');
    try {
      expect(runCli(['--checks', 'schema', dir]).err).toEqual(['note: an earlier note', '1 objects from 1 file(s): no problems']);
    } finally {
      notEvaluated.clear();
    }
  });

  test('a fault of the validator in the first pass is the run\'s fault (exit 2), not a reason to read again', () => {
    const dir = tempDir();
    write(dir, 'a.yaml', configMap('a', ['  a: "1"']));
    const add = jest.spyOn(Validation.prototype, 'add').mockImplementationOnce(() => { throw new Error('judging failed'); });
    try {
      expect(runCli([dir])).toEqual({ code: 2, out: [], err: ['error: the validator failed: judging failed'] });
    } finally {
      add.mockRestore();
    }
  });

  test('lines are written in chunks of 64 KiB: a chunk ends at the line that brings it to 65,536 characters', () => {
    const dir = tempDir();
    const file = path.join(dir, 'things.yaml');
    // Skipped lines of exactly 256 characters: 256 of them fill a chunk.
    const line = (name: string) => `${file}: Thing/${name}: skipped: no schema for apiVersion example.com/v1 kind Thing (use --fail-on-unknown to fail)`;
    const pad = 256 - line('').length - 4;
    expect(pad).toBeGreaterThan(0);
    const names = Array.from({ length: 600 }, (_, i) => `${String(i).padStart(4, '0')}${'n'.repeat(pad)}`);
    write(dir, 'things.yaml', names.map((name) => `apiVersion: example.com/v1\nkind: Thing\nmetadata:\n  name: ${name}\n`).join('---\n'));
    const { code, out } = captureOutput(() => run(['--checks', 'schema', dir]));
    expect(code).toBe(0);
    const lines = names.map(line);
    expect(lines.every((l) => l.length === 256)).toBe(true);
    expect(out).toEqual([lines.slice(0, 256).join('\n'), lines.slice(256, 512).join('\n'), lines.slice(512).join('\n')]);
  });

  test('a run stops judging after 100,000 problems and says how many objects were left', () => {
    const dir = tempDir();
    const keys = Array.from({ length: 100_001 }, (_, i) => `  "bad key ${i}": x`);
    write(dir, 'a.yaml', configMap('a', keys));
    write(dir, 'b.yaml', configMap('b', ['  "bad key": x']));
    const { code, out, err } = runCli(['--checks', 'api', dir]);
    expect(code).toBe(1);
    expect(out).toHaveLength(100_000);
    expect(err).toEqual([
      'note: stopped after 100,000 problems, the most one run reports: up to 1 of 2 objects were not judged by every check (fix these first, or validate fewer files at a time)',
      '100000 problem(s) in 2 objects from 2 file(s)',
    ]);
  }, 120_000);
});
