#!/bin/sh
# `npm test`: the type check and the tests side by side.
# Fails if either fails; arguments go to jest (with paths or patterns, jest alone: see below).
mkdir -p build
# The tests that need a real API server take kube-apiserver and etcd from KUBEBUILDER_ASSETS
# (test/support/envtest). Where it is unset and this project's machines lay ../shared/envtest
# beside the checkout, its binaries are unpacked once (to ~/.cache; 0.7 s when already there).
unpack=../shared/envtest/k8s-1.34.2-linux-amd64/unpack.sh
if [ -z "${KUBEBUILDER_ASSETS:-}" ] && [ -f "$unpack" ]; then
  if assets=$(bash "$unpack"); then export KUBEBUILDER_ASSETS="$assets"; else echo "npm test: $unpack failed; the API server tests will say so" >&2; fi
fi
# Given files, folders or a name pattern (`npm test -- test/components/worker.test.ts`), jest runs
# those tests and the type check of the whole project (20-40 s on the loaded 2-core machine, longer
# than one file's tests) is left to the whole `npm test`, `npm run typecheck` and CI. An argument
# that is no option, and follows no option that takes a value, is a path or pattern.
narrowed=
value=
for arg in "$@"; do
  if [ -n "$value" ]; then value=; continue; fi
  case "$arg" in
    -t|--testNamePattern|--testPathPattern|--testPathPatterns|--findRelatedTests|--changedSince) narrowed=$arg; value=1 ;;
    -t=*|--testNamePattern=*|--testPathPattern=*|--testPathPatterns=*|--changedSince=*|-o|--onlyChanged|--lastCommit|-f|--onlyFailures|--watch|--watchAll|--listTests) narrowed=$arg ;;
    -c|--config|-w|--maxWorkers|--outputFile|--testTimeout|--reporters|--shard|--seed|--selectProjects|--coverageDirectory|--coverageReporters|--collectCoverageFrom|--rootDir|--roots|--maxConcurrency|--cacheDirectory|--testEnvironment|--testRunner|--testSequencer|--setupFiles|--globalSetup|--globalTeardown|--bail) value=1 ;;
    -*) ;;
    *) narrowed=$arg ;;
  esac
done
if [ -n "$narrowed" ]; then
  echo "npm test: no type check, only jest ($narrowed was given); the whole npm test, npm run typecheck and CI check types" >&2
  typecheck=
else
  tsc --noEmit -p . --incremental --tsBuildInfoFile build/.tsbuildinfo-test &
  typecheck=$!
fi
# jest's default leaves one core to its parent (one worker on two cores); the parent only hands
# out test files, so every core runs tests: 30.5 s -> 22.4 s on the 2-core machine, measured with
# a niced mutation run beside it. A --maxWorkers given to npm test wins (the last one counts).
jest --maxWorkers=100% "$@"
tests=$?
types=0
if [ -n "$typecheck" ]; then wait "$typecheck"; types=$?; fi
if [ "$types" -ne 0 ]; then
  echo "npm test: the type check failed (see above)" >&2
  exit "$types"
fi
exit "$tests"
