// One request handler for every client the extension creates: the SageMaker clients of every region and
// the STS, SSO and SSO-OIDC clients inside the credential providers. It picks the agents per target origin
// from the same network plan (proxy, no-proxy, CA bundle, strict SSL), so no client falls back to Node's
// default agents. Part of the lazily loaded SDK bundle.
import { NodeHttpHandler } from '@smithy/node-http-handler';
import type { HttpRequest, HttpResponse } from '@smithy/protocol-http';
import type { HttpHandlerOptions } from '@smithy/types';
import { createAgents } from './agents';
import type { AgentPlan } from './network';

export class PlannedHttpHandler {
  private readonly handlers = new Map<string, NodeHttpHandler>();

  constructor(
    private readonly plan: (origin: string) => AgentPlan,
    private readonly onProxied: (host: string) => void = () => undefined,
    private readonly timeouts = { connectionTimeout: 5_000, requestTimeout: 30_000 },
  ) {}

  handle(request: HttpRequest, options?: HttpHandlerOptions): Promise<{ response: HttpResponse }> {
    const origin = `${request.protocol || 'https:'}//${request.hostname}${request.port ? `:${request.port}` : ''}`;
    return this.handlerFor(origin, request.hostname).handle(request, options);
  }

  updateHttpClientConfig(): void {
    // The plan comes from settings; a change of settings makes a new connection and a new handler.
  }

  httpHandlerConfigs(): Record<string, never> {
    return {};
  }

  /** Closes every pooled connection; a later request opens new ones. */
  destroy(): void {
    for (const handler of this.handlers.values()) handler.destroy();
    this.handlers.clear();
  }

  private handlerFor(origin: string, host: string): NodeHttpHandler {
    let handler = this.handlers.get(origin);
    if (!handler) {
      const plan = this.plan(origin);
      if (plan.proxy) this.onProxied(host);
      handler = new NodeHttpHandler({ ...this.timeouts, ...createAgents(plan) });
      this.handlers.set(origin, handler);
    }
    return handler;
  }
}
