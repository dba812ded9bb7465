// A Jupyter connection for tests: presigned URLs from the test's own minting, a direct agent, the real clock.
import { Agent as HttpAgent } from 'node:http';
import { Agent as HttpsAgent } from 'node:https';
import { JupyterConnection, type ConnectionDeps } from '../../../src/jupyter/connection';
import type { Logger } from '../../../src/shared/log';
import { systemClock } from '../../../src/shared/clock';

export const quietLogger: Logger = { trace() {}, debug() {}, info() {}, warn() {}, error() {} };

export function connectionFor(
  presign: () => Promise<string>,
  overrides: Partial<ConnectionDeps> & { sessionSeconds?: number } = {},
): JupyterConnection {
  return new JupyterConnection({
    presign: async () => ({ url: await presign(), sessionSeconds: overrides.sessionSeconds ?? 3600 }),
    agentFor: async (url) => (url.startsWith('https:') ? new HttpsAgent({ keepAlive: true }) : new HttpAgent({ keepAlive: true })),
    logger: quietLogger,
    clock: systemClock,
    autoRenew: () => true,
    ...overrides,
  });
}
