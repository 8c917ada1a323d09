import * as vscode from 'vscode';
import type { ModelCapability } from '../core/capabilities';
import type { DefaultEditSize, EditProviderChoice } from '../core/editDefaults';
import type { ProviderId, Quality } from '../core/ids';
import { formatSizeIntent, freeSizeRulesText, parseSizeIntent, resolveSize } from '../core/size';

/** The questions "Edit Image…" asks, one quick input each; undefined means the user cancelled. */

const title = (step: number, of: number, what: string): string => vscode.l10n.t('Edit Image ({0}/{1}): {2}', step, of, what);

interface PromptItem extends vscode.QuickPickItem {
  readonly prompt: string;
}

/**
 * The edit instruction, with recent edit prompts offered below what is typed. What is typed always
 * stays the first item, so Enter never silently picks a recent prompt that merely matches it.
 */
export function askEditPrompt(recent: readonly string[], imageLabel: string): Promise<string | undefined> {
  const pick = vscode.window.createQuickPick<PromptItem>();
  pick.title = title(1, 5, `describe the change to ${imageLabel}`);
  pick.placeholder = vscode.l10n.t('For example: replace the sky with a sunset, keep everything else');
  pick.ignoreFocusOut = true;
  pick.matchOnDescription = false;
  const recentItems: PromptItem[] = recent.map((prompt) => ({ label: prompt, prompt, description: vscode.l10n.t('recent') }));
  const refresh = (): void => {
    const typed = pick.value.trim();
    pick.items = typed === '' ? recentItems : [{ label: typed, prompt: typed, alwaysShow: true }, ...recentItems.filter((item) => item.prompt !== typed)];
  };
  refresh();
  return new Promise((resolve) => {
    let settled = false;
    const finish = (value: string | undefined): void => {
      if (settled) return;
      settled = true;
      resolve(value);
      pick.dispose();
    };
    pick.onDidChangeValue(refresh);
    pick.onDidAccept(() => {
      const chosen = pick.selectedItems[0]?.prompt ?? pick.value.trim();
      if (chosen !== '') finish(chosen);
    });
    pick.onDidHide(() => finish(undefined));
    pick.show();
  });
}

interface ProviderItem extends vscode.QuickPickItem {
  readonly choice: EditProviderChoice;
}

/** Every provider is listed; one that cannot take a local file says so instead of disappearing. */
export async function askEditProvider(choices: readonly EditProviderChoice[], last: ProviderId | undefined): Promise<EditProviderChoice | undefined> {
  const items: ProviderItem[] = choices.map((choice) => ({
    label: choice.usable ? choice.label : `$(circle-slash) ${choice.label}`,
    description: choice.usable ? (choice.provider === last ? vscode.l10n.t('last used') : undefined) : vscode.l10n.t('not for workspace files'),
    detail: choice.detail,
    choice,
  }));
  items.sort((a, b) => rank(a.choice, last) - rank(b.choice, last));
  const picked = await vscode.window.showQuickPick(items, { title: title(2, 5, vscode.l10n.t('provider')), ignoreFocusOut: true, matchOnDetail: true });
  return picked?.choice;
}

function rank(choice: EditProviderChoice, last: ProviderId | undefined): number {
  if (!choice.usable) return 2;
  return choice.provider === last ? 0 : 1;
}

interface SizeItem extends vscode.QuickPickItem {
  readonly size: string | 'custom';
}

/** The input's own size first (or the nearest allowed), then the provider's sizes. */
export async function askEditSize(
  capability: ModelCapability,
  providerLabel: string,
  original: { readonly width: number; readonly height: number },
  fallback: DefaultEditSize,
): Promise<string | undefined> {
  const originalText = `${original.width}x${original.height}`;
  const items: SizeItem[] = [
    {
      label: fallback.size,
      description: fallback.exact ? vscode.l10n.t('same as the original') : vscode.l10n.t('nearest to the original {0}', originalText),
      detail: fallback.note,
      size: fallback.size,
    },
  ];
  const rule = capability.size;
  const presets = rule.kind === 'aspectTier' ? rule.aspects.flatMap((aspect) => rule.tiers.map((tier) => formatSizeIntent({ kind: 'aspect', aspect, tier }))) : rule.presets;
  for (const preset of presets) if (preset !== fallback.size) items.push({ label: preset, size: preset });
  if (rule.kind === 'free') {
    items.push({ label: 'auto', description: vscode.l10n.t('let the model choose'), size: 'auto' });
    items.push({ label: vscode.l10n.t('Custom size…'), description: 'WIDTHxHEIGHT', size: 'custom' });
  }
  const picked = await vscode.window.showQuickPick(items, { title: title(3, 5, vscode.l10n.t('size ({0})', providerLabel)), ignoreFocusOut: true });
  if (!picked) return undefined;
  if (picked.size !== 'custom') return picked.size;
  return vscode.window.showInputBox({
    title: title(3, 5, vscode.l10n.t('custom size')),
    value: originalText,
    prompt: freeSizeRulesText,
    ignoreFocusOut: true,
    validateInput: (value) => {
      const intent = parseSizeIntent(value);
      if (typeof intent === 'string') return intent;
      const resolved = resolveSize(intent, rule, providerLabel);
      return resolved.ok ? undefined : resolved.error;
    },
  });
}

/** Skipped (undefined without asking) when the provider has no quality control. */
export async function askEditQuality(capability: ModelCapability, last: Quality | undefined): Promise<Quality | undefined | 'cancelled'> {
  if (capability.qualities.length === 0) return undefined;
  const preferred = last !== undefined && capability.qualities.includes(last) ? last : capability.defaultQuality;
  const items = capability.qualities.map((quality) => ({
    label: quality,
    description: quality === preferred ? (quality === last ? vscode.l10n.t('last used') : vscode.l10n.t('default')) : undefined,
    quality,
  }));
  items.sort((a, b) => Number(b.quality === preferred) - Number(a.quality === preferred));
  const picked = await vscode.window.showQuickPick(items, { title: title(4, 5, vscode.l10n.t('quality')), ignoreFocusOut: true });
  return picked ? picked.quality : 'cancelled';
}

export type MaskAnswer = { readonly kind: 'none' } | { readonly kind: 'file'; readonly uri: vscode.Uri } | { readonly kind: 'pick' };

/** No mask, the `<name>.mask.png` found beside the image (offered first), or a picked PNG. */
export async function askEditMask(found: vscode.Uri | undefined, foundLabel: string | undefined): Promise<MaskAnswer | undefined> {
  type MaskItem = vscode.QuickPickItem & { readonly answer: MaskAnswer };
  const items: MaskItem[] = [];
  if (found) items.push({ label: foundLabel === undefined ? vscode.l10n.t('Use the mask beside the image') : vscode.l10n.t('Use {0}', foundLabel), description: vscode.l10n.t('found beside the image'), answer: { kind: 'file', uri: found } });
  items.push({ label: vscode.l10n.t('No mask'), description: vscode.l10n.t('the model decides what to change'), answer: { kind: 'none' } });
  items.push({ label: vscode.l10n.t('Choose a mask file…'), description: vscode.l10n.t('PNG, transparent where the image may change'), answer: { kind: 'pick' } });
  const picked = await vscode.window.showQuickPick(items, { title: title(5, 5, vscode.l10n.t('mask')), ignoreFocusOut: true });
  return picked?.answer;
}
