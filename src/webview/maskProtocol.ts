/**
 * The mask painter's messages (docs/architecture.md, "The mask painter"), merged into protocol.ts's
 * unions. The page sends operations, never pixels: the host replays them with core/mask, so the file
 * it writes is exactly the raster the page showed and the unit tests pin.
 */
import { z } from 'zod';
import { maxBrushSize, minBrushSize } from '../core/mask/maskDocument';
import type { MaskOperation } from '../core/mask/maskDocument';
import { maxMaskEdge } from '../core/mask/maskRaster';
import { modelIds, providerIds } from '../core/ids';
import type { ModelId, ProviderId } from '../core/ids';

/** Most operations one mask keeps, and most pointer samples over all its strokes (a few MB of JSON). */
export const maxMaskOperations = 5000;
export const maxMaskPoints = 200_000;

/** A pointer position in image pixels; a little outside the image is fine (clipped when painted). */
const coordinate = z.number().min(-maxMaskEdge).max(2 * maxMaskEdge);
const pointSchema = z.object({ x: coordinate, y: coordinate });

export const maskOperationSchema = z.discriminatedUnion('kind', [
  z.object({
    kind: z.literal('stroke'),
    tool: z.enum(['brush', 'eraser']),
    size: z.number().min(minBrushSize).max(maxBrushSize),
    points: z.array(pointSchema).min(1).max(maxMaskPoints),
  }),
  z.object({ kind: z.literal('clear') }),
  z.object({ kind: z.literal('invert') }),
]);

const operationsSchema = z
  .array(maskOperationSchema)
  .max(maxMaskOperations)
  .refine((operations) => operations.reduce((sum, operation) => sum + (operation.kind === 'stroke' ? operation.points.length : 0), 0) <= maxMaskPoints, {
    message: `A mask may carry at most ${maxMaskPoints} stroke points`,
  });

/** The painter's session, named by the host in `maskOpen`: a save for another image is refused. */
const session = z.string().min(1).max(64);

/** What to run once the mask is saved: the edit, with this provider's model and prompt. */
export const maskEditSchema = z.object({
  provider: z.enum(providerIds),
  model: z.enum(modelIds),
  prompt: z.string().min(1).max(100_000),
});
export type MaskEdit = z.infer<typeof maskEditSchema>;

export const maskToHostSchemas = [
  /** Writes `<name>.mask.png`; with `edit`, then runs the edit with it (answered by `done`). */
  z.object({ type: z.literal('maskSave'), requestId: z.string().min(1).max(64), session, operations: operationsSchema, edit: maskEditSchema.optional() }),
  /** The operations and prompt so far, so a page reloaded while hidden gets them back with `maskOpen`. */
  z.object({ type: z.literal('maskDraft'), session, operations: operationsSchema, prompt: z.string().max(100_000) }),
  /** The user left the painter: the host forgets the session. */
  z.object({ type: z.literal('maskClose'), session }),
] as const;

/** A provider × model the painter offers to run the edit with. */
export interface MaskEditChoice {
  readonly provider: ProviderId;
  readonly model: ModelId;
  /** "OpenAI · gpt-image-2". */
  readonly label: string;
  /** Whether its edit takes a mask (capability row `edit.mask`). */
  readonly mask: boolean;
  /** Why it cannot edit this image at all (e.g. needs a public URL); undefined when it can. */
  readonly unusable?: string | undefined;
}

/** Opens (or reopens, after the page reloaded) the painter on an image. */
export interface MaskOpenMessage {
  readonly type: 'maskOpen';
  readonly session: string;
  /** webview URI of the image (asWebviewUri). */
  readonly src: string;
  /** File name of the image and of its mask, for the painter's labels. */
  readonly imageName: string;
  readonly maskName: string;
  readonly width: number;
  readonly height: number;
  /** The existing mask's run lengths (core/mask/maskRaster.ts toRuns); absent: start empty. */
  readonly baseRuns?: readonly number[] | undefined;
  /** What happened to an existing mask file: continued from, or why it could not be (saving replaces it). */
  readonly note?: string | undefined;
  /** The operations and prompt of a draft the page sent before it reloaded. */
  readonly operations: readonly MaskOperation[];
  readonly prompt?: string | undefined;
  readonly choices: readonly MaskEditChoice[];
  /** Index into `choices` preselected (the settings' provider and model when they can edit). */
  readonly chosen: number;
}

/** The mask file was written and the edit is being started; the request's `done` follows when it ends. */
export interface MaskSavedMessage {
  readonly type: 'maskSaved';
  readonly requestId: string;
  readonly text: string;
}
