import { App } from 'cdk8s';
import { AppConfig } from './config';
import { MultiK8sChart, MultiK8sChartProps } from '../components/chart';

/** One chart and the manifest file it is written to. */
export interface ChartOutput {
  /** The chart. */
  readonly chart: MultiK8sChart;
  /** The file name inside the output folder. */
  readonly file: string;
}

/**
 * Builds the app's charts from the configuration; nothing is written. Without previews: the app
 * for ENVIRONMENT. With previews: one complete dev app per preview, each in its own namespace.
 */
export function buildApp(config: AppConfig): ChartOutput[] {
  const shared: MultiK8sChartProps = {
    imagePrefix: config.imagePrefix,
    imageTag: config.imageTag,
    ingressController: config.ingressController,
    serverReplicas: config.serverReplicas,
    workerReplicas: config.workerReplicas,
  };
  // One App per chart: cdk8s validates the whole App for every chart it renders, which is quadratic.
  if (config.previews.length === 0) {
    return [{ chart: new MultiK8sChart(new App(), 'multi-k8s', { ...shared, environment: config.environment }), file: 'multi-k8s.k8s.yaml' }];
  }
  return config.previews.map((name) => ({
    chart: new MultiK8sChart(new App(), name, { ...shared, environment: 'dev', namespace: name, host: `${name}.${config.previewDomain}` }),
    file: `preview-${name}.k8s.yaml`,
  }));
}
