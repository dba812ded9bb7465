// A local SageMaker endpoint for tests, the demo and benchmarks: a real HTTP server on 127.0.0.1 that the
// unmodified AWS SDK talks to (`new SageMakerClient({ endpoint: server.url })`), plus one notebook
// gateway per instance behind the presigned URLs it hands out.
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Faults, type FaultSpec } from './faults';
import { NotebookGateway, notebookHost, type GatewayVisit } from './gateway';
import { shutDownJupyter } from './proxy';
import { handleApiRequest, type RequestRecord } from './handler';
import {
  DEFAULT_ACCESS_KEY_ID,
  DEFAULT_REGION,
  DEFAULT_SECRET_ACCESS_KEY,
  TEAM_ACCESS_KEY_ID,
  TEAM_SECRET_ACCESS_KEY,
  loadSeedFile,
  type InstanceRecord,
  type InstanceScope,
  type NotebookStatus,
  type SeedInstance,
} from './seed';
import { ApiError } from './protocol';
import { InstanceStore, type AddManyOptions } from './store';
import { defaultRoles } from './iam';
import { LifecycleConfigStore, LifecycleRunner, LOG_GROUP, type SeedLifecycleConfig } from './lifecycle';
import { LogStore, type LogEvent } from './logs';
import { seededConfig } from './manageOperations';
import { accountIdFor } from './auth';
import { DEFAULT_TOKEN_TTL_MS } from './list';
import { newSsoToken, type SsoToken } from './sso';
import type { StsState } from './sts';

export { issuedSecrets } from './tokens';
export { DEFAULT_ACCESS_KEY_ID, DEFAULT_SECRET_ACCESS_KEY, TEAM_ACCESS_KEY_ID, TEAM_SECRET_ACCESS_KEY, DEFAULT_REGION } from './seed';
export type { InstanceRecord, InstanceScope, NotebookStatus, SeedInstance } from './seed';
export type { FaultError, FaultSpec } from './faults';
export type { GatewayVisit } from './gateway';
export type { RequestRecord } from './handler';
export type { SeedLifecycleConfig } from './lifecycle';
export { LOG_GROUP } from './lifecycle';

export interface LocalAccount {
  accessKeyId: string;
  /** Every request with this key must carry a valid signature made with this secret. */
  secretAccessKey: string;
}

export interface LocalSageMakerOptions {
  port?: number;
  /** Always 127.0.0.1: the endpoint must never be reachable from another machine. */
  host?: never;
  seed?: SeedInstance[] | string;
  /** Lifecycle configurations to start with (scripts as text). */
  lifecycleConfigs?: SeedLifecycleConfig[];
  /**
   * Accounts besides (or replacing the secrets of) the seed's two, which are always registered. Every
   * request's signature is verified, as SageMaker does: an unknown key is UnrecognizedClientException, a
   * wrong signature InvalidSignatureException.
   */
  accounts?: LocalAccount[];
  /** How long Pending → InService and Stopping → Stopped take. Default 2000 ms each. */
  transitionMs?: number | { start?: number; stop?: number };
  /**
   * The one region the main listener (`url`) serves, as a regional SageMaker endpoint does: SageMaker (and
   * CloudWatch Logs) requests signed for another region are refused with InvalidSignatureException
   * "Credential should be scoped to a valid region, not '<r>'.". Default DEFAULT_REGION (us-east-1). STS,
   * IAM and the SSO portal are not regional here and answer whatever region they were signed for.
   */
  region?: string;
  /**
   * One more listener per further region, each serving only that region (same rule as `region`).
   * `regionUrl(region)` is its URL; `regionUrl(region)` of the main listener's region is `url`. A test that
   * lists several regions points the extension at one listener per region (the endpoint setting's map).
   */
  regions?: string[];
  /** How long a ListNotebookInstances NextToken stays valid (by `clock`). Default one hour. */
  tokenTtlMs?: number;
  /** The MFA code STS AssumeRole accepts with a SerialNumber. */
  mfaCode?: string;
  /** The lifetime of every temporary credential (AssumeRole, SSO), whatever was asked for. Default: as asked, 1 h. */
  credentialSeconds?: number;
  /**
   * The production path: presigned URLs are SageMaker's real `https://<name>.notebook.<region>.sagemaker.aws`
   * ones, and `route(host)` tells a TLS-intercepting forward proxy which listener serves each of AWS's real
   * host names (SageMaker's API, STS, the SSO portal, the notebooks). Default: loopback URLs, no routing.
   */
  awsHostNames?: boolean;
  /** Epoch-ms clock for timestamps, token lifetime and session expiry; inject one to test expiry. */
  clock?: () => number;
  onRequest?: (record: RequestRecord) => void;
  onGatewayVisit?: (visit: GatewayVisit) => void;
  /** Notebook sessions last this many seconds whatever was asked for: a session that ends within a test. */
  notebookSessionSeconds?: number;
}

export interface LocalSageMaker {
  /** The main listener: SageMaker in `region` only, plus STS, IAM and the SSO portal. */
  readonly url: string;
  readonly port: number;
  /** The region the main listener serves (the `region` option). */
  readonly region: string;
  /** The URL of the listener that serves only this region (see `region` and `regions`). */
  regionUrl(region: string): string;
  addInstance(seed: SeedInstance): InstanceRecord;
  addMany(count: number, options?: AddManyOptions): InstanceRecord[];
  removeInstance(name: string, scope?: InstanceScope): boolean;
  setStatus(name: string, status: NotebookStatus, options?: InstanceScope & { failureReason?: string }): void;
  /**
   * The instance's next start ends in Failed with this reason, as when its lifecycle configuration fails; for
   * a name not created yet, its creation does.
   */
  failNextStart(name: string, reason: string, scope?: InstanceScope): void;
  addLifecycleConfig(config: SeedLifecycleConfig): void;
  /** The CloudWatch log events of a stream of `/aws/sagemaker/NotebookInstances` (a copy; [] when none). */
  logEvents(stream: string, scope?: InstanceScope): LogEvent[];
  getInstance(name: string, scope?: InstanceScope): InstanceRecord | undefined;
  addAccount(account: LocalAccount): void;
  /** An access token of the SSO portal (what `aws sso login` caches) whose role credentials see what `accessKeyId` sees. */
  issueSsoToken(options?: { accessKeyId?: string; expiresInSeconds?: number }): string;
  /** Every temporary credential issued so far is expired from now on, as when a role session ends early. */
  expireTemporaryCredentials(): void;
  /** The lifetime of temporary credentials issued from now on; undefined: as asked (AssumeRole) or one hour. */
  setCredentialSeconds(seconds: number | undefined): void;
  /**
   * With `awsHostNames`: the 127.0.0.1 listener behind one of AWS's real host names (`api.sagemaker.<region>.
   * amazonaws.com`, `sts[.<region>].amazonaws.com`, `portal.sso.<region>.amazonaws.com`, a presigned
   * instance's `<name>.notebook.<region>.sagemaker.aws`); undefined for any other host.
   */
  route(host: string): Promise<{ port: number } | undefined>;
  inject(op: string, fault: FaultSpec): void;
  clearFaults(): void;
  /** Makes CreatePresignedNotebookInstanceUrl return a different URL (a misbehaving endpoint); undefined resets. */
  rewriteAuthorizedUrls(fn: ((url: string) => string) | undefined): void;
  /** Every API request so far, oldest first (a copy). */
  readonly requests: RequestRecord[];
  count(op?: string): number;
  resetLog(): void;
  /** Every notebook gateway visit so far, oldest first (a copy); paths never include the token. */
  readonly gatewayVisits: GatewayVisit[];
  /** Ends the open notebook sessions of an instance now (every instance without a name), sockets included. */
  endNotebookSessions(name?: string): Promise<void>;
  /** Cuts an instance's WebSockets (every instance's without a name) as a network failure would; sessions stay valid. */
  dropNotebookSockets(name?: string): Promise<void>;
  stop(): Promise<void>;
}

const DEFAULT_TRANSITION_MS = 2000;

export async function startLocalSageMaker(options: LocalSageMakerOptions = {}): Promise<LocalSageMaker> {
  const clock = options.clock ?? Date.now;
  const t = options.transitionMs;
  const transitions =
    typeof t === 'number' ? { start: t, stop: t } : { start: t?.start ?? DEFAULT_TRANSITION_MS, stop: t?.stop ?? DEFAULT_TRANSITION_MS };
  const accounts = new Map<string, string | undefined>([
    [DEFAULT_ACCESS_KEY_ID, DEFAULT_SECRET_ACCESS_KEY],
    [TEAM_ACCESS_KEY_ID, TEAM_SECRET_ACCESS_KEY],
  ]);
  for (const a of options.accounts ?? []) accounts.set(a.accessKeyId, a.secretAccessKey);
  const faults = new Faults();
  const sts: StsState = {
    accounts,
    aliases: new Map<string, string>(),
    temporary: new Map<string, { sessionToken: string; expiresAt: number }>(),
    mfaCode: options.mfaCode,
    credentialSeconds: options.credentialSeconds,
    clock,
  };
  const ssoTokens = new Map<string, SsoToken>();
  const timers = new Set<NodeJS.Timeout>();
  let requests: RequestRecord[] = [];
  let visits: GatewayVisit[] = [];
  const gateways = new Map<InstanceRecord, Promise<NotebookGateway>>();
  const closeGateway = (record: InstanceRecord) => {
    const gateway = gateways.get(record);
    gateways.delete(record);
    return gateway?.then((g) => g.close()) ?? Promise.resolve();
  };
  // An instance that leaves InService goes down as SageMaker's does: its notebook sessions end (WebSockets
  // closed, cookies refused) and the Jupyter behind it loses every kernel and terminal, so a start brings a
  // fresh Jupyter, not the old kernels' state.
  // A presigned URL waits for the shutdown to be over: a quick start must not meet the old kernels.
  const shuttingDown = new Map<InstanceRecord, Promise<void>>();
  const shutDown = (record: InstanceRecord) => {
    const done = (async () => {
      await shuttingDown.get(record);
      await gateways.get(record)?.then((g) => g.endSessions());
      if (record.jupyterUpstream) await shutDownJupyter(record.jupyterUpstream).catch(() => undefined);
    })();
    shuttingDown.set(record, done);
    return done;
  };
  const logs = new LogStore();
  const lifecycle = new LifecycleConfigStore();
  const runner = new LifecycleRunner(lifecycle, logs, clock);
  const store = new InstanceStore(
    clock,
    transitions,
    (record) => void closeGateway(record),
    (record, hooks, ms, failure) => runner.run(record, hooks, ms, failure),
    (record) => void shutDown(record),
  );
  const seed = typeof options.seed === 'string' ? loadSeedFile(options.seed) : (options.seed ?? []);
  for (const s of seed) store.add(s);
  const addLifecycleConfig = (c: SeedLifecycleConfig) => {
    const accessKeyId = c.accessKeyId ?? DEFAULT_ACCESS_KEY_ID;
    const region = c.region ?? DEFAULT_REGION;
    lifecycle.put(accessKeyId, region, seededConfig(region, accountIdFor(accessKeyId), c.name, c.onCreate, c.onStart, clock()));
  };
  for (const c of options.lifecycleConfigs ?? []) addLifecycleConfig(c);
  const roles = new Map<string, ReturnType<typeof defaultRoles>>();
  const rolesOf = (principal: string) => {
    let r = roles.get(principal);
    if (!r) roles.set(principal, (r = defaultRoles()));
    return r;
  };

  const logVisit = (visit: GatewayVisit) => {
    visits.push(visit);
    options.onGatewayVisit?.(visit);
  };
  let stopped: Promise<void> | undefined;
  const presign = async (record: InstanceRecord, sessionSeconds: number) => {
    // A gateway started while stopping would outlive stop() and keep the process alive.
    if (stopped) throw new ApiError('ServiceUnavailable', 'The endpoint is shutting down', 503);
    await shuttingDown.get(record);
    let gateway = gateways.get(record);
    if (!gateway) gateways.set(record, (gateway = NotebookGateway.start(record, clock, logVisit)));
    const url = (await gateway).presign(options.notebookSessionSeconds ?? sessionSeconds, options.awsHostNames);
    return rewriteAuthorizedUrl ? rewriteAuthorizedUrl(url) : url;
  };
  let rewriteAuthorizedUrl: ((url: string) => string) | undefined;

  const handler = (hostRegion: string) => (req: IncomingMessage, res: ServerResponse) => {
    void handleApiRequest(req, res, {
      hostRegion,
      accounts,
      faults,
      sts,
      ssoTokens,
      logs,
      roles: rolesOf,
      manage: (caller) => ({ store, caller, lifecycle, roles: rolesOf(caller.accessKeyId), now: clock() }),
      context: (caller, emptyPage) => ({
        store,
        caller,
        presign,
        paging: { now: clock(), tokenTtlMs: options.tokenTtlMs ?? DEFAULT_TOKEN_TTL_MS, emptyPage },
      }),
      delay: (ms) =>
        new Promise((resolve) => {
          const timer = setTimeout(() => (timers.delete(timer), resolve()), ms);
          timers.add(timer);
        }),
      record: (entry) => requests.push(entry),
      finished: (entry) => options.onRequest?.(entry),
    });
  };
  const listen = async (server: Server, port: number) => {
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(port, '127.0.0.1', resolve);
    });
    return (server.address() as AddressInfo).port;
  };
  const mainRegion = options.region ?? DEFAULT_REGION;
  const server = createServer(handler(mainRegion));
  const port = await listen(server, options.port ?? 0);
  const regional = new Map<string, { server: Server; port: number }>([[mainRegion, { server, port }]]);
  for (const region of options.regions ?? []) {
    if (regional.has(region)) continue;
    const s = createServer(handler(region));
    regional.set(region, { server: s, port: await listen(s, 0) });
  }

  return {
    url: `http://127.0.0.1:${port}`,
    port,
    region: mainRegion,
    regionUrl: (region) => {
      const listener = regional.get(region);
      if (!listener) throw new Error(`No listener for ${region}: pass it in the region or regions option`);
      return `http://127.0.0.1:${listener.port}`;
    },
    addInstance: (s) => ({ ...store.add(s) }),
    addMany: (count, opts) => store.addMany(count, opts).map((r) => ({ ...r })),
    removeInstance: (name, scope) => store.remove(name, scope),
    setStatus: (name, status, opts) => store.setStatus(name, status, opts),
    failNextStart: (name, reason, scope) => {
      const record = store.get(name, scope ?? {});
      if (record) store.failNextStart(record, reason);
      else store.failCreation(name, scope ?? {}, reason);
    },
    addLifecycleConfig,
    logEvents: (stream, scope) => {
      try {
        return [
          ...(logs.streams(scope?.accessKeyId ?? DEFAULT_ACCESS_KEY_ID, scope?.region ?? DEFAULT_REGION, LOG_GROUP).get(stream) ?? []),
        ];
      } catch {
        return [];
      }
    },
    getInstance: (name, scope) => {
      const record = store.get(name, scope);
      return record && { ...record };
    },
    addAccount: (a) => void accounts.set(a.accessKeyId, a.secretAccessKey),
    issueSsoToken: (o = {}) =>
      newSsoToken(ssoTokens, {
        principal: o.accessKeyId ?? DEFAULT_ACCESS_KEY_ID,
        expiresAt: clock() + (o.expiresInSeconds ?? 8 * 3600) * 1000,
      }),
    expireTemporaryCredentials: () => {
      for (const temporary of sts.temporary.values()) temporary.expiresAt = Math.min(temporary.expiresAt, clock());
    },
    setCredentialSeconds: (seconds) => {
      sts.credentialSeconds = seconds;
    },
    route: async (host) => {
      if (!options.awsHostNames) return undefined;
      const name = host.toLowerCase();
      if (/^(?:api\.sagemaker|portal\.sso)\.[a-z0-9-]+\.amazonaws\.com$|^sts(?:\.[a-z0-9-]+)?\.amazonaws\.com$/.test(name)) return { port };
      for (const [record, gateway] of gateways) if (notebookHost(record) === name) return { port: (await gateway).port };
      return undefined;
    },
    inject: (op, fault) => faults.inject(op, fault),
    clearFaults: () => faults.clear(),
    get requests() {
      return requests.map((r) => ({ ...r }));
    },
    count: (op) => (op === undefined ? requests.length : requests.filter((r) => r.op === op).length),
    rewriteAuthorizedUrls: (fn) => {
      rewriteAuthorizedUrl = fn;
    },
    resetLog: () => {
      requests = [];
      visits = [];
    },
    get gatewayVisits() {
      return visits.map((v) => ({ ...v }));
    },
    endNotebookSessions: async (name) => {
      for (const [record, gateway] of gateways) if (name === undefined || record.name === name) (await gateway).endSessions();
    },
    dropNotebookSockets: async (name) => {
      for (const [record, gateway] of gateways) if (name === undefined || record.name === name) (await gateway).dropSockets();
    },
    stop: () =>
      (stopped ??= (async () => {
        store.dispose();
        runner.dispose();
        for (const timer of timers) clearTimeout(timer);
        timers.clear();
        const servers = [...regional.values()].map((r) => r.server);
        const closed = Promise.all(servers.map((s) => new Promise<void>((resolve) => s.close(() => resolve()))));
        for (const s of servers) s.closeAllConnections();
        await Promise.all([...gateways.keys()].map(closeGateway));
        await closed;
      })()),
  };
}
