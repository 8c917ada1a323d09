import { allCapabilities } from './capabilities';
import type { SizeRule } from './capabilities';
import { providerLabels } from './ids';
import type { ModelId, ProviderId } from './ids';
import { sourceNameField } from './naming';
import { freeSizeLimits, freeSizeProblem, formatSizeIntent, resolveSize } from './size';

/**
 * The editor-free decisions behind "Edit Image…": which selected files are images and which is a
 * mask, the default size, the output file names, the recent prompts and the provider list.
 * Kept here (not in host/) so they are tested in plain Node.
 */

const editableExtension = /\.(png|jpe?g|webp)$/i;
const maskSuffix = /\.mask\.png$/i;

/** Whether a file name has an extension the edit command accepts (any letter case). */
export function isEditableImageName(fileName: string): boolean {
  return editableExtension.test(fileName);
}

/** `photo.mask.png` is a mask by convention, never an image to edit. */
export function isMaskFileName(fileName: string): boolean {
  return maskSuffix.test(fileName);
}

/** `photo.JPG` → `photo`; the `{name}` of the output template. */
export function sourceNameOf(fileName: string): string {
  const dot = fileName.lastIndexOf('.');
  return dot > 0 ? fileName.slice(0, dot) : fileName;
}

/** `photo.jpg` → `photo.mask.png`: masks are always PNG (they need an alpha channel). */
export function maskFileNameFor(fileName: string): string | undefined {
  if (isMaskFileName(fileName)) return undefined;
  return `${sourceNameOf(fileName)}.mask.png`;
}

export interface SelectionSplit<T> {
  readonly images: readonly T[];
  /** A `<first image>.mask.png` selected together with its image. */
  readonly mask: T | undefined;
  /** Selected files that are not PNG, JPEG or WebP by name (reported, not sent). */
  readonly skipped: readonly T[];
}

/**
 * Sorts an Explorer multi-selection: images to edit, the first image's mask if it was selected with
 * it, and files that are not images. A mask selected without its image is edited as an image.
 */
export function splitSelection<T>(items: readonly T[], nameOf: (item: T) => string): SelectionSplit<T> {
  const candidates = items.filter((item) => isEditableImageName(nameOf(item)));
  const skipped = items.filter((item) => !isEditableImageName(nameOf(item)));
  const images = candidates.filter((item) => !isMaskFileName(nameOf(item)));
  const first = images[0];
  const wantedMask = first === undefined ? undefined : maskFileNameFor(nameOf(first))?.toLowerCase();
  const mask = candidates.find((item) => isMaskFileName(nameOf(item)) && nameOf(item).toLowerCase() === wantedMask);
  const orphanMasks = candidates.filter((item) => isMaskFileName(nameOf(item)) && item !== mask);
  return { images: [...images, ...orphanMasks], mask, skipped };
}

export interface DefaultEditSize {
  /** A size string for GenerationRequest.size: `WxH` or `aspect@tier`. */
  readonly size: string;
  /** Whether it is exactly the input's own size. */
  readonly exact: boolean;
  /** Why the input's own size was not used, when it was not. */
  readonly note: string | undefined;
}

/**
 * The edit's default size: the first input's own size when the provider allows it, else the
 * nearest size it does allow (same shape first, then resolution).
 */
export function defaultEditSize(width: number, height: number, rule: SizeRule, providerLabel: string): DefaultEditSize {
  const own = `${width}x${height}`;
  if (rule.kind === 'free') {
    const problem = freeSizeProblem(width, height);
    if (problem === undefined) return { size: own, exact: true, note: undefined };
    const nearest = nearestFreeSize(width, height);
    return { size: nearest, exact: false, note: `${problem} Using the nearest allowed size, ${nearest}.` };
  }
  const resolved = resolveSize({ kind: 'pixels', width, height }, rule, providerLabel);
  if (!resolved.ok) return { size: 'auto', exact: false, note: resolved.error };
  const wire = resolved.size;
  const size =
    wire.kind === 'wxh' ? wire.value : formatSizeIntent({ kind: 'aspect', aspect: wire.aspect, tier: wire.tier });
  return { size, exact: size === own, note: resolved.warnings[0] };
}

/**
 * The valid free size (OpenAI's gpt-image-2 rules) closest to `width`×`height`: the ratio clamped to
 * 3:1, the pixel count brought within bounds, both edges on multiples of 16.
 */
export function nearestFreeSize(width: number, height: number): `${number}x${number}` {
  const { maxEdge, maxRatio, minPixels, maxPixels } = freeSizeLimits;
  const ratio = Math.min(maxRatio, Math.max(1 / maxRatio, width / height));
  const pixels = Math.min(maxPixels, Math.max(minPixels, width * height));
  let targetWidth = Math.sqrt(pixels * ratio);
  let targetHeight = Math.sqrt(pixels / ratio);
  const shrink = Math.min(1, maxEdge / Math.max(targetWidth, targetHeight));
  targetWidth *= shrink;
  targetHeight *= shrink;
  let best: `${number}x${number}` = '1024x1024';
  let bestScore = Number.POSITIVE_INFINITY;
  // Rounding to 16 can break a bound; try the multiples around the ideal and keep the closest valid one.
  for (const candidateWidth of multiplesAround(targetWidth)) {
    for (const candidateHeight of multiplesAround(targetHeight)) {
      if (freeSizeProblem(candidateWidth, candidateHeight) !== undefined) continue;
      const score =
        3 * Math.abs(Math.log(candidateWidth / candidateHeight / (width / height))) +
        Math.abs(Math.log((candidateWidth * candidateHeight) / (width * height)));
      if (score < bestScore) {
        best = `${candidateWidth}x${candidateHeight}`;
        bestScore = score;
      }
    }
  }
  return best;
}

function multiplesAround(value: number): number[] {
  const base = Math.floor(value / 16) * 16;
  return [base - 16, base, base + 16, base + 32].filter((candidate) => candidate >= 16);
}

/**
 * The output template for an edit of `sourceName`: `{name}-edit-<n>` where n follows the edits
 * already in the folder, so a second edit of photo.png is photo-edit-2.png rather than
 * photo-edit-1-2.png. Several images from one edit share the number: photo-edit-3-1.png, -3-2.png.
 * A long source name is matched as `{name}` writes it: cut by core/naming.ts sourceNameField.
 */
export function editFileTemplate(existingFileNames: readonly string[], sourceName: string, imageCount: number): string {
  const pattern = new RegExp(`^${escapeRegExp(sourceNameField(sourceName))}-edit-(\\d+)(?:-\\d+)?\\.(?:png|jpe?g|webp)$`, 'i');
  let highest = 0;
  for (const name of existingFileNames) {
    const match = pattern.exec(name);
    if (match) highest = Math.max(highest, Number(match[1]));
  }
  if (highest === 0) return imageCount === 1 ? '{name}-edit-1' : '{name}-edit-{index}';
  const next = highest + 1;
  return imageCount === 1 ? `{name}-edit-${next}` : `{name}-edit-${next}-{index}`;
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

export const maxRecentPrompts = 10;

/** Most recent first, without duplicates (trimmed), at most `max`. */
export function rememberPrompt(recent: readonly string[], prompt: string, max = maxRecentPrompts): string[] {
  const text = prompt.trim();
  if (text === '') return recent.slice(0, max);
  return [text, ...recent.filter((item) => item.trim() !== text)].slice(0, max);
}

export interface EditProviderChoice {
  readonly provider: ProviderId;
  readonly label: string;
  /** False when this provider cannot take these inputs; listed anyway, with the reason. */
  readonly usable: boolean;
  /** What the user should know before picking it. */
  readonly detail: string;
}

/**
 * Every provider offering `model`, with whether it can edit `imageCount` local files (and a mask).
 * APIXO is listed but not usable: it takes only public URLs, which is said, not hidden.
 */
export function editProviderChoices(model: ModelId, imageCount: number, wantsMask: boolean): EditProviderChoice[] {
  return allCapabilities()
    .filter((row) => row.model === model)
    .map((row) => {
      const label = providerLabels[row.provider];
      const edit = row.edit;
      if (!edit.acceptsLocalFile) {
        return { provider: row.provider, label, usable: false, detail: 'Needs a public https image URL; cannot edit a workspace file.' };
      }
      if (imageCount > edit.maxImages) {
        return { provider: row.provider, label, usable: false, detail: `Takes at most ${edit.maxImages} images; ${imageCount} selected.` };
      }
      const notes: string[] = [];
      if (edit.transport === 'upload') notes.push('Uploads the image to its CDN, deletes it afterwards.');
      else notes.push('Sends the file directly.');
      if (wantsMask && !edit.mask) notes.push('No mask support: the mask is not used.');
      return { provider: row.provider, label, usable: true, detail: notes.join(' ') };
    });
}
