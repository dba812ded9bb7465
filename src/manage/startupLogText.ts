// The text of a "Show Startup Log" document: the failure reason on top, where the scripts are (a link),
// then each lifecycle stream's lines with their times. Pure.
import { english, type L10n } from '../shared/l10n';

export interface StreamLog {
  readonly hook: 'OnCreate' | 'OnStart';
  /** Undefined: the stream does not exist (the script wrote nothing yet, or never ran). */
  readonly lines?: readonly { timestamp: number; message: string }[];
}

export interface StartupLogState {
  readonly name: string;
  readonly region: string;
  readonly status: string;
  readonly failureReason?: string;
  readonly lifecycleConfigName?: string;
  /** `sagemaker-lifecycle:` links of the OnCreate and OnStart scripts. */
  readonly scriptLinks?: { onCreate: string; onStart: string };
  readonly directInternetAccess?: string;
  readonly streams: readonly StreamLog[];
  /** Why the log cannot be read (a missing permission), when it cannot. */
  readonly problem?: string;
  readonly following: boolean;
}

/** Breaks a long line at spaces so the reason reads without scrolling sideways. */
export function wrap(text: string, width = 100, indent = '  '): string {
  const out: string[] = [];
  let line = '';
  for (const word of text.split(/\s+/)) {
    if (line && line.length + 1 + word.length > width) {
      out.push(line);
      line = indent + word;
    } else line = line ? `${line} ${word}` : word;
  }
  if (line) out.push(line);
  return out.join('\n');
}

const time = (ms: number) =>
  new Date(ms)
    .toISOString()
    .replace('T', ' ')
    .replace(/\.\d+Z$/, 'Z');

export function startupLogText(s: StartupLogState, l10n: L10n = english): string {
  const out: string[] = [];
  out.push(l10n.t('Startup log of notebook instance {0} ({1}) — {2}', s.name, s.region, s.status));
  if (s.failureReason) out.push('', wrap(l10n.t('Failure reason: {0}', s.failureReason)));
  out.push('');
  if (s.lifecycleConfigName) {
    out.push(l10n.t('Lifecycle configuration: {0}', s.lifecycleConfigName));
    if (s.scriptLinks) {
      out.push(l10n.t('  OnCreate script: {0}', s.scriptLinks.onCreate));
      out.push(l10n.t('  OnStart script:  {0}', s.scriptLinks.onStart));
    }
    out.push(l10n.t('A lifecycle script must finish within 5 minutes; run long work in the background (nohup … &).'));
  } else {
    out.push(l10n.t('No lifecycle configuration is attached: the failure does not come from a lifecycle script.'));
  }
  out.push(
    l10n.t(
      'Log group /aws/sagemaker/NotebookInstances, streams {0}/LifecycleConfigOnCreate and {0}/LifecycleConfigOnStart (CloudWatch Logs).',
      s.name,
    ),
  );
  if (s.problem) out.push('', s.problem);
  for (const stream of s.streams) {
    out.push('', `── ${s.name}/LifecycleConfig${stream.hook} ──`);
    if (!stream.lines) out.push(l10n.t('(no log: this script has not written anything)'));
    else if (!stream.lines.length) out.push(l10n.t('(empty)'));
    else for (const line of stream.lines) out.push(`${time(line.timestamp)}  ${line.message}`);
  }
  if (!s.problem && s.lifecycleConfigName && s.streams.every((x) => !x.lines) && s.directInternetAccess === 'Disabled') {
    out.push(
      '',
      l10n.t(
        'No log was found. An instance without direct internet access sends its log to CloudWatch only through a VPC endpoint for CloudWatch Logs.',
      ),
    );
  }
  out.push('', s.following ? l10n.t('… following the log while the instance starts') : l10n.t('(end of log)'));
  return out.join('\n') + '\n';
}
