// A certificate authority made at test time with Debian's openssl, for TLS that is checked for real: the
// intercepting proxy (and, later, the production-path endpoint) presents leaf certificates it signs, and
// the extension trusts it only through AWS_CA_BUNDLE / the profile's ca_bundle.
import { execFileSync } from 'node:child_process';
import { X509Certificate, createHash } from 'node:crypto';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

export interface TestCa {
  /** PEM file of the CA certificate: what AWS_CA_BUNDLE names. */
  readonly certFile: string;
  readonly certPem: string;
  /** Base64 SHA-256 of the CA's SubjectPublicKeyInfo: what Chromium's --ignore-certificate-errors-spki-list takes. */
  readonly spkiSha256: string;
  /** A key and certificate for a host name, signed by this CA (cached per host). */
  issue(host: string): { key: string; cert: string };
  dispose(): void;
}

function openssl(args: string[], cwd: string): void {
  execFileSync('openssl', args, { cwd, stdio: ['ignore', 'ignore', 'pipe'] });
}

export function createTestCa(name = 'SageMaker Notebooks Test CA'): TestCa {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'smn-ca-'));
  openssl(
    [
      'req',
      '-x509',
      '-newkey',
      'ec',
      '-pkeyopt',
      'ec_paramgen_curve:prime256v1',
      '-nodes',
      '-days',
      '2',
      '-subj',
      `/CN=${name}`,
      '-addext',
      'basicConstraints=critical,CA:TRUE',
      '-addext',
      'keyUsage=critical,keyCertSign,cRLSign',
      '-keyout',
      'ca.key',
      '-out',
      'ca.pem',
    ],
    dir,
  );
  const issued = new Map<string, { key: string; cert: string }>();
  let serial = 1;
  const certPem = fs.readFileSync(path.join(dir, 'ca.pem'), 'utf8');
  const spki = new X509Certificate(certPem).publicKey.export({ type: 'spki', format: 'der' });
  return {
    certFile: path.join(dir, 'ca.pem'),
    certPem,
    spkiSha256: createHash('sha256').update(spki).digest('base64'),
    issue(host) {
      const known = issued.get(host);
      if (known) return known;
      const base = `leaf${serial++}`;
      const san = /^[\d.]+$/.test(host) ? `IP:${host}` : `DNS:${host}`;
      fs.writeFileSync(path.join(dir, `${base}.ext`), `subjectAltName=${san}\nextendedKeyUsage=serverAuth\n`);
      openssl(
        [
          'req',
          '-newkey',
          'ec',
          '-pkeyopt',
          'ec_paramgen_curve:prime256v1',
          '-nodes',
          '-subj',
          `/CN=${host}`,
          '-keyout',
          `${base}.key`,
          '-out',
          `${base}.csr`,
        ],
        dir,
      );
      openssl(
        [
          'x509',
          '-req',
          '-in',
          `${base}.csr`,
          '-CA',
          'ca.pem',
          '-CAkey',
          'ca.key',
          '-set_serial',
          String(serial + 1000),
          '-days',
          '2',
          '-extfile',
          `${base}.ext`,
          '-out',
          `${base}.pem`,
        ],
        dir,
      );
      const pair = {
        key: fs.readFileSync(path.join(dir, `${base}.key`), 'utf8'),
        cert: fs.readFileSync(path.join(dir, `${base}.pem`), 'utf8'),
      };
      issued.set(host, pair);
      return pair;
    },
    dispose: () => fs.rmSync(dir, { recursive: true, force: true }),
  };
}
