import type * as vscode from 'vscode';
import { redact } from './redact';

/** What the rest of the code needs from the one log channel; pure modules take this, not vscode. */
export interface Logger {
  trace(message: string): void;
  debug(message: string): void;
  info(message: string): void;
  warn(message: string): void;
  error(message: string | Error): void;
}

/**
 * Wraps the extension's LogOutputChannel. Every line passes through redact() as a last line of defence:
 * callers never log a presigned URL, but an SDK error message might quote one.
 */
export function channelLogger(channel: vscode.LogOutputChannel): Logger {
  const clean = (m: string | Error) => redact(typeof m === 'string' ? m : `${m.name}: ${m.message}`);
  return {
    trace: (m) => channel.trace(clean(m)),
    debug: (m) => channel.debug(clean(m)),
    info: (m) => channel.info(clean(m)),
    warn: (m) => channel.warn(clean(m)),
    error: (m) => channel.error(clean(m)),
  };
}
