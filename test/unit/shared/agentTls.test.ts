// The TLS options an agent carries, repeated on its requests (what VS Code's replacement agent uses). The
// replacement itself is VS Code's: test/integration/caTrust.test.ts and productionPath.test.ts prove the
// setting there; this pins what is copied, and that requests made with it still connect as their agent says.
import assert from 'node:assert/strict';
import * as http from 'node:http';
import * as https from 'node:https';
import type { AddressInfo } from 'node:net';
import { TunnellingAgent } from '../../../src/aws/agents';
import { agentTls, request } from '../../../src/shared/agentTls';
import { createTestCa, type TestCa } from '../../endpoint/testCa';

describe('agentTls', () => {
  it('copies ca and rejectUnauthorized of an https agent, the tunnelling one included; nothing for http or none', () => {
    assert.deepEqual(agentTls(new https.Agent({ ca: 'PEM', rejectUnauthorized: false })), { ca: 'PEM', rejectUnauthorized: false });
    assert.deepEqual(agentTls(new TunnellingAgent(new URL('http://127.0.0.1:1'), { rejectUnauthorized: true })), {
      rejectUnauthorized: true,
    });
    assert.deepEqual(agentTls(new https.Agent()), {});
    assert.deepEqual(agentTls(new http.Agent()), {});
    assert.deepEqual(agentTls(undefined), {});
  });

  describe('request', () => {
    let ca: TestCa;
    let server: https.Server;
    let url: string;
    before(async () => {
      ca = createTestCa('agentTls Test CA');
      const { key, cert } = ca.issue('127.0.0.1');
      server = https.createServer({ key, cert: cert + ca.certPem }, (_req, res) => res.end('ok'));
      await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
      url = `https://127.0.0.1:${(server.address() as AddressInfo).port}/`;
    });
    after(async () => {
      server.closeAllConnections();
      await new Promise((r) => server.close(r));
      ca.dispose();
    });
    const get = (options: https.RequestOptions) =>
      new Promise<string>((resolve, reject) => {
        const req = request(url, options, (res: http.IncomingMessage) => {
          let body = '';
          res.on('data', (c: Buffer) => (body += c.toString())).on('end', () => resolve(body));
        });
        req.once('error', reject).end();
      });

    it('reaches a server the agent trusts by its CA, and is refused without it', async () => {
      assert.equal(await get({ agent: new https.Agent({ ca: ca.certPem }) }), 'ok');
      await assert.rejects(get({ agent: new https.Agent() }), (e: NodeJS.ErrnoException) => e.code === 'SELF_SIGNED_CERT_IN_CHAIN');
    });
  });
});
