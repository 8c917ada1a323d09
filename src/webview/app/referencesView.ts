import { html, nothing } from 'lit-html';
import type { TemplateResult } from 'lit-html';
import { repeat } from 'lit-html/directives/repeat.js';
import { providerLabels } from '../../core/ids';
import { outgoing, parseUriList, referenceUrlProblem } from '../formModel';
import { t } from '../l10nText';
import type { ReferenceView } from '../protocol';
import type { StudioContext } from './context';

/** Reference images: workspace files (picker or Explorer drop) and/or https URLs, per the row. */
export function referencesTemplate(context: StudioContext): TemplateResult {
  const { state } = context;
  const edit = context.capability().edit;
  const label = providerLabels[state.provider];
  const remove = (reference: ReferenceView): void => {
    state.references = state.references.filter((item) => item !== reference);
    context.save();
    context.update(() => document.querySelector<HTMLElement>('[data-testid="remove-reference"], [data-testid="add-reference"], [data-testid="reference-url"]')?.focus());
  };
  const submitUrl = (input: HTMLInputElement): void => {
    const problem = referenceUrlProblem(input.value);
    if (problem) {
      context.notify(problem, 'error');
      return;
    }
    addReferences(context, [{ spec: { kind: 'url', url: input.value.trim() }, label: input.value.trim() }]);
    input.value = '';
  };
  const urlInput = (): HTMLInputElement | null => document.querySelector<HTMLInputElement>('[data-testid="reference-url"]');
  const hint = edit.acceptsLocalFile
    ? t('Optional. Drop images from the Explorer here (hold Shift while dropping), or add them from the workspace. Up to {0}.', edit.maxImages)
    : t('{0} takes reference images only as public https URLs; a workspace file cannot be sent.', label);
  return html`<section class="reference-section" data-testid="reference-section" aria-labelledby="references-heading">
    <h2 id="references-heading">${t('Reference images')}</h2>
    <p class="hint">${hint}</p>
    <ul class="references" data-testid="references" aria-label=${t('Reference images')}>
      ${repeat(
        state.references,
        (reference) => JSON.stringify(reference.spec),
        (reference) => html`<li data-testid="reference-item" title=${reference.label}>
          ${reference.thumbnail
            ? html`<img src=${reference.thumbnail} alt=${reference.label} loading="lazy" />`
            : html`<span class="tile" aria-hidden="true">${reference.spec.kind === 'url' ? 'URL' : 'IMG'}</span>`}
          <span class="name">${reference.label}</span>
          <button type="button" class="icon" data-testid="remove-reference" aria-label=${t('Remove reference {0}', reference.label)} title=${t('Remove')} @click=${() => remove(reference)}>×</button>
        </li>`,
      )}
    </ul>
    <div class="row">
      ${edit.acceptsLocalFile
        ? html`<button type="button" data-testid="add-reference" @click=${() => context.request((id) => outgoing.pickReferences(id))}>${t('Add from workspace…')}</button>`
        : nothing}
      ${edit.acceptsUrl
        ? html`<div class="field">
              <label for="reference-url">${t('Image URL')}</label>
              <input
                id="reference-url"
                type="url"
                data-testid="reference-url"
                placeholder="https://example.com/image.png"
                @keydown=${(event: KeyboardEvent) => {
                  if (event.key !== 'Enter') return;
                  event.preventDefault();
                  submitUrl(event.target as HTMLInputElement);
                }}
              />
            </div>
            <button
              type="button"
              data-testid="add-reference-url"
              @click=${() => {
                const input = urlInput();
                if (input) submitUrl(input);
              }}
            >
              ${t('Add URL')}
            </button>`
        : nothing}
    </div>
  </section>`;
}

/** Adds references (from the picker, a drop or a URL), skipping duplicates, then renders. */
export function addReferences(context: StudioContext, references: readonly ReferenceView[]): void {
  const known = new Set(context.state.references.map((reference) => JSON.stringify(reference.spec)));
  for (const reference of references) {
    const key = JSON.stringify(reference.spec);
    if (!known.has(key)) {
      known.add(key);
      context.state.references.push(reference);
    }
  }
  context.save();
  context.update();
}

/** Makes `target` accept files dragged from the Explorer (VS Code asks the user to hold Shift). */
export function acceptDrops(context: StudioContext, target: HTMLElement): void {
  const carriesUris = (event: DragEvent): boolean => {
    // During dragover the data is unreadable (protected mode); only the types can be checked.
    const types = [...(event.dataTransfer?.types ?? [])];
    return types.includes('text/uri-list') || types.includes('application/vnd.code.uri-list') || types.includes('resourceurls');
  };
  target.addEventListener('dragover', (event) => {
    if (!carriesUris(event)) return;
    event.preventDefault();
    target.classList.add('dropping');
  });
  target.addEventListener('dragleave', () => target.classList.remove('dropping'));
  target.addEventListener('drop', (event) => {
    target.classList.remove('dropping');
    const data = event.dataTransfer;
    if (!data) return;
    event.preventDefault();
    let resources: string[] = [];
    try {
      const parsed: unknown = JSON.parse(data.getData('resourceurls') || '[]');
      if (Array.isArray(parsed)) resources = parsed.filter((item): item is string => typeof item === 'string');
    } catch {
      resources = [];
    }
    const uris = parseUriList(data.getData('application/vnd.code.uri-list'), resources.join('\n'), data.getData('text/uri-list'));
    if (uris.length === 0) {
      context.notify(t('Drop image files from the Explorer (hold Shift while dropping).'), 'error');
      return;
    }
    context.request(
      (id) => outgoing.dropReferences(id, uris),
      (reply) => {
        if (reply.error) context.notify(reply.error, 'error');
      },
    );
  });
}
