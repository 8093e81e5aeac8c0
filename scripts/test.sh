#!/bin/sh
# `npm test`: the type check and the tests side by side, each mostly on one of two cores.
# Fails if either fails; arguments go to jest.
mkdir -p build
tsc --noEmit -p . --incremental --tsBuildInfoFile build/.tsbuildinfo-test &
typecheck=$!
jest "$@"
tests=$?
wait "$typecheck"
types=$?
if [ "$types" -ne 0 ]; then
  echo "npm test: the type check failed (see above)" >&2
  exit "$types"
fi
exit "$tests"
