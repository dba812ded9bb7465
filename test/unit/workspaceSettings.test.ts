import * as assert from 'assert';
import { ignoredSettings, settingKeysIn } from '../../src/workspaceSettings';

describe('ignored workspace settings', () => {
  const keys = ['sagemakerNotebooks.profile', 'sagemakerNotebooks.endpoint'];

  it('finds our keys in a settings.json, with comments and odd spacing', () => {
    const text = '{\n  // team settings\n  "sagemakerNotebooks.profile" : "team",\n  "sagemakerNotebooks.endpoint":"https://x",\n}';
    assert.deepStrictEqual(settingKeysIn(text, keys), keys);
    assert.deepStrictEqual(settingKeysIn('{ "sagemakerNotebooks.profiles": 1, "sagemakerNotebooksXprofile": 2 }', keys), []);
  });

  it('reports the profile only in untrusted workspaces, the endpoint always', () => {
    assert.deepStrictEqual(ignoredSettings(keys, false), keys);
    assert.deepStrictEqual(ignoredSettings(keys, true), ['sagemakerNotebooks.endpoint']);
    assert.deepStrictEqual(ignoredSettings([], false), []);
  });
});
