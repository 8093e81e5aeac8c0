import { loadManifests } from '../../../lib/validate/load';
import { COURSE_K8S } from '../../helpers';
import { Cluster, ClusterProps } from './cluster';

/**
 * A cluster holding the course's eleven objects as the API server stores them after
 * `kubectl apply -f k8s` on minikube: built by the model's create path from
 * test/fixtures/course-k8s, so they carry the API's defaults (a RollingUpdate strategy of
 * 25%/25%, allocated clusterIPs, the `standard` storage class, a bound claim) and kubectl's
 * last-applied configuration.
 */
export function courseCluster(props: ClusterProps = {}): Cluster {
  const cluster = new Cluster(props);
  const outcomes = cluster.apply(loadManifests([COURSE_K8S]).map((item) => item.object));
  const refused = outcomes.filter((o) => !o.accepted);
  if (refused.length > 0) throw new Error(`the course's manifests did not apply: ${refused.map((o) => o.message).join('; ')}`);
  return cluster;
}
