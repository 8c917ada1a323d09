import type { Provenance } from './provenance';

/**
 * Writes results. The extension's writer goes through `vscode.workspace.fs` (so Remote-SSH, WSL and
 * containers work); the CLI's through node:fs. Both write atomically and never overwrite.
 */
export interface ImageWriter {
  /**
   * Writes `bytes` into `dir` under `fileName`, or the first free variant of it (`name-2.png`),
   * through a temporary name and a rename. Returns the written file's location (URI or path).
   */
  writeImage(dir: string, fileName: string, bytes: Uint8Array): Promise<string>;
  /**
   * Optional: the location of `fileName`, or a numbered variant of it, in `dir` that already holds
   * exactly `bytes`. A resume asks before writing, so a crash between writing an image and recording
   * it in the journal does not leave the image twice.
   */
  findExisting?(dir: string, fileName: string, bytes: Uint8Array): Promise<string | undefined>;
  /** Stores the provenance sidecar for a written image. */
  writeProvenance(imageLocation: string, provenance: Provenance): Promise<void>;
}
