import { Size } from 'cdk8s';
import * as kplus from 'cdk8s-plus-27';
import { Resources, RunAs } from './workload';

/** The course's server and worker images are `FROM node:alpine`: its `node` user. */
export const NODE_USER: RunAs = { user: 1000, group: 1000 };

/** What `npm run start` writes under a read-only root: npm's logs and cache in HOME, and /tmp. */
export const NODE_WRITABLE_PATHS: Readonly<Record<string, string>> = { home: '/home/node', tmp: '/tmp' };

/** A node process of the course's size: small at rest, room for a burst. */
export const NODE_RESOURCES: Resources = {
  cpu: { request: kplus.Cpu.millis(100), limit: kplus.Cpu.millis(500) },
  memory: { request: Size.mebibytes(128), limit: Size.mebibytes(256) },
};
