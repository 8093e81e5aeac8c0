import { DEFAULT_TARGET_CPU_UTILIZATION, Scale } from '../../lib/components/scale';

describe('Scale', () => {
  test('fixed: that many pods at rest and at most', () => {
    expect(Scale.fixed(3)).toMatchObject({ kind: 'fixed', minPods: 3, maxPods: 3 });
  });

  test('autoscaled: the bounds, and the default CPU target unless one is given', () => {
    expect(Scale.autoscaled({ min: 1, max: 4 })).toMatchObject({ kind: 'autoscaled', minPods: 1, maxPods: 4, targetCpuUtilization: DEFAULT_TARGET_CPU_UTILIZATION });
    expect(Scale.autoscaled({ min: 2, max: 2, targetCpuUtilization: 55 }).targetCpuUtilization).toBe(55);
  });

  test('exclusive: exactly one pod', () => {
    expect(Scale.exclusive()).toMatchObject({ kind: 'exclusive', minPods: 1, maxPods: 1 });
  });

  test.each([
    [() => Scale.fixed(0), 'Scale.fixed: replicas must be a whole number >= 1, got 0'],
    [() => Scale.fixed(1.5), 'Scale.fixed: replicas must be a whole number >= 1, got 1.5'],
    [() => Scale.autoscaled({ min: 0, max: 2 }), 'Scale.autoscaled: needs whole numbers 1 <= min <= max, got min 0, max 2'],
    [() => Scale.autoscaled({ min: 3, max: 2 }), 'Scale.autoscaled: needs whole numbers 1 <= min <= max, got min 3, max 2'],
    [() => Scale.autoscaled({ min: 1, max: 2.5 }), 'Scale.autoscaled: needs whole numbers 1 <= min <= max, got min 1, max 2.5'],
    [() => Scale.autoscaled({ min: 1, max: 2, targetCpuUtilization: 0 }), 'Scale.autoscaled: targetCpuUtilization must be a whole percentage from 1 to 100, got 0'],
    [() => Scale.autoscaled({ min: 1, max: 2, targetCpuUtilization: 101 }), 'Scale.autoscaled: targetCpuUtilization must be a whole percentage from 1 to 100, got 101'],
  ])('refuses %#: %s', (make, message) => {
    expect(make).toThrow(message);
  });

  test('the edges of the allowed ranges are accepted', () => {
    expect(Scale.fixed(1).minPods).toBe(1);
    expect(Scale.autoscaled({ min: 1, max: 1, targetCpuUtilization: 1 }).maxPods).toBe(1);
    expect(Scale.autoscaled({ min: 1, max: 9, targetCpuUtilization: 100 }).targetCpuUtilization).toBe(100);
  });
});
