// Multi-step input as VS Code's own wizards do it: one quick pick or input box per step, "step n of m" in
// the title, a Back button from the second step on, validation as the user types, and the input kept when
// the user comes back. Commands talk to the Prompter interface; tests drive it with a scripted one.
import vscode = require('vscode');

// A registered symbol: the tests' copy of this module (out/) and the extension's (dist/) must agree on it.
export const BACK: unique symbol = Symbol.for('sagemakerNotebooks.wizard.back') as never;
export type Answer<T> = T | typeof BACK | undefined;

export interface StepInfo {
  readonly title: string;
  readonly step: number;
  readonly totalSteps: number;
}

export interface PickStep<T extends vscode.QuickPickItem> extends StepInfo {
  readonly placeholder: string;
  readonly items: readonly T[];
  readonly active?: T;
}

export interface InputStep extends StepInfo {
  readonly prompt: string;
  readonly value?: string;
  readonly placeholder?: string;
  /** A message while the value is not acceptable; undefined when it is. */
  validate(value: string): string | undefined;
}

export interface Prompter {
  pick<T extends vscode.QuickPickItem>(step: PickStep<T>): Promise<Answer<T>>;
  input(step: InputStep): Promise<Answer<string>>;
}

/** Runs steps in order; a step answering BACK goes to the previous one, undefined cancels (returns false). */
export async function runSteps(steps: readonly (() => Promise<Answer<unknown>>)[]): Promise<boolean> {
  let i = 0;
  while (i < steps.length) {
    const answer = await steps[i]();
    if (answer === undefined) return false;
    i = answer === BACK ? Math.max(0, i - 1) : i + 1;
  }
  return true;
}

export const quickInputPrompter: Prompter = {
  pick<T extends vscode.QuickPickItem>(step: PickStep<T>): Promise<Answer<T>> {
    const qp = vscode.window.createQuickPick<T>();
    qp.title = step.title;
    qp.step = step.step;
    qp.totalSteps = step.totalSteps;
    qp.placeholder = step.placeholder;
    qp.items = step.items;
    qp.ignoreFocusOut = true;
    qp.matchOnDescription = true;
    if (step.active) qp.activeItems = [step.active];
    qp.buttons = step.step > 1 ? [vscode.QuickInputButtons.Back] : [];
    return new Promise<Answer<T>>((resolve) => {
      let done = false;
      const finish = (value: Answer<T>) => {
        if (done) return;
        done = true;
        resolve(value);
        qp.dispose();
      };
      qp.onDidTriggerButton((b) => b === vscode.QuickInputButtons.Back && finish(BACK));
      qp.onDidAccept(() => qp.selectedItems[0] && finish(qp.selectedItems[0]));
      qp.onDidHide(() => finish(undefined));
      qp.show();
    });
  },

  input(step: InputStep): Promise<Answer<string>> {
    const box = vscode.window.createInputBox();
    box.title = step.title;
    box.step = step.step;
    box.totalSteps = step.totalSteps;
    box.prompt = step.prompt;
    box.placeholder = step.placeholder;
    box.value = step.value ?? '';
    box.ignoreFocusOut = true;
    box.buttons = step.step > 1 ? [vscode.QuickInputButtons.Back] : [];
    const check = () => (box.validationMessage = step.validate(box.value));
    check();
    return new Promise<Answer<string>>((resolve) => {
      let done = false;
      const finish = (value: Answer<string>) => {
        if (done) return;
        done = true;
        resolve(value);
        box.dispose();
      };
      box.onDidChangeValue(check);
      box.onDidTriggerButton((b) => b === vscode.QuickInputButtons.Back && finish(BACK));
      box.onDidAccept(() => !check() && finish(box.value));
      box.onDidHide(() => finish(undefined));
      box.show();
    });
  },
};

/** A prompter answering from a script, for tests: each answer a pick's label, an input's text, or BACK. */
export class ScriptedPrompter implements Prompter {
  /** Every step shown: its title, step number and, for inputs, each validation message met. */
  readonly shown: { title: string; step: number; kind: 'pick' | 'input'; prompt: string; labels?: string[]; messages?: string[] }[] = [];

  constructor(private readonly answers: (string | typeof BACK)[]) {}

  async pick<T extends vscode.QuickPickItem>(step: PickStep<T>): Promise<Answer<T>> {
    this.shown.push({ title: step.title, step: step.step, kind: 'pick', prompt: step.placeholder, labels: step.items.map((i) => i.label) });
    const answer = this.answers.shift();
    if (answer === undefined || answer === BACK) return answer;
    const item = step.items.find((i) => i.label === answer && i.kind !== vscode.QuickPickItemKind.Separator);
    if (!item) throw new Error(`No item "${answer}" in step ${step.step} (${step.title}): ${step.items.map((i) => i.label).join(', ')}`);
    return item;
  }

  async input(step: InputStep): Promise<Answer<string>> {
    const messages: string[] = [];
    this.shown.push({ title: step.title, step: step.step, kind: 'input', prompt: step.prompt, messages });
    for (;;) {
      const answer = this.answers.shift();
      if (answer === undefined || answer === BACK) return answer;
      const message = step.validate(answer);
      if (!message) return answer;
      messages.push(message); // refused as the input box would: the next answer is the corrected value
    }
  }

  get remaining(): number {
    return this.answers.length;
  }
}
