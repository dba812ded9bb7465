import assert from 'node:assert/strict';
import { frameOrigin } from '../../src/open/forwarding';

const LOCAL = 'http://127.0.0.1:41234';

describe('frame origin for the in-editor proxy', () => {
  it('uses the local origin when VS Code hands it back unchanged (desktop, local folder)', () => {
    assert.deepEqual(frameOrigin(LOCAL, `${LOCAL}/`), { origin: LOCAL });
  });

  it('uses a forwarded port on localhost (Remote - SSH, WSL, containers)', () => {
    assert.deepEqual(frameOrigin(LOCAL, 'http://localhost:53001/'), { origin: 'http://localhost:53001' });
  });

  it('uses a forwarded domain (Codespaces, code-server with --proxy-domain)', () => {
    assert.deepEqual(frameOrigin(LOCAL, 'https://41234-workspace.app.github.dev/'), { origin: 'https://41234-workspace.app.github.dev' });
    assert.deepEqual(frameOrigin(LOCAL, 'http://41234.localhost:8080'), { origin: 'http://41234.localhost:8080' });
  });

  it('keeps the local origin when the port is forwarded under a path, which Jupyter cannot live under', () => {
    const chosen = frameOrigin(LOCAL, 'http://127.0.0.1:8080/proxy/41234/');
    assert.equal(chosen.origin, LOCAL);
    assert.match(chosen.fallback ?? '', /under a path \(\/proxy\/41234\/\)/);
  });

  it('keeps the local origin when forwarding failed or gave something unusable', () => {
    assert.equal(frameOrigin(LOCAL, undefined).origin, LOCAL);
    assert.equal(frameOrigin(LOCAL, 'not a url').origin, LOCAL);
    assert.equal(frameOrigin(LOCAL, 'vscode-remote://ssh-remote+box/').origin, LOCAL);
  });
});
