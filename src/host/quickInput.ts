import * as vscode from 'vscode';

/**
 * A small multi-step quick input (after vscode-extension-samples' quickinput-sample, without its
 * class machinery): each step shows "Title (2/4)", a Back button from step 2 on, and resolves to a
 * value, 'back' or 'cancel'. `runSteps` walks the steps and goes back when asked.
 */
export type StepResult<T> = { readonly kind: 'value'; readonly value: T } | { readonly kind: 'back' } | { readonly kind: 'cancel' };

export interface StepPosition {
  readonly title: string;
  readonly step: number;
  readonly totalSteps: number;
}

export interface PickItem<T> extends vscode.QuickPickItem {
  readonly value: T;
}

export interface PickOptions<T> extends StepPosition {
  readonly placeholder: string;
  readonly items: readonly PickItem<T>[];
  /** The item selected when the pick opens (the last choice). */
  readonly active?: T | undefined;
}

export interface TextValidation {
  readonly error?: string | undefined;
  /** Accepted, but worth saying (for example a size that will be mapped). */
  readonly warning?: string | undefined;
}

export interface TextOptions extends StepPosition {
  readonly prompt: string;
  readonly placeholder?: string | undefined;
  readonly value?: string | undefined;
  readonly password?: boolean | undefined;
  /** Runs as the user types; an error blocks Enter. */
  validate(text: string): TextValidation;
}

export function pickOne<T>(options: PickOptions<T>): Promise<StepResult<T>> {
  const pick = vscode.window.createQuickPick<PickItem<T>>();
  pick.title = options.title;
  pick.step = options.step;
  pick.totalSteps = options.totalSteps;
  pick.placeholder = options.placeholder;
  pick.ignoreFocusOut = true;
  pick.matchOnDescription = true;
  pick.items = options.items;
  const active = options.items.find((item) => item.value === options.active);
  if (active) pick.activeItems = [active];
  if (options.step > 1) pick.buttons = [vscode.QuickInputButtons.Back];
  return settle(pick, (finish) => [
    pick.onDidAccept(() => {
      const chosen = pick.selectedItems[0] ?? pick.activeItems[0];
      if (chosen) finish({ kind: 'value', value: chosen.value });
    }),
  ]);
}

export function inputText(options: TextOptions): Promise<StepResult<string>> {
  const input = vscode.window.createInputBox();
  input.title = options.title;
  input.step = options.step;
  input.totalSteps = options.totalSteps;
  input.prompt = options.prompt;
  input.placeholder = options.placeholder;
  input.value = options.value ?? '';
  input.password = options.password ?? false;
  input.ignoreFocusOut = true;
  if (options.step > 1) input.buttons = [vscode.QuickInputButtons.Back];
  const validate = (text: string): boolean => {
    const result = options.validate(text);
    input.validationMessage = result.error
      ? { message: result.error, severity: vscode.InputBoxValidationSeverity.Error }
      : result.warning
        ? { message: result.warning, severity: vscode.InputBoxValidationSeverity.Warning }
        : undefined;
    return result.error === undefined;
  };
  return settle(input, (finish) => [
    // Validated as the user types, but an empty box is not flagged before they type anything.
    input.onDidChangeValue((text) => void validate(text)),
    input.onDidAccept(() => {
      if (validate(input.value)) finish({ kind: 'value', value: input.value });
    }),
  ]);
}

/** Shared plumbing: Back button, hide = cancel, dispose once. */
function settle<T>(
  widget: vscode.QuickInput & { readonly onDidTriggerButton: vscode.Event<vscode.QuickInputButton> },
  wire: (finish: (result: StepResult<T>) => void) => vscode.Disposable[],
): Promise<StepResult<T>> {
  return new Promise((resolve) => {
    let done = false;
    const disposables: vscode.Disposable[] = [];
    const finish = (result: StepResult<T>): void => {
      if (done) return;
      done = true;
      resolve(result);
      for (const disposable of disposables) disposable.dispose();
      widget.dispose();
    };
    disposables.push(
      ...wire(finish),
      widget.onDidTriggerButton((button) => {
        if (button === vscode.QuickInputButtons.Back) finish({ kind: 'back' });
      }),
      widget.onDidHide(() => finish({ kind: 'cancel' })),
    );
    widget.show();
  });
}

/**
 * Runs steps in order; a step returns 'next', 'back' or 'cancel'. Steps may be skipped by
 * returning 'skip', which moves on in the direction the user was going.
 */
export type StepOutcome = 'next' | 'back' | 'cancel' | 'skip';

export async function runSteps(steps: readonly (() => Promise<StepOutcome>)[]): Promise<boolean> {
  let index = 0;
  let direction: 1 | -1 = 1;
  while (index < steps.length) {
    if (index < 0) index = 0;
    const outcome = await (steps[index] as () => Promise<StepOutcome>)();
    if (outcome === 'cancel') return false;
    if (outcome === 'skip') {
      index += direction;
      if (index < 0) {
        index = 0;
        direction = 1;
      }
      continue;
    }
    direction = outcome === 'back' ? -1 : 1;
    index += direction;
  }
  return true;
}
