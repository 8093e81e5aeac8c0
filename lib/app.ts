import { App } from 'cdk8s';
import { AppConfig } from './config';
import { MultiK8sChart } from './multi-k8s-chart';

/** One chart and the manifest file it is written to. */
export interface ChartOutput {
  /** The chart. */
  readonly chart: MultiK8sChart;
  /** The file name inside the output folder. */
  readonly file: string;
}

/** Builds the app's charts from the configuration; nothing is written. */
export function buildApp(config: AppConfig): ChartOutput[] {
  // One App per chart: cdk8s validates the whole App for every chart it renders.
  const chart = new MultiK8sChart(new App(), 'multi-k8s', { imagePrefix: config.imagePrefix, imageTag: config.imageTag });
  return [{ chart, file: 'multi-k8s.k8s.yaml' }];
}
