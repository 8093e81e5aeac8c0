import type { ICertificate } from '@kubernetes-models/cert-manager/cert-manager.io/v1/Certificate';
import type { IClusterIssuer } from '@kubernetes-models/cert-manager/cert-manager.io/v1/ClusterIssuer';
import { Chart, Testing } from 'cdk8s';
import { ModelObject } from '../../lib/components/model-object';

/** A ClusterIssuer (cluster-scoped in cert-manager's CRD) in a chart with or without a namespace, its own metadata as given. */
function clusterIssuer(chartNamespace: string | undefined, metadata: IClusterIssuer['metadata']) {
  const chart = new Chart(Testing.app(), 'chart', chartNamespace ? { namespace: chartNamespace } : {});
  const issuer = new ModelObject<IClusterIssuer>(chart, 'Issuer', {
    apiVersion: 'cert-manager.io/v1', kind: 'ClusterIssuer', metadata, spec: { selfSigned: {} },
  });
  issuer.clusterScoped();
  new ModelObject<ICertificate>(chart, 'Certificate', {
    apiVersion: 'cert-manager.io/v1', kind: 'Certificate', metadata: { name: 'site' },
    spec: { secretName: 'site', issuerRef: { kind: 'ClusterIssuer', name: 'self' }, dnsNames: ['example.com'] },
  });
  const objects = Testing.synth(chart);
  return { issuer: objects.find((o) => o.kind === 'ClusterIssuer'), certificate: objects.find((o) => o.kind === 'Certificate') };
}

describe('ModelObject', () => {
  test('renders the object as given, in the chart\'s namespace', () => {
    const { issuer, certificate } = clusterIssuer('shop', { name: 'self' });
    expect(issuer).toEqual({ apiVersion: 'cert-manager.io/v1', kind: 'ClusterIssuer', metadata: { name: 'self' }, spec: { selfSigned: {} } });
    expect(certificate.metadata).toEqual({ name: 'site', namespace: 'shop' });
  });

  describe('clusterScoped() keeps any namespace off the object', () => {
    // The API server clears a cluster-scoped object's namespace (k8s.io/apiserver
    // pkg/registry/rest/create.go BeforeCreate, meta.go EnsureObjectNamespaceMatchesRequestNamespace),
    // as the validator warns of for built-in kinds (lib/validate/rules/metadata.ts): on a
    // cluster-scoped object a namespace is never meant.
    test('the chart\'s namespace', () => {
      expect(clusterIssuer('shop', { name: 'self' }).issuer.metadata).toEqual({ name: 'self' });
    });

    test('one its own metadata names, in a chart without a namespace as in one with', () => {
      expect(clusterIssuer(undefined, { name: 'self', namespace: 'ops' }).issuer.metadata).toEqual({ name: 'self' });
      expect(clusterIssuer('shop', { name: 'self', namespace: 'ops' }).issuer.metadata).toEqual({ name: 'self' });
    });

    test('with no namespace anywhere, there is nothing to remove, and the object renders as given', () => {
      const { issuer, certificate } = clusterIssuer(undefined, { name: 'self', labels: { team: 'ops' } });
      expect(issuer.metadata).toEqual({ name: 'self', labels: { team: 'ops' } });
      expect(certificate.metadata).toEqual({ name: 'site' });
    });
  });
});
