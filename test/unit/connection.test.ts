// connect() against real files and the real SDK: what a broken profile tells the user, and what it keeps back.
import * as assert from 'assert';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { connect, type Connection } from '../../src/aws/connection';
import { loadSdk } from '../../src/aws/loadSdk';

const SECRET = 'wJalrXUtnFEMIK7MDENGbPxRfiCYEXAMPLEKEY';

describe('connect', () => {
  const saved = { ...process.env };
  let logged: string[];
  const logger = { trace() {}, debug: (m: string) => logged.push(m), info: (m: string) => logged.push(m), warn: (m: string) => logged.push(m), error: (m: string | Error) => logged.push(String(m)) };

  const useFiles = (config: string, credentials = ''): { config: string; credentials: string } => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'smn-conn-'));
    const files = { config: path.join(dir, 'config'), credentials: path.join(dir, 'credentials') };
    fs.writeFileSync(files.config, config);
    fs.writeFileSync(files.credentials, credentials);
    Object.assign(process.env, { AWS_CONFIG_FILE: files.config, AWS_SHARED_CREDENTIALS_FILE: files.credentials });
    return files;
  };
  const connectTo = (profile: string) => connect({ profile, regions: [] }, { sdk: loadSdk, env: process.env, logger, mfaCode: async () => '' });

  beforeEach(() => (logged = []));
  after(() => (process.env = saved));

  it('names the file and line number of an unreadable line, never what the line holds', async () => {
    const files = useFiles(`[default]\nregion = us-east-1\naws_secret_access_key: ${SECRET}\n`);
    const c = await connectTo('work');
    assert.strictEqual(c.kind, 'malformedConfig');
    const message = (c as Connection & { message: string }).message;
    assert.ok(message.includes(`${files.config} cannot be read at line 3,`), message);
    assert.ok(!message.includes(SECRET.slice(0, 8)), message);
    assert.ok(!message.includes('aws_secret_access_key'), message);
  });
});
