import { StudioPanel } from '../webview/studioPanel';
import type { StudioServices } from '../webview/studioServices';

/** `gptImage.openStudio`: opens the Studio panel, or reveals it if it is already open. */
export function openStudio(services: StudioServices): () => Promise<void> {
  return async () => {
    StudioPanel.show(services);
  };
}
