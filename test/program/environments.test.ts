import { ENVIRONMENT_NAMES, ENVIRONMENT_TABLE, PREVIEW_ENVIRONMENT, profileOf } from '../../lib/program/environments';

describe('the environment table', () => {
  test('prod: the course\'s counts as the floor (3 clients, 3 servers, 1 worker), autoscalers above, availability on', () => {
    const prod = profileOf('prod');
    expect(prod.client).toMatchObject({ kind: 'fixed', minPods: 3 });
    expect(prod.server).toMatchObject({ kind: 'autoscaled', minPods: 3, maxPods: 6 });
    expect(prod.worker).toMatchObject({ kind: 'autoscaled', minPods: 1, maxPods: 4 });
    expect(prod.availability).toBe(true);
  });

  test('dev: one pod of each, no availability add-ons; previews are dev', () => {
    const dev = profileOf('dev');
    for (const scale of [dev.client, dev.server, dev.worker]) expect(scale).toMatchObject({ kind: 'fixed', minPods: 1, maxPods: 1 });
    expect(dev.availability).toBe(false);
    expect(PREVIEW_ENVIRONMENT).toBe('dev');
  });

  test('configured bounds replace an autoscaled row\'s, and leave a fixed row alone', () => {
    const overrides = { server: { min: 2, max: 9 }, worker: { min: 2, max: 3 } };
    expect(profileOf('prod', overrides).server).toMatchObject({ minPods: 2, maxPods: 9 });
    expect(profileOf('prod', overrides).worker).toMatchObject({ minPods: 2, maxPods: 3 });
    expect(profileOf('dev', overrides).server).toMatchObject({ kind: 'fixed', minPods: 1 });
  });

  test('every row says what it is for, and the names are the table\'s keys', () => {
    expect(ENVIRONMENT_NAMES).toEqual(Object.keys(ENVIRONMENT_TABLE));
    for (const name of ENVIRONMENT_NAMES) expect(ENVIRONMENT_TABLE[name].purpose.length).toBeGreaterThan(10);
  });
});
