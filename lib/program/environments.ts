import type { EnvironmentProfile } from '../components/chart';
import { Scale } from '../components/scale';

/** Pod counts of one component: a fixed number, or an autoscaler's bounds. */
export type PodCount = { readonly replicas: number } | { readonly autoscale: { readonly min: number; readonly max: number } };

/** One row of the table. */
export interface EnvironmentRow {
  /** What the row is for. */
  readonly purpose: string;
  /** Client pods. */
  readonly client: PodCount;
  /** API server pods. */
  readonly server: PodCount;
  /** Worker pods. */
  readonly worker: PodCount;
  /** Disruption budgets and spread for each component that may run more than one pod. */
  readonly availability: boolean;
}

/**
 * Every environment's settings, in one table. `prod` is the course's app hardened: its pod counts
 * (3 clients, 3 servers, 1 worker) as the floor, autoscalers above them. `dev` and every preview
 * run one pod of each, so that the whole app fits a laptop. SERVER_REPLICAS_MIN/MAX and
 * WORKER_REPLICAS_MIN/MAX replace the autoscaler bounds of `prod` (lib/program/config.ts).
 */
export const ENVIRONMENT_TABLE = {
  prod: {
    purpose: 'production: the course\'s pod counts as the floor, autoscalers above them, budgets for drains',
    client: { replicas: 3 },
    // Up to twice the course's three under load.
    server: { autoscale: { min: 3, max: 6 } },
    // The reason the app moved to Kubernetes: the worker scales alone, on its own CPU.
    worker: { autoscale: { min: 1, max: 4 } },
    availability: true,
  },
  dev: {
    purpose: 'development and previews: one pod of each, nothing that needs a second node',
    client: { replicas: 1 },
    server: { replicas: 1 },
    worker: { replicas: 1 },
    availability: false,
  },
} as const satisfies Record<string, EnvironmentRow>;

export type EnvironmentName = keyof typeof ENVIRONMENT_TABLE;
/** The environment names, in the table's order. */
export const ENVIRONMENT_NAMES = Object.keys(ENVIRONMENT_TABLE) as EnvironmentName[];
/** Previews are full apps of this environment, each in its own namespace. */
export const PREVIEW_ENVIRONMENT: EnvironmentName = 'dev';

/** Autoscaler bounds that replace a row's own, from the configuration. */
export interface BoundsOverride {
  /** Fewest pods. */
  readonly min: number;
  /** Most pods. */
  readonly max: number;
}

function scaleOf(count: PodCount, override: BoundsOverride | undefined): Scale {
  if ('replicas' in count) return Scale.fixed(count.replicas);
  return Scale.autoscaled(override ?? count.autoscale);
}

/** The chart's profile for an environment, with the configured autoscaler bounds in place of the table's. */
export function profileOf(name: EnvironmentName, overrides: { readonly server?: BoundsOverride; readonly worker?: BoundsOverride } = {}): EnvironmentProfile {
  const row: EnvironmentRow = ENVIRONMENT_TABLE[name];
  return {
    client: scaleOf(row.client, undefined),
    server: scaleOf(row.server, overrides.server),
    worker: scaleOf(row.worker, overrides.worker),
    availability: row.availability,
  };
}
