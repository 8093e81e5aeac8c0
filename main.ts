import { buildApp } from './lib/program/app';
import { synthCommand } from './lib/program/synth-command';

/**
 * `npm run synth [-- --help]` and `npx cdk8s synth` (scripts/launch.js calls run with the
 * arguments): the settings read, the app built, validated and written to dist/. Components of
 * your own go in buildApp's options (README "Your own components").
 */
export const run = synthCommand((config) => buildApp(config));
