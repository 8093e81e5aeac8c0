import * as fs from 'fs';
import * as path from 'path';
import { acceptedFindings } from '../components/accept-finding';
import { ChartOutput } from './app';
import { ConfigError, shownValue } from './config';
import { toYaml } from './manifest-yaml';
import { stagePreviousOutput } from './previous-output';
import { describeSystemError, isSystemError, OutputError, writeOutput } from './output';
import { formatProblem, isError, Located, OperatorSecret, PolicyException, Problem, validate } from '../validate';
import { echo, listed } from '../validate/echo';
import { policyExceptionLine, safeText } from './printing';

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
  /** The validator's warnings (what the API server accepts, worth a look), and what could not be cleaned up once the new output was in place; the synth still succeeded. */
  readonly warnings: readonly string[];
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
    super(`validation found ${problems.length} problem(s); nothing was written:\n${problems.map((problem) => formatProblem(problem)).join('\n')}`);
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
 * Renders, validates and writes the manifests. The output folder's files are replaced, each
 * atomically (see output.ts), only once every object has passed validation and the mirror is
 * written: a synth that throws leaves the previous output (and .dist-previous) as it was.
 */
export function synthesize(outputs: readonly ChartOutput[], options: SynthOptions): SynthSummary {
  const items = renderCharts(outputs, options.outdir);
  const validation = validateOptions(outputs);
  const result = validate(items, validation);
  const found = result.problems;
  // A warning (what the API server accepts, and worth a look) is printed and never stops the synth.
  const problems = found.filter(isError);
  if (problems.length > 0) throw new ValidationError(problems);
  const findingWarnings = [
    ...found.filter((problem) => !isError(problem)).map((problem) => formatProblem(problem, false)),
    // Only acceptFinding's: the chart's own follow the settings (a shared Gateway's plain HTTP is
    // listed, though the validator judges no route on a Gateway outside the output).
    ...unusedExceptions(outputs.flatMap(({ chart }) => acceptedFindings(chart)), result.exceptions),
  ];

  const files = new Map<string, Record<string, unknown>[]>();
  for (const { file, object } of items) {
    const name = path.basename(file);
    if (!files.has(name)) files.set(name, []);
    files.get(name)!.push(object);
  }
  const contents = new Map([...files].map(([file, objects]) => [file, toYaml(objects)]));
  // The output being replaced is copied first and kept (for `npm run plan`) only once the new one
  // is written: a synth that fails changes neither dist/ nor .dist-previous.
  const previous = stagePreviousOutput(options.outdir, contents);
  let warnings: string[];
  try {
    if (options.mirrorDir && path.resolve(options.mirrorDir) !== path.resolve(options.outdir)) writeMirror(options.mirrorDir, contents);
    warnings = writeOutput(options.outdir, contents);
  } catch (error) {
    previous.discard();
    throw error;
  }
  previous.commit();

  const images = new Set<string>();
  for (const { object } of items) collectImages(object, images);
  return { files: [...contents.keys()], objects: items.length, images: [...images].sort(), policyExceptions: validation.policyExceptions, warnings: [...findingWarnings, ...warnings] };
}

/**
 * A warning for each acceptance that accepted no finding, so that an acceptance does not
 * outlive its reason. The validator names, for each rule and reason it applied, the objects it
 * applied to (`*` for an exception of every object).
 */
export function unusedExceptions(declared: readonly PolicyException[], applied: readonly PolicyException[]): string[] {
  const used = (e: PolicyException) => applied.some((a) => a.rule === e.rule && a.reason === e.reason && a.object.split(', ').includes(e.object));
  const unused = new Map(declared.filter((e) => !used(e)).map((e) => [`${e.rule} ${e.object} ${e.reason}`, e]));
  return [...unused.values()].map((e) => `${policyExceptionLine(e)}: the output has no [${e.rule}] finding on ${echo(e.object)}; the acceptance is not needed: remove it`);
}

/** The cdk8s CLI's scratch folder, which it empties itself before it runs the app. */
function writeMirror(mirrorDir: string, contents: ReadonlyMap<string, string>): void {
  try {
    fs.mkdirSync(mirrorDir, { recursive: true });
    for (const [file, content] of contents) fs.writeFileSync(path.join(mirrorDir, file), content);
  } catch (error) {
    if (isSystemError(error)) throw new OutputError(`cannot write the cdk8s CLI's folder ${shownValue(mirrorDir)}: ${describeSystemError(error)}`);
    throw error;
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

/**
 * The lines a successful synth prints: every file, image and exception echoed as the validator
 * echoes values (an image or a reason of your own components can hold anything).
 */
export function summaryLines(summary: SynthSummary, outdir: string): string[] {
  return [
    // 500 previews are 500 files: named as the validator names a list, 20 then how many more.
    `wrote ${summary.objects} objects to ${listed(summary.files.map((f) => echo(path.join(outdir, f))))}`,
    ...summary.images.map((image) => `  image ${echo(image)}`),
    ...summary.policyExceptions.map((e) => `  ${policyExceptionLine(e)}`),
  ].map(safeText);
}

/** A message as it may reach a terminal (lib/program/printing.ts): the synth's errors and warnings. */
export { safeText };

/**
 * Prints a failed synth's reason and returns its exit code. Whatever a user can cause (bad
 * configuration, invalid manifests, an operating-system error) is one line each, no stack trace.
 */
export function reportFailure(error: unknown, outdir: string): number {
  if (error instanceof ValidationError || error instanceof ConfigError || error instanceof OutputError) {
    console.error(safeText(`error: ${error.message}`));
  } else if (isSystemError(error)) {
    console.error(safeText(`error: ${describeSystemError(error)}`));
  } else {
    // A bug, not a user's doing: the stack is what a report needs.
    console.error(error);
  }
  console.error(safeText(`${echo(outdir)}/ was left as it was.`));
  return 1;
}
