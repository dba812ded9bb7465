import * as assert from 'assert';
import * as path from 'path';
import * as vscode from 'vscode';
import { EXTENSION_ID, extensionApi } from './fixtures';

describe('Activation', () => {
  it('activates without loading any AWS SDK code', async () => {
    await extensionApi();
    const ext = vscode.extensions.getExtension(EXTENSION_ID)!;
    assert.strictEqual(ext.isActive, true);
    // The bundle is self-contained (test/unit/bundle.test checks it requires nothing but vscode and node
    // built-ins), so the SDK can only arrive through dist/sdk.js.
    const bundle = path.join(ext.extensionPath, 'dist', 'extension.js');
    assert.ok(require.cache[bundle], 'the extension bundle itself is loaded');
    for (const lazy of ['sdk.js', 'proxy.js']) {
      assert.strictEqual(require.cache[path.join(ext.extensionPath, 'dist', lazy)], undefined, `activation loaded dist/${lazy}`);
    }
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
    const contributed = (vscode.extensions.getExtension(EXTENSION_ID)!.packageJSON.contributes.commands as { command: string }[]).map((c) => c.command);
    assert.deepStrictEqual([...api.testing.commandIds()].sort(), [...contributed].sort());
    const registered = await vscode.commands.getCommands(true);
    assert.deepStrictEqual(contributed.filter((id) => !registered.includes(id)), []);
  });
});
