import * as assert from 'assert';
import type * as vscode from 'vscode';
import type { Ui } from '../../src/shared/ui';
import { UiRecorder } from '../../src/shared/uiRecorder';

/** A window that answers every call at once, and says what reached it. */
function fakeWindow(reached: string[]): Ui {
  const item = { text: '', name: undefined, tooltip: undefined, accessibilityInformation: undefined } as unknown as vscode.StatusBarItem;
  return {
    info: async (m) => (reached.push(`info ${m}`), undefined),
    warn: async (m) => (reached.push(`warn ${m}`), undefined),
    error: async (m, ...buttons) => (reached.push(`error ${m}`), buttons[0]),
    confirm: async (m) => (reached.push(`confirm ${m}`), false),
    pick: async (items) => items[0],
    pickMany: async (items) => items,
    input: async (options) => {
      await options.validateInput?.('12');
      return '123456';
    },
    progress: (_options, task) => task({ report: () => undefined }, {} as vscode.CancellationToken),
    statusMessage: (t) => void reached.push(`status ${t}`),
    statusItem: () => item,
    openExternal: async (url) => (reached.push(`open ${url}`), true),
  };
}

describe('UiRecorder', () => {
  it('records every text shown: messages with buttons, questions, pick items, prompts, validation, progress, status', async () => {
    const reached: string[] = [];
    const recorder = new UiRecorder(fakeWindow(reached));
    const { ui } = recorder;
    await ui.info('Hello', 'OK');
    await ui.warn('Careful');
    assert.strictEqual(await ui.error('Failed', 'Show Log'), 'Show Log', 'the answer comes back from the window');
    assert.strictEqual(await ui.confirm('Stop it?', 'Kernels end.', 'Stop'), false);
    await ui.pick([{ label: 'nb-1', description: 'InService', detail: 'us-east-1' }], { title: 'Pick', placeHolder: 'Instance' });
    await ui.pickMany([{ label: 'eu-west-1', description: 'Ireland' }], { title: 'Regions' });
    await ui.input({ title: 'MFA', prompt: 'Code of device X', validateInput: (v) => (v.length === 6 ? undefined : 'Six digits') });
    await ui.progress({ location: 15, title: 'Waiting' }, async (progress) => progress.report({ message: 'now Pending' }));
    ui.statusMessage('Copied nb-1', 3000);
    const item = ui.statusItem('timer', 1, 50);
    item.text = '$(watch) nb-1 12h 0m';
    item.tooltip = { value: '**Notebook sessions**' } as vscode.MarkdownString;

    assert.deepStrictEqual(recorder.shownMessages(), ['Hello', 'Careful', 'Failed']);
    assert.deepStrictEqual(recorder.questions(), ['Stop it?']);
    assert.deepStrictEqual(recorder.texts(), [
      'Hello',
      'OK',
      'Careful',
      'Failed',
      'Show Log',
      'Stop it?',
      'Kernels end.',
      'Stop',
      'Pick',
      'Instance',
      'nb-1',
      'InService',
      'us-east-1',
      'Regions',
      'eu-west-1',
      'Ireland',
      'MFA',
      'Code of device X',
      'Six digits',
      'Waiting',
      'now Pending',
      'Copied nb-1',
      '$(watch) nb-1 12h 0m',
      '**Notebook sessions**',
    ]);
    assert.deepStrictEqual(reached, ['info Hello', 'warn Careful', 'error Failed', 'confirm Stop it?', 'status Copied nb-1']);
  });

  it('lets tests answer questions and catch URLs, and asks the window again once they stop', async () => {
    const reached: string[] = [];
    const recorder = new UiRecorder(fakeWindow(reached));
    const caught: string[] = [];
    recorder.setConfirm(async () => true);
    recorder.setOpenExternal(async (url) => (caught.push(url), true));
    assert.strictEqual(await recorder.ui.confirm('Start it?', '', 'Start'), true);
    await recorder.ui.openExternal('https://example.com/?authToken=a+b');
    assert.deepStrictEqual(caught, ['https://example.com/?authToken=a+b']);
    assert.deepStrictEqual(recorder.questions(), ['Start it?'], 'a question answered by a test is still recorded');
    recorder.setConfirm(undefined);
    recorder.setOpenExternal(undefined);
    await recorder.ui.confirm('Again?', '', 'Yes');
    await recorder.ui.openExternal('https://example.com/');
    assert.deepStrictEqual(reached, ['confirm Again?', 'open https://example.com/']);
  });

  it('hands each command error to one taker', () => {
    const recorder = new UiRecorder(fakeWindow([]));
    recorder.commandEnded('a', { kind: 'ok' });
    recorder.commandEnded('b', { kind: 'error', message: 'Could not open nb' });
    recorder.commandEnded('c', { kind: 'cancelled' });
    assert.deepStrictEqual(recorder.takeCommandErrors(), [{ command: 'b', message: 'Could not open nb' }]);
    assert.deepStrictEqual(recorder.takeCommandErrors(), []);
    assert.deepStrictEqual(
      recorder.commandOutcomes().map((o) => o.outcome.kind),
      ['ok', 'error', 'cancelled'],
    );
  });
});
