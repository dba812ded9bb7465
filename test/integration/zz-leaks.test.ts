// Runs last (files run in name order): reads everything the extension wrote during the whole suite and
// fails if any presigned-URL token, notebook session cookie or secret key appears in it.
import * as assert from 'assert';
import * as fs from 'fs';
import * as path from 'path';
import { DEFAULT_SECRET_ACCESS_KEY, issuedSecrets } from '../endpoint/server';
import { extensionApi } from './fixtures';

function filesBelow(dir: string): string[] {
  if (!fs.existsSync(dir)) return [];
  return fs.readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((e) => e.isFile())
    .map((e) => path.join(e.parentPath ?? (e as unknown as { path: string }).path, e.name));
}

describe('Nothing leaks', () => {
  it('no token, session cookie or secret key in logs, globalState, settings or messages shown', async () => {
    const api = await extensionApi();
    assert.ok(issuedSecrets.length >= 4, `the suite issued tokens and sessions to look for (${issuedSecrets.length})`);
    const secrets = [...new Set([...issuedSecrets, DEFAULT_SECRET_ACCESS_KEY, 'teamSecretForTestsOnly'])];
    const variants = secrets.flatMap((s) => [s, encodeURIComponent(s), s.replace(/\+/g, ' '), s.slice(0, 24)]).filter((v) => v.length >= 16);

    const places: [string, string][] = [
      ['globalState', api.testing.globalStateJson()],
      ['messages shown', api.testing.ui.shownMessages().join('\n')],
    ];
    const settingsFile = api.testing.userSettingsFile();
    if (fs.existsSync(settingsFile)) places.push([settingsFile, fs.readFileSync(settingsFile, 'utf8')]);
    const logs = filesBelow(api.testing.logsRoot());
    const ours = logs.filter((f) => /SageMaker Notebooks/.test(path.basename(f)));
    assert.ok(ours.length >= 1, `the extension's log file is among the logs read (${logs.length} files)`);
    for (const file of logs) places.push([file, fs.readFileSync(file, 'utf8')]);
    assert.match(places.find(([f]) => f === ours[0])![1], /CreatePresignedNotebookInstanceUrl/, 'the log was written during the suite');

    const found = places.flatMap(([where, text]) => variants.filter((v) => text.includes(v)).map((v) => `${where}: ${v.slice(0, 6)}…`));
    assert.deepStrictEqual(found, []);
    const urls = places.filter(([, text]) => /authToken=(?!<redacted>)[^&\s"']+/.test(text)).map(([where]) => where);
    assert.deepStrictEqual(urls, [], 'no presigned URL with its token');
  });
});
