import * as assert from 'assert';
import * as path from 'path';
import * as vscode from 'vscode';
import { EXTENSION_ID, extensionApi } from './fixtures';

describe('Activation', () => {
  it('activates without loading the services, the AWS SDK or the proxy; the first use loads the services only', async () => {
    const ext = vscode.extensions.getExtension(EXTENSION_ID)!;
    // The shell's API object is read nowhere here: each of its getters would load the services.
    await ext.activate();
    assert.strictEqual(ext.isActive, true);
    const loaded = (file: string) => !!require.cache[path.join(ext.extensionPath, 'dist', file)];
    // The bundle is self-contained (test/unit/bundle.test checks it requires nothing but vscode, node
    // built-ins and dist/main.js), so the services, the SDK and the proxy can only arrive through dist/*.js.
    assert.ok(loaded('extension.js'), 'the extension bundle itself is loaded');
    assert.deepStrictEqual(['main.js', 'sdk.js', 'proxy.js', 'kernels.js'].filter(loaded), [], 'activation loaded more than the shell');
    const api = await extensionApi(); // the test API is a first use: it builds the services
    assert.ok(api.tree);
    assert.deepStrictEqual(
      ['main.js', 'sdk.js', 'proxy.js', 'kernels.js'].filter(loaded),
      ['main.js'],
      'the services load no SDK or proxy before data is needed',
    );
  });

  it('contributes the view container, the tree view and the refresh command', async () => {
    const ext = vscode.extensions.getExtension(EXTENSION_ID)!;
    const contributes = ext.packageJSON.contributes;
    assert.strictEqual(contributes.viewsContainers.activitybar[0].id, 'sagemakerNotebooks');
    assert.strictEqual(contributes.views.sagemakerNotebooks[0].id, 'sagemakerNotebooks.instances');
    const commands = await vscode.commands.getCommands(true);
    assert.ok(commands.includes('sagemakerNotebooks.refresh'));
  });

  it('has a handler for every command package.json contributes, and for no other', async () => {
    const api = await extensionApi();
    const contributed = (vscode.extensions.getExtension(EXTENSION_ID)!.packageJSON.contributes.commands as { command: string }[]).map(
      (c) => c.command,
    );
    assert.deepStrictEqual([...api.testing.commandIds()].sort(), [...contributed].sort());
    const registered = await vscode.commands.getCommands(true);
    assert.deepStrictEqual(
      contributed.filter((id) => !registered.includes(id)),
      [],
    );
  });
});
