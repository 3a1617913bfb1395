// Multi-step input with a back button, after microsoft/vscode-extension-samples'
// quickinput-sample: each step is a function that shows one quick pick or input box and
// returns the next step; Back re-runs the previous step, Escape cancels the whole flow.
import * as vscode from 'vscode';

class InputFlowAction {
  static readonly back = new InputFlowAction();
  static readonly cancel = new InputFlowAction();
}

export type InputStep = (input: MultiStepInput) => Thenable<InputStep | void>;

export interface QuickPickParameters<T extends vscode.QuickPickItem> {
  title: string;
  step: number;
  totalSteps: number;
  items: readonly T[];
  placeholder: string;
  activeItem?: T;
  matchOnDescription?: boolean;
  matchOnDetail?: boolean;
  /** Offers what was typed as an item of its own (e.g. an audience the list does not have). */
  custom?: (typed: string) => T | undefined;
}

export interface InputBoxParameters {
  title: string;
  step: number;
  totalSteps: number;
  value: string;
  prompt: string;
  placeholder?: string;
  /** Returns why the value is not acceptable, or undefined when it is. */
  validate: (value: string) => string | undefined;
}

export class MultiStepInput {
  private current: vscode.QuickInput | undefined;
  private readonly steps: InputStep[] = [];

  /** Runs a flow; resolves true when it ran to the end, false when cancelled. */
  static async run(start: InputStep): Promise<boolean> {
    return new MultiStepInput().stepThrough(start);
  }

  private async stepThrough(start: InputStep): Promise<boolean> {
    let step: InputStep | void = start;
    let completed = true;
    while (step) {
      this.steps.push(step);
      if (this.current) {
        this.current.enabled = false;
        this.current.busy = true;
      }
      try {
        step = await step(this);
      } catch (error) {
        if (error === InputFlowAction.back) {
          this.steps.pop();
          step = this.steps.pop();
        } else if (error === InputFlowAction.cancel) {
          step = undefined;
          completed = false;
        } else {
          this.current?.dispose();
          throw error;
        }
      }
    }
    this.current?.dispose();
    return completed;
  }

  private show(input: vscode.QuickInput): void {
    this.current?.dispose();
    this.current = input;
    input.show();
  }

  async showQuickPick<T extends vscode.QuickPickItem>(p: QuickPickParameters<T>): Promise<T> {
    const disposables: vscode.Disposable[] = [];
    try {
      return await new Promise<T>((resolve, reject) => {
        const pick = vscode.window.createQuickPick<T>();
        pick.title = p.title;
        pick.step = p.step;
        pick.totalSteps = p.totalSteps;
        pick.placeholder = p.placeholder;
        pick.ignoreFocusOut = true;
        pick.matchOnDescription = p.matchOnDescription ?? true;
        pick.matchOnDetail = p.matchOnDetail ?? false;
        pick.items = p.items;
        if (p.activeItem) pick.activeItems = [p.activeItem];
        pick.buttons = this.steps.length > 1 ? [vscode.QuickInputButtons.Back] : [];
        disposables.push(
          pick.onDidTriggerButton(button => {
            if (button === vscode.QuickInputButtons.Back) reject(InputFlowAction.back);
          }),
          pick.onDidAccept(() => {
            const chosen = pick.selectedItems[0] ?? pick.activeItems[0];
            if (chosen) resolve(chosen);
          }),
          pick.onDidHide(() => reject(InputFlowAction.cancel)),
        );
        if (p.custom) {
          const custom = p.custom;
          disposables.push(
            pick.onDidChangeValue(typed => {
              const extra = typed.trim() ? custom(typed.trim()) : undefined;
              pick.items = extra && !p.items.some(i => i.label === extra.label) ? [...p.items, extra] : p.items;
            }),
          );
        }
        this.show(pick);
      });
    } finally {
      for (const d of disposables) d.dispose();
    }
  }

  /** Several at once (checkboxes): resolves the items ticked — none is an answer too. */
  async showQuickPickMany<T extends vscode.QuickPickItem>(p: Omit<QuickPickParameters<T>, 'activeItem' | 'custom'>): Promise<T[]> {
    const disposables: vscode.Disposable[] = [];
    try {
      return await new Promise<T[]>((resolve, reject) => {
        const pick = vscode.window.createQuickPick<T>();
        pick.title = p.title;
        pick.step = p.step;
        pick.totalSteps = p.totalSteps;
        pick.placeholder = p.placeholder;
        pick.ignoreFocusOut = true;
        pick.canSelectMany = true;
        pick.matchOnDescription = p.matchOnDescription ?? true;
        pick.matchOnDetail = p.matchOnDetail ?? false;
        pick.items = p.items;
        pick.buttons = this.steps.length > 1 ? [vscode.QuickInputButtons.Back] : [];
        disposables.push(
          pick.onDidTriggerButton(button => {
            if (button === vscode.QuickInputButtons.Back) reject(InputFlowAction.back);
          }),
          pick.onDidAccept(() => resolve([...pick.selectedItems])),
          pick.onDidHide(() => reject(InputFlowAction.cancel)),
        );
        this.show(pick);
      });
    } finally {
      for (const d of disposables) d.dispose();
    }
  }

  async showInputBox(p: InputBoxParameters): Promise<string> {
    const disposables: vscode.Disposable[] = [];
    try {
      return await new Promise<string>((resolve, reject) => {
        const box = vscode.window.createInputBox();
        box.title = p.title;
        box.step = p.step;
        box.totalSteps = p.totalSteps;
        box.value = p.value;
        box.prompt = p.prompt;
        box.placeholder = p.placeholder;
        box.ignoreFocusOut = true;
        box.buttons = this.steps.length > 1 ? [vscode.QuickInputButtons.Back] : [];
        disposables.push(
          box.onDidTriggerButton(button => {
            if (button === vscode.QuickInputButtons.Back) reject(InputFlowAction.back);
          }),
          box.onDidAccept(() => {
            const problem = p.validate(box.value);
            box.validationMessage = problem;
            if (!problem) resolve(box.value);
          }),
          box.onDidChangeValue(value => {
            box.validationMessage = value ? p.validate(value) : undefined;
          }),
          box.onDidHide(() => reject(InputFlowAction.cancel)),
        );
        this.show(box);
      });
    } finally {
      for (const d of disposables) d.dispose();
    }
  }
}
