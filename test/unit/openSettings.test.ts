import * as assert from 'assert';
import { parseOpenSettings } from '../../src/open/openSettings';

describe('parseOpenSettings', () => {
  it('defaults to the browser, JupyterLab and 12 hours', () => {
    assert.deepStrictEqual(parseOpenSettings({}), { settings: { target: 'browser', ui: 'jupyterlab', sessionMinutes: 720 }, warnings: [] });
  });

  it('clamps out-of-range durations with a warning', () => {
    const low = parseOpenSettings({ sessionDurationMinutes: 5 });
    assert.strictEqual(low.settings.sessionMinutes, 30);
    assert.match(low.warnings[0], /5 is outside 30–720; using 30/);
    assert.strictEqual(parseOpenSettings({ sessionDurationMinutes: 10_000 }).settings.sessionMinutes, 720);
    assert.deepStrictEqual(parseOpenSettings({ sessionDurationMinutes: 90 }).warnings, []);
  });

  it('falls back with a warning on wrongly typed values', () => {
    const r = parseOpenSettings({ sessionDurationMinutes: '60', openIn: 'tab', interface: 42 });
    assert.deepStrictEqual(r.settings, { target: 'browser', ui: 'jupyterlab', sessionMinutes: 720 });
    assert.strictEqual(r.warnings.length, 3);
  });
});
