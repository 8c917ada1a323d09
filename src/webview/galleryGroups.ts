/**
 * How the gallery lays out its items: a batch entry made by several providers (the same batch file
 * and entry in the images' provenance, docs/architecture.md "The Studio page") is one side-by-side
 * group, one column per provider; everything else stays a card. Pure and editor-free: the page
 * renders the rows, the unit tests pin them.
 */
import { providerIds } from '../core/ids';
import type { ModelId, ProviderId } from '../core/ids';
import type { HistoryItemView } from './protocol';

/** One provider's images of a batch entry, in file-name order (`-1`, `-2`… with n > 1). */
export interface GroupColumn {
  readonly provider: ProviderId;
  readonly model?: ModelId | undefined;
  readonly items: readonly HistoryItemView[];
}

export type GalleryRow =
  | { readonly kind: 'card'; readonly item: HistoryItemView }
  | {
      readonly kind: 'group';
      /** Stable across reloads (the batch file and entry), for keyed rendering. */
      readonly id: string;
      readonly entry: string;
      readonly file: string;
      readonly columns: readonly GroupColumn[];
    };

/**
 * The rows of the loaded items, in the items' order (newest first): a group stands where its newest
 * image would, and gathers the entry's images from every loaded page. An entry whose loaded images
 * come from one provider only is plain cards, as are images without a batch origin.
 */
export function galleryRows(items: readonly HistoryItemView[]): GalleryRow[] {
  const byKey = new Map<string, HistoryItemView[]>();
  for (const item of items) {
    const key = groupKey(item);
    if (key !== undefined) byKey.set(key, [...(byKey.get(key) ?? []), item]);
  }
  const rows: GalleryRow[] = [];
  const placed = new Set<string>();
  for (const item of items) {
    const key = groupKey(item);
    const members = key === undefined ? undefined : byKey.get(key);
    const providers = new Set(members?.map((member) => member.provider));
    if (key === undefined || !members || providers.size < 2 || !item.batch) {
      rows.push({ kind: 'card', item });
      continue;
    }
    if (placed.has(key)) continue;
    placed.add(key);
    rows.push({ kind: 'group', id: `batch:${key}`, entry: item.batch.entry, file: item.batch.file, columns: columnsOf(members) });
  }
  return rows;
}

/** The items in the order the rows show them: the large preview's arrow keys follow what the user sees. */
export function rowItems(rows: readonly GalleryRow[]): HistoryItemView[] {
  return rows.flatMap((row) => (row.kind === 'card' ? [row.item] : row.columns.flatMap((column) => column.items)));
}

/** Only images whose sidecar names a batch file, an entry and a provider can be grouped. */
function groupKey(item: HistoryItemView): string | undefined {
  if (item.kind !== 'image' || !item.batch || !item.provider) return undefined;
  return `${item.batch.file}\u0000${item.batch.entry}`;
}

/** Columns in the provider table's order, so a group looks the same whichever provider finished first. */
function columnsOf(members: readonly HistoryItemView[]): GroupColumn[] {
  const columns: GroupColumn[] = [];
  for (const provider of providerIds) {
    const items = members.filter((member) => member.provider === provider).sort((a, b) => a.label.localeCompare(b.label, 'en', { numeric: true }));
    if (items.length > 0) columns.push({ provider, model: items[0]?.model, items });
  }
  return columns;
}
