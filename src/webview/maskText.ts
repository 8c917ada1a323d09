import { providerLabels } from '../core/ids';
import type { MaskEditChoice } from './maskProtocol';

/**
 * The sentence for a provider × model whose edit takes no mask, naming those that do. One text for
 * the painter (which says it before anything is sent) and the host (which refuses the same edit).
 */
export function noMaskSentence(choice: Pick<MaskEditChoice, 'provider' | 'model'>, choices: readonly MaskEditChoice[]): string {
  const others = [...new Set(choices.filter((row) => row.mask && row.unusable === undefined).map((row) => providerLabels[row.provider]))];
  const instead = others.length > 0 ? ` Choose ${others.join(' or ')} to edit with the painted mask.` : '';
  return `${providerLabels[choice.provider]} edits with ${choice.model} take no mask.${instead}`;
}
