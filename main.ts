import { buildApp } from './lib/program/app';
import { readConfig } from './lib/program/config';
import { reportFailure, safeText, summaryLines, synthesize } from './lib/program/synth';

const outdir = 'dist';
try {
  const config = readConfig(process.env);
  for (const warning of config.warnings) console.error(safeText(`warning: ${warning}`));
  const summary = synthesize(buildApp(config), { outdir, mirrorDir: process.env.CDK8S_OUTDIR });
  try {
    for (const warning of summary.warnings) console.error(safeText(`warning: ${warning}`));
    for (const line of summaryLines(summary, outdir)) console.error(line);
  } catch {
    // dist/ is written: a summary that cannot be printed (a closed stderr) does not fail the synth.
  }
} catch (error) {
  process.exitCode = reportFailure(error, outdir);
}
