import * as assert from 'assert';
import { activeProfileName, defaultRegion, listProfiles, malformedLines } from '../../src/aws/profiles';

describe('profiles', () => {
  const files = {
    configFile: {
      default: { region: 'us-east-1' },
      dev: { sso_session: 'corp', sso_account_id: '1', sso_role_name: 'r', region: 'eu-west-1' },
      admin: { role_arn: 'arn:aws:iam::1:role/a', source_profile: 'default', mfa_serial: 'arn:aws:iam::1:mfa/me' },
      tool: { credential_process: '/bin/creds' },
      'sso-session.corp': { sso_start_url: 'https://x', sso_region: 'us-east-1' },
    },
    credentialsFile: {
      default: { aws_access_key_id: 'AKIA', aws_secret_access_key: 's' },
      ci: { aws_access_key_id: 'AKIB', aws_secret_access_key: 's' },
    },
  };

  it('lists profiles from both files with their kind and region, default first, sessions left out', () => {
    assert.deepStrictEqual(listProfiles(files), [
      { name: 'default', kind: 'keys', region: 'us-east-1', mfa: false },
      { name: 'admin', kind: 'assumeRole', region: undefined, mfa: true },
      { name: 'ci', kind: 'keys', region: undefined, mfa: false },
      { name: 'dev', kind: 'sso', region: 'eu-west-1', mfa: false },
      { name: 'tool', kind: 'process', region: undefined, mfa: false },
    ]);
  });

  it('takes the setting, then AWS_PROFILE, then default', () => {
    assert.strictEqual(activeProfileName('dev', { AWS_PROFILE: 'ci' }), 'dev');
    assert.strictEqual(activeProfileName('  ', { AWS_PROFILE: 'ci' }), 'ci');
    assert.strictEqual(activeProfileName(undefined, {}), 'default');
  });

  it('takes the profile region, then AWS_REGION, then AWS_DEFAULT_REGION', () => {
    const [def, admin] = listProfiles(files);
    assert.strictEqual(defaultRegion(def, { AWS_REGION: 'ap-south-1' }), 'us-east-1');
    assert.strictEqual(defaultRegion(admin, { AWS_REGION: 'ap-south-1', AWS_DEFAULT_REGION: 'x' }), 'ap-south-1');
    assert.strictEqual(defaultRegion(admin, { AWS_DEFAULT_REGION: 'eu-north-1' }), 'eu-north-1');
    assert.strictEqual(defaultRegion(admin, {}), undefined);
  });
});

describe('malformedLines', () => {
  it('accepts what the AWS CLI accepts: sections, key = value, comments, indented sub-properties', () => {
    const ok = '# comment\n; other\n[default]\nregion = us-east-1\ns3 =\n  max_concurrent_requests = 20\n\n[profile x] # trailing\nkey=\n';
    assert.deepStrictEqual(malformedLines(ok), []);
  });

  it('points at an unclosed section header and stray text', () => {
    assert.deepStrictEqual(malformedLines('[default\nregion = us-east-1\njust words\n'), [1, 3]);
  });

  it('gives a bad line by its number only: it may hold a secret', () => {
    const bad = malformedLines('[default]\naws_secret_access_key: wJalrXUtnFEMIK7MDENGbPxRfiCYEXAMPLEKEY\n');
    assert.deepStrictEqual(bad, [2]);
    assert.doesNotMatch(JSON.stringify(bad), /wJal|aws_secret/);
  });
});
