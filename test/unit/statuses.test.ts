import * as assert from 'assert';
import * as fs from 'fs';
import * as path from 'path';
import { STATUSES, isTransitional, statusContext, statusRule } from '../../src/shared/instance';
import { instanceLook } from '../../src/notebooks/instanceLook';

const sdkEnums = fs.readFileSync(require.resolve('@aws-sdk/client-sagemaker/dist-types/models/enums.d.ts'), 'utf8');
const manifest = JSON.parse(fs.readFileSync(path.join(__dirname, '..', '..', '..', 'package.json'), 'utf8')) as {
  contributes: { menus: { 'view/item/context': { command: string; when: string }[] } };
};

/** The commands whose context-menu `when` clause accepts a row with this status (as VS Code evaluates `=~`). */
function menuCommands(status: string): Set<string> {
  const viewItem = `notebook.${statusContext(status)}`;
  const found = new Set<string>();
  for (const item of manifest.contributes.menus['view/item/context']) {
    const m = /viewItem =~ \/(.+?)\/(?: |$)/.exec(item.when);
    if (m && new RegExp(m[1]).test(viewItem)) found.add(item.command.replace('sagemakerNotebooks.', ''));
  }
  return found;
}

const base = {
  name: 'nb',
  arn: 'arn:aws:sagemaker:us-east-1:123456789012:notebook-instance/nb',
  region: 'us-east-1',
  instanceType: 'ml.t3.medium',
};

describe('Notebook instance statuses', () => {
  it('knows every NotebookInstanceStatus of the SDK', () => {
    const block = /NotebookInstanceStatus: \{([^}]*)\}/.exec(sdkEnums)?.[1] ?? '';
    const sdk = [...block.matchAll(/readonly (\w+):/g)].map((m) => m[1]).sort();
    assert.ok(sdk.length >= 9, 'read the enum');
    assert.deepStrictEqual([...STATUSES].sort(), sdk);
  });

  it('gives every known status its own icon, never the unknown one', () => {
    for (const status of STATUSES) assert.notStrictEqual(instanceLook({ ...base, status }).icon, 'question', status);
  });

  it('watches the maintenance statuses, which SageMaker ends by itself, and offers no action in them', () => {
    for (const status of ['PendingMaintenance', 'InMaintenance']) {
      assert.ok(isTransitional(status), status);
      assert.deepStrictEqual([...menuCommands(status)].sort(), ['copyArn', 'copyName', 'openInConsole'], status);
      assert.match(instanceLook({ ...base, status }).tooltip, /cannot be opened, started or stopped/, status);
      assert.match(instanceLook({ ...base, status }).description, new RegExp(status));
    }
  });

  it('a status a newer SDK adds is shown as it is, watched, and offers nothing that could fail', () => {
    const look = instanceLook({ ...base, status: 'Hibernating' });
    assert.strictEqual(look.icon, 'question');
    assert.strictEqual(look.contextValue, 'notebook.hibernating');
    assert.match(look.description, /Hibernating/);
    assert.match(look.tooltip, /does not know/);
    assert.ok(isTransitional('Hibernating'));
    assert.deepStrictEqual([...menuCommands('Hibernating')].sort(), ['copyArn', 'copyName', 'openInConsole']);
  });

  it('the context menus offer exactly what the status rules allow', () => {
    for (const status of STATUSES) {
      const rule = statusRule(status);
      const menus = menuCommands(status);
      assert.strictEqual(menus.has('openInBrowser'), rule.open, `${status}: open`);
      assert.strictEqual(menus.has('openInJupyterLab'), rule.open, `${status}: open in JupyterLab`);
      assert.strictEqual(menus.has('start'), rule.start, `${status}: start`);
      assert.strictEqual(menus.has('stop'), rule.stop, `${status}: stop`);
    }
  });
});
