// Checks of a lifecycle configuration script, shown as diagnostics while it is edited. What fails on
// SageMaker: Windows line endings (`bash\r: No such file`), more than 16384 characters (the API refuses it;
// counted here on the script, the API counts its base64, see `base64Length`), `yum`/`initctl` on Amazon
// Linux 2023 (dnf and systemd there), a long-running command in the foreground (a script that runs past
// 5 minutes fails the start), no shebang. Pure: no vscode.
import { english, type L10n } from '../shared/l10n';
import { MAX_SCRIPT_CHARS } from './rules';

export type Severity = 'error' | 'warning' | 'information';

export interface ScriptProblem {
  readonly line: number;
  readonly start: number;
  readonly end: number;
  readonly severity: Severity;
  readonly code: 'crlf' | 'tooLong' | 'yum' | 'initctl' | 'foreground' | 'shebang';
  readonly message: string;
}

/** Commands that commonly take minutes: installs, downloads, builds, training. */
const LONG_RUNNING =
  /\b(pip3?|conda|mamba|npm|yum|dnf|apt(-get)?)\s+(install|update|upgrade|create)\b|\b(wget|curl)\b.*\b(https?:\/\/\S+)|\bgit\s+clone\b|\bpython3?\s+\S+\.py\b|\bsleep\s+\d{3,}/;

/** The length the API checks: the base64 of the script's UTF-8 bytes. */
export function base64Length(script: string): number {
  return Math.ceil(Buffer.byteLength(script, 'utf8') / 3) * 4;
}

export function checkScript(text: string, options: { al2023?: boolean } = {}, l10n: L10n = english): ScriptProblem[] {
  const problems: ScriptProblem[] = [];
  const lines = text.split('\n');
  if (text.includes('\r\n')) {
    const line = lines.findIndex((l) => l.endsWith('\r'));
    problems.push({
      line,
      start: Math.max(0, lines[line].length - 1),
      end: lines[line].length,
      severity: 'error',
      code: 'crlf',
      message: l10n.t(
        'Windows line endings (CRLF): the script fails on the instance ("/bin/bash^M: bad interpreter"). Change the end of line sequence to LF.',
      ),
    });
  }
  const encoded = base64Length(text);
  if (text.length > MAX_SCRIPT_CHARS || encoded > MAX_SCRIPT_CHARS) {
    const last = lines.length - 1;
    problems.push({
      line: last,
      start: 0,
      end: lines[last].length,
      severity: 'error',
      code: 'tooLong',
      message: l10n.t(
        'The script is {0} characters ({1} in base64); SageMaker accepts at most {2}. Move the work into a script the lifecycle configuration downloads or keeps on the volume.',
        text.length,
        encoded,
        MAX_SCRIPT_CHARS,
      ),
    });
  }
  const first = lines.findIndex((l) => l.trim() !== '');
  if (first >= 0 && !lines[first].startsWith('#!')) {
    problems.push({
      line: first,
      start: 0,
      end: lines[first].replace(/\r$/, '').length,
      severity: 'warning',
      code: 'shebang',
      message: l10n.t('No shebang: start the script with #!/bin/bash so it runs under bash.'),
    });
  }
  lines.forEach((raw, index) => {
    const line = raw.replace(/\r$/, '');
    const code = line.replace(/(^|\s)#.*$/, '');
    if (!code.trim()) return;
    if (options.al2023) {
      for (const [word, kind, advice] of [
        ['yum', 'yum' as const, l10n.t('Amazon Linux 2023 uses dnf: replace yum with dnf.')],
        [
          'initctl',
          'initctl' as const,
          l10n.t('Amazon Linux 2023 has no upstart: use systemctl (e.g. systemctl restart jupyter-server) instead of initctl.'),
        ],
      ] as const) {
        const m = new RegExp(`(^|[\\s;&|(])(${word})\\b`).exec(code);
        if (m) {
          const start = m.index + m[1].length;
          problems.push({ line: index, start, end: start + word.length, severity: 'warning', code: kind, message: advice });
        }
      }
    }
    const background = /&\s*(disown\s*)?$/.test(code.trim()) || /\bnohup\b/.test(code);
    const long = LONG_RUNNING.exec(code);
    if (long && !background) {
      problems.push({
        line: index,
        start: long.index,
        end: code.trimEnd().length,
        severity: 'information',
        code: 'foreground',
        message: l10n.t('This may take long: a script that runs past 5 minutes fails the start. Run it in the background (nohup … &).'),
      });
    }
  });
  return problems;
}
