import * as kplus from 'cdk8s-plus-27';

/**
 * The small interfaces through which components learn about each other: a consumer takes one of
 * these, never a retyped name or port, so each connection detail is written once, by its provider.
 */

/** Pods a NetworkPolicy can admit or target, by the labels that select them. */
export interface IPodPeer {
  /** Labels that select exactly these pods. */
  readonly podSelector: Readonly<Record<string, string>>;
}

/** Something other pods connect to: its pods, and the host and port clients use. */
export interface IEndpoint extends IPodPeer {
  /** The host name clients use: the Service's name. */
  readonly host: string;
  /** The port clients connect to. */
  readonly port: number;
  /** The Service in front of the pods, for routes and backends. */
  readonly service: kplus.Service;
}

/** A store clients reach through environment variables that the provider names. */
export interface IClientEnv {
  /** The variables a client container needs to connect, exactly as the course's keys.js reads them. */
  readonly clientEnv: Readonly<Record<string, kplus.EnvValue>>;
}

/** A certificate the routes serve: the host names it covers and the Secret that holds it. */
export interface ITlsCertificate {
  /** The host names, each served over HTTPS with this certificate. */
  readonly hosts: readonly string[];
  /** The `kubernetes.io/tls` Secret in the app's namespace that holds the certificate and key. */
  readonly secretName: string;
}

/** A Gateway that routes attach to. */
export interface GatewayReference {
  /** Its name. */
  readonly name: string;
  /** Its namespace. @default - the namespace of the route */
  readonly namespace?: string;
}
