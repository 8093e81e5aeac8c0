import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import { synthesize } from '../../lib/program/synth';
import { defaultCharts, folderTree, tempDir } from '../helpers';

// dist/ is plain files: whatever copies a folder gets exactly the manifests, with nothing
// dangling and nothing extra (the layout of links gave dangling copies to cp -r, cp -a, tar and
// git add, and copied a hidden generation folder into tar -h and zip -r, which kubectl -R then
// read twice). Real tools, run on a real synth's output, after an update, so the folder has been
// rewritten once.

function run(command: string, args: string[], cwd: string): string {
  const result = spawnSync(command, args, { cwd, encoding: 'utf8' });
  if (result.status !== 0) throw new Error(`${command} ${args.join(' ')} failed (${result.status}): ${result.stderr}`);
  return result.stdout;
}


function synthesized(): { parent: string; manifests: Record<string, string> } {
  const parent = tempDir();
  const outdir = path.join(parent, 'dist');
  synthesize(defaultCharts(), { outdir });
  synthesize(defaultCharts({ PREVIEWS: 'pr-1,pr-2' }), { outdir });
  const manifests = folderTree(outdir);
  // The update removed multi-k8s.k8s.yaml (previews only) and added the two previews.
  expect(Object.keys(manifests)).toEqual(['preview-pr-1.k8s.yaml', 'preview-pr-2.k8s.yaml']);
  return { parent, manifests };
}

const copies: Array<[string, (parent: string, into: string) => void]> = [
  ['cp -r', (parent, into) => run('cp', ['-r', 'dist', into], parent)],
  ['cp -a', (parent, into) => run('cp', ['-a', 'dist', into], parent)],
  ['tar (links kept)', (parent, into) => { run('tar', ['-cf', 'out.tar', 'dist'], parent); fs.mkdirSync(into); run('tar', ['-xf', path.join(parent, 'out.tar'), '--strip-components=1'], into); }],
  ['tar -h (links followed)', (parent, into) => { run('tar', ['-chf', 'out.tar', 'dist'], parent); fs.mkdirSync(into); run('tar', ['-xf', path.join(parent, 'out.tar'), '--strip-components=1'], into); }],
  ['zip -r', (parent, into) => { run('zip', ['-qr', 'out.zip', 'dist'], parent); const unpacked = path.join(parent, 'unzipped'); run('unzip', ['-q', path.join(parent, 'out.zip'), '-d', unpacked], parent); fs.renameSync(path.join(unpacked, 'dist'), into); }],
];

test.each(copies)('%s of dist/ gives exactly the manifests', (_, copy) => {
  const { parent, manifests } = synthesized();
  const into = path.join(tempDir(), 'copy');
  copy(parent, into);
  expect(folderTree(into)).toEqual(manifests);
});

test('git add -f dist records exactly the manifests, as files', () => {
  const { parent, manifests } = synthesized();
  run('git', ['init', '-q'], parent);
  run('git', ['add', '-f', 'dist'], parent);
  // Mode 100644 is a regular file; a link would be 120000 with its target as content.
  const staged = run('git', ['ls-files', '-s', 'dist'], parent).trim().split('\n').map((line) => line.split(/\s+/));
  expect(staged.map(([mode, , , name]) => `${mode} ${name}`)).toEqual(Object.keys(manifests).map((name) => `100644 dist/${name}`));
  for (const [, blob, , name] of staged) expect(run('git', ['cat-file', 'blob', blob], parent)).toBe(manifests[path.basename(name)]);
});

test('kubectl -R on a copy followed through links reads each object once', () => {
  const { parent, manifests } = synthesized();
  const into = path.join(tempDir(), 'copy');
  run('cp', ['-rL', 'dist', into], parent);
  const objects = Object.values(manifests).join('\n---\n').split(/^kind: /m).length - 1;
  const names = run('kubectl', ['label', '--local', '-R', '-f', into, 'check=1', '-o', 'name'], parent).trim().split('\n');
  expect(names).toHaveLength(objects);
});
