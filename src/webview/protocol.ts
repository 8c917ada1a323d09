/**
 * The Studio's messages, both ways (after GitLens' `protocol.ts`). The webview is a trust boundary:
 * the host parses every incoming message with `toHostSchema` and ignores what does not parse.
 * The browser bundle imports only *types* from here (`import type`), so zod never reaches it and
 * the webview bundle stays small; host → webview messages are built by the host and need no schema.
 */
import { z } from 'zod';
import type { ModelCapability } from '../core/capabilities';
import type { TokenRates } from '../core/cost';
import { backgrounds, modelIds, outputFormats, providerIds, qualities } from '../core/ids';
import type { Background, ModelId, OutputFormat, ProviderId, Quality } from '../core/ids';
import { maskToHostSchemas } from './maskProtocol';
import type { MaskOpenMessage, MaskSavedMessage } from './maskProtocol';

const requestId = z.string().min(1).max(64);
/** Ids the host handed out (history items, references, jobs): opaque, short. */
const opaqueId = z.string().min(1).max(200);

/** A reference image as the webview names it: a workspace file (by URI) or a public https URL. */
export const referenceSpecSchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('file'), uri: z.string().min(1).max(4096) }),
  z.object({ kind: z.literal('url'), url: z.string().min(1).max(4096) }),
]);
export type ReferenceSpec = z.infer<typeof referenceSpecSchema>;

/** The form as sent with Generate; the host turns it into a GenerationRequest and validates it against the row. */
export const generateFormSchema = z.object({
  provider: z.enum(providerIds),
  model: z.enum(modelIds),
  prompt: z.string().max(100_000),
  /** `auto`, `WxH` or `W:H@tier` (core/size.ts parseSizeIntent). */
  size: z.string().max(32),
  quality: z.enum(qualities).optional(),
  n: z.number().int().min(1).max(16),
  background: z.enum(backgrounds).optional(),
  outputFormat: z.enum(outputFormats).optional(),
  outputCompression: z.number().int().min(0).max(100).optional(),
  /** Streamed previews before the final image (0–3); absent: the `gptImage.partialImages` setting. */
  partialImages: z.number().int().min(0).max(3).optional(),
  references: z.array(referenceSpecSchema).max(32),
});
export type GenerateForm = z.infer<typeof generateFormSchema>;

export const historyActions = [
  'open',
  'reveal',
  'copyPath',
  'insertMarkdown',
  'insertHtml',
  'edit',
  'regenerate',
  'vary',
  'otherProvider',
  /** Moves the image and its provenance sidecar to the trash (asks before deleting for good where there is no trash). */
  'delete',
] as const;
export type HistoryAction = (typeof historyActions)[number];

/** Every message the webview may send. `requestId` is echoed by the host's reply. */
export const toHostSchema = z.discriminatedUnion('type', [
  /** First message once the app's listeners are in place; the host answers with `init`. */
  z.object({ type: z.literal('ready') }),
  z.object({ type: z.literal('generate'), requestId, form: generateFormSchema }),
  /** Stop waiting for a job (the host asks whether to keep it in the background). */
  z.object({ type: z.literal('cancel'), requestId, jobId: opaqueId }),
  /** Runs `gptImage.setApiKey` for a provider; the key itself never crosses into the webview. */
  z.object({ type: z.literal('setKey'), requestId, provider: z.enum(providerIds) }),
  /** Opens a file picker on the host for workspace images. */
  z.object({ type: z.literal('pickReferences'), requestId }),
  /** URIs dropped from the Explorer (`text/uri-list` and VS Code's own uri-list type). */
  z.object({ type: z.literal('dropReferences'), requestId, uris: z.array(z.string().min(1).max(4096)).min(1).max(32) }),
  z.object({
    type: z.literal('loadHistory'),
    requestId,
    query: z.string().max(500),
    offset: z.number().int().min(0),
    limit: z.number().int().min(1).max(200),
  }),
  z.object({ type: z.literal('historyAction'), requestId, action: z.enum(historyActions), itemId: opaqueId }),
  /** An error inside the webview, for the host's log (the webview has no console the user sees). */
  z.object({ type: z.literal('log'), level: z.enum(['info', 'warn', 'error']), message: z.string().max(4000) }),
  /** The mask painter's save, draft and close (maskProtocol.ts). */
  ...maskToHostSchemas,
]);
export type ToHost = z.infer<typeof toHostSchema>;
export type ToHostType = ToHost['type'];

/** A reference image the host accepted, with a thumbnail URI (asWebviewUri) for files. */
export interface ReferenceView {
  readonly spec: ReferenceSpec;
  /** Short name shown under the thumbnail. */
  readonly label: string;
  /** webview URI of the file, for `<img src>`; undefined for URLs (never fetched by the webview). */
  readonly thumbnail?: string | undefined;
}


/** One image (or one unfinished job) in the gallery. */
export interface HistoryItemView {
  /** Opaque id to name this item in `historyAction`. */
  readonly id: string;
  readonly kind: 'image' | 'job';
  readonly prompt: string;
  /** Absent when the image's provenance sidecar could not be read. */
  readonly provider?: ProviderId | undefined;
  readonly model?: ModelId | undefined;
  readonly size: string;
  readonly quality?: string | undefined;
  readonly createdAt: number;
  /** webview URI for `<img loading="lazy">`; absent for jobs without a file. */
  readonly thumbnail?: string | undefined;
  /** File name (images) or job state (jobs), shown under the thumbnail. */
  readonly label: string;
  readonly state?: string | undefined;
  readonly error?: string | undefined;
  readonly costUsd?: number | undefined;
  readonly usage?: Readonly<Record<string, number | undefined>> | undefined;
  /** For an edit: its first source image (webview URI), for the preview's before/after. */
  readonly before?: string | undefined;
  /** The batch file and entry that made the image (its provenance): entries with several providers are shown side by side. */
  readonly batch?: { readonly file: string; readonly entry: string } | undefined;
  /** How long the job took until this image was saved, from its provenance. */
  readonly durationMs?: number | undefined;
}

/** Where a job is, as the panel shows it. */
export interface JobView {
  readonly jobId: string;
  /** The generate request that started it, when started from this panel. */
  readonly requestId?: string | undefined;
  readonly prompt: string;
  readonly provider: ProviderId;
  readonly phase: 'submitting' | 'uploading' | 'polling' | 'downloading' | 'saving' | 'saved' | 'failed' | 'unknown' | 'cancelled';
  readonly taskIndex: number;
  readonly taskCount: number;
  readonly elapsedMs: number;
  readonly message: string;
  readonly warnings: readonly string[];
  /** Thumbnails of written files (webview URIs) once saved. */
  readonly thumbnails: readonly string[];
  readonly costUsd?: number | undefined;
  readonly usage?: Readonly<Record<string, number | undefined>> | undefined;
  readonly error?: string | undefined;
  readonly cancellable: boolean;
  /** The latest streamed partial image (a webview URI of a temporary file), until the final image replaces it. */
  readonly partial?: PartialView | undefined;
  /** The saved images' actual sizes (`WxH`, from their provenance), in the order of `thumbnails`. */
  readonly imageSizes?: readonly string[] | undefined;
  /** For an edit: its first source image (webview URI), for the preview's before/after. */
  readonly before?: string | undefined;
}

/**
 * Which view of the page is on screen: the Studio, or the mask painter (`maskOpen` switches to it,
 * the painter's "Back to the Studio" switches back).
 */
export type StudioRoute = 'studio' | 'mask';

/** A streamed preview as the job card shows it: "Preview (partial image index of count)". */
export interface PartialView {
  readonly src: string;
  /** 1-based. */
  readonly index: number;
  /** How many were asked for; undefined when not known. */
  readonly count?: number | undefined;
}

/** Form values the host asks the webview to load (vary / run on another provider). */
export interface FormPreset {
  readonly provider: ProviderId;
  readonly model: ModelId;
  readonly prompt: string;
  readonly size: string;
  readonly quality?: Quality | undefined;
  readonly n: number;
  readonly background?: Background | undefined;
  readonly outputFormat?: OutputFormat | undefined;
  readonly outputCompression?: number | undefined;
  readonly references: readonly ReferenceView[];
  /** Focus the provider picker (run again on another provider). */
  readonly focusProvider?: boolean | undefined;
}

/** Every message the host sends. */
export type ToWebview =
  | {
      readonly type: 'init';
      readonly capabilities: readonly ModelCapability[];
      /** Whether each provider has a key stored: never the key. */
      readonly keys: Readonly<Record<ProviderId, boolean>>;
      /** OpenAI token rates (setting `gptImage.openaiPricing` or core/cost.ts defaults). */
      readonly pricing: TokenRates;
      readonly defaults: { readonly provider: ProviderId; readonly model: ModelId; readonly partialImages?: number | undefined };
      readonly hasWorkspace: boolean;
      /** `vscode.l10n.bundle`: the translations for the display language; absent in English. */
      readonly l10n?: Readonly<Record<string, string>> | undefined;
    }
  | { readonly type: 'keys'; readonly keys: Readonly<Record<ProviderId, boolean>> }
  | { readonly type: 'references'; readonly requestId: string; readonly references: readonly ReferenceView[] }
  | {
      readonly type: 'history';
      readonly requestId: string;
      readonly query: string;
      readonly offset: number;
      readonly items: readonly HistoryItemView[];
      readonly total: number;
    }
  | { readonly type: 'job'; readonly job: JobView }
  | { readonly type: 'loadForm'; readonly requestId: string; readonly form: FormPreset }
  /** A job of the window (a batch entry, a Copilot tool, the Studio's own) saved images: reload the gallery. */
  | { readonly type: 'galleryChanged' }
  /** Switches the page to the mask painter on an image (maskProtocol.ts). */
  | MaskOpenMessage
  | MaskSavedMessage
  /** Reply to any request that has nothing else to say; `error` when it failed. */
  | { readonly type: 'done'; readonly requestId: string; readonly error?: string | undefined; readonly info?: string | undefined };

/** Parses an untrusted message; returns undefined (and the reason) for anything malformed. */
export function parseToHost(message: unknown): { ok: true; message: ToHost } | { ok: false; reason: string } {
  const parsed = toHostSchema.safeParse(message);
  if (parsed.success) return { ok: true, message: parsed.data };
  const first = parsed.error.issues[0];
  const where = first && first.path.length > 0 ? ` at ${first.path.join('.')}` : '';
  return { ok: false, reason: `${first?.message ?? 'invalid message'}${where}` };
}
