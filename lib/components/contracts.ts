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

/** Pods that serve a port: what a NetworkPolicy needs to admit connections to them. */
export interface IServingPods extends IPodPeer {
  /** The port the pods serve (the same in the container and the Service). */
  readonly port: number;
}

/** Something other pods connect to: its pods, and the host and port clients use. */
export interface IEndpoint extends IServingPods {
  /** The host name clients use: the Service's name. */
  readonly host: string;
  /** The Service in front of the pods, for routes and backends. */
  readonly service: kplus.Service;
}

/** A store clients reach through environment variables that the provider names. */
export interface IClientEnv {
  /** The variables a client container needs to connect, exactly as the course's keys.js reads them. */
  readonly clientEnv: Readonly<Record<string, kplus.EnvValue>>;
}

/** A container that exits 0 once a provider accepts connections, so a client can start after it. */
export interface ReadyCheck {
  /** The init container's name (a DNS label). */
  readonly name: string;
  /** An image that carries the check's tool. */
  readonly image: string;
  /** The command: loops until the provider answers, then exits 0. */
  readonly command: readonly string[];
}

/** A provider a client must wait for before it starts, because the client does not retry. */
export interface IAwaitable {
  /** The check to run as an init container of the client's pods. */
  readonly readyCheck: ReadyCheck;
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
