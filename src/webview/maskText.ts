import { providerLabels } from '../core/ids';
import type { MaskEditChoice } from './maskProtocol';
import { t } from './l10nText';

/**
 * The sentence for a provider × model whose edit takes no mask, naming those that do. One text for
 * the painter (which says it before anything is sent) and the host (which refuses the same edit).
 */
export function noMaskSentence(choice: Pick<MaskEditChoice, 'provider' | 'model'>, choices: readonly MaskEditChoice[]): string {
  const others = [...new Set(choices.filter((row) => row.mask && row.unusable === undefined).map((row) => providerLabels[row.provider]))];
  const none = t('{0} edits with {1} take no mask.', providerLabels[choice.provider], choice.model);
  return others.length > 0 ? `${none} ${t('Choose {0} to edit with the painted mask.', others.join(t(' or ')))}` : none;
}
