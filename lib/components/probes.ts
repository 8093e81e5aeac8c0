import { Duration } from 'cdk8s';
import * as kplus from 'cdk8s-plus-27';

/** How often a probe asks, how many failures in a row count as failed, how long it waits for an answer. */
export interface ProbeTiming {
  /** Time between probes. */
  readonly period: Duration;
  /** Failures in a row before the probe counts as failed: a whole number >= 1. */
  readonly failureThreshold: number;
  /** How long one probe waits for an answer. */
  readonly timeout: Duration;
}

/** One way of asking a container whether it is well, at any of the timings its probes need. */
export type ProbeAt = (timing: ProbeTiming) => kplus.Probe;

/** An HTTP GET of a path on a port; any 2xx or 3xx passes. */
export function httpGet(path: string, port: number): ProbeAt {
  return (t) => kplus.Probe.fromHttpGet(path, { port, periodSeconds: t.period, failureThreshold: t.failureThreshold, timeoutSeconds: t.timeout });
}

/** A command run in the container; exit 0 passes. */
export function command(argv: readonly string[]): ProbeAt {
  return (t) => kplus.Probe.fromCommand([...argv], { periodSeconds: t.period, failureThreshold: t.failureThreshold, timeoutSeconds: t.timeout });
}

/** A timing in whole seconds: every `period` seconds, `failureThreshold` failures, `timeout` seconds to answer. */
export function every(period: number, failureThreshold: number, timeout: number): ProbeTiming {
  return { period: Duration.seconds(period), failureThreshold, timeout: Duration.seconds(timeout) };
}
