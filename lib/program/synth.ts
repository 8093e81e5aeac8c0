import * as fs from 'fs';
import * as path from 'path';
import { ChartOutput } from './app';
import { ConfigError } from './config';
import { toYaml } from './manifest-yaml';
import { keepPreviousOutput } from './previous-output';
import { formatPolicyException, formatProblem, Located, OperatorSecret, PolicyException, Problem, validateManifests } from '../validate';

/** What a synth wrote, for its summary. */
export interface SynthSummary {
  /** Files written, relative to the output folder. */
  readonly files: readonly string[];
  /** Number of Kubernetes objects written. */
  readonly objects: number;
  /** Every distinct container image referenced. */
  readonly images: readonly string[];
  /** Policy findings accepted on purpose. */
  readonly policyExceptions: readonly PolicyException[];
}

export interface SynthOptions {
  /** The folder the manifests end up in. */
  readonly outdir: string;
  /** A second folder to copy the manifests into: the cdk8s CLI's scratch folder. @default - none */
  readonly mirrorDir?: string;
}

/** The manifests failed validation: nothing was written. */
export class ValidationError extends Error {
  constructor(public readonly problems: readonly Problem[]) {
    super(`validation found ${problems.length} problem(s); nothing was written:\n${problems.map(formatProblem).join('\n')}`);
    this.name = 'ValidationError';
  }
}

/** Renders each chart to plain objects, named by the file each goes to. */
export function renderCharts(outputs: readonly ChartOutput[], outdir: string): Located[] {
  return outputs.flatMap(({ chart, file }) => chart.toJson().map((object: Record<string, unknown>) => ({ file: path.join(outdir, file), object })));
}

/** The Secrets the charts need from the operator, merged by name. */
export function operatorSecrets(outputs: readonly ChartOutput[]): OperatorSecret[] {
  const byName = new Map<string, Set<string>>();
  for (const { chart } of outputs) {
    for (const ref of chart.requiredSecrets) {
      const keys = byName.get(ref.secret.name) ?? new Set<string>();
      keys.add(ref.key);
      byName.set(ref.secret.name, keys);
    }
  }
  return [...byName].map(([name, keys]) => ({ name, keys: [...keys].sort() }));
}

/** The policy exceptions the charts declare, each once. */
export function policyExceptions(outputs: readonly ChartOutput[]): PolicyException[] {
  const byKey = new Map<string, PolicyException>();
  for (const { chart } of outputs) for (const e of chart.policyExceptions) byKey.set(`${e.rule} ${e.object}`, e);
  return [...byKey.values()];
}

/** What the charts tell the validator besides their objects: operator Secrets and policy exceptions. */
export function validateOptions(outputs: readonly ChartOutput[]): { operatorSecrets: OperatorSecret[]; policyExceptions: PolicyException[] } {
  return { operatorSecrets: operatorSecrets(outputs), policyExceptions: policyExceptions(outputs) };
}

/**
 * Renders, validates and writes the manifests. The output folder is replaced in one step and
 * only once every object has passed validation: a failed synth leaves the previous one intact.
 */
export function synthesize(outputs: readonly ChartOutput[], options: SynthOptions): SynthSummary {
  const items = renderCharts(outputs, options.outdir);
  const validation = validateOptions(outputs);
  const problems = validateManifests(items, validation);
  if (problems.length > 0) throw new ValidationError(problems);

  const files = new Map<string, Record<string, unknown>[]>();
  for (const { file, object } of items) {
    const name = path.basename(file);
    if (!files.has(name)) files.set(name, []);
    files.get(name)!.push(object);
  }
  const contents = new Map([...files].map(([file, objects]) => [file, toYaml(objects)]));
  keepPreviousOutput(options.outdir, contents);
  replaceFolder(options.outdir, contents);
  if (options.mirrorDir && path.resolve(options.mirrorDir) !== path.resolve(options.outdir)) {
    fs.mkdirSync(options.mirrorDir, { recursive: true });
    for (const [file, content] of contents) fs.writeFileSync(path.join(options.mirrorDir, file), content);
  }

  const images = new Set<string>();
  for (const { object } of items) collectImages(object, images);
  return { files: [...contents.keys()], objects: items.length, images: [...images].sort(), policyExceptions: validation.policyExceptions };
}

/** Writes the files into a fresh sibling folder, then swaps it in for `outdir`. */
export function replaceFolder(outdir: string, contents: ReadonlyMap<string, string>): void {
  const parent = path.dirname(path.resolve(outdir));
  fs.mkdirSync(parent, { recursive: true });
  const staging = fs.mkdtempSync(path.join(parent, `.${path.basename(outdir)}-new-`));
  try {
    // mkdtemp makes the folder private; the manifests are not secret, and CI uploads them.
    fs.chmodSync(staging, 0o777 & ~process.umask());
    for (const [file, content] of contents) fs.writeFileSync(path.join(staging, file), content);
    const previous = `${staging}-old`;
    const hadPrevious = fs.existsSync(outdir);
    if (hadPrevious) fs.renameSync(outdir, previous);
    fs.renameSync(staging, outdir);
    if (hadPrevious) fs.rmSync(previous, { recursive: true, force: true });
  } finally {
    fs.rmSync(staging, { recursive: true, force: true });
  }
}

function collectImages(node: unknown, images: Set<string>): void {
  if (Array.isArray(node)) node.forEach((child) => collectImages(child, images));
  else if (node && typeof node === 'object') {
    for (const [key, value] of Object.entries(node)) {
      if (key === 'image' && typeof value === 'string') images.add(value);
      else collectImages(value, images);
    }
  }
}

/** The lines a successful synth prints. */
export function summaryLines(summary: SynthSummary, outdir: string): string[] {
  return [
    `wrote ${summary.objects} objects to ${summary.files.map((f) => path.join(outdir, f)).join(', ')}`,
    ...summary.images.map((image) => `  image ${image}`),
    ...summary.policyExceptions.map((e) => `  ${formatPolicyException(e)}`),
  ];
}

/** Prints a failed synth's reason and returns its exit code; unexpected errors keep their stack. */
export function reportFailure(error: unknown, outdir: string): number {
  if (error instanceof ValidationError || error instanceof ConfigError) {
    console.error(`error: ${error.message}`);
    console.error(`${outdir}/ was left as it was.`);
    return 1;
  }
  console.error(error);
  return 1;
}
