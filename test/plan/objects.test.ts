import { displayName, groupOf, identityOf, isObject, kubectlCommand, namespaceWords } from '../../lib/plan/objects';

describe('groupOf', () => {
  test('the part of apiVersion before the slash; the core group (no slash, no apiVersion) is empty', () => {
    expect(groupOf({ apiVersion: 'apps/v1' })).toBe('apps');
    expect(groupOf({ apiVersion: 'gateway.networking.k8s.io/v1' })).toBe('gateway.networking.k8s.io');
    expect(groupOf({ apiVersion: 'v1' })).toBe('');
    expect(groupOf({})).toBe('');
    expect(groupOf({ apiVersion: null })).toBe('');
  });
});

describe('identityOf', () => {
  const cm = (metadata: Record<string, unknown> | undefined, apiVersion = 'v1') => ({ apiVersion, kind: 'ConfigMap', ...(metadata ? { metadata } : {}) });

  test('group, kind, namespace and name, each apart: NUL-separated, an absent namespace empty', () => {
    expect(identityOf({ apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'web', namespace: 'shop' } })).toBe('apps\0Deployment\0shop\0web');
    expect(identityOf(cm({ name: 'a' }))).toBe('\0ConfigMap\0\0a');
  });

  test('the version is not part of it; the namespace and name are', () => {
    expect(identityOf({ apiVersion: 'autoscaling/v2', kind: 'HorizontalPodAutoscaler', metadata: { name: 'h' } }))
      .toBe(identityOf({ apiVersion: 'autoscaling/v1', kind: 'HorizontalPodAutoscaler', metadata: { name: 'h' } }));
    // Names that run together ("abc") are still two objects.
    expect(identityOf(cm({ name: 'bc', namespace: 'a' }))).not.toBe(identityOf(cm({ name: 'c', namespace: 'ab' })));
    // No namespace is not any namespace, whatever it is called.
    for (const namespace of ['default', 'Stryker was here!']) expect(identityOf(cm({ name: 'a' }))).not.toBe(identityOf(cm({ name: 'a', namespace })));
  });

  test('an object without metadata has an identity, not a crash', () => {
    expect(identityOf(cm(undefined))).toBe('\0ConfigMap\0\0');
  });
});

describe('displayName and namespaceWords', () => {
  test('Kind/name, the namespace in brackets when there is one; -n NAMESPACE when there is one', () => {
    const web = { kind: 'Deployment', metadata: { name: 'web', namespace: 'shop' } };
    expect(displayName(web)).toBe('Deployment/web (shop)');
    expect(namespaceWords(web)).toEqual(['-n', 'shop']);
    const cluster = { kind: 'ClusterRole', metadata: { name: 'reader' } };
    expect(displayName(cluster)).toBe('ClusterRole/reader');
    expect(namespaceWords(cluster)).toEqual([]);
  });

  test('an object without metadata: its missing name quoted, no -n, not a crash', () => {
    // shown() quotes what is not a string: no name reads as "undefined", not as a name.
    expect(displayName({ kind: 'ConfigMap' })).toBe('ConfigMap/"undefined"');
    expect(namespaceWords({ kind: 'ConfigMap' })).toEqual([]);
  });
});

describe('kubectlCommand', () => {
  // The longest word a command about an object holds: `deployment/` and a name of 253
  // characters (IsDNS1123Subdomain's limit), 264 in all.
  const longest = `deployment/${'a'.repeat(253)}`;

  test('a command in backquotes, each word quoted for the shell', () => {
    expect(kubectlCommand('delete', 'deployment', 'web', '-n', 'my shop')).toBe('`kubectl delete deployment web -n \'my shop\'`');
  });

  test('words up to 264 characters (kind/ and the longest name) make a command; a longer word makes a note instead', () => {
    expect(kubectlCommand('apply', 'edit-last-applied', longest)).toBe(`\`kubectl apply edit-last-applied ${longest}\``);
    expect(kubectlCommand('delete', 'configmap', 'a'.repeat(253))).toBe(`\`kubectl delete configmap ${'a'.repeat(253)}\``);
    expect(kubectlCommand('apply', 'edit-last-applied', `${longest}a`)).toBe('(no kubectl command: a name of 265 characters, longer than Kubernetes allows)');
  });
});

describe('isObject', () => {
  test('a plain object only: not an array, null, a string, a number or undefined', () => {
    expect(isObject({})).toBe(true);
    expect(isObject({ kind: 'Namespace' })).toBe(true);
    for (const value of [[], null, 'kind: Namespace', 7, undefined, true]) expect(isObject(value)).toBe(false);
  });
});
