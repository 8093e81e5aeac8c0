/** An autoscaler's bounds and target. */
export interface AutoscaleBounds {
  /** Fewest pods: a whole number >= 1. */
  readonly min: number;
  /** Most pods: a whole number >= min. */
  readonly max: number;
  /** Average CPU use, in percent of the request, that the autoscaler aims for: 1 to 100. @default 70 */
  readonly targetCpuUtilization?: number;
}

/** CPU use the autoscalers aim for, in percent of the request: headroom for a burst while a new pod starts. */
export const DEFAULT_TARGET_CPU_UTILIZATION = 70;

/**
 * How many pods a component runs, and how a new version replaces the old: a fixed count, a range
 * a CPU autoscaler moves within, or exactly one pod that is never doubled. Each is a complete,
 * valid choice; there is no combination of fields to get wrong.
 */
export class Scale {
  /** A fixed number of pods, replaced one at a time with no dip below the count. */
  public static fixed(replicas: number): Scale {
    if (!Number.isInteger(replicas) || replicas < 1) throw new Error(`Scale.fixed: replicas must be a whole number >= 1, got ${replicas}`);
    return new Scale('fixed', replicas, replicas);
  }

  /** Between min and max pods as CPU use asks; the Deployment leaves `replicas` to the autoscaler. */
  public static autoscaled(bounds: AutoscaleBounds): Scale {
    const { min, max } = bounds;
    const target = bounds.targetCpuUtilization ?? DEFAULT_TARGET_CPU_UTILIZATION;
    if (!Number.isInteger(min) || !Number.isInteger(max) || min < 1 || min > max) {
      throw new Error(`Scale.autoscaled: needs whole numbers 1 <= min <= max, got min ${min}, max ${max}`);
    }
    if (!Number.isInteger(target) || target < 1 || target > 100) {
      throw new Error(`Scale.autoscaled: targetCpuUtilization must be a whole percentage from 1 to 100, got ${target}`);
    }
    return new Scale('autoscaled', min, max, target);
  }

  /**
   * Exactly one pod, and the old one stops before the new one starts (Recreate): for a component
   * with one writer on one volume, or state that two pods would split.
   */
  public static exclusive(): Scale {
    return new Scale('exclusive', 1, 1);
  }

  private constructor(
    /** Which of the three. */
    public readonly kind: 'fixed' | 'autoscaled' | 'exclusive',
    /** Pods at rest: the fixed count, or the autoscaler's minimum. */
    public readonly minPods: number,
    /** Most pods this scale ever runs. */
    public readonly maxPods: number,
    /** The autoscaler's CPU target, when autoscaled. */
    public readonly targetCpuUtilization?: number,
  ) {}
}
