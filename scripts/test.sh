#!/bin/sh
# `npm test`: the type check and the tests side by side.
# Fails if either fails; arguments go to jest.
mkdir -p build
# The tests that need a real API server take kube-apiserver and etcd from KUBEBUILDER_ASSETS
# (test/support/envtest). Where it is unset and this project's machines lay ../shared/envtest
# beside the checkout, its binaries are unpacked once (to ~/.cache; 0.7 s when already there).
unpack=../shared/envtest/k8s-1.34.2-linux-amd64/unpack.sh
if [ -z "${KUBEBUILDER_ASSETS:-}" ] && [ -f "$unpack" ]; then
  if assets=$(bash "$unpack"); then export KUBEBUILDER_ASSETS="$assets"; else echo "npm test: $unpack failed; the API server tests will say so" >&2; fi
fi
tsc --noEmit -p . --incremental --tsBuildInfoFile build/.tsbuildinfo-test &
typecheck=$!
# jest's default leaves one core to its parent (one worker on two cores); the parent only hands
# out test files, so every core runs tests: 30.5 s -> 22.4 s on the 2-core machine, measured with
# a niced mutation run beside it. A --maxWorkers given to npm test wins (the last one counts).
jest --maxWorkers=100% "$@"
tests=$?
wait "$typecheck"
types=$?
if [ "$types" -ne 0 ]; then
  echo "npm test: the type check failed (see above)" >&2
  exit "$types"
fi
exit "$tests"
