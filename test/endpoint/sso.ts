// The IAM Identity Center portal on the local endpoint (`portal.sso.<region>.amazonaws.com`, REST-JSON),
// enough for the SDK's SSO credential provider: GetRoleCredentials trades the access token that
// `aws sso login` left in ~/.aws/sso/cache for temporary credentials of the role. Tokens are issued by the
// test (`issueSsoToken`) and expire by the endpoint's clock; the credentials see what the token's principal sees.
import { randomBytes } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { ApiError, sendError } from './protocol';
import { issueTemporary, type StsState } from './sts';

export interface SsoToken {
  /** The access key id whose instances the role's credentials see. */
  principal: string;
  expiresAt: number;
}

export const SSO_CREDENTIALS_PATH = '/federation/credentials';

export function isSsoRequest(req: IncomingMessage): boolean {
  return req.method === 'GET' && (req.url ?? '').split('?')[0] === SSO_CREDENTIALS_PATH;
}

export function newSsoToken(tokens: Map<string, SsoToken>, token: SsoToken): string {
  const accessToken = `aoa${randomBytes(32).toString('base64url')}`;
  tokens.set(accessToken, token);
  return accessToken;
}

/** GetRoleCredentials; answers as the portal does, 401 UnauthorizedException for a token it does not honour. */
export function handleSso(req: IncomingMessage, tokens: Map<string, SsoToken>, sts: StsState, res: ServerResponse): void {
  try {
    const query = new URL(req.url ?? '/', 'http://localhost').searchParams;
    const bearer = req.headers['x-amz-sso_bearer_token'];
    const token = typeof bearer === 'string' ? tokens.get(bearer) : undefined;
    if (!token || token.expiresAt <= sts.clock()) throw new ApiError('UnauthorizedException', 'Session token not found or invalid', 401);
    if (!/^\d{12}$/.test(query.get('account_id') ?? '') || !query.get('role_name')) {
      throw new ApiError('InvalidRequestException', 'The request is missing account_id or role_name', 400);
    }
    const issued = issueTemporary(sts, token.principal, 3600);
    const body = JSON.stringify({
      roleCredentials: {
        accessKeyId: issued.accessKeyId,
        secretAccessKey: issued.secretAccessKey,
        sessionToken: issued.sessionToken,
        expiration: issued.expiresAt,
      },
    });
    res.writeHead(200, { 'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(body) });
    res.end(body);
  } catch (error) {
    sendError(res, error instanceof ApiError ? error : new ApiError('InternalFailure', 'Internal server error', 500));
  }
}
