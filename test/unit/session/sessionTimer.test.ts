// The session timer's status bar item and notifications in every state, on a clock the test moves: running,
// the warning, the end, Renew and Dismiss from each notification, the session list's actions, and sessions
// that renew themselves. VS Code is the fake of support/fakeVscode.ts.
import * as assert from 'assert';
import type { NotebookSession } from '../../../src/session/session';
import { SessionStore, type Memento } from '../../../src/session/sessionStore';
import type { SessionActions, SessionTimer as SessionTimerClass } from '../../../src/session/sessionTimer';
import { FakeClock, settle } from '../support/fakeClock';
import { fakeVscode, installFakeVscode, type ShownMessage } from '../support/fakeVscode';

const MIN = 60_000;
const T0 = Date.UTC(2026, 0, 1, 9, 0);
const WARNING = 'statusBarItem.warningBackground';
const ERROR = 'statusBarItem.errorBackground';

class MemoryMemento implements Memento {
  data = new Map<string, unknown>();
  get<T>(key: string) {
    return this.data.get(key) as T | undefined;
  }
  async update(key: string, value: unknown) {
    this.data.set(key, JSON.parse(JSON.stringify(value)));
  }
}

const quiet = { trace() {}, debug() {}, info() {}, warn() {}, error() {} };

const session = (name: string, minutes: number, extra: Partial<NotebookSession> = {}): NotebookSession => ({
  profile: 'default',
  region: 'us-east-1',
  arn: `arn:aws:sagemaker:us-east-1:111122223333:notebook-instance/${name}`,
  name,
  target: 'browser',
  ui: 'jupyterlab',
  startedAt: T0,
  expiresAt: T0 + minutes * MIN,
  ...extra,
});

describe('SessionTimer (status bar item and notifications)', () => {
  let SessionTimer: typeof SessionTimerClass;
  let windowUi: typeof import('../../../src/shared/ui').windowUi;
  let uninstall: () => void;
  let clock: FakeClock;
  let memento: MemoryMemento;
  let warningMinutes: number;
  let calls: { action: string; session: NotebookSession; reason?: string }[];
  let timer: SessionTimerClass;

  before(() => {
    uninstall = installFakeVscode();
    ({ SessionTimer } = require('../../../src/session/sessionTimer') as typeof import('../../../src/session/sessionTimer'));
    ({ windowUi } = require('../../../src/shared/ui') as typeof import('../../../src/shared/ui'));
  });
  after(() => uninstall());

  /** What a renewal does in the extension: a new presigned URL, so a new session of the configured length. */
  let renewMinutes: number;
  const actions: SessionActions = {
    renew: async (s) => {
      calls.push({ action: 'renew', session: s });
      const now = clock.now();
      await timer.started({ ...s, startedAt: now, expiresAt: now + renewMinutes * MIN });
    },
    reopen: async (s) => void calls.push({ action: 'reopen', session: s }),
    stopInstance: async (s) => void calls.push({ action: 'stopInstance', session: s }),
    ended: (s, reason) => void calls.push({ action: 'ended', session: s, reason }),
  };

  // The shipped facade over the fake vscode module: what the timer shows reaches the fake's records.
  const make = () => new SessionTimer(new SessionStore(memento), actions, () => warningMinutes, clock, quiet, windowUi());
  const item = () => fakeVscode.statusBarItems.at(-1)!;
  const notifications = (name = 'nb') => fakeVscode.messages.filter((m) => m.message.includes(` ${name} `));
  const only = (messages: ShownMessage[]): ShownMessage => {
    assert.strictEqual(messages.length, 1, `one notification: ${JSON.stringify(messages.map((m) => m.message))}`);
    return messages[0];
  };

  beforeEach(() => {
    fakeVscode.reset();
    clock = new FakeClock(T0);
    memento = new MemoryMemento();
    warningMinutes = 10;
    renewMinutes = 720;
    calls = [];
    timer = make();
  });
  afterEach(() => timer.dispose());

  it('is hidden without sessions and counts a running session down once a minute, with no background', async () => {
    assert.strictEqual(item().visible, false);
    await timer.started(session('nb', 720));
    assert.strictEqual(item().visible, true);
    assert.strictEqual(item().text, '$(watch) nb 12h 0m');
    assert.strictEqual(item().backgroundColor, undefined);
    assert.strictEqual(item().command, 'sagemakerNotebooks.showSessions');
    assert.deepStrictEqual(clock.pending, [MIN]);
    await clock.fire();
    assert.strictEqual(item().text, '$(watch) nb 11h 59m');
    assert.deepStrictEqual(fakeVscode.messages, []);
  });

  it('warns at expiryWarningMinutes: warning background and one notification with Renew and Dismiss', async () => {
    warningMinutes = 15;
    await timer.started(session('nb', 60));
    await clock.advanceTo(T0 + 45 * MIN - 1);
    assert.strictEqual(item().backgroundColor, undefined, 'not before the threshold');
    assert.deepStrictEqual(fakeVscode.messages, []);
    await clock.advanceTo(T0 + 45 * MIN);
    assert.strictEqual(item().backgroundColor?.id, WARNING);
    assert.strictEqual(item().text, '$(warning) nb 15m');
    const warning = only(fakeVscode.messages);
    assert.strictEqual(warning.kind, 'warning');
    assert.strictEqual(warning.message, 'The notebook session of nb ends in 15 minutes.');
    assert.deepStrictEqual(warning.items, ['Renew', 'Dismiss']);
    // Every second in the last ten minutes updates the item, and none of those updates warns again.
    await clock.advanceTo(T0 + 59 * MIN);
    assert.strictEqual(item().text, '$(warning) nb 1:00 min');
    only(fakeVscode.messages);
  });

  it('warns at once when the warning is longer than the session (30-minute sessions, 60-minute warning)', async () => {
    warningMinutes = 60;
    await timer.started(session('nb', 30));
    assert.strictEqual(item().backgroundColor?.id, WARNING);
    assert.strictEqual(only(fakeVscode.messages).message, 'The notebook session of nb ends in 30 minutes.');
  });

  it('at the end: error background, "ended", one "session ended" notification with Renew, and the session closed', async () => {
    const s = session('nb', 30);
    await timer.started(s);
    await clock.advanceTo(s.expiresAt);
    assert.strictEqual(item().visible, true);
    assert.strictEqual(item().text, '$(error) nb ended');
    assert.strictEqual(item().backgroundColor?.id, ERROR);
    assert.deepStrictEqual(
      fakeVscode.messages.map((m) => m.kind),
      ['warning', 'error'],
      'the warning, then the end',
    );
    const end = only(fakeVscode.messages.filter((m) => m.kind === 'error'));
    assert.strictEqual(end.message, 'The notebook session of nb has ended.');
    assert.deepStrictEqual(end.items, ['Renew', 'Dismiss']);
    assert.deepStrictEqual(
      calls,
      [{ action: 'ended', session: s, reason: 'expired' }],
      'what belongs to the session is closed (a tab may stay, with Renew), once',
    );
    assert.deepStrictEqual(clock.pending, [], 'nothing left to count down');
    assert.deepStrictEqual(timer.sessions(), [s], 'the list still offers it, to renew');
    assert.strictEqual(timer.timeLeft(s.arn), 'Session ended');
  });

  it('a tab\'s session that SageMaker ended early (autoRenew off): ended from now, one "session ended" with Renew; browser sessions untouched', async () => {
    const tab = session('nb', 720, { target: 'editor' });
    const browser = session('other', 720);
    await timer.started(tab);
    await timer.started(browser);
    await clock.advanceTo(T0 + 10 * MIN);
    await timer.endedEarly(tab.arn, 'default');
    const ended = { ...tab, expiresAt: T0 + 10 * MIN };
    assert.deepStrictEqual(calls, [{ action: 'ended', session: ended, reason: 'expired' }]);
    assert.strictEqual(timer.timeLeft(tab.arn), 'Session ended');
    assert.strictEqual(only(fakeVscode.messages.filter((m) => m.kind === 'error')).message, 'The notebook session of nb has ended.');
    assert.strictEqual(item().backgroundColor?.id, ERROR);
    assert.deepStrictEqual(timer.sessions(), [ended, browser], 'the ended one stays listed, to renew');
    await timer.endedEarly(browser.arn, 'default');
    await clock.advanceTo(T0 + 20 * MIN);
    assert.strictEqual(
      fakeVscode.messages.filter((m) => m.kind === 'error').length,
      1,
      'no second notification, and none for the browser session',
    );
    assert.strictEqual(timer.timeLeft(browser.arn), '11h 40m left');
  });

  it('notices the end after the machine slept past it, by the wall clock', async () => {
    const s = session('nb', 720);
    await timer.started(s);
    clock.time = s.expiresAt + 3 * 60 * MIN; // the laptop slept; the next timer fires late
    await clock.fire();
    assert.strictEqual(item().text, '$(error) nb ended');
    assert.strictEqual(only(fakeVscode.messages.filter((m) => m.kind === 'error')).message, 'The notebook session of nb has ended.');
  });

  it('Renew from the warning renews once, for a full-length session, and the item is back to normal', async () => {
    warningMinutes = 60;
    renewMinutes = 120;
    const s = session('nb', 30);
    await timer.started(s);
    only(fakeVscode.messages).choose('Renew');
    await settle();
    assert.deepStrictEqual(calls, [{ action: 'renew', session: s }]);
    assert.deepStrictEqual(
      timer.sessions().map((x) => x.expiresAt),
      [T0 + 120 * MIN],
      'the renewed session replaces the old one',
    );
    assert.strictEqual(item().text, '$(watch) nb 2h 0m');
    assert.strictEqual(item().backgroundColor, undefined);
    await clock.advanceTo(T0 + 59 * MIN);
    assert.strictEqual(fakeVscode.messages.length, 1, 'no new warning before the new session reaches its own threshold');
    await clock.advanceTo(T0 + 60 * MIN);
    assert.strictEqual(fakeVscode.messages.length, 2, "the new session's own warning");
  });

  it('Renew from "session ended" starts a new session and the item is back to normal', async () => {
    const s = session('nb', 30);
    await timer.started(s);
    await clock.advanceTo(s.expiresAt);
    only(fakeVscode.messages.filter((m) => m.kind === 'error')).choose('Renew');
    await settle();
    assert.deepStrictEqual(
      calls.map((c) => c.action),
      ['ended', 'renew'],
    );
    assert.strictEqual(item().text, '$(watch) nb 12h 0m');
    assert.strictEqual(item().backgroundColor, undefined);
    assert.strictEqual(timer.sessions().length, 1, 'the ended entry is gone');
  });

  it('Dismiss on the warning: no second warning for that session, and nothing is renewed', async () => {
    const s = session('nb', 60);
    await timer.started(s);
    await clock.advanceTo(T0 + 50 * MIN);
    only(fakeVscode.messages).choose('Dismiss');
    await settle();
    timer.reload(); // another window's change, or focus coming back: the item is redrawn
    await clock.advanceTo(s.expiresAt - 1);
    assert.strictEqual(fakeVscode.messages.length, 1);
    assert.deepStrictEqual(calls, []);
    assert.strictEqual(item().backgroundColor?.id, WARNING, 'the item still says it ends soon');
  });

  it('Dismiss on "session ended" removes the ended session and hides the item', async () => {
    const s = session('nb', 30);
    await timer.started(s);
    await clock.advanceTo(s.expiresAt);
    only(fakeVscode.messages.filter((m) => m.kind === 'error')).choose('Dismiss');
    await settle();
    assert.strictEqual(item().visible, false);
    assert.deepStrictEqual(timer.sessions(), []);
    assert.deepStrictEqual(
      calls.map((c) => c.action),
      ['ended'],
    );
  });

  it('a second session gets its own warning, and the item shows the sooner one', async () => {
    await timer.started(session('nb', 60));
    await timer.started(session('other', 30));
    assert.strictEqual(item().text, '$(watch) other 30m +1');
    await clock.advanceTo(T0 + 20 * MIN);
    assert.strictEqual(only(notifications('other')).message, 'The notebook session of other ends in 10 minutes.');
    assert.deepStrictEqual(notifications('nb'), []);
    await clock.advanceTo(T0 + 50 * MIN);
    assert.strictEqual(
      only(notifications('nb').filter((m) => m.kind === 'warning')).message,
      'The notebook session of nb ends in 10 minutes.',
    );
  });

  describe('the session list (a click on the item)', () => {
    const choose = (sessionName: string, action: RegExp) => {
      fakeVscode.pickQuickPick = (pick) =>
        pick.items.find((i) => (pick.title === 'Notebook Sessions' ? i.label === sessionName : action.test(i.label)))?.label;
    };

    it('lists each session with its time left, where it is open, profile and region', async () => {
      await timer.started(session('nb', 720));
      await timer.started(session('tab', 60, { target: 'editor', profile: 'team', region: 'eu-west-1' }));
      await timer.showSessions();
      assert.deepStrictEqual(fakeVscode.quickPicks[0], {
        title: 'Notebook Sessions',
        items: [
          { label: 'nb', description: '12h 0m left · in the browser · default · us-east-1' },
          { label: 'tab', description: '1h 0m left · in VS Code · team · eu-west-1' },
        ],
      });
      assert.strictEqual(fakeVscode.quickPicks.length, 1, 'cancelled: no second question');
    });

    it('offers Reopen, Renew, Stop Tracking and Stop Instance, and each runs on the chosen session', async () => {
      const nb = session('nb', 720);
      await timer.started(nb);
      await timer.started(session('other', 720));
      for (const [label, action] of [
        [/Reopen/, 'reopen'],
        [/Renew/, 'renew'],
        [/Stop Instance/, 'stopInstance'],
      ] as const) {
        calls = [];
        choose('nb', label);
        await timer.showSessions();
        assert.deepStrictEqual(
          calls.map((c) => [c.action, c.session.name]),
          [[action, 'nb']],
          action,
        );
      }
      assert.deepStrictEqual(
        fakeVscode.quickPicks[1].items.map((i) => i.label),
        [
          '$(link-external) Reopen',
          '$(refresh) Renew (new full-length session)',
          '$(eye-closed) Stop Tracking',
          '$(debug-stop) Stop Instance…',
        ],
      );
    });

    it('Stop Tracking forgets the session, closes what belongs to it, and hides the item when it was the last', async () => {
      const nb = session('nb', 30);
      await timer.started(nb);
      choose('nb', /Stop Tracking/);
      await timer.showSessions();
      assert.deepStrictEqual(calls, [{ action: 'ended', session: nb, reason: 'untracked' }]);
      assert.deepStrictEqual(timer.sessions(), []);
      assert.strictEqual(item().visible, false);
      assert.deepStrictEqual(memento.get('sagemakerNotebooks.sessions'), []);
      await clock.advanceTo(nb.expiresAt + MIN);
      assert.deepStrictEqual(
        fakeVscode.messages.filter((m) => m.kind === 'error'),
        [],
        'no "ended" for a session no longer tracked',
      );
    });

    it('says so when there is no session', async () => {
      await timer.showSessions();
      assert.deepStrictEqual(
        fakeVscode.messages.map((m) => m.message),
        ['No notebook sessions are open.'],
      );
      assert.deepStrictEqual(fakeVscode.quickPicks, []);
    });
  });

  describe('sessions the extension holds in a VS Code tab (renews: true)', () => {
    it('never warn, say they renew themselves, and still end with a notification if renewal stops', async () => {
      const tab = session('tab', 30, { target: 'editor', renews: true });
      await timer.started(tab);
      await clock.advanceTo(tab.expiresAt - 1000);
      assert.deepStrictEqual(fakeVscode.messages, [], 'no warning for a session that renews itself');
      await timer.showSessions();
      assert.strictEqual(fakeVscode.quickPicks[0].items[0].description, '0:01 min left · renews itself · in VS Code · default · us-east-1');
      await clock.advanceTo(tab.expiresAt);
      assert.strictEqual(only(fakeVscode.messages).message, 'The notebook session of tab has ended.');
    });

    it('keep renewing themselves after a reload (what globalState holds says so)', async () => {
      await timer.started(session('tab', 30, { target: 'editor', renews: true }));
      timer.dispose();
      timer = make(); // a window reload: a new timer over the same globalState
      await clock.advanceTo(T0 + 25 * MIN);
      assert.deepStrictEqual(fakeVscode.messages, []);
      assert.strictEqual(timer.sessions()[0].renews, true);
    });

    it('a renewal of the connection moves the end on, and the item follows', async () => {
      const tab = session('tab', 30, { target: 'editor', renews: true });
      await timer.started(tab);
      await clock.advanceTo(T0 + 19 * MIN);
      await timer.started({ ...tab, startedAt: clock.now(), expiresAt: clock.now() + 30 * MIN });
      assert.strictEqual(item().text, '$(watch) tab 30m');
      await clock.advanceTo(T0 + 45 * MIN);
      assert.deepStrictEqual(fakeVscode.messages, []);
      assert.deepStrictEqual(calls, []);
    });
  });
});
