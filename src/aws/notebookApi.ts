// The SageMaker calls the explorer makes, behind an interface so the tree never sees the SDK.
import type { AwsCredentialIdentity, AwsCredentialIdentityProvider } from '@smithy/types';
import type { Agent } from 'http';
import type { AwsSdk } from './loadSdk';
import type { NotebookInstance } from '../shared/instance';
import type { Logger } from '../shared/log';
import { planAgent, type NetworkSettings } from './network';
import { credentialProcessError, UserFacingError } from './errors';
import { endpointFor, type EndpointSetting } from './endpoints';
import type { L10n } from '../shared/l10n';

export interface NotebookApi {
  /** Every instance of the region, all pages, in the order the API returns them (by name). */
  listInstances(region: string, signal?: AbortSignal): Promise<NotebookInstance[]>;
  describeInstance(region: string, name: string, signal?: AbortSignal): Promise<NotebookInstance>;
  startInstance(region: string, name: string, signal?: AbortSignal): Promise<void>;
  stopInstance(region: string, name: string, signal?: AbortSignal): Promise<void>;
  /** Mints a presigned URL. The caller opens it at once and never stores or logs it. */
  presignUrl(region: string, name: string, sessionSeconds: number, signal?: AbortSignal): Promise<string>;
  /** Resolves the profile's credentials (asks for MFA, reads the SSO cache) without calling SageMaker. */
  checkCredentials(): Promise<void>;
  /**
   * A fresh agent for connections to a notebook's own host (`url` is its presigned URL), under the same proxy
   * and CA rules as the API calls. The in-editor proxy uses it and destroys it when it closes.
   */
  notebookAgent(url: string): Agent;
  /**
   * For calls beyond the explorer's (src/manage): the SDK, the region's SageMaker client, and the credentials
   * and request handler any other AWS client must use to reach AWS as these do (same profile, proxy, CA).
   */
  awsAccess(region: string): AwsAccess;
  dispose(): void;
}

export interface AwsAccess {
  readonly sdk: AwsSdk;
  readonly sageMaker: InstanceType<AwsSdk['SageMakerClient']>;
  readonly credentials: AwsCredentialIdentityProvider;
  readonly requestHandler: InstanceType<AwsSdk['PlannedHttpHandler']>;
}

export interface ApiOptions {
  readonly profile: string;
  /** Endpoints from the machine-scoped setting; when absent the SDK's own resolution applies. */
  readonly endpoint?: EndpointSetting;
  /** The regions listed, which decide the region a plain endpoint URL serves. */
  readonly regions?: readonly string[];
  readonly mfaCode: (serial: string) => Promise<string>;
  readonly logger: Logger;
  /** Proxy and CA bundle settings, applied per target host to every client. */
  readonly network?: NetworkSettings;
  /** vscode.l10n in the extension: a credential error's message reaches the user. */
  readonly l10n?: L10n;
}

const PAGE_SIZE = 100;

export class SdkNotebookApi implements NotebookApi {
  private readonly clients = new Map<string, InstanceType<AwsSdk['SageMakerClient']>>();
  private readonly credentials: AwsCredentialIdentityProvider;
  private readonly requestHandler: InstanceType<AwsSdk['PlannedHttpHandler']>;

  constructor(
    private readonly sdk: AwsSdk,
    private readonly options: ApiOptions,
  ) {
    // A failed credential_process is replaced here, before anything logs or shows it: the SDK's message
    // quotes the command line and what it printed to stderr.
    // One handler for every client, the credential providers' inner STS and SSO clients included: they
    // reach AWS under the same proxy and CA rules as the SageMaker calls.
    const network = options.network ?? { strictSSL: true };
    this.requestHandler = new sdk.PlannedHttpHandler(
      (origin) => planAgent(origin, network, sdk.getProxyForUrl),
      (host) => options.logger.info(`Requests to ${host} go through a proxy`),
    );
    const clientConfig = { requestHandler: this.requestHandler };
    this.credentials = sharedCredentials(() =>
      sdk
        .fromIni({ profile: options.profile, ignoreCache: true, mfaCodeProvider: options.mfaCode, clientConfig })()
        .catch((error: unknown) => {
          throw credentialProcessError(error, options.profile, options.l10n) ?? error;
        }),
    );
  }

  async listInstances(region: string, signal?: AbortSignal): Promise<NotebookInstance[]> {
    try {
      return await this.listAllPages(region, signal);
    } catch (error) {
      // A NextToken expires (a slow listing of many pages): start again from the first page, once.
      if (!expiredToken(error)) throw error;
      this.options.logger.info(`ListNotebookInstances ${region}: a page token expired; listing again from the start`);
      return this.listAllPages(region, signal);
    }
  }

  /** Every page; a page may be empty and still carry a token to the rest, which the paginator follows. */
  private async listAllPages(region: string, signal?: AbortSignal): Promise<NotebookInstance[]> {
    const result: NotebookInstance[] = [];
    const pages = this.sdk.paginateListNotebookInstances(
      { client: this.client(region), pageSize: PAGE_SIZE },
      { MaxResults: PAGE_SIZE, SortBy: 'Name', SortOrder: 'Ascending' },
      { abortSignal: signal }, // passed on to every page's request, so a refresh stops the one in flight
    );
    for await (const page of pages) {
      signal?.throwIfAborted();
      for (const summary of page.NotebookInstances ?? []) result.push(toInstance(region, summary));
    }
    this.options.logger.debug(`ListNotebookInstances ${region}: ${result.length} instances`);
    return result;
  }

  async describeInstance(region: string, name: string, signal?: AbortSignal): Promise<NotebookInstance> {
    const d = await this.client(region).send(new this.sdk.DescribeNotebookInstanceCommand({ NotebookInstanceName: name }), {
      abortSignal: signal,
    });
    return toInstance(region, d, name);
  }

  async startInstance(region: string, name: string, signal?: AbortSignal): Promise<void> {
    await this.client(region).send(new this.sdk.StartNotebookInstanceCommand({ NotebookInstanceName: name }), { abortSignal: signal });
    this.options.logger.info(`StartNotebookInstance ${region}/${name}`);
  }

  async stopInstance(region: string, name: string, signal?: AbortSignal): Promise<void> {
    await this.client(region).send(new this.sdk.StopNotebookInstanceCommand({ NotebookInstanceName: name }), { abortSignal: signal });
    this.options.logger.info(`StopNotebookInstance ${region}/${name}`);
  }

  async presignUrl(region: string, name: string, sessionSeconds: number, signal?: AbortSignal): Promise<string> {
    const out = await this.client(region).send(
      new this.sdk.CreatePresignedNotebookInstanceUrlCommand({
        NotebookInstanceName: name,
        SessionExpirationDurationInSeconds: sessionSeconds,
      }),
      { abortSignal: signal },
    );
    if (!out.AuthorizedUrl) throw new Error('SageMaker returned no URL for the notebook instance.');
    this.options.logger.info(`CreatePresignedNotebookInstanceUrl ${region}/${name} (session ${sessionSeconds} s)`);
    return out.AuthorizedUrl;
  }

  async checkCredentials(): Promise<void> {
    await this.credentials();
  }

  notebookAgent(url: string): Agent {
    const plan = planAgent(url, this.options.network ?? { strictSSL: true }, this.sdk.getProxyForUrl);
    if (plan.proxy) this.options.logger.info('Notebook traffic of the in-editor view goes through a proxy');
    return this.sdk.createTunnelAgent(plan, url.startsWith('https:'));
  }

  awsAccess(region: string): AwsAccess {
    return { sdk: this.sdk, sageMaker: this.client(region), credentials: this.credentials, requestHandler: this.requestHandler };
  }

  dispose(): void {
    for (const client of this.clients.values()) client.destroy();
    this.clients.clear();
    this.requestHandler.destroy();
  }

  private client(region: string): InstanceType<AwsSdk['SageMakerClient']> {
    let client = this.clients.get(region);
    if (!client) {
      // Never signed for one region and sent to another region's endpoint: SageMaker would refuse it.
      const endpoint = endpointFor(this.options.endpoint, region, this.options.regions ?? [region], this.options.l10n);
      if (endpoint.kind === 'missing') throw new UserFacingError(endpoint.message, 'unknown');
      client = new this.sdk.SageMakerClient({
        region,
        credentials: this.credentials,
        endpoint: endpoint.url,
        maxAttempts: 4,
        requestHandler: this.requestHandler,
      });
      this.clients.set(region, client);
    }
    return client;
  }
}

function expiredToken(error: unknown): boolean {
  const e = error as { name?: unknown; message?: unknown } | undefined;
  return e?.name === 'ValidationException' && typeof e.message === 'string' && /token/i.test(e.message) && /expired/i.test(e.message);
}

/** The fields a list summary and a describe output share, as the explorer's plain data. */
interface InstanceFields {
  NotebookInstanceName?: string;
  NotebookInstanceArn?: string;
  NotebookInstanceStatus?: string;
  InstanceType?: string;
  Url?: string;
  FailureReason?: string;
  CreationTime?: Date;
  LastModifiedTime?: Date;
}

function toInstance(region: string, f: InstanceFields & { PlatformIdentifier?: string }, name = ''): NotebookInstance {
  return {
    name: f.NotebookInstanceName ?? name,
    arn: f.NotebookInstanceArn ?? '',
    region,
    status: f.NotebookInstanceStatus ?? 'Unknown',
    instanceType: f.InstanceType,
    url: f.Url,
    failureReason: f.FailureReason,
    creationTime: f.CreationTime,
    lastModifiedTime: f.LastModifiedTime,
    ...(f.PlatformIdentifier ? { platformIdentifier: f.PlatformIdentifier } : {}),
  };
}

/**
 * One credential resolution shared by every region's client, so a profile with MFA asks once, not once per
 * region; resolved again when the credentials are about to expire or the last attempt failed.
 */
export function sharedCredentials(resolve: () => Promise<AwsCredentialIdentity>, now = () => Date.now()): AwsCredentialIdentityProvider {
  let pending: Promise<AwsCredentialIdentity> | undefined;
  return async () => {
    if (pending) {
      const current = await pending.catch(() => undefined);
      if (current && !(current.expiration && current.expiration.getTime() - now() < 5 * 60_000)) return current;
    }
    pending = resolve();
    pending.catch(() => (pending = undefined));
    return pending;
  };
}
