// The standard @vscode/test-electron path: downloads desktop VS Code and runs the same suite in it.
// For machines that can reach the VS Code update host; the project's machines cannot (ENOTFOUND), where
// codeServer.mjs's runIntegrationSuite runs the very same suite instead. On a headless Linux box run it
// under xvfb-run.
import { mkdtempSync, mkdirSync, readFileSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const REPO_ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');
const require = createRequire(join(REPO_ROOT, 'package.json'));

/**
 * Same options and result as runIntegrationSuite in codeServer.mjs (bin is not used; vscodeVersion picks the
 * desktop build, default: the latest stable).
 * @param {{ extensionPath: string, suitePath: string, workspace: string, env?: Record<string,string>,
 *   resultsFile: string, timeoutMs?: number, vscodeVersion?: string }} options
 * @returns {Promise<{ passed: number, failed: number, skipped: number, exitCode: number|null, log: string }>}
 */
export async function runIntegrationSuiteElectron({
  extensionPath,
  suitePath,
  workspace,
  env = {},
  resultsFile,
  timeoutMs = 300_000,
  vscodeVersion,
}) {
  const { runTests } = require('@vscode/test-electron');
  if (!resultsFile) throw new Error('runIntegrationSuiteElectron needs a resultsFile');
  rmSync(resultsFile, { force: true });
  mkdirSync(dirname(resultsFile), { recursive: true });

  // The calling shell's AWS settings must not reach the extension host: runTests merges process.env with
  // extensionTestsEnv, and child_process drops keys whose value is undefined.
  const blocked = Object.fromEntries(
    Object.keys(process.env)
      .filter((k) => k.startsWith('AWS_'))
      .map((k) => [k, undefined]),
  );
  const profile = mkdtempSync(join(tmpdir(), 'smn-vscode-electron-'));
  let exitCode = null;
  let log = '';
  let timer;
  try {
    const run = runTests({
      version: vscodeVersion,
      cachePath: join(REPO_ROOT, '.vscode-test'),
      extensionDevelopmentPath: resolve(extensionPath),
      extensionTestsPath: resolve(suitePath).replace(/\.js$/, ''),
      launchArgs: [
        resolve(workspace),
        '--disable-extensions',
        `--user-data-dir=${join(profile, 'user-data')}`,
        `--extensions-dir=${join(profile, 'extensions')}`,
      ],
      extensionTestsEnv: { ...blocked, ...env, SMN_TEST_RESULTS: resultsFile },
    }).then(
      (code) => code,
      (err) => {
        // TestRunFailedError carries the exit code; anything else (a failed download) is exit code 1.
        log += `${err?.message ?? err}\n`;
        return typeof err?.code === 'number' ? err.code : 1;
      },
    );
    // runTests gives no handle on the VS Code process; on timeout report and let the caller exit.
    const timedOut = new Promise((r) => (timer = setTimeout(() => r('timeout'), timeoutMs)));
    const outcome = await Promise.race([run, timedOut]);
    if (outcome === 'timeout') log += `suite did not finish within ${timeoutMs / 1000} s\n`;
    else exitCode = outcome;
  } finally {
    clearTimeout(timer);
    rmSync(profile, { recursive: true, force: true });
  }
  let results;
  try {
    results = JSON.parse(readFileSync(resultsFile, 'utf8'));
  } catch {
    /* absent: fall back to the exit code */
  }
  const passed = results?.passed ?? 0;
  const failed = results ? results.failed + (exitCode === 0 ? 0 : results.failed === 0 ? 1 : 0) : exitCode === 0 ? 0 : 1;
  if (log) process.stderr.write(`[vscode electron] ${log}`);
  return { passed, failed, skipped: results?.pending ?? 0, exitCode, log };
}
