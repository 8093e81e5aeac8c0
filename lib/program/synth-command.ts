import type { ChartOutput } from './app';
import { AppConfig, readConfig, SETTINGS, shownValue } from './config';
import { reportFailure, safeText, summaryLines, synthesize } from './synth';

/** The synth's usage line; settings are environment variables, so its only argument is --help. */
export const SYNTH_USAGE = 'usage: npm run synth [-- --help]   (settings are environment variables, e.g. ENVIRONMENT=dev npm run synth)';

/** `npm run synth -- --help`: the usage, then every setting with its default and allowed values (config.ts's SETTINGS). */
export function synthHelp(): string[] {
  return [
    SYNTH_USAGE,
    'Renders, validates and writes the manifests to dist/ (the output it replaces is kept for npm run plan).',
    '',
    'settings:',
    ...SETTINGS.flatMap((setting) => [`  ${setting.name}`, `      default: ${setting.default}`, `      allowed: ${setting.allowed}`]),
  ];
}

/** The synth's command: `run(args, env, outdir)` returns its exit code. */
export type SynthCommand = (args: readonly string[], env?: NodeJS.ProcessEnv, outdir?: string) => number;

/**
 * `npm run synth [-- --help]` (and `npx cdk8s synth`, which passes no argument) for the app that
 * `build` makes from the settings: main.ts says what is built, this how it is synthesized.
 */
export const synthCommand = (build: (config: AppConfig) => readonly ChartOutput[]): SynthCommand => (args, env = process.env, outdir = 'dist') => {
  // Before anything is read or written: --help and a mistyped argument touch no folder.
  const unknown = args.find((arg) => arg !== '--help' && arg !== '-h');
  if (args.length > 0 && unknown === undefined) {
    for (const line of synthHelp()) console.log(line);
    return 0;
  }
  if (unknown !== undefined) {
    console.error(safeText(`error: unknown argument ${shownValue(unknown)}: the synth takes no argument but --help (-h); its settings are environment variables`));
    console.error(SYNTH_USAGE);
    return 2;
  }
  try {
    const config = readConfig(env);
    for (const warning of config.warnings) console.error(safeText(`warning: ${warning}`));
    const summary = synthesize(build(config), { outdir, mirrorDir: env.CDK8S_OUTDIR });
    try {
      for (const warning of summary.warnings) console.error(safeText(`warning: ${warning}`));
      for (const line of summaryLines(summary, outdir)) console.error(line);
    } catch {
      // dist/ is written: a summary that cannot be printed (a closed stderr) does not fail the synth.
    }
    return 0;
  } catch (error) {
    return reportFailure(error, outdir);
  }
};
