/**
 * Writes manifests as block-style YAML. Plain JSON data only (what cdk8s renders): maps, lists,
 * strings, numbers, booleans, null. A string is written plain only when no YAML 1.1 or 1.2 reader
 * could take it for anything but that string; every other string is written as a JSON string,
 * which is valid double-quoted YAML.
 *
 * Why not the `yaml` package (installed, well kept): measured on the default app's 29 objects on
 * the 2-core development machine, it takes ~6 ms per output against ~0.3 ms here (19-26x, warm),
 * and loading it costs ~70 ms on a cold start, i.e. ~40% of the floor every synth pays (the
 * `node -r cdk8s-plus-27` row of `npm run bench`). Round trips through it are tested
 * (test/program/manifest-yaml.test.ts), so the two cannot drift apart unseen.
 */

const PLAIN = /^[A-Za-z_/][A-Za-z0-9_./:@-]*$/;
// Words that YAML 1.1 (kubectl's parser among them) reads as booleans or null.
const RESERVED = /^(?:y|n|yes|no|on|off|true|false|null)$/i;

function scalar(value: unknown): string {
  if (value === null) return 'null';
  if (typeof value === 'string') return PLAIN.test(value) && !RESERVED.test(value) && !value.endsWith(':') ? value : JSON.stringify(value);
  if (typeof value === 'number') {
    if (!Number.isFinite(value)) throw new Error(`cannot write ${value} to a manifest`);
    return String(value);
  }
  if (typeof value === 'boolean') return String(value);
  throw new Error(`cannot write a ${typeof value} to a manifest`);
}

function isCollection(value: unknown): value is object {
  return typeof value === 'object' && value !== null && (Array.isArray(value) ? value.length > 0 : Object.keys(value).length > 0);
}

function block(value: unknown, indent: string, out: string[]): void {
  if (Array.isArray(value)) {
    for (const item of value) {
      if (isCollection(item)) {
        const lines: string[] = [];
        block(item, `${indent}  `, lines);
        // The first line of a nested block shares the dash's line.
        out.push(`${indent}- ${lines[0].slice(indent.length + 2)}`, ...lines.slice(1));
      } else {
        out.push(`${indent}- ${inline(item)}`);
      }
    }
    return;
  }
  for (const [key, child] of Object.entries(value as Record<string, unknown>)) {
    if (child === undefined) continue;
    if (isCollection(child)) {
      out.push(`${indent}${scalar(key)}:`);
      block(child, `${indent}  `, out);
    } else {
      out.push(`${indent}${scalar(key)}: ${inline(child)}`);
    }
  }
}

function inline(value: unknown): string {
  if (Array.isArray(value)) return '[]';
  if (typeof value === 'object' && value !== null) return '{}';
  return scalar(value);
}

/** The objects as one multi-document YAML stream, each document ending in a newline. */
export function toYaml(objects: readonly unknown[]): string {
  return objects.map((object) => {
    const lines: string[] = [];
    block(object, '', lines);
    return `${lines.join('\n')}\n`;
  }).join('---\n');
}
