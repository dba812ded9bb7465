// Presigned-URL tokens and notebook session cookies. The token is built to contain every character a
// careless URL rewrite mangles ('+', '/', a literal '%2B', '=' padding), and it is compared raw, so any
// re-encoding between CreatePresignedNotebookInstanceUrl and the browser makes the login fail.
import { randomBytes } from 'node:crypto';
import type { IncomingMessage } from 'node:http';

export const TOKEN_TTL_MS = 5 * 60 * 1000;

export function makeToken(): string {
  const head = randomBytes(18).toString('base64'); // 24 characters, no padding
  const tail = randomBytes(16).toString('base64'); // 24 characters ending in '=='
  return `${head.slice(0, 10)}+${head.slice(10)}%2B/${tail}`;
}

/** The value after `authToken=` exactly as it arrived on the request line, not URL-decoded. */
export function rawQueryValue(url: string, name: string): string | undefined {
  const q = url.indexOf('?');
  if (q < 0) return undefined;
  for (const part of url.slice(q + 1).split('&')) {
    if (part.startsWith(`${name}=`)) return part.slice(name.length + 1);
  }
  return undefined;
}

export function readCookie(req: IncomingMessage, name: string): string | undefined {
  for (const part of (req.headers.cookie ?? '').split(';')) {
    const eq = part.indexOf('=');
    if (eq > 0 && part.slice(0, eq).trim() === name) return part.slice(eq + 1).trim();
  }
  return undefined;
}

/**
 * Every token and session id any endpoint in this process has issued: the leak check of the integration
 * suite looks for each of them in everything the extension wrote.
 */
export const issuedSecrets: string[] = [];

/** Single-use tokens and the sessions they open, both checked against an injectable clock. */
export class SessionBook {
  private readonly tokens = new Map<string, { expiresAt: number; sessionSeconds: number }>();
  private readonly sessions = new Map<string, number>();

  constructor(private readonly clock: () => number) {}

  issue(sessionSeconds: number): string {
    const token = makeToken();
    issuedSecrets.push(token);
    this.tokens.set(token, { expiresAt: this.clock() + TOKEN_TTL_MS, sessionSeconds });
    return token;
  }

  /** Exchanges a token for a session id; undefined when unknown, used or expired. */
  redeem(token: string): { sessionId: string; sessionSeconds: number } | undefined {
    const entry = this.tokens.get(token);
    this.tokens.delete(token);
    if (!entry || entry.expiresAt <= this.clock()) return undefined;
    const sessionId = randomBytes(24).toString('hex');
    issuedSecrets.push(sessionId);
    this.sessions.set(sessionId, this.clock() + entry.sessionSeconds * 1000);
    return { sessionId, sessionSeconds: entry.sessionSeconds };
  }

  /** Ends every open session now, as SageMaker does when one runs out: its cookie opens nothing any more. */
  endAll(): void {
    this.sessions.clear();
  }

  /** When a session ends, epoch ms; undefined when it is not open. */
  endsAt(sessionId: string | undefined): number | undefined {
    return sessionId === undefined ? undefined : this.sessions.get(sessionId);
  }

  /** The browser drops the cookie at Max-Age, but a copied cookie must not outlive the session either. */
  isValid(sessionId: string | undefined): boolean {
    if (sessionId === undefined) return false;
    const expiresAt = this.sessions.get(sessionId);
    if (expiresAt === undefined) return false;
    if (expiresAt <= this.clock()) {
      this.sessions.delete(sessionId);
      return false;
    }
    return true;
  }
}
