// How the project is bundled with esbuild: shared by scripts/launch.js (the commands) and
// scripts/bench.js (its validation harness), so the bench times the code as the commands run it.
'use strict';
const path = require('path');

const root = path.resolve(__dirname, '..');

module.exports = {
  absWorkingDir: root,
  bundle: true,
  platform: 'node',
  target: 'node20',
  format: 'cjs',
  tsconfig: path.join(root, 'tsconfig.build.json'),
};
