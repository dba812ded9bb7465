// Sessions kept in globalState so a reload or restart keeps them. What is stored is exactly the
// NotebookSession fields (no URL, no token); anything else read back is dropped.
import type { NotebookSession } from './session';

export interface Memento {
  get<T>(key: string): T | undefined;
  update(key: string, value: unknown): Thenable<void>;
}

/** The globalState key; the activation shell checks it to show the timer of a tracked session. */
export const SESSIONS_KEY = 'sagemakerNotebooks.sessions';

export class SessionStore {
  constructor(private readonly memento: Memento) {}

  /** Sessions that have not ended, read fresh (another window may have written since). */
  all(now: number): NotebookSession[] {
    const raw = this.memento.get<unknown>(SESSIONS_KEY);
    return (Array.isArray(raw) ? raw : []).map(sanitize).filter((s): s is NotebookSession => !!s && s.expiresAt > now);
  }

  /** Stores the session, replacing an earlier one for the same instance and profile; drops ended ones. */
  async put(session: NotebookSession, now: number): Promise<void> {
    const others = this.all(now).filter((s) => !sameInstance(s, session));
    await this.memento.update(SESSIONS_KEY, [...others, sanitize(session)]);
  }

  async remove(session: Pick<NotebookSession, 'arn' | 'profile'>, now: number): Promise<void> {
    await this.memento.update(
      SESSIONS_KEY,
      this.all(now).filter((s) => !sameInstance(s, session)),
    );
  }

  async prune(now: number): Promise<void> {
    const raw = this.memento.get<unknown>(SESSIONS_KEY);
    const kept = this.all(now);
    if (!Array.isArray(raw) || raw.length !== kept.length) await this.memento.update(SESSIONS_KEY, kept);
  }
}

export function sameInstance(a: Pick<NotebookSession, 'arn' | 'profile'>, b: Pick<NotebookSession, 'arn' | 'profile'>): boolean {
  return a.arn === b.arn && a.profile === b.profile;
}

/** Copies only the known fields, so nothing else (however it got there) is ever written back. */
function sanitize(value: unknown): NotebookSession | undefined {
  const v = value as Partial<NotebookSession> | null;
  if (!v || typeof v !== 'object') return undefined;
  const text = (x: unknown) => (typeof x === 'string' && x.length < 2048 ? x : undefined);
  const [profile, region, arn, name] = [text(v.profile), text(v.region), text(v.arn), text(v.name)];
  if (profile === undefined || !region || !arn || !name) return undefined;
  if (typeof v.startedAt !== 'number' || typeof v.expiresAt !== 'number') return undefined;
  return {
    profile,
    region,
    arn,
    name,
    target: v.target === 'editor' || v.target === 'integratedBrowser' ? v.target : 'browser',
    ui: v.ui === 'jupyter' ? 'jupyter' : 'jupyterlab',
    startedAt: v.startedAt,
    expiresAt: v.expiresAt,
    ...(v.renews === true ? { renews: true } : {}),
  };
}
