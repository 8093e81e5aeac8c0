import { editDistance, nearMiss, serviceNameOf } from '../../lib/validate/service-refs';

describe('serviceNameOf: the Service a host resolves to from a pod of the namespace', () => {
  test.each([
    ['db', 'shop', 'db'],
    ['db.shop', 'shop', 'db'],
    ['db.shop.svc', 'shop', 'db'],
    ['db.shop.svc.cluster.local', 'shop', 'db'],
    ['db.shop.svc.corp.internal', 'shop', 'db'],
    ['db.other.svc.cluster.local', 'shop', undefined],
    ['db.shop.example.com', 'shop', undefined],
    ['db.shop', '', undefined],
    ['localhost', 'shop', undefined],
  ])('%s from %j -> %s', (host, namespace, name) => {
    expect(serviceNameOf(host, namespace)?.name).toBe(name);
  });
});

describe('nearMiss and editDistance', () => {
  const services = ['postgres-cluster-ip-service', 'redis-cluster-ip-service', 'client-cluster-ip-service'];

  test('edit distance counts insertions, deletions and substitutions', () => {
    expect(editDistance('redis', 'redis')).toBe(0);
    expect(editDistance('redis', 'rediss')).toBe(1);
    expect(editDistance('kitten', 'sitting')).toBe(3);
  });

  test('a name a small edit away is a near miss', () => {
    expect(nearMiss('postgres-clusterip-service', services)).toBe('postgres-cluster-ip-service');
  });

  test('a name sharing the naming suffix is a near miss, the nearest one named', () => {
    expect(nearMiss('client-cluster-ip-svc', services)).toBe('client-cluster-ip-service');
    expect(nearMiss('worker-cluster-ip-service', services)).toBeDefined();
  });

  test('words that are not meant as Service names are not near misses', () => {
    expect(nearMiss('postgres', services)).toBeUndefined();
    expect(nearMiss('production', services)).toBeUndefined();
    expect(nearMiss('redis', services)).toBeUndefined();
  });
});
