// Lifecycle configuration scripts as editable files: `sagemaker-lifecycle:/<region>/<config>/on-start.sh`
// (and on-create.sh) read with DescribeNotebookInstanceLifecycleConfig (decoded from base64) and saved with
// UpdateNotebookInstanceLifecycleConfig. While one is open, its problems show as diagnostics (scriptChecks).
import vscode = require('vscode');
import type { ManageApi } from './manageApi';
import { checkScript, type Severity } from './scriptChecks';

export const LIFECYCLE_SCHEME = 'sagemaker-lifecycle';
export type HookFile = 'on-create.sh' | 'on-start.sh';

export function scriptUri(region: string, config: string, hook: 'onCreate' | 'onStart'): vscode.Uri {
  return vscode.Uri.from({
    scheme: LIFECYCLE_SCHEME,
    path: `/${region}/${config}/${hook === 'onCreate' ? 'on-create.sh' : 'on-start.sh'}`,
  });
}

export function parseScriptUri(uri: vscode.Uri): { region: string; config: string; hook: 'onCreate' | 'onStart' } | undefined {
  const m = /^\/([a-z0-9-]+)\/([a-zA-Z0-9-]+)\/(on-create|on-start)\.sh$/.exec(uri.path);
  return m ? { region: m[1], config: m[2], hook: m[3] === 'on-create' ? 'onCreate' : 'onStart' } : undefined;
}

export class LifecycleFileSystem implements vscode.FileSystemProvider {
  private readonly changed = new vscode.EventEmitter<vscode.FileChangeEvent[]>();
  readonly onDidChangeFile = this.changed.event;
  private readonly mtimes = new Map<string, number>();

  constructor(private readonly manage: () => Promise<ManageApi>) {}

  watch(): vscode.Disposable {
    return new vscode.Disposable(() => undefined);
  }

  async stat(uri: vscode.Uri): Promise<vscode.FileStat> {
    const target = parseScriptUri(uri);
    if (!target) {
      if (uri.path.split('/').filter(Boolean).length < 3) return { type: vscode.FileType.Directory, ctime: 0, mtime: 0, size: 0 };
      throw vscode.FileSystemError.FileNotFound(uri);
    }
    const text = await this.read(uri);
    return { type: vscode.FileType.File, ctime: 0, mtime: this.mtimes.get(uri.toString()) ?? 0, size: Buffer.byteLength(text) };
  }

  readDirectory(): [string, vscode.FileType][] {
    return [];
  }

  createDirectory(uri: vscode.Uri): void {
    throw vscode.FileSystemError.NoPermissions(uri);
  }

  async readFile(uri: vscode.Uri): Promise<Uint8Array> {
    return Buffer.from(await this.read(uri), 'utf8');
  }

  async writeFile(uri: vscode.Uri, content: Uint8Array): Promise<void> {
    const target = parseScriptUri(uri);
    if (!target) throw vscode.FileSystemError.NoPermissions(uri);
    await (await this.manage()).saveLifecycleScript(target.region, target.config, target.hook, Buffer.from(content).toString('utf8'));
    this.mtimes.set(uri.toString(), Date.now());
    this.changed.fire([{ type: vscode.FileChangeType.Changed, uri }]);
  }

  delete(uri: vscode.Uri): void {
    throw vscode.FileSystemError.NoPermissions(uri);
  }

  rename(uri: vscode.Uri): void {
    throw vscode.FileSystemError.NoPermissions(uri);
  }

  dispose(): void {
    this.changed.dispose();
  }

  private async read(uri: vscode.Uri): Promise<string> {
    const target = parseScriptUri(uri);
    if (!target) throw vscode.FileSystemError.FileNotFound(uri);
    try {
      const scripts = await (await this.manage()).lifecycleScripts(target.region, target.config);
      if (!this.mtimes.has(uri.toString())) this.mtimes.set(uri.toString(), Date.now());
      return scripts[target.hook] ?? '';
    } catch (error) {
      if ((error as Error)?.name === 'ValidationException' && /Unable to describe/.test((error as Error).message))
        throw vscode.FileSystemError.FileNotFound(uri);
      throw error;
    }
  }
}

function severity(s: Severity): vscode.DiagnosticSeverity {
  return s === 'error'
    ? vscode.DiagnosticSeverity.Error
    : s === 'warning'
      ? vscode.DiagnosticSeverity.Warning
      : vscode.DiagnosticSeverity.Information;
}

/** Diagnostics for every open lifecycle script, kept current as it is edited. */
export function lifecycleDiagnostics(): vscode.Disposable {
  const collection = vscode.languages.createDiagnosticCollection('sagemaker-lifecycle');
  const check = (doc: vscode.TextDocument) => {
    if (doc.uri.scheme !== LIFECYCLE_SCHEME) return;
    // The text as saved: VS Code shows CRLF files with LF in the editor model, so the eol is checked apart.
    const text = doc.eol === vscode.EndOfLine.CRLF ? doc.getText().replace(/\r?\n/g, '\r\n') : doc.getText();
    collection.set(
      doc.uri,
      checkScript(text, { al2023: true }, vscode.l10n).map((p) => {
        const line = Math.min(p.line, doc.lineCount - 1);
        const d = new vscode.Diagnostic(
          new vscode.Range(line, p.start, line, Math.max(p.start, Math.min(p.end, doc.lineAt(line).text.length))),
          p.message,
          severity(p.severity),
        );
        d.source = 'SageMaker lifecycle';
        d.code = p.code;
        return d;
      }),
    );
  };
  for (const doc of vscode.workspace.textDocuments) check(doc);
  return vscode.Disposable.from(
    collection,
    vscode.workspace.onDidOpenTextDocument(check),
    vscode.workspace.onDidChangeTextDocument((e) => check(e.document)),
    vscode.workspace.onDidCloseTextDocument((doc) => collection.delete(doc.uri)),
  );
}

export const TEMPLATE = `#!/bin/bash
# Runs as root each time the notebook instance starts (OnStart). The whole script must finish within
# 5 minutes or the start fails: send anything long to the background with nohup … &.
set -e

# Example: install a package into the JupyterLab environment, in the background.
# nohup sudo -u ec2-user -i bash -c 'pip install --quiet pandas' > /home/ec2-user/SageMaker/.lifecycle-install.log 2>&1 &

# Amazon Linux 2023: use dnf (not yum) and systemctl (not initctl).
# sudo dnf install -y htop
`;
