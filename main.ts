import { buildApp } from './lib/program/app';
import { readConfig } from './lib/program/config';
import { reportFailure, summaryLines, synthesize } from './lib/program/synth';

const outdir = 'dist';
try {
  const config = readConfig(process.env);
  for (const warning of config.warnings) console.error(`warning: ${warning}`);
  const summary = synthesize(buildApp(config), { outdir, mirrorDir: process.env.CDK8S_OUTDIR });
  for (const line of summaryLines(summary, outdir)) console.error(line);
} catch (error) {
  process.exitCode = reportFailure(error, outdir);
}
