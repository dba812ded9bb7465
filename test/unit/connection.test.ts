// connect() against real files and the real SDK: what a broken profile tells the user, and what it keeps back.
import * as assert from 'assert';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { connect, type Connection } from '../../src/aws/connection';
import { UserFacingError } from '../../src/aws/errors';
import { loadSdk } from '../../src/aws/loadSdk';

const SECRET = 'wJalrXUtnFEMIK7MDENGbPxRfiCYEXAMPLEKEY';
const TOKEN = 'hvs.CAESIVaultTokenForTestsOnly';

describe('connect', () => {
  const saved = { ...process.env };
  let logged: string[];
  const logger = {
    trace() {},
    debug: (m: string) => logged.push(m),
    info: (m: string) => logged.push(m),
    warn: (m: string) => logged.push(m),
    error: (m: string | Error) => logged.push(String(m)),
  };

  const useFiles = (config: string, credentials = ''): { config: string; credentials: string } => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'smn-conn-'));
    const files = { config: path.join(dir, 'config'), credentials: path.join(dir, 'credentials') };
    fs.writeFileSync(files.config, config);
    fs.writeFileSync(files.credentials, credentials);
    Object.assign(process.env, { AWS_CONFIG_FILE: files.config, AWS_SHARED_CREDENTIALS_FILE: files.credentials });
    return files;
  };
  const connectTo = (profile: string) =>
    connect({ profile, regions: [] }, { sdk: loadSdk, env: process.env, logger, mfaCode: async () => '' });

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

  describe('a credential_process that fails', () => {
    const checked = async (command: string): Promise<UserFacingError> => {
      useFiles(`[default]\nregion = us-east-1\ncredential_process = ${command}\n`);
      const c = await connectTo('default');
      assert.strictEqual(c.kind, 'ready');
      try {
        const error = await c.api.checkCredentials().then(
          () => undefined,
          (e: unknown) => e,
        );
        assert.ok(error instanceof UserFacingError, `a UserFacingError, not ${String(error)}`);
        return error;
      } finally {
        c.api.dispose();
      }
    };

    it('says which profile and where to look, without its command line or what it printed', async () => {
      const error = await checked(`sh -c 'echo "denied for ${TOKEN}" >&2; exit 3' --token=${TOKEN}`);
      assert.strictEqual(error.kind, 'noCredentials');
      assert.strictEqual(
        error.message,
        'The credential_process of profile "default" failed. Run its command in a terminal to see its output.',
      );
      assert.ok(!logged.join('\n').includes(TOKEN), 'nothing logged holds the token');
    });

    it('says what was wrong with what it printed, without quoting it', async () => {
      const cases: Array<[string, RegExp]> = [
        [`echo not-json-${TOKEN}`, /printed no valid JSON/],
        [`echo '{"Version": 2, "AccessKeyId": "${TOKEN}"}'`, /printed no "Version": 1/],
        [`echo '{"Version": 1, "AccessKeyId": "${TOKEN}"}'`, /printed no access key or secret key/],
        [
          `echo '{"Version": 1, "AccessKeyId": "A", "SecretAccessKey": "${TOKEN}", "Expiration": "2000-01-01T00:00:00Z"}'`,
          /printed expired credentials/,
        ],
      ];
      for (const [command, expected] of cases) {
        const error = await checked(command);
        assert.match(error.message, /^The credential_process of profile "default" /);
        assert.match(error.message, expected);
        assert.ok(!error.message.includes(TOKEN), error.message);
      }
    });
  });
});
