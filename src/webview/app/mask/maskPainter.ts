import { MaskDocument, maxBrushSize, minBrushSize } from '../../../core/mask/maskDocument';
import type { MaskOperation } from '../../../core/mask/maskDocument';
import { createRaster, fromRuns, paintedCount } from '../../../core/mask/maskRaster';
import type { MaskEdit, MaskEditChoice } from '../../maskProtocol';
import { t } from '../../l10nText';
import { noMaskSentence } from '../../maskText';
import { MaskOverlay } from './maskOverlay';
import type { BrushState } from './maskOverlay';
import { adoptMaskStyles } from './maskStyles';

/** What the painter shows: the image (a webview URI) at its own pixel size, and how it may be edited. */
export interface MaskPainterOptions {
  readonly src: string;
  readonly imageName: string;
  readonly maskName: string;
  readonly width: number;
  readonly height: number;
  /** An existing mask as run lengths (core/mask/maskRaster.ts toRuns): the base layer. */
  readonly baseRuns?: readonly number[] | undefined;
  /** A sentence about the existing mask (continued, or why not). */
  readonly note?: string | undefined;
  /** Operations to replay on the base (a draft from before the page reloaded). */
  readonly operations?: readonly MaskOperation[] | undefined;
  readonly choices: readonly MaskEditChoice[];
  readonly chosen: number;
  /** The prompt to start with. */
  readonly prompt?: string | undefined;
}

/** A save's outcome as the page learns it (the host's `done`). */
export interface MaskSaveReply {
  readonly error?: string | undefined;
  readonly info?: string | undefined;
}

export interface MaskPainterCallbacks {
  /** Writes the mask; with `edit`, also runs the edit. Resolves once the host answered. */
  save(operations: readonly MaskOperation[], edit: MaskEdit | undefined): Promise<MaskSaveReply>;
  /** After every finished change (a stroke lifted, undo, clear…, the prompt typed), for drafts. */
  change?(operations: readonly MaskOperation[], prompt: string): void;
  /** The user chose "Back to the Studio". */
  close?(): void;
}

export interface MaskPainterHandle {
  /** The host's line once the mask is written and the edit starts ("Saved … Editing with …"). */
  progress(text: string): void;
  dispose(): void;
}

function element<K extends keyof HTMLElementTagNameMap>(tag: K, attributes: Record<string, string> = {}, text?: string): HTMLElementTagNameMap[K] {
  const node = document.createElement(tag);
  for (const [name, value] of Object.entries(attributes)) node.setAttribute(name, value);
  if (text !== undefined) node.textContent = text;
  return node;
}

function toolButton(label: string, testId: string, shortcut: string): HTMLButtonElement {
  const button = element('button', { type: 'button', 'data-testid': testId, 'aria-keyshortcuts': shortcut, title: `${label} (${shortcut})` }, label);
  return button;
}

/**
 * Mounts the mask painter in `container` (docs/architecture.md, "The mask painter"): the image with
 * the mask over it, a toolbar (brush, eraser, size, undo, redo, clear, invert), the provider to edit
 * with, the prompt, and "Save mask" / "Save mask and edit…". Plain DOM, no framework: any Studio
 * page can mount it. Keys: B brush, E eraser, [ and ] size, Ctrl+Z undo, Ctrl+Shift+Z or Ctrl+Y redo.
 */
export function mountMaskPainter(container: HTMLElement, options: MaskPainterOptions, callbacks: MaskPainterCallbacks): MaskPainterHandle {
  adoptMaskStyles();
  const base = options.baseRuns ? fromRuns(options.width, options.height, options.baseRuns) : createRaster(options.width, options.height);
  const mask = new MaskDocument(base);
  const brush: BrushState = { tool: 'brush', size: Math.max(8, Math.round(Math.min(options.width, options.height) / 16)) };
  const total = options.width * options.height;

  const root = element('section', { class: 'mask-painter', 'data-testid': 'mask-painter', 'aria-label': t('Mask painter: {0}', options.imageName) });
  const back = element('button', { type: 'button', 'data-testid': 'mask-back' }, t('Back to the Studio'));
  const heading = element('div', { class: 'mask-heading' });
  heading.append(element('h2', {}, t('Paint where {0} may change', options.imageName)), back);
  const note = element('p', { class: 'hint', 'data-testid': 'mask-note' }, options.note ?? t('The mask is saved as {0} beside the image.', options.maskName));

  const brushButton = toolButton(t('Brush'), 'mask-brush', 'B');
  const eraserButton = toolButton(t('Eraser'), 'mask-eraser', 'E');
  const size = element('input', { type: 'range', min: String(minBrushSize), max: String(Math.min(maxBrushSize, Math.max(options.width, options.height))), 'data-testid': 'mask-size', 'aria-keyshortcuts': '[ ]' });
  size.value = String(brush.size);
  const sizeLabel = element('label', { class: 'mask-size' }, `${t('Size')} `);
  const sizeValue = element('output', { 'data-testid': 'mask-size-value' });
  sizeLabel.append(size, sizeValue);
  const undo = toolButton(t('Undo'), 'mask-undo', 'Control+Z');
  const redo = toolButton(t('Redo'), 'mask-redo', 'Control+Shift+Z');
  const clear = toolButton(t('Clear'), 'mask-clear', 'Delete');
  const invert = toolButton(t('Invert'), 'mask-invert', 'I');
  const toolbar = element('div', { role: 'toolbar', 'aria-label': t('Mask tools'), class: 'mask-toolbar' });
  toolbar.append(brushButton, eraserButton, sizeLabel, undo, redo, clear, invert);

  const painted = element('p', { class: 'mask-painted', 'data-testid': 'mask-painted', 'aria-live': 'polite' });
  const overlay = new MaskOverlay(mask, options.src, options.imageName, brush, (finished) => {
    if (finished) changed();
  });

  const choice = element('select', { 'data-testid': 'mask-provider', id: 'mask-provider' });
  options.choices.forEach((item, index) => {
    const option = element('option', { value: String(index) }, item.mask && !item.unusable ? item.label : t('{0} (no mask)', item.label));
    option.selected = index === options.chosen;
    choice.append(option);
  });
  const choiceLabel = element('label', { for: 'mask-provider' }, t('Edit with'));
  const warning = element('p', { class: 'mask-warning', 'data-testid': 'mask-warning', role: 'alert' });
  const prompt = element('textarea', { 'data-testid': 'mask-prompt', id: 'mask-prompt', rows: '3', placeholder: t('What should change in the painted area?') });
  prompt.value = options.prompt ?? '';
  const promptLabel = element('label', { for: 'mask-prompt' }, t('Describe the change'));
  const saveOnly = element('button', { type: 'button', 'data-testid': 'mask-save' }, t('Save mask'));
  const saveAndEdit = element('button', { type: 'button', class: 'primary', 'data-testid': 'mask-save-edit' }, t('Save mask and edit…'));
  const progress = element('p', { class: 'hint', 'data-testid': 'mask-saved', 'aria-live': 'polite' });
  const status = element('p', { class: 'status', 'data-testid': 'mask-status', role: 'status', 'aria-live': 'polite' });
  const actions = element('div', { class: 'row' });
  actions.append(saveOnly, saveAndEdit);
  const form = element('div', { class: 'mask-form' });
  form.append(choiceLabel, choice, warning, promptLabel, prompt, actions, progress, status);

  root.append(heading, note, toolbar, overlay.element, painted, form);
  container.replaceChildren(root);

  let pending = false;
  const selected = (): MaskEditChoice | undefined => options.choices[Number(choice.value)];

  function refresh(): void {
    brushButton.setAttribute('aria-pressed', String(brush.tool === 'brush'));
    eraserButton.setAttribute('aria-pressed', String(brush.tool === 'eraser'));
    size.value = String(brush.size);
    sizeValue.textContent = `${brush.size} px`;
    undo.disabled = !mask.canUndo;
    redo.disabled = !mask.canRedo;
    const count = paintedCount(mask.raster);
    painted.textContent =
      count === 0
        ? t('Nothing painted yet: the whole image is kept.')
        : t('{0} of {1} pixels may change ({2} %).', count.toLocaleString('en'), total.toLocaleString('en'), ((100 * count) / total).toFixed(1));
    const row = selected();
    // Said in the painter, before anything is sent (the host refuses the same edit too).
    const reason = !row ? t('Choose a provider.') : row.unusable ?? (row.mask ? undefined : noMaskSentence(row, options.choices));
    warning.textContent = reason ?? '';
    warning.hidden = reason === undefined;
    saveOnly.disabled = pending;
    saveAndEdit.disabled = pending || reason !== undefined || count === 0 || prompt.value.trim() === '';
  }

  function changed(): void {
    refresh();
    callbacks.change?.(mask.operations, prompt.value);
  }

  function run(operation: MaskOperation): void {
    overlay.apply(operation);
    changed();
  }

  function history(step: 'undo' | 'redo'): void {
    if (step === 'undo' ? mask.undo() : mask.redo()) {
      overlay.redraw();
      changed();
    }
  }

  function setSize(value: number): void {
    brush.size = Math.min(Number(size.max), Math.max(minBrushSize, Math.round(value)));
    refresh();
  }

  function show(text: string, kind: 'info' | 'error' = 'info'): void {
    status.textContent = text;
    status.className = `status ${kind}`;
  }

  async function save(withEdit: boolean): Promise<void> {
    const row = selected();
    const edit = withEdit && row ? { provider: row.provider, model: row.model, prompt: prompt.value.trim() } : undefined;
    pending = true;
    refresh();
    progress.textContent = '';
    show(withEdit ? t('Saving the mask…') : t('Saving {0}…', options.maskName));
    try {
      const reply = await callbacks.save(mask.operations, edit);
      if (reply.error) show(reply.error, 'error');
      else show(reply.info ?? (withEdit ? t('The edit finished: see the job below.') : t('Saved {0}.', options.maskName)));
    } finally {
      pending = false;
      refresh();
    }
  }

  brushButton.addEventListener('click', () => ((brush.tool = 'brush'), refresh()));
  eraserButton.addEventListener('click', () => ((brush.tool = 'eraser'), refresh()));
  size.addEventListener('input', () => setSize(Number(size.value)));
  undo.addEventListener('click', () => history('undo'));
  redo.addEventListener('click', () => history('redo'));
  clear.addEventListener('click', () => run({ kind: 'clear' }));
  invert.addEventListener('click', () => run({ kind: 'invert' }));
  choice.addEventListener('change', refresh);
  prompt.addEventListener('input', changed);
  saveOnly.addEventListener('click', () => void save(false));
  saveAndEdit.addEventListener('click', () => void save(true));
  back.addEventListener('click', () => callbacks.close?.());

  const keys = (event: KeyboardEvent): void => {
    const target = event.target as HTMLElement | null;
    if (target && (target.tagName === 'TEXTAREA' || target.tagName === 'SELECT' || (target.tagName === 'INPUT' && target !== size))) return;
    const key = event.key.toLowerCase();
    const command = event.ctrlKey || event.metaKey;
    if (command && key === 'z') history(event.shiftKey ? 'redo' : 'undo');
    else if (command && key === 'y') history('redo');
    else if (command || event.altKey) return;
    else if (key === 'b') brush.tool = 'brush';
    else if (key === 'e') brush.tool = 'eraser';
    else if (key === 'i') run({ kind: 'invert' });
    else if (key === 'delete') run({ kind: 'clear' });
    else if (key === '[') setSize(brush.size * 0.8);
    else if (key === ']') setSize(brush.size * 1.25 + 1);
    else return;
    event.preventDefault();
    refresh();
  };
  // On the document: after a stroke the focus is on the page, not on a control of the painter.
  document.addEventListener('keydown', keys);

  for (const operation of options.operations ?? []) mask.apply(operation);
  if ((options.operations ?? []).length > 0) overlay.redraw();
  refresh();
  return {
    progress: (text) => {
      progress.textContent = text;
    },
    dispose: () => {
      document.removeEventListener('keydown', keys);
      root.remove();
    },
  };
}
