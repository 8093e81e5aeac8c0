import * as fs from 'fs';
import * as path from 'path';
import type { BuildOptions } from '../../lib/program/app';

/**
 * README "Your own components": its code, as the tests that run it take it. The component file
 * and the main.ts change are read from the README and written to a scratch folder under
 * test/components (inside the project, so that its packages resolve; not under lib/, whose
 * sources scripts/launch.js hashes while other tests run the synth), under a dot name that the
 * project's compiler globs skip and .gitignore lists. The README's code lives in lib/components/,
 * so its './x' imports are pointed there: the only change made to it.
 */
const ROOT = path.join(__dirname, '..', '..');

/** The README's component file, the main.ts change and the synth's printed lines. */
export function ownComponentRecipe(): { component: string; mainChange: string; main: string; printed: string } {
  const readme = fs.readFileSync(path.join(ROOT, 'README.md'), 'utf8');
  const start = readme.indexOf('\n### Your own components\n');
  if (start < 0) throw new Error('README.md has no "### Your own components" section');
  const rest = readme.slice(start + 1);
  const end = rest.slice(4).search(/\n##+ /);
  const section = end < 0 ? rest : rest.slice(0, end + 4);
  const blocks = (lang: string) => [...section.matchAll(new RegExp('```' + lang + '\\n([\\s\\S]*?)```', 'g'))].map((m) => m[1]);
  const [component, main] = blocks('ts');
  const [printed] = blocks('text');
  // The one change to main.ts: buildApp(config) becomes buildApp(config, { extend: ... }).
  const mainChange = /buildApp\(config, (\{ extend: .*?\})\)/.exec(main ?? '')?.[1];
  if (!component || !mainChange) throw new Error('README "Your own components" has no component file or no buildApp(config, { extend: ... }) line');
  return { component, mainChange, main, printed };
}

/** The scratch folder of one test file (`tag`): its two files written from the README, and how to load and remove them. */
export interface OwnComponentScratch {
  readonly dir: string;
  readonly componentFile: string;
  readonly mainFile: string;
  /** The README's options for buildApp, as main.ts passes them. */
  options(): BuildOptions;
  remove(): void;
}

/** Writes the README's code to test/components/.readme-own-component-<pid>-<tag>/ (call in beforeAll; remove() in afterAll). */
export function writeOwnComponentScratch(tag: string): OwnComponentScratch {
  const { component, mainChange } = ownComponentRecipe();
  const dir = path.join(ROOT, 'test', 'components', `.readme-own-component-${process.pid}-${tag}`);
  const componentFile = path.join(dir, 'nightly-count.ts');
  const mainFile = path.join(dir, 'main-options.ts');
  const components = path.relative(dir, path.join(ROOT, 'lib', 'components'));
  fs.mkdirSync(dir, { recursive: true });
  fs.writeFileSync(componentFile, component.replace(/ from '\.\/([\w-]+)';/g, (_, name: string) => ` from '${components}/${name}';`));
  fs.writeFileSync(mainFile, [
    `import { NightlyCount } from './nightly-count';`,
    `import type { BuildOptions } from '${components}/../program/app';`,
    `export const options: BuildOptions = ${mainChange};`,
    // Kept used: the import is the README's.
    'export { NightlyCount };',
    '',
  ].join('\n'));
  return {
    dir,
    componentFile,
    mainFile,
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    options: () => (require(mainFile) as { options: BuildOptions }).options,
    remove: () => fs.rmSync(dir, { recursive: true, force: true }),
  };
}
