// The status bar timer for notebook sessions: a thin item over timer.ts, a warning before the end,
// "session ended" at the end, and the actions (reopen, renew, stop tracking, stop the instance).
import { escapeMarkdown } from '../shared/markdown';
import vscode = require('vscode');
import type { Logger } from '../shared/log';
import type { Clock } from '../shared/clock';
import type { Ui } from '../shared/ui';
import type { NotebookSession } from './session';
import { sameInstance, type SessionStore } from './sessionStore';
import { durationInWords, formatRemaining, nextUpdateIn, remaining, statusText } from './timer';

export interface SessionActions {
  renew(session: NotebookSession): Promise<void>;
  reopen(session: NotebookSession): Promise<void>;
  stopInstance(session: NotebookSession): Promise<void>;
  /**
   * The session is over: it ran out (`expired`), its instance stopped or vanished (`stopped`), or the user
   * stopped tracking it (`untracked`). Close what belongs to it (a tab whose session ran out may stay,
   * offering Renew).
   */
  ended(session: NotebookSession, reason: 'expired' | 'stopped' | 'untracked'): void;
}

const key = (s: NotebookSession) => `${s.profile}\n${s.arn}\n${s.expiresAt}`;

export class SessionTimer implements vscode.Disposable {
  private readonly item: vscode.StatusBarItem;
  private timer: unknown;
  private readonly warned = new Set<string>();
  /** Sessions that ran out in this window, shown as ended until the user renews or dismisses them. */
  private ended: NotebookSession[] = [];
  /** The stored sessions at the last update, to tell which ran out since. */
  private previous: NotebookSession[] = [];
  private updates = 0;
  private readonly updated = new vscode.EventEmitter<void>();
  /** After every update of the item: once a minute, once a second near the end. */
  readonly onDidUpdate = this.updated.event;

  constructor(
    private readonly store: SessionStore,
    private readonly actions: SessionActions,
    private readonly warningMinutes: () => number,
    private readonly clock: Clock,
    private readonly logger: Logger,
    private readonly ui: Ui,
  ) {
    this.item = ui.statusItem('sagemakerNotebooks.session', vscode.StatusBarAlignment.Left, 50);
    this.item.name = vscode.l10n.t('SageMaker Notebook Session');
    this.item.command = 'sagemakerNotebooks.showSessions';
    void this.store.prune(this.clock.now());
    this.update();
  }

  async started(session: NotebookSession): Promise<void> {
    await this.store.put(session, this.clock.now());
    this.ended = this.ended.filter((s) => !sameInstance(s, session));
    this.update();
  }

  /** Ends the sessions of an instance the tree saw stop (or vanish). */
  async endInstance(arn: string, profile: string, reason: string): Promise<void> {
    const now = this.clock.now();
    const gone = this.store.all(now).filter((s) => s.arn === arn && s.profile === profile);
    if (!gone.length) return;
    for (const s of gone) {
      await this.store.remove(s, now);
      this.actions.ended(s, 'stopped');
      this.logger.info(`Session of ${s.name} ended: ${reason}`);
    }
    this.update();
  }

  async stopTracking(session: NotebookSession): Promise<void> {
    await this.store.remove(session, this.clock.now());
    this.ended = this.ended.filter((s) => !sameInstance(s, session));
    this.actions.ended(session, 'untracked');
    this.update();
  }

  /**
   * The sessions of an instance held in VS Code that ended before their time (SageMaker ended it, and with
   * autoRenew off nothing renewed it): shown as ended from now on, with the notification and Renew.
   */
  async endedEarly(arn: string, profile: string): Promise<void> {
    const now = this.clock.now();
    const gone = this.store.all(now).filter((s) => s.arn === arn && s.profile === profile && s.target === 'editor');
    for (const s of gone) {
      await this.store.remove(s, now);
      const ended = { ...s, expiresAt: now };
      this.ended = [...this.ended.filter((e) => !sameInstance(e, s)), ended];
      this.actions.ended(ended, 'expired');
      this.logger.info(`Session of ${s.name} ended early: SageMaker ended it`);
      this.notify(vscode.l10n.t('The notebook session of {0} has ended.', s.name), ended, false);
    }
    if (gone.length) this.update();
  }

  /** Re-reads the stored sessions, e.g. when the window regains focus and another window opened one. */
  reload(): void {
    this.update();
  }

  sessions(): NotebookSession[] {
    return [...this.ended, ...this.store.all(this.clock.now())];
  }

  /** What the item shows, for tests and the tooltip. */
  get view(): { visible: boolean; text: string; tooltip: string; background?: string; updates: number } {
    return {
      visible: this.sessions().length > 0,
      text: this.item.text,
      tooltip: typeof this.item.tooltip === 'string' ? this.item.tooltip : (this.item.tooltip?.value ?? ''),
      background: this.item.backgroundColor?.id,
      updates: this.updates,
    };
  }

  /** Asks which session; undefined when there is none or the user cancelled. */
  async pick(placeHolder: string): Promise<NotebookSession | undefined> {
    const now = this.clock.now();
    const sessions = this.sessions();
    if (!sessions.length) {
      void this.ui.info(vscode.l10n.t('No notebook sessions are open.'));
      return undefined;
    }
    const picked = await this.ui.pick(
      sessions.map((s) => ({ label: s.name, description: this.describe(s, now), session: s })),
      { title: vscode.l10n.t('Notebook Sessions'), placeHolder },
    );
    return picked?.session;
  }

  async showSessions(): Promise<void> {
    const s = await this.pick(vscode.l10n.t('Choose a session'));
    if (!s) return;
    const actions = [
      { label: `$(link-external) ${vscode.l10n.t('Reopen')}`, run: () => this.actions.reopen(s) },
      { label: `$(refresh) ${vscode.l10n.t('Renew (new full-length session)')}`, run: () => this.actions.renew(s) },
      { label: `$(eye-closed) ${vscode.l10n.t('Stop Tracking')}`, run: () => this.stopTracking(s) },
      { label: `$(debug-stop) ${vscode.l10n.t('Stop Instance…')}`, run: () => this.actions.stopInstance(s) },
    ];
    const action = await this.ui.pick(actions, { title: s.name });
    await action?.run();
  }

  dispose(): void {
    if (this.timer !== undefined) this.clock.clearTimeout(this.timer);
    this.item.dispose();
    this.updated.dispose();
  }

  private describe(s: NotebookSession, now: number): string {
    const left = remaining(now, s.expiresAt);
    const where =
      s.target === 'editor'
        ? vscode.l10n.t('in VS Code')
        : s.target === 'integratedBrowser'
          ? vscode.l10n.t('in the Integrated Browser')
          : vscode.l10n.t('in the browser');
    const renews = s.renews && left > 0 ? ` · ${vscode.l10n.t('renews itself')}` : '';
    return `${left > 0 ? vscode.l10n.t('{0} left', formatRemaining(left, vscode.l10n)) : vscode.l10n.t('ended')}${renews} · ${where} · ${s.profile} · ${s.region}`;
  }

  private update(): void {
    if (this.timer !== undefined) this.clock.clearTimeout(this.timer);
    this.timer = undefined;
    this.updates++;
    const now = this.clock.now();
    const warningMs = this.warningMinutes() * 60_000;
    const stored = this.store.all(now);
    this.noticeExpired(stored, now);
    const sessions = [...this.ended, ...stored];
    const status = statusText(sessions, now, warningMs, vscode.l10n);
    if (!status) {
      this.item.hide();
      this.updated.fire();
      return;
    }
    this.item.text = status.text;
    this.item.accessibilityInformation = { label: status.accessibility };
    this.item.backgroundColor =
      status.phase === 'running'
        ? undefined
        : new vscode.ThemeColor(status.phase === 'warning' ? 'statusBarItem.warningBackground' : 'statusBarItem.errorBackground');
    this.item.tooltip = this.tooltip(sessions, now);
    this.item.show();
    // A session the extension holds renews itself before the warning would come: nothing to warn about.
    for (const s of stored) if (!s.renews && remaining(now, s.expiresAt) <= warningMs) this.warn(s);
    const next = Math.min(...stored.map((s) => nextUpdateIn(remaining(now, s.expiresAt), warningMs)));
    if (Number.isFinite(next)) this.timer = this.clock.setTimeout(() => this.update(), next);
    this.updated.fire();
  }

  /** The time left of the instance's session as shown in the status bar, if it has one. */
  timeLeft(arn: string): string | undefined {
    const session = this.sessions().find((s) => s.arn === arn);
    if (!session) return undefined;
    const left = remaining(this.clock.now(), session.expiresAt);
    return left > 0 ? vscode.l10n.t('{0} left', formatRemaining(left, vscode.l10n)) : vscode.l10n.t('Session ended');
  }

  /** Sessions this window knew that are gone from the store because they ran out. */
  private noticeExpired(stored: NotebookSession[], now: number): void {
    const current = new Set(stored.map(key));
    for (const s of this.previous) {
      if (!current.has(key(s)) && s.expiresAt <= now && !this.ended.some((e) => sameInstance(e, s))) {
        this.ended.push(s);
        this.actions.ended(s, 'expired');
        this.notify(vscode.l10n.t('The notebook session of {0} has ended.', s.name), s, false);
      }
    }
    this.previous = stored;
  }

  private warn(s: NotebookSession): void {
    if (this.warned.has(key(s))) return;
    this.warned.add(key(s));
    const left = durationInWords(remaining(this.clock.now(), s.expiresAt), vscode.l10n);
    this.notify(vscode.l10n.t('The notebook session of {0} ends in {1}.', s.name, left), s, true);
  }

  private notify(message: string, s: NotebookSession, warning: boolean): void {
    const renew = vscode.l10n.t('Renew');
    const dismiss = vscode.l10n.t('Dismiss');
    void (warning ? this.ui.warn(message, renew, dismiss) : this.ui.error(message, renew, dismiss)).then(async (choice) => {
      if (choice === renew) await this.actions.renew(s).catch((e) => this.logger.error(e));
      else if (choice === dismiss && !warning) {
        this.ended = this.ended.filter((e) => !sameInstance(e, s));
        this.update();
      }
    });
  }

  private tooltip(sessions: NotebookSession[], now: number): vscode.MarkdownString {
    const md = new vscode.MarkdownString(`**${vscode.l10n.t('Notebook sessions')}**\n\n`, true);
    md.isTrusted = { enabledCommands: ['sagemakerNotebooks.showSessions'] };
    for (const s of sessions) md.appendMarkdown(`- $(notebook) ${escapeMarkdown(s.name)}: ${escapeMarkdown(this.describe(s, now))}\n`);
    md.appendMarkdown(`\n[${vscode.l10n.t('Reopen, renew or stop…')}](command:sagemakerNotebooks.showSessions)`);
    return md;
  }
}
