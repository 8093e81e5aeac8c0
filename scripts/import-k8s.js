#!/usr/bin/env node
// Regenerates imports/k8s.ts offline. `cdk8s import k8s@X` would download the very file that
// schemas/vX/_definitions.json holds, so the CLI's downloader is pointed at that copy.
'use strict';
const path = require('path');

const K8S_VERSION = '1.27.0';
const root = path.resolve(__dirname, '..');
const cliRoot = path.dirname(require.resolve('cdk8s-cli/package.json'));
const cliUtil = require(path.join(cliRoot, 'lib', 'util.js'));

const fetchFromNetwork = cliUtil.download;
cliUtil.download = async (url) => {
  const match = /\/kubernetes-schemas\/v([\d.]+)\/_definitions\.json$/.exec(url);
  if (!match) return fetchFromNetwork(url);
  return fetchFromNetwork(path.join(root, 'schemas', `v${match[1]}`, '_definitions.json'));
};

process.chdir(root);
process.argv = [process.argv[0], 'cdk8s', 'import', `k8s@${K8S_VERSION}`, '--language', 'typescript', '--output', 'imports', '--no-check-upgrade'];
require(path.join(cliRoot, 'lib', 'cli', 'index.js'));
