// readConfig and its helpers (lib/program/config.ts: echo/shownValue, gitHead/gitDirty,
// previewNameProblem, readConfig, unusedSettings, parseImageReference, readImages, imageWarnings,
// readDeployerNamespace) at the edges the mutation run found untested (issue 21). The broad
// behaviour is in config.test.ts; this file holds the boundaries, the exact cut texts and the
// odd inputs (a chatty git, an environment whose reads change) that tell a right line from a near one.
import { execFileSync, spawnSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import { COURSE_FIXED_SERVER_IMAGE, gitDirty, gitHead, MAX_PREVIEWS, parseImageReference, readConfig, shownValue, TOOL_NAMESPACES } from '../../lib/program/config';
import { SHA, tempDir } from '../helpers';
import { committedRepository, configProblems, gitIn } from '../support/config';

const noGit = () => undefined;
const DIGEST = `sha256:${'a'.repeat(64)}`;
const IMAGE_ALLOWED = 'allowed is [registry[:port]/]path:tag, path@sha256:<64 hex> or path:tag@sha256:<64 hex>, with a lowercase path (a-z 0-9, . _ - inside components) '
  + 'and a tag of 1 to 128 of A-Z a-z 0-9 _ . - not starting with . or -, e.g. ghcr.io/acme/multi-server:v1.2';
const PREVIEW_ALLOWED = `allowed are names other than default, kube-*, ${TOOL_NAMESPACES.join(', ')} and the namespaces of INGRESS_CONTROLLER_NAMESPACE, GATEWAY, GATEWAY_PROXY_NAMESPACE`;

function problemsOf(env: NodeJS.ProcessEnv, head: () => string | undefined = noGit): readonly string[] {
  return configProblems(env, head);
}

/** `count` letters a..z, a..z, ...: every slice of it says where it was cut. */
function alphabet(count: number): string {
  return Array.from({ length: count }, (_, i) => String.fromCharCode(97 + (i % 26))).join('');
}

describe('shownValue: at most 160 characters of echo', () => {
  test('an echo of exactly 160 characters (158 plain characters and the two quotes) is shown whole', () => {
    const value = alphabet(158);
    expect(shownValue(value)).toBe(`"${value}"`);
    expect(shownValue(value)).toHaveLength(160);
  });

  test('an echo of 161 characters is cut to 160: the quote and 126 first characters, …, 31 last characters and the quote, then the value\'s length', () => {
    const value = alphabet(159);
    const shown = shownValue(value);
    expect(shown).toBe(`"${value.slice(0, 126)}…${value.slice(-31)}" (159 characters)`);
    expect(shown.slice(0, shown.indexOf(' ('))).toHaveLength(160);
  });

  test('the length said is the value\'s own, not its echo\'s (escapes make the echo longer)', () => {
    const value = '\n'.repeat(100);
    // The quote and 63 escapes make the 127 first characters; the 31 last ones start in the middle of an escape (n).
    expect(shownValue(value)).toBe(`"${'\\n'.repeat(63)}…n${'\\n'.repeat(15)}" (100 characters)`);
  });

  test('a setting\'s message carries the cut echo', () => {
    const value = alphabet(300);
    expect(problemsOf({ GIT_SHA: SHA, ENVIRONMENT: value })).toEqual([`ENVIRONMENT="${value.slice(0, 126)}…${value.slice(-31)}" (300 characters) is not an environment: allowed are prod, dev`]);
  });
});

describe('each setting is read once', () => {
  /** A getter whose first read answers `first` and later ones nothing: a value that changes between reads. */
  function changing(env: NodeJS.ProcessEnv, name: string, first: string): NodeJS.ProcessEnv {
    let reads = 0;
    Object.defineProperty(env, name, { enumerable: true, get: () => (reads++ === 0 ? first : undefined) });
    return env;
  }

  test('an environment whose reads change (a getter, a live store) is judged and echoed as one value', () => {
    const env = changing(changing({ GIT_SHA: SHA }, 'DEPLOYER', 'admin'), 'INGRESS_CONTROLLER_LABELS', 'app');
    expect(problemsOf(env)).toEqual([
      'INGRESS_CONTROLLER_LABELS="app" is not a label list: allowed is key=value[,key=value...], each key once (e.g. app.kubernetes.io/name=ingress-nginx)',
      'DEPLOYER="admin" is not a deployer: allowed is ci (a ServiceAccount for CI with the least rights), or unset',
    ]);
  });

  test('an environment that answers reads but lists no keys (a Proxy over a store) is read too', () => {
    const store: Record<string, string> = { GIT_SHA: SHA, ENVIRONMENT: 'dev', IMAGE_PREFIX: 'ghcr.io/acme' };
    const env = new Proxy({}, { get: (_target, name) => (typeof name === 'string' ? store[name] : undefined) }) as NodeJS.ProcessEnv;
    expect(readConfig(env, noGit)).toMatchObject({ environment: 'dev', imageTag: SHA, images: { client: `ghcr.io/acme/multi-client:${SHA}` } });
  });
});

describe('gitHead and gitDirty read git\'s answer from its standard output alone', () => {

  /**
   * A folder holding a `git` that is the real git wrapped by `script` (a shim, such as version
   * managers put first on PATH). Jest gives a test a copy of process.env, which the child
   * processes of lib code do not see: a shim is used through inChild.
   */
  function gitShim(script: (git: string) => string): string {
    const realGit = execFileSync('sh', ['-c', 'command -v git'], { encoding: 'utf8' }).trim();
    const bin = tempDir();
    fs.writeFileSync(path.join(bin, 'git'), `#!/bin/sh\n${script(realGit)}\n`, { mode: 0o755 });
    return bin;
  }

  /**
   * gitHead(dir) or gitDirty(dir) of lib/program/config.ts in a Node child whose PATH starts with
   * `bin`; its TypeScript is transpiled as it loads (tsc checks the types). Also asserts that
   * nothing reached the child's standard error: git's own goes nowhere.
   */
  function inChild(fn: 'gitHead' | 'gitDirty', dir: string, bin: string): unknown {
    const script = `
      const ts = require(${JSON.stringify(require.resolve('typescript'))});
      const fs = require('fs');
      require.extensions['.ts'] = (m, file) => m._compile(ts.transpileModule(fs.readFileSync(file, 'utf8'), { fileName: file, compilerOptions: { module: ts.ModuleKind.CommonJS, target: ts.ScriptTarget.ES2022, esModuleInterop: true } }).outputText, file);
      const config = require(${JSON.stringify(path.join(__dirname, '..', '..', 'lib', 'program', 'config.ts'))});
      process.stdout.write(JSON.stringify(config[${JSON.stringify(fn)}](${JSON.stringify(dir)}) ?? null));`;
    const child = spawnSync(process.execPath, ['-e', script], { encoding: 'utf8', env: { ...process.env, PATH: `${bin}${path.delimiter}${process.env.PATH}` } });
    expect({ status: child.status, stderr: child.stderr }).toEqual({ status: 0, stderr: '' });
    return JSON.parse(child.stdout);
  }

  // 2 MB on standard error, more than execFileSync keeps of a piped stream (maxBuffer, 1 MiB):
  // git's standard error must go nowhere, not into a buffer that overflows and fails the call.
  const CHATTY = (git: string) => `head -c 2000000 /dev/zero | tr '\\000' w >&2\nexec ${git} "$@"`;

  test('a git that writes megabytes on standard error (a shim): gitHead still reads the commit', () => {
    const dir = committedRepository();
    const head = gitIn(dir, 'rev-parse', 'HEAD');
    expect(gitHead(dir)).toBe(head);
    expect(inChild('gitHead', dir, gitShim(CHATTY))).toBe(head);
  }, 60_000);

  test('a repository whose git writes megabytes on standard error (alternates that no longer exist): gitDirty still tells a clean tree from a changed one', () => {
    // As after `git clone --reference` whose reference repository was removed: git status says
    // "error: object directory ... does not exist" once per alternate, and answers.
    const dir = committedRepository();
    const missing = Array.from({ length: 20_000 }, (_, i) => `/nonexistent/reference-${i}/objects`);
    fs.writeFileSync(path.join(dir, '.git', 'objects', 'info', 'alternates'), `${missing.join('\n')}\n`);
    const stderrBytes = Number(execFileSync('sh', ['-c', 'git status --porcelain --untracked-files=no 2>&1 >/dev/null | wc -c'], { cwd: dir, encoding: 'utf8' }));
    expect(stderrBytes).toBeGreaterThan(1024 * 1024);
    expect(gitDirty(dir)).toBe(false);
    fs.writeFileSync(path.join(dir, 'a'), 'changed');
    expect(gitDirty(dir)).toBe(true);
  }, 60_000);

  test('a git whose answer ends with a blank line (a shim): a clean tree is not dirty, a changed one is', () => {
    const dir = committedRepository();
    const bin = gitShim((git) => `${git} "$@"\nstatus=$?\necho\nexit $status`);
    expect(gitDirty(dir)).toBe(false);
    expect(inChild('gitDirty', dir, bin)).toBe(false);
    fs.writeFileSync(path.join(dir, 'a'), 'changed');
    expect(inChild('gitDirty', dir, bin)).toBe(true);
  }, 60_000);
});

describe('PREVIEWS at its edges', () => {
  test(`exactly ${MAX_PREVIEWS} previews are allowed`, () => {
    const names = Array.from({ length: MAX_PREVIEWS }, (_, i) => `p${i}`);
    expect(readConfig({ GIT_SHA: SHA, PREVIEWS: names.join(',') }, noGit).previews).toEqual(names);
  });

  test('a preview named as DEPLOYER_NAMESPACE is refused naming that setting, besides DEPLOYER_NAMESPACE being refused with PREVIEWS', () => {
    expect(problemsOf({ GIT_SHA: SHA, DEPLOYER: 'ci', PREVIEWS: 'pr-1,apps', DEPLOYER_NAMESPACE: 'apps' })).toEqual([
      `PREVIEWS has "apps", the namespace DEPLOYER_NAMESPACE names: closing the preview would delete that namespace; ${PREVIEW_ALLOWED}`,
      'DEPLOYER_NAMESPACE is set with PREVIEWS: each preview\'s deployer lives in its preview\'s namespace; allowed is one of the two',
    ]);
  });

  test('a name that is not a namespace name is said once, as that, even when it starts like a reserved one', () => {
    expect(problemsOf({ GIT_SHA: SHA, PREVIEWS: 'pr-1,kube-' })).toEqual([
      'PREVIEWS has "kube-", which is not a namespace name: allowed is a comma-separated list of DNS labels (a-z 0-9 -, at most 50 characters, starting and ending with a-z or 0-9)',
    ]);
  });
});

describe('optional parts of the configuration are absent when unset, not present as undefined', () => {
  // A spread of the configuration over defaults (`{ ...defaults, ...config }`) keeps a default only
  // where the key is absent.
  test('no DEPLOYER_NAMESPACE: no deployerNamespace key', () => {
    const config = readConfig({ GIT_SHA: SHA, DEPLOYER: 'ci' }, noGit);
    expect(Object.keys(config)).not.toContain('deployerNamespace');
  });

  test('all three images named whole: no imageTag and no imageTagSource key', () => {
    const config = readConfig({ CLIENT_IMAGE: 'stephengrider/multi-client:latest', SERVER_IMAGE: COURSE_FIXED_SERVER_IMAGE, WORKER_IMAGE: 'stephengrider/multi-worker:latest' }, noGit);
    expect(Object.keys(config)).not.toContain('imageTag');
    expect(Object.keys(config)).not.toContain('imageTagSource');
  });

  test('parseImageReference: a digest alone has no tag key, a tag alone no digest key', () => {
    expect(parseImageReference(`acme/app@${DIGEST}`)).toStrictEqual({ name: 'acme/app', digest: DIGEST });
    expect(parseImageReference('acme/app:v1')).toStrictEqual({ name: 'acme/app', tag: 'v1' });
  });
});

describe('parseImageReference at its edges', () => {
  test('a reference that starts with @ has an empty name before its digest: a bad digest is said first, a good one leaves the name missing', () => {
    expect(parseImageReference('@bad')).toBe(`has an invalid digest after @: ${IMAGE_ALLOWED}`);
    expect(parseImageReference(`@${DIGEST}`)).toBe(`has no image name before its tag or digest: ${IMAGE_ALLOWED}`);
  });

  test('a tag or digest with no name before it (a variable that was empty, CLIENT_IMAGE=$NAME:latest) is said as that, not as an empty value', () => {
    for (const reference of [':latest', `:v1@${DIGEST}`, `@${DIGEST}`]) {
      expect(problemsOf({ GIT_SHA: SHA, CLIENT_IMAGE: reference })).toEqual([`CLIENT_IMAGE=${JSON.stringify(reference)} has no image name before its tag or digest: ${IMAGE_ALLOWED}`]);
    }
    expect(problemsOf({ GIT_SHA: SHA, CLIENT_IMAGE: '' })).toEqual([`CLIENT_IMAGE="" is empty: ${IMAGE_ALLOWED}`]);
  });

  test.each([
    [`x${DIGEST}`, 'text before sha256:'],
    [`${DIGEST}a`, '65 hexadecimal digits'],
    [`${DIGEST}\n`, 'a trailing newline'],
  ])('a digest must be sha256: and 64 hexadecimal digits, nothing around them: @%j (%s) is refused', (digest) => {
    expect(parseImageReference(`acme/app@${digest}`)).toBe(`has an invalid digest after @: ${IMAGE_ALLOWED}`);
  });
});

describe('the course\'s images are recognised by their whole Docker Hub name', () => {
  test('docker.io/ is taken off only at the start: stephengrider/docker.io/multi-* is another owner\'s path, no course image', () => {
    expect(readConfig({ GIT_SHA: SHA, IMAGE_PREFIX: 'stephengrider/docker.io' }, noGit).warnings).toEqual([]);
  });

  test.each(['docker.io', 'index.docker.io', 'registry-1.docker.io'])('%s/stephengrider/multi-client:v2 is the course image', (registry) => {
    expect(readConfig({ GIT_SHA: SHA, IMAGE_PREFIX: 'ghcr.io/acme', CLIENT_IMAGE: `${registry}/stephengrider/multi-client:v2` }, noGit).warnings).toEqual([
      `${registry}/stephengrider/multi-client:v2 is a course image at a tag Docker Hub does not have (the course publishes latest): `
      + 'the pods would not pull it; set IMAGE_PREFIX to your registry\'s owner (images you pushed, tagged with the commit), or CLIENT_IMAGE, SERVER_IMAGE and WORKER_IMAGE (README "minikube, first run" names the course\'s working ones)',
    ]);
  });

  test('a course image pinned by digest is not said, whatever its tag: the digest names what is pulled', () => {
    expect(readConfig({ GIT_SHA: SHA, IMAGE_PREFIX: 'ghcr.io/acme', CLIENT_IMAGE: `stephengrider/multi-client:v2@${DIGEST}` }, noGit).warnings).toEqual([]);
  });

  test('IMAGE_PREFIX of one component that reads as a registry host is judged as one: a_b.c is refused, as the images a_b.c/multi-client would not parse', () => {
    // distribution/reference reads a first component with a `.` or `:` (or localhost) as the
    // registry whenever another follows, and one always follows a prefix.
    expect(problemsOf({ GIT_SHA: SHA, IMAGE_PREFIX: 'a_b.c' })).toEqual([
      'IMAGE_PREFIX="a_b.c" has an invalid registry "a_b.c": allowed is [registry[:port]/]owner[/path], lowercase a-z 0-9 with . _ - inside components, e.g. "stephengrider" or "ghcr.io/acme"',
    ]);
    expect(readConfig({ GIT_SHA: SHA, IMAGE_PREFIX: 'registry.local:5000' }, noGit).images.client).toBe(`registry.local:5000/multi-client:${SHA}`);
    expect(readConfig({ GIT_SHA: SHA, IMAGE_PREFIX: 'localhost' }, noGit).images.server).toBe(`localhost/multi-server:${SHA}`);
  });
});

describe('git\'s HEAD must be a commit SHA', () => {
  test('an answer of git rev-parse HEAD that is not 40 hexadecimal digits is no commit', () => {
    expect(problemsOf({ IMAGE_PREFIX: 'ghcr.io/acme' }, () => 'not-a-sha')).toEqual([
      'GIT_SHA is not set and `git rev-parse HEAD` found no commit (not a git repository, or no commit yet): '
      + 'set GIT_SHA to the 40-character SHA of the commit being deployed, IMAGE_TAG to an image tag, or CLIENT_IMAGE, SERVER_IMAGE and WORKER_IMAGE to whole images',
    ]);
  });
});

describe('DEPLOYER=ci and Let\'s Encrypt', () => {
  test.each(['letsencrypt', 'letsencrypt-staging'])('with PREVIEWS, TLS=%s is refused once, for the previews: DEPLOYER_NAMESPACE is not asked for', (tls) => {
    expect(problemsOf({ GIT_SHA: SHA, DEPLOYER: 'ci', PREVIEWS: 'pr-1', TLS: tls, ACME_EMAIL: 'ops@k8s-multi.com' })).toEqual([
      `TLS=${tls} is set with PREVIEWS: previews share one wildcard certificate; allowed is PREVIEW_TLS_SECRET (the operator's Secret), or TLS=none`,
    ]);
  });
});
