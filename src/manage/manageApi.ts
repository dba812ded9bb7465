// The calls management makes: create, update, delete and describe an instance in full; lifecycle
// configurations; the startup log (CloudWatch Logs) and the roles SageMaker can assume (IAM). SageMaker goes
// through the explorer's client of the region; Logs and IAM clients come from the management bundle and use
// the same credentials and request handler, so they reach AWS under the same profile, proxy and CA rules.
import type { AwsAccess, NotebookApi } from '../aws/notebookApi';
import type { Logger } from '../shared/log';
import type { ManageSdkModule } from './loadManageSdk';
import { sageMakerCanAssume } from './rules';

export interface InstanceDetails {
  readonly name: string;
  readonly arn: string;
  readonly region: string;
  readonly status: string;
  readonly instanceType: string;
  readonly platformIdentifier?: string;
  readonly volumeSizeInGB?: number;
  readonly lifecycleConfigName?: string;
  readonly rootAccess?: string;
  readonly directInternetAccess?: string;
  readonly defaultCodeRepository?: string;
  readonly roleArn?: string;
  readonly failureReason?: string;
  readonly lastModifiedTime?: Date;
}

export interface CreateRequest {
  readonly name: string;
  readonly instanceType: string;
  readonly platformIdentifier: string;
  readonly roleArn: string;
  readonly volumeSizeInGB: number;
  readonly lifecycleConfigName?: string;
  readonly rootAccess: 'Enabled' | 'Disabled';
  readonly directInternetAccess: 'Enabled' | 'Disabled';
  readonly defaultCodeRepository?: string;
}

export interface UpdateRequest {
  readonly instanceType?: string;
  readonly volumeSizeInGB?: number;
  readonly platformIdentifier?: string;
  readonly rootAccess?: 'Enabled' | 'Disabled';
  /** A name attaches that configuration; null detaches the current one. */
  readonly lifecycleConfigName?: string | null;
}

export interface LifecycleConfig {
  readonly name: string;
  readonly region: string;
  readonly arn?: string;
  readonly lastModifiedTime?: Date;
}

export interface LifecycleScripts {
  readonly onCreate?: string;
  readonly onStart?: string;
}

export interface LogLine {
  readonly timestamp: number;
  readonly message: string;
}

export interface Role {
  readonly name: string;
  readonly arn: string;
  readonly path: string;
}

const decode = (b64?: string) => (b64 === undefined ? undefined : Buffer.from(b64, 'base64').toString('utf8'));
const encode = (text: string) => [{ Content: Buffer.from(text, 'utf8').toString('base64') }];

export class ManageApi {
  // Never destroyed here: a client's destroy() destroys its request handler, which is the explorer's, shared
  // with every SageMaker client and destroyed with the connection (NotebookApi.dispose).
  private logsClients = new Map<string, { send(command: unknown, options?: unknown): Promise<unknown> }>();
  private iamClient: unknown;

  constructor(
    private readonly api: NotebookApi,
    private readonly manageSdk: () => ManageSdkModule,
    private readonly logger: Logger,
  ) {}

  private access(region: string): AwsAccess {
    return this.api.awsAccess(region);
  }

  async describe(region: string, name: string, signal?: AbortSignal): Promise<InstanceDetails> {
    const { sdk, sageMaker } = this.access(region);
    const d = await sageMaker.send(new sdk.DescribeNotebookInstanceCommand({ NotebookInstanceName: name }), { abortSignal: signal });
    return {
      name: d.NotebookInstanceName ?? name,
      arn: d.NotebookInstanceArn ?? '',
      region,
      status: d.NotebookInstanceStatus ?? 'Unknown',
      instanceType: d.InstanceType ?? '',
      platformIdentifier: d.PlatformIdentifier,
      volumeSizeInGB: d.VolumeSizeInGB,
      lifecycleConfigName: d.NotebookInstanceLifecycleConfigName,
      rootAccess: d.RootAccess,
      directInternetAccess: d.DirectInternetAccess,
      defaultCodeRepository: d.DefaultCodeRepository,
      roleArn: d.RoleArn,
      failureReason: d.FailureReason,
      lastModifiedTime: d.LastModifiedTime,
    };
  }

  async create(region: string, r: CreateRequest): Promise<string> {
    const { sdk, sageMaker } = this.access(region);
    const out = await sageMaker.send(
      new sdk.CreateNotebookInstanceCommand({
        NotebookInstanceName: r.name,
        InstanceType: r.instanceType as never,
        PlatformIdentifier: r.platformIdentifier,
        RoleArn: r.roleArn,
        VolumeSizeInGB: r.volumeSizeInGB,
        LifecycleConfigName: r.lifecycleConfigName,
        RootAccess: r.rootAccess,
        DirectInternetAccess: r.directInternetAccess,
        DefaultCodeRepository: r.defaultCodeRepository,
      }),
    );
    this.logger.info(`CreateNotebookInstance ${region}/${r.name} (${r.instanceType}, ${r.platformIdentifier})`);
    return out.NotebookInstanceArn ?? '';
  }

  async update(region: string, name: string, u: UpdateRequest): Promise<void> {
    const { sdk, sageMaker } = this.access(region);
    await sageMaker.send(
      new sdk.UpdateNotebookInstanceCommand({
        NotebookInstanceName: name,
        InstanceType: u.instanceType as never,
        VolumeSizeInGB: u.volumeSizeInGB,
        PlatformIdentifier: u.platformIdentifier,
        RootAccess: u.rootAccess,
        ...(u.lifecycleConfigName === null
          ? { DisassociateLifecycleConfig: true }
          : u.lifecycleConfigName
            ? { LifecycleConfigName: u.lifecycleConfigName }
            : {}),
      }),
    );
    this.logger.info(`UpdateNotebookInstance ${region}/${name}: ${Object.keys(u).join(', ')}`);
  }

  async delete(region: string, name: string): Promise<void> {
    const { sdk, sageMaker } = this.access(region);
    await sageMaker.send(new sdk.DeleteNotebookInstanceCommand({ NotebookInstanceName: name }));
    this.logger.info(`DeleteNotebookInstance ${region}/${name}`);
  }

  async listLifecycleConfigs(region: string, signal?: AbortSignal): Promise<LifecycleConfig[]> {
    const { sdk, sageMaker } = this.access(region);
    const result: LifecycleConfig[] = [];
    const pages = sdk.paginateListNotebookInstanceLifecycleConfigs(
      { client: sageMaker, pageSize: 100 },
      { SortBy: 'Name', SortOrder: 'Ascending', MaxResults: 100 },
      { abortSignal: signal },
    );
    for await (const page of pages) {
      for (const c of page.NotebookInstanceLifecycleConfigs ?? []) {
        result.push({
          name: c.NotebookInstanceLifecycleConfigName ?? '',
          region,
          arn: c.NotebookInstanceLifecycleConfigArn,
          lastModifiedTime: c.LastModifiedTime,
        });
      }
    }
    return result;
  }

  async lifecycleScripts(region: string, name: string): Promise<LifecycleScripts> {
    const { sdk, sageMaker } = this.access(region);
    const d = await sageMaker.send(new sdk.DescribeNotebookInstanceLifecycleConfigCommand({ NotebookInstanceLifecycleConfigName: name }));
    return { onCreate: decode(d.OnCreate?.[0]?.Content), onStart: decode(d.OnStart?.[0]?.Content) };
  }

  async createLifecycleConfig(region: string, name: string, scripts: LifecycleScripts): Promise<void> {
    const { sdk, sageMaker } = this.access(region);
    await sageMaker.send(
      new sdk.CreateNotebookInstanceLifecycleConfigCommand({
        NotebookInstanceLifecycleConfigName: name,
        ...(scripts.onCreate !== undefined ? { OnCreate: encode(scripts.onCreate) } : {}),
        ...(scripts.onStart !== undefined ? { OnStart: encode(scripts.onStart) } : {}),
      }),
    );
    this.logger.info(`CreateNotebookInstanceLifecycleConfig ${region}/${name}`);
  }

  /** Saves one script; the other is sent unchanged, since the API replaces what it is given. */
  async saveLifecycleScript(region: string, name: string, hook: 'onCreate' | 'onStart', text: string): Promise<void> {
    const { sdk, sageMaker } = this.access(region);
    const current = await this.lifecycleScripts(region, name);
    const next = { ...current, [hook]: text };
    await sageMaker.send(
      new sdk.UpdateNotebookInstanceLifecycleConfigCommand({
        NotebookInstanceLifecycleConfigName: name,
        ...(next.onCreate !== undefined ? { OnCreate: encode(next.onCreate) } : {}),
        ...(next.onStart !== undefined ? { OnStart: encode(next.onStart) } : {}),
      }),
    );
    this.logger.info(`UpdateNotebookInstanceLifecycleConfig ${region}/${name} (${hook})`);
  }

  async deleteLifecycleConfig(region: string, name: string): Promise<void> {
    const { sdk, sageMaker } = this.access(region);
    await sageMaker.send(new sdk.DeleteNotebookInstanceLifecycleConfigCommand({ NotebookInstanceLifecycleConfigName: name }));
    this.logger.info(`DeleteNotebookInstanceLifecycleConfig ${region}/${name}`);
  }

  /** The roles SageMaker can assume, from iam:ListRoles (all pages). */
  async sageMakerRoles(region: string, signal?: AbortSignal): Promise<Role[]> {
    const m = this.manageSdk();
    const { credentials, requestHandler } = this.access(region);
    const client = (this.iamClient ??= new m.IAMClient({
      region: 'us-east-1',
      credentials,
      requestHandler,
      maxAttempts: 3,
    })) as InstanceType<ManageSdkModule['IAMClient']>;
    const roles: Role[] = [];
    for await (const page of m.paginateListRoles({ client, pageSize: 100 }, {}, { abortSignal: signal })) {
      for (const r of page.Roles ?? []) {
        if (r.Arn && r.RoleName && sageMakerCanAssume(r.AssumeRolePolicyDocument))
          roles.push({ name: r.RoleName, arn: r.Arn, path: r.Path ?? '/' });
      }
    }
    return roles;
  }

  /**
   * One page of a lifecycle stream after `token` (from the head when undefined); `undefined` events when the
   * stream does not exist yet (the script has not written anything).
   */
  async logPage(
    region: string,
    stream: string,
    token: string | undefined,
    signal?: AbortSignal,
  ): Promise<{ lines?: LogLine[]; token?: string }> {
    const m = this.manageSdk();
    let client = this.logsClients.get(region);
    if (!client) {
      const { credentials, requestHandler } = this.access(region);
      client = new m.CloudWatchLogsClient({ region, credentials, requestHandler, maxAttempts: 3 });
      this.logsClients.set(region, client);
    }
    try {
      const out = (await client.send(
        new m.GetLogEventsCommand({
          logGroupName: '/aws/sagemaker/NotebookInstances',
          logStreamName: stream,
          startFromHead: true,
          nextToken: token,
        }),
        { abortSignal: signal },
      )) as { events?: { timestamp?: number; message?: string }[]; nextForwardToken?: string };
      return {
        lines: (out.events ?? []).map((e) => ({ timestamp: e.timestamp ?? 0, message: e.message ?? '' })),
        token: out.nextForwardToken ?? token,
      };
    } catch (error) {
      if ((error as Error)?.name === 'ResourceNotFoundException') return { token };
      throw error;
    }
  }
}
