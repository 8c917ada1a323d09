import * as vscode from 'vscode';
import { defaultTokenRates } from '../core/cost';
import type { TokenRates } from '../core/cost';
import type { Provenance } from '../core/provenance';
import { describeError } from '../host/errorText';
import { provenanceUri } from '../host/imageUris';
import { isApiKeySecret } from '../host/apiKeyStore';
import { askKeepOrStop } from '../host/jobViews';
import { allOutputTargets, outputTargetWithoutAsking } from '../host/outputFolder';
import type { Services } from '../host/services';
import type { StudioPreviewFiles, StudioServices } from './studioServices';
import { studioPreviewFolder } from './studioShell';

const cache = new WeakMap<Services, StudioServices>();

/** The Studio's view of the host (webview/studioServices.ts), built once per Services. */
export function studioServicesFor(services: Services): StudioServices {
  let studio = cache.get(services);
  if (!studio) {
    studio = createStudioServices(services);
    cache.set(services, studio);
  }
  return studio;
}

function createStudioServices(services: Services): StudioServices {
  // The webview takes focus, so "the active editor" is gone by the time the Studio asks.
  let lastEditor = vscode.window.activeTextEditor;
  services.context.subscriptions.push(
    vscode.window.onDidChangeActiveTextEditor((editor) => {
      if (editor) lastEditor = editor;
    }),
  );
  return {
    extensionUri: services.context.extensionUri,
    storageUri: services.context.globalStorageUri,
    previews: previewFiles(studioPreviewFolder(services.context.globalStorageUri)),
    log: services.log,
    scrub: (text) => services.scrubber.scrub(text),
    runner: services.runner,
    owner: services.owner,
    askKeepOrStop,
    describeError: (error, jobId) => services.scrubber.scrub(describeError(error, { jobId }).message),
    readProvenance,
    keyStatus: () => services.keys.status(),
    // Another window (or the palette) may set a key while the panel is open: the page shows it.
    onKeysChanged: (listener) =>
      services.context.secrets.onDidChange((event) => {
        if (isApiKeySecret(event.key)) listener();
      }),
    defaults: () => ({ provider: services.settings.defaultProvider(), model: services.settings.model(), partialImages: services.settings.partialImages() }),
    partialImages: () => services.settings.partialImages(),
    tokenRates: () => parseTokenRates(vscode.workspace.getConfiguration('gptImage').get('openaiPricing')),
    outputFolders: () => allOutputTargets().map((target) => target.uri),
    jobOutput: async () => ({
      dir: (await outputTargetWithoutAsking(lastEditor?.document.uri)).uri.toString(),
      template: services.settings.fileNameTemplate(),
    }),
    lastTextEditor: () => (lastEditor && !lastEditor.document.isClosed ? lastEditor : undefined),
  };
}

function previewFiles(folder: vscode.Uri): StudioPreviewFiles {
  return {
    folder,
    write: async (name, bytes) => {
      const uri = vscode.Uri.joinPath(folder, name);
      await vscode.workspace.fs.writeFile(uri, bytes);
      return uri;
    },
    remove: async (uri) => {
      await vscode.workspace.fs.delete(uri, { useTrash: false }).then(undefined, () => undefined);
    },
  };
}

async function readProvenance(image: vscode.Uri): Promise<Provenance | undefined> {
  try {
    return JSON.parse(new TextDecoder().decode(await vscode.workspace.fs.readFile(provenanceUri(image)))) as Provenance;
  } catch {
    return undefined;
  }
}

/** Each rate falls back on its own, so a partly filled setting still works. */
function parseTokenRates(value: unknown): TokenRates {
  const record = typeof value === 'object' && value !== null ? (value as Record<string, unknown>) : {};
  const rate = (name: keyof TokenRates): number => {
    const candidate = record[name];
    return typeof candidate === 'number' && Number.isFinite(candidate) && candidate >= 0 ? candidate : defaultTokenRates[name];
  };
  return {
    textInputPerMillion: rate('textInputPerMillion'),
    imageInputPerMillion: rate('imageInputPerMillion'),
    imageOutputPerMillion: rate('imageOutputPerMillion'),
  };
}
