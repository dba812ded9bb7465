// A notebook session as the extension remembers it. Never the URL: it is a bearer credential.
import type { NotebookInterface, OpenTarget } from '../shared/openChoice';

export interface NotebookSession {
  readonly profile: string;
  readonly region: string;
  readonly arn: string;
  readonly name: string;
  readonly target: OpenTarget;
  readonly ui: NotebookInterface;
  /** Epoch milliseconds. */
  readonly startedAt: number;
  readonly expiresAt: number;
  /**
   * Held by the extension (a VS Code tab, and later kernels, files and terminals) on a Jupyter connection
   * that renews itself: no warning, the timer says it renews.
   */
  readonly renews?: boolean;
}
