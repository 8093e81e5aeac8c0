import { spawnSync } from 'child_process';

/**
 * How the real kubectl (1.32 on the project's machines and in CI) reads a manifest file, with no
 * cluster: `kubectl label --local -f FILE -o json` decodes it as `kubectl apply` would. The label
 * it adds is taken off again. `available` is false where kubectl is not installed.
 */
export function kubectlReading(file: string): { available: boolean; object?: Record<string, any>; stderr?: string } {
  const result = spawnSync('kubectl', ['label', '--local', '-f', file, 'added=by-test', '-o', 'json'], { encoding: 'utf8', maxBuffer: 1 << 28 });
  if (result.error && (result.error as NodeJS.ErrnoException).code === 'ENOENT') return { available: false };
  if (result.status !== 0) return { available: true, stderr: result.stderr };
  const object = JSON.parse(result.stdout);
  delete object.metadata.labels.added;
  return { available: true, object };
}
