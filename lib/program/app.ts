import { App } from 'cdk8s';
import { GatewayRouting, MultiK8sChart, TlsChoice } from '../components/chart';
import { AppConfig } from './config';
import { PREVIEW_ENVIRONMENT, profileOf } from './environments';
import { pruneAllowlist } from './ownership';

/** One chart and the manifest file it is written to. */
export interface ChartOutput {
  /** The chart. */
  readonly chart: MultiK8sChart;
  /** The file name inside the output folder. */
  readonly file: string;
}

/** What a program adds to the app's charts. */
export interface BuildOptions {
  /** Adds your own components to each chart (every preview's too): MultiK8sChartProps.extend. @default - the app alone */
  readonly extend?: (chart: MultiK8sChart) => void;
}

/**
 * Builds the app's charts from the configuration; nothing is written. Without previews: the app
 * for ENVIRONMENT. With previews: one complete app per preview, each in its own namespace.
 */
export function buildApp(config: AppConfig, options: BuildOptions = {}): ChartOutput[] {
  const overrides = { server: config.serverReplicas, worker: config.workerReplicas };
  const gateway: GatewayRouting | undefined = config.routing === 'gateway'
    ? { className: config.gatewayClass, existing: config.gateway, dataPlane: config.gatewayDataPlane }
    : undefined;
  const shared = {
    images: config.images, ingressController: config.ingressController, gateway,
    postgresImage: config.postgresImage,
    extend: options.extend,
    // The deployer may list and delete every kind its pruning apply lists (lib/program/ownership.ts).
    deployer: config.deployer ? { accountNamespace: config.deployerNamespace, pruneKinds: pruneAllowlist(config.previews.length > 0 ? 'previews' : 'environment') } : undefined,
  };
  // One App per chart: cdk8s validates the whole App for every chart it renders, which is quadratic.
  if (config.previews.length === 0) {
    const profile = profileOf(config.environment, overrides);
    const tls: TlsChoice | undefined = config.tls === 'none' ? undefined
      : { letsEncrypt: config.tls === 'letsencrypt' ? 'production' : 'staging', email: config.acmeEmail! };
    const chart = new MultiK8sChart(new App(), 'multi-k8s', { ...shared, profile, instance: config.environment, hosts: config.hosts, tls });
    return [{ chart, file: 'multi-k8s.k8s.yaml' }];
  }
  const profile = profileOf(PREVIEW_ENVIRONMENT, overrides);
  // Previews share the operator's wildcard certificate: one Let's Encrypt order per preview would hit its rate limits.
  const tls: TlsChoice | undefined = config.previewTlsSecret ? { secretName: config.previewTlsSecret } : undefined;
  return config.previews.map((name) => ({
    chart: new MultiK8sChart(new App(), name, { ...shared, profile, instance: name, namespace: name, hosts: [`${name}.${config.previewDomain}`], tls }),
    file: `preview-${name}.k8s.yaml`,
  }));
}
