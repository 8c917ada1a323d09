import * as vscode from 'vscode';
import { providerIds } from '../core/ids';
import type { ProviderId } from '../core/ids';
import { runFreeCheck } from '../providers/freeCheck';
import { createHttpClient } from '../providers/http';
import type { HttpClient } from '../core/httpClient';
import { outputTargetWithoutAsking } from './outputFolder';
import type { Services } from './services';
import { folderLine, providerLine, setupSummary } from './setupReport';
import type { FolderSetup, ProviderSetup, SetupSummary } from './setupReport';

/**
 * Gathers what "GPT Image: Check Setup" reports (host/setupReport.ts words it): per provider the
 * stored key, the base URL and one free request (providers/freeCheck.ts), per workspace folder
 * whether its output folder can be written (the same probe a job runs before it pays).
 */
export async function checkSetup(services: Pick<Services, 'keys' | 'settings' | 'log' | 'writer'>, signal: AbortSignal): Promise<{ providers: ProviderSetup[]; folders: FolderSetup[]; summary: SetupSummary }> {
  const proxy = services.settings.proxy();
  // A client of its own, closed after the check: a proxy change since start-up applies here too.
  const http = createHttpClient({ proxy: proxy.proxy, noProxy: proxy.noProxy, log: services.log });
  try {
    const providers = await Promise.all(providerIds.map((id) => checkProvider(services, id, http, signal)));
    const folders = await checkFolders(services);
    const summary = setupSummary(providers, folders);
    services.log.info('Check Setup:');
    for (const line of [...providers.map(providerLine), ...folders.map(folderLine)]) services.log.info(`  ${line}`);
    return { providers, folders, summary };
  } finally {
    await http.close().catch(() => undefined);
  }
}

async function checkProvider(
  services: Pick<Services, 'keys' | 'settings'>,
  provider: ProviderId,
  http: HttpClient,
  signal: AbortSignal,
): Promise<ProviderSetup> {
  const baseUrl = services.settings.baseUrl(provider);
  const key = await services.keys.get(provider);
  const setup = { provider, keyStored: key !== undefined, baseUrl: baseUrl.ok ? { ok: true as const, url: baseUrl.url } : { ok: false as const, error: baseUrl.error } };
  if (!baseUrl.ok || key === undefined) return { ...setup, check: undefined };
  return { ...setup, check: await runFreeCheck(provider, { baseUrl: baseUrl.url, http, apiKey: key, signal }) };
}

async function checkFolders(services: Pick<Services, 'writer'>): Promise<FolderSetup[]> {
  const folders = vscode.workspace.workspaceFolders ?? [];
  const many = folders.length > 1;
  return Promise.all(
    folders.map(async (folder): Promise<FolderSetup> => {
      const name = (relative: string): string => (many ? `${folder.name}: ${relative || '.'}` : relative || '.');
      try {
        const target = await outputTargetWithoutAsking(folder.uri);
        // A check creates nothing: a folder not made yet is judged by the nearest one that exists.
        const existing = await nearestExisting(target.uri, folder.uri);
        await services.writer.prepare(existing.toString());
        const created = existing.toString() === target.uri.toString() ? '' : ' (created on the first save)';
        return { label: `${name(target.relativePath)}${created}`, error: undefined };
      } catch (error) {
        return { label: name(String(vscode.workspace.getConfiguration('gptImage', folder.uri).get('outputFolder') ?? '')), error: error instanceof Error ? error.message : String(error) };
      }
    }),
  );
}


/** `uri`, or its nearest ancestor that exists, stopping at the workspace folder. */
async function nearestExisting(uri: vscode.Uri, root: vscode.Uri): Promise<vscode.Uri> {
  let current = uri;
  while (current.toString() !== root.toString() && current.path.length > root.path.length) {
    try {
      await vscode.workspace.fs.stat(current);
      return current;
    } catch (error) {
      if (!(error instanceof vscode.FileSystemError && error.code === 'FileNotFound')) throw error;
      current = vscode.Uri.joinPath(current, '..');
    }
  }
  return root;
}
