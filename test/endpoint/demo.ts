// The demo `npm start` runs, in one place so that the demo UI test runs the very same thing: the local
// endpoint with seed.json, the demo AWS profiles `default` and `team`, one real Jupyter server behind every
// demo instance, and a workspace folder with the demo's settings. The Jupyter server is JupyterLab 4, as on
// SageMaker (the frontend the tests build, built on first start when missing, about a minute), with the
// classic interface beside it by Debian's nbclassic; where JupyterLab cannot run, Debian's classic Notebook 6
// with the demo set to open the classic interface; where no Jupyter is installed, the gateways' stand-in page.
import { cpSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { jupyterAvailable, JUPYTER_PACKAGES, startJupyter, type RunningJupyter } from '../support/jupyter';
import { jupyterLabAvailable, jupyterLabPackages, startJupyterLab } from '../support/jupyterLab';
import { loadSeedFile } from './seed';
import {
  DEFAULT_ACCESS_KEY_ID,
  DEFAULT_REGION,
  DEFAULT_SECRET_ACCESS_KEY,
  TEAM_ACCESS_KEY_ID,
  TEAM_SECRET_ACCESS_KEY,
  startLocalSageMaker,
  type LocalSageMaker,
} from './server';

/** Source files are not copied to out/: point back at the source tree. */
const SOURCE_DIR = resolve(__dirname, '../../../test/endpoint');
export const DEMO_SEED = join(SOURCE_DIR, 'seed.json');
/** The notebooks and data files in every demo instance's Jupyter root. */
export const DEMO_NOTEBOOKS = join(SOURCE_DIR, 'demo', 'notebooks');
const DEMO_WORKSPACE = join(SOURCE_DIR, 'demo', 'workspace');

/** Start → InService and Stop → Stopped of a demo instance, quick enough to watch. */
const DEMO_TRANSITION_MS = 8000;

export interface DemoProfile {
  name: string;
  region: string;
  accessKeyId: string;
  secretAccessKey: string;
}

/** Each profile's own region holds most of its instances; seed.json puts a few in a second region. */
export const DEMO_PROFILES: readonly DemoProfile[] = [
  { name: 'default', region: 'us-east-1', accessKeyId: DEFAULT_ACCESS_KEY_ID, secretAccessKey: DEFAULT_SECRET_ACCESS_KEY },
  { name: 'team', region: 'eu-west-1', accessKeyId: TEAM_ACCESS_KEY_ID, secretAccessKey: TEAM_SECRET_ACCESS_KEY },
];

/**
 * For code-server: an empty VSCODE_PROXY_URI stops it replacing loopback URLs handed to openExternal by its
 * `/proxy/<port>/` path, which drops their query and so the presigned token (coder/code-server#7573). A real
 * presigned URL is https on *.sagemaker.aws and is never rewritten; the demo's are loopback stand-ins for
 * them, so this makes code-server treat them as it treats the real ones.
 */
export const DEMO_CODE_SERVER_ENV: Readonly<Record<string, string>> = { VSCODE_PROXY_URI: '' };

export interface DemoOptions {
  /** The endpoint's port; 0 (default) picks a free one. */
  port?: number;
}

export interface Demo {
  endpoint: LocalSageMaker;
  /** Undefined when Jupyter is missing or failed to start: the gateways then serve their stand-in pages. */
  jupyter?: RunningJupyter;
  /**
   * What the Jupyter server serves: JupyterLab at /lab and the classic interface at /tree (`jupyterlab`, the
   * demo opening JupyterLab), or classic Notebook 6 only (`classic`, the demo set to open the classic interface).
   */
  jupyterKind?: 'jupyterlab' | 'classic';
  /** Why there is no Jupyter and how to get it, for the person starting the demo. */
  notice?: string;
  /** AWS_CONFIG_FILE and AWS_SHARED_CREDENTIALS_FILE for the extension host. */
  env: Record<string, string>;
  /**
   * The settings the demo needs: `sagemakerNotebooks.endpoint` as a map from each demo region to the
   * endpoint's listener for it (the endpoint serves one region per listener, as SageMaker has an endpoint
   * per region), as a user with VPC endpoints sets it. Machine-scoped: code-server's machine settings, or
   * desktop VS Code's user settings.
   */
  settings: Record<string, unknown>;
  /** A temporary copy of the demo workspace folder, to open in VS Code. */
  workspace: string;
  stop(): Promise<void>;
}

export async function startDemo(options: DemoOptions = {}): Promise<Demo> {
  const dir = mkdtempSync(join(tmpdir(), 'smn-demo-'));
  let endpoint: LocalSageMaker | undefined;
  let jupyter: RunningJupyter | undefined;
  const stop = async () => {
    try {
      await endpoint?.stop();
      await jupyter?.stop();
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  };
  try {
    const notices: string[] = [];
    let jupyterKind: Demo['jupyterKind'];
    const labPackages = [...jupyterLabPackages(true), 'python3-matplotlib'];
    if (!jupyterLabAvailable(true)) {
      notices.push(
        `JupyterLab cannot run (Debian packages ${labPackages.join(', ')}). For JupyterLab: sudo apt-get install -y ${labPackages.join(' ')}`,
      );
    } else {
      try {
        // Builds the frontend first when it is not cached (.vscode-test/jupyterlab-*), printing its progress.
        jupyter = await startJupyterLab({ rootFrom: DEMO_NOTEBOOKS, classic: true, timeoutMs: 30_000 });
        jupyterKind = 'jupyterlab';
      } catch (error) {
        // Its first line says what failed, its last what the server printed last (stderr).
        const lines = (error as Error).message
          .split('\n')
          .map((l) => l.trim())
          .filter(Boolean);
        const reason = [...new Set([lines[0].replace(/^JupyterLab did not start: /, ''), lines[lines.length - 1]])].join(': ');
        notices.push(`JupyterLab did not start (${reason}).`);
      }
    }
    if (!jupyter) {
      const install = `sudo apt-get install -y ${[...JUPYTER_PACKAGES, 'python3-matplotlib'].join(' ')}`;
      if (!jupyterAvailable()) {
        notices.push(
          `Jupyter is not installed (Debian packages ${JUPYTER_PACKAGES.join(', ')}): the demo instances show a stand-in page instead. For the real thing: ${install}`,
        );
      } else {
        try {
          jupyter = await startJupyter({ rootFrom: DEMO_NOTEBOOKS });
          jupyterKind = 'classic';
          notices.push('The demo instances run classic Jupyter (Notebook 6) instead, and the demo workspace opens the classic interface.');
        } catch (error) {
          notices.push(`Jupyter did not start, so the demo instances show a stand-in page: ${(error as Error).message.split('\n')[0]}`);
        }
      }
    }
    const notice = notices.length ? notices.join('\n') : undefined;
    const seed = loadSeedFile(DEMO_SEED).map((s) => ({ ...s, jupyterUpstream: jupyter?.url }));
    // The main listener (`port`) serves us-east-1, one more listener each other region of the profiles and seed.
    const regions = [...new Set([...DEMO_PROFILES.map((p) => p.region), ...seed.map((s) => s.region ?? DEFAULT_REGION)])].filter(
      (r) => r !== DEFAULT_REGION,
    );
    endpoint = await startLocalSageMaker({
      port: options.port ?? 0,
      seed,
      transitionMs: DEMO_TRANSITION_MS,
      region: DEFAULT_REGION,
      regions,
    });
    const running = endpoint;
    const settings = {
      'sagemakerNotebooks.endpoint': Object.fromEntries([DEFAULT_REGION, ...regions].map((r) => [r, running.regionUrl(r)])),
    };

    const aws = join(dir, 'aws');
    const workspace = join(dir, 'workspace');
    cpSync(DEMO_WORKSPACE, workspace, { recursive: true });
    if (jupyterKind === 'classic') useClassicInterface(workspace);
    writeAwsFiles(aws);
    const env = {
      AWS_CONFIG_FILE: join(aws, 'config'),
      AWS_SHARED_CREDENTIALS_FILE: join(aws, 'credentials'),
    };
    return { endpoint, jupyter, jupyterKind, notice, env, settings, workspace, stop };
  } catch (error) {
    await stop();
    throw error;
  }
}

function writeAwsFiles(dir: string): void {
  mkdirSync(dir);
  const section = (name: string) => (name === 'default' ? 'default' : `profile ${name}`);
  writeFileSync(join(dir, 'config'), DEMO_PROFILES.map((p) => `[${section(p.name)}]\nregion = ${p.region}\n`).join('\n'));
  writeFileSync(
    join(dir, 'credentials'),
    DEMO_PROFILES.map((p) => `[${p.name}]\naws_access_key_id = ${p.accessKeyId}\naws_secret_access_key = ${p.secretAccessKey}\n`).join(
      '\n',
    ),
  );
}

/** Classic Notebook 6 has no JupyterLab: the demo workspace opens the classic interface. */
function useClassicInterface(workspace: string): void {
  writeFileSync(
    join(workspace, '.vscode', 'settings.json'),
    '{\n  // The demo\'s Jupyter is classic Notebook 6 here (JupyterLab could not run): open the classic interface.\n  "sagemakerNotebooks.interface": "jupyter"\n}\n',
  );
}
