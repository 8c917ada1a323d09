import type { Provenance } from './provenance';

/**
 * Writes results. The extension's writer goes through `vscode.workspace.fs` (so Remote-SSH, WSL and
 * containers work); the CLI's through node:fs. Both write atomically and never overwrite.
 */
export interface ImageWriter {
  /**
   * The preflight, before anything is sent: creates `dir` if it is missing, checks that it is a
   * folder and proves it writable with a real temporary file (removed again). Throws an Error whose
   * message says what is wrong with the folder, in a sentence.
   */
  prepare(dir: string): Promise<void>;
  /**
   * Writes `bytes` into `dir` under `fileName`, or the first free variant of it (`name-2.png`),
   * through a temporary name and a rename. Returns the written file's location (URI or path).
   */
  writeImage(dir: string, fileName: string, bytes: Uint8Array): Promise<string>;
  /**
   * Optional, for a resume: removes temporary files a crashed writer left in `dir` (only those no
   * live write can own; the image itself is fetched again, or written from its kept copy).
   */
  removeLeftovers?(dir: string): Promise<void>;
  /**
   * Optional: the location of `fileName`, or a numbered variant of it, in `dir` that already holds
   * exactly `bytes`. A resume asks before writing, so a crash between writing an image and recording
   * it in the journal does not leave the image twice.
   */
  findExisting?(dir: string, fileName: string, bytes: Uint8Array): Promise<string | undefined>;
  /**
   * Optional: whether the image has at least one transparent pixel (undefined: cannot tell). Asked
   * after a transparent background was requested; it needs inflate, which core/ does not have.
   */
  hasTransparentPixels?(bytes: Uint8Array): boolean | undefined;
  /** Stores the provenance sidecar for a written image. */
  writeProvenance(imageLocation: string, provenance: Provenance): Promise<void>;
}

/**
 * The journal's own storage for paid images that could not be written where they belong (CLI:
 * `$GPT_IMAGE_HOME/rescued/<job>/`, extension: its global storage). Every location is inside it.
 */
export interface RescueStore {
  /** Stores `bytes` durably as `name` for the job; returns its location (path or URI). */
  keep(jobId: string, name: string, bytes: Uint8Array): Promise<string>;
  read(location: string): Promise<Uint8Array>;
  /** Removes a kept copy once its image is written (a missing one is fine). */
  remove(location: string): Promise<void>;
}

/**
 * A job ended with paid images that are kept in the journal's storage instead of the output folder
 * (the job "needs attention"); `kept` lists their locations.
 */
export class ImagesNotWrittenError extends Error {
  readonly kept: readonly string[];

  constructor(message: string, kept: readonly string[]) {
    super(message);
    // Set explicitly: esbuild's minifier renames classes.
    this.name = 'ImagesNotWrittenError';
    this.kept = kept;
  }
}

export function isImagesNotWrittenError(error: unknown): error is ImagesNotWrittenError {
  return error instanceof Error && error.name === 'ImagesNotWrittenError';
}
