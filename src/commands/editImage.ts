import * as vscode from 'vscode';
import { capabilityFor } from '../core/capabilities';
import { defaultEditSize, editProviderChoices, rememberPrompt } from '../core/editDefaults';
import { buildEditRequest, issuesOf, problemsForEveryProvider } from '../core/editRequest';
import { InputError } from '../core/errors';
import { providerLabels } from '../core/ids';
import type { ModelId, ProviderId } from '../core/ids';
import { readImageInfo } from '../core/imageFormat';
import type { InputImage } from '../core/request';
import { askEditMask, askEditPrompt, askEditProvider, askEditQuality, askEditSize } from '../host/editQuestions';
import { resolveEditOutput } from '../host/editOutput';
import { collectEditTargets, findMaskBeside, pickMaskFile, readInputImage } from '../host/editTargets';
import { baseName } from '../host/imageUris';
import type { EditProviderChoice } from '../core/editDefaults';
import { runJobWithNotification } from '../host/jobViews';
import type { Services } from '../host/services';

const recentPromptsKey = 'gptImage.recentEditPrompts';
const lastProviderKey = 'gptImage.lastEditProvider';

/**
 * "Edit Image…" from the Explorer (one or several images), the image preview's title bar, or the
 * palette. Every input is checked before any paid request; the result is written as
 * `<name>-edit-<n>.<ext>` beside the original (never over it) and opened beside it to compare.
 */
export function createEditImageCommand(services: Services): (...args: unknown[]) => Promise<void> {
  return (...args) => editImage(services, args);
}

async function editImage(services: Services, args: readonly unknown[]): Promise<void> {
  const targets = await collectEditTargets(args);
  if (!targets) return;
  if (targets.skipped.length > 0) {
    const names = targets.skipped.map(baseName).join(', ');
    void vscode.window.showWarningMessage(vscode.l10n.t('Edit Image works on PNG, JPEG and WebP files; left out: {0}.', names));
  }
  const originals = targets.images;
  const original = originals[0];
  if (original === undefined) return;

  const model = services.settings.model();
  const images = await Promise.all(originals.map(readInputImage));
  const early = problemsForEveryProvider(model, images);
  if (early.length > 0) throw new InputError(early);
  const info = readImageInfo((images[0] as Extract<InputImage, { kind: 'file' }>).bytes);
  if (!info) throw new InputError([`${baseName(original)} is not a PNG, JPEG or WebP image.`]);

  const recent = services.context.globalState.get<string[]>(recentPromptsKey) ?? [];
  const label = originals.length === 1 ? baseName(original) : `${originals.length} images`;
  const prompt = await askEditPrompt(recent, label);
  if (prompt === undefined) return;
  await services.context.globalState.update(recentPromptsKey, rememberPrompt(recent, prompt));

  const maskBeside = targets.selectedMask ?? (await findMaskBeside(original));
  const choice = await chooseProvider(services, editProviderChoices(model, images.length, maskBeside !== undefined), {
    model,
    prompt,
    images,
  });
  if (!choice) return;
  const provider = choice.provider;
  const capability = capabilityFor(provider, model);
  if (!capability) throw new InputError([`${choice.label} does not offer ${model}.`]);

  const size = await askEditSize(capability, choice.label, info, defaultEditSize(info.width, info.height, capability.size, choice.label));
  if (size === undefined) return;
  const quality = await askEditQuality(capability, services.settings.quality());
  if (quality === 'cancelled') return;

  let mask: InputImage | undefined;
  if (capability.edit.mask) {
    const maskUri = targets.selectedMask ?? (await chooseMask(maskBeside, original));
    if (maskUri === null) return;
    mask = maskUri ? await readInputImage(maskUri) : undefined;
  } else if (maskBeside) {
    void vscode.window.showWarningMessage(vscode.l10n.t('{0} does not support masks; {1} is not used.', choice.label, baseName(maskBeside)));
  }

  const request = { ...buildEditRequest({ provider, model, prompt, size, quality }, images, mask), partialImages: services.settings.partialImages() };
  const issues = issuesOf(request);
  if (issues.length > 0) throw new InputError(issues);
  services.checkProvider(provider);

  const output = await resolveEditOutput(original, 1);
  if (!output) return;
  await services.context.globalState.update(lastProviderKey, provider);
  await showOriginal(original);
  await runJobWithNotification(services, {
    request,
    output,
    title: vscode.l10n.t('Editing {0} with {1}', label, providerLabels[provider]),
    openMode: 'beside',
  });
}

/**
 * The result opens in the column beside the active editor; making the original the active editor
 * first (when it was only clicked in the Explorer) puts the two side by side to compare.
 */
async function showOriginal(original: vscode.Uri): Promise<void> {
  const active = vscode.window.tabGroups.activeTabGroup.activeTab?.input;
  const activeUri = active instanceof vscode.TabInputCustom || active instanceof vscode.TabInputText ? active.uri : undefined;
  if (activeUri?.toString() === original.toString()) return;
  await vscode.commands.executeCommand('vscode.open', original, { preview: true });
}

/**
 * A provider that cannot take a local file (APIXO) stays in the list; choosing it shows the core's
 * message (who can edit a local file instead) and offers the list again. Nothing is sent.
 */
async function chooseProvider(
  services: Services,
  choices: readonly EditProviderChoice[],
  draft: { readonly model: ModelId; readonly prompt: string; readonly images: readonly InputImage[] },
): Promise<EditProviderChoice | undefined> {
  const last = services.context.globalState.get<ProviderId>(lastProviderKey) ?? services.settings.defaultProvider();
  for (;;) {
    const picked = await askEditProvider(choices, last);
    if (!picked || picked.usable) return picked;
    const issues = issuesOf(
      buildEditRequest({ provider: picked.provider, model: draft.model, prompt: draft.prompt, size: 'auto', quality: undefined }, draft.images, undefined),
    );
    const again = vscode.l10n.t('Choose Another Provider');
    const answer = await vscode.window.showWarningMessage(issues.join(' ') || `${picked.label}: ${picked.detail}`, again);
    if (answer !== again) return undefined;
  }
}

/** undefined: no mask; null: cancelled. */
async function chooseMask(found: vscode.Uri | undefined, original: vscode.Uri): Promise<vscode.Uri | undefined | null> {
  const answer = await askEditMask(found, found ? baseName(found) : undefined);
  if (!answer) return null;
  if (answer.kind === 'none') return undefined;
  if (answer.kind === 'file') return answer.uri;
  return (await pickMaskFile(original)) ?? null;
}
