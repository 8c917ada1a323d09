import type { ModelCapability } from '../core/capabilities';
import { defaultEditSize } from '../core/editDefaults';
import { providerLabels } from '../core/ids';
import type { ModelId, ProviderId, Quality } from '../core/ids';
import type { MaskEdit, MaskEditChoice } from './maskProtocol';
import { t } from './l10nText';
import { noMaskSentence } from './maskText';

/**
 * The editor-free decisions of the mask painter's host side (webview/studioMask.ts): which
 * provider × model rows it offers, which one it preselects, and whether an edit may be sent.
 * Everything here runs before any paid request.
 */

/** Every row, in table order; one that cannot take a workspace file says why. */
export function maskEditChoices(capabilities: readonly ModelCapability[]): MaskEditChoice[] {
  return capabilities.map((row) => ({
    provider: row.provider,
    model: row.model,
    label: `${providerLabels[row.provider]} · ${row.model}`,
    mask: row.edit.mask,
    unusable: row.edit.acceptsLocalFile ? undefined : `${providerLabels[row.provider]} needs a public https image URL and cannot edit a workspace file.`,
  }));
}

/** The settings' provider and model when that row takes a mask, else the first row that does. */
export function preferredChoice(choices: readonly MaskEditChoice[], provider: ProviderId, model: ModelId): number {
  const usable = (choice: MaskEditChoice): boolean => choice.mask && choice.unusable === undefined;
  const exact = choices.findIndex((choice) => choice.provider === provider && choice.model === model && usable(choice));
  if (exact >= 0) return exact;
  return Math.max(0, choices.findIndex(usable));
}

export type MaskEditPlan =
  | { readonly ok: true; readonly capability: ModelCapability; readonly size: string; readonly quality: Quality | undefined; readonly note: string | undefined }
  | { readonly ok: false; readonly error: string };

/**
 * Whether the edit may go ahead, and with which size and quality: a row that takes no mask, or
 * cannot take a workspace file, or an empty mask (nothing painted: the edit could change nothing)
 * is refused with the sentence to show; nothing is sent. The size is the image's own where the row
 * allows it (core/editDefaults.ts defaultEditSize), so the mask and the result line up.
 */
export function planMaskEdit(
  edit: MaskEdit,
  image: { readonly width: number; readonly height: number },
  paintedPixels: number,
  capabilities: readonly ModelCapability[],
): MaskEditPlan {
  const capability = capabilities.find((row) => row.provider === edit.provider && row.model === edit.model);
  const label = providerLabels[edit.provider];
  if (!capability) return { ok: false, error: t('{0} does not offer {1}.', label, edit.model) };
  const choices = maskEditChoices(capabilities);
  const choice = choices.find((row) => row.provider === edit.provider && row.model === edit.model);
  if (choice?.unusable) return { ok: false, error: choice.unusable };
  if (!capability.edit.mask) return { ok: false, error: noMaskSentence(capability, choices) };
  if (paintedPixels === 0) return { ok: false, error: t('Nothing is painted: paint where the image may change, then save.') };
  if (edit.prompt.trim() === '') return { ok: false, error: t('Describe the change first.') };
  const size = defaultEditSize(image.width, image.height, capability.size, label);
  return { ok: true, capability, size: size.size, quality: capability.defaultQuality, note: size.note };
}
