import * as fs from 'fs';
import * as path from 'path';
import { k8s } from 'cdk8s-plus-27';

// The constructs use the bindings cdk8s-plus-27 exports (already loaded by every synth); this
// holds the README's claim that they are the ones `npm run import` generates into imports/.
function generatedKinds(): string[] {
  const source = fs.readFileSync(path.join(__dirname, '..', 'imports', 'k8s.ts'), 'utf8');
  const kinds: string[] = [];
  const pattern = /export class (Kube\w+) extends ApiObject \{\s+\/\*\*[\s\S]*?\*\/\s+public static readonly GVK: GroupVersionKind = \{\s+apiVersion: '([^']+)',\s+kind: '([^']+)',/g;
  for (const [, name, apiVersion, kind] of source.matchAll(pattern)) kinds.push(`${name} ${apiVersion} ${kind}`);
  return kinds.sort();
}

describe('imports/k8s.ts', () => {
  test('declares the same API objects, with the same apiVersion and kind, as cdk8s-plus-27\'s k8s bindings', () => {
    const ours = generatedKinds();
    const theirs = Object.entries(k8s)
      .filter(([name, value]) => name.startsWith('Kube') && typeof value === 'function' && (value as any).GVK)
      .map(([name, value]) => `${name} ${(value as any).GVK.apiVersion} ${(value as any).GVK.kind}`)
      .sort();
    expect(ours.length).toBeGreaterThan(100);
    expect(ours).toEqual(theirs);
  });
});
