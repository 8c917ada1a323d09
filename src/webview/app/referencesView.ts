import { providerLabels } from '../../core/ids';
import { outgoing, parseUriList, referenceUrlProblem } from '../formModel';
import type { ReferenceView } from '../protocol';
import type { StudioContext } from './context';
import { button, field, h } from './dom';

/** Reference images: workspace files (picker or Explorer drop) and/or https URLs, per the row. */
export function renderReferences(context: StudioContext, refresh: () => void): HTMLElement {
  const { state } = context;
  const capability = context.capability();
  const edit = capability.edit;
  const label = providerLabels[state.provider];

  const list = h('ul', { class: 'references', 'data-testid': 'references', 'aria-label': 'Reference images' });
  state.references.forEach((reference, index) => {
    const remove = button('×', 'remove-reference', { class: 'icon', 'aria-label': `Remove reference ${reference.label}`, title: 'Remove' });
    remove.addEventListener('click', () => {
      state.references.splice(index, 1);
      context.renderForm();
    });
    const preview = reference.thumbnail
      ? h('img', { src: reference.thumbnail, alt: reference.label, loading: 'lazy' })
      : h('span', { class: 'tile', 'aria-hidden': 'true', text: reference.spec.kind === 'url' ? 'URL' : 'IMG' });
    list.append(h('li', { 'data-testid': 'reference-item', title: reference.label }, [preview, h('span', { class: 'name', text: reference.label }), remove]));
  });

  const controls: HTMLElement[] = [];
  if (edit.acceptsLocalFile) {
    const add = button('Add from workspace…', 'add-reference');
    add.addEventListener('click', () => context.request((id) => outgoing.pickReferences(id)));
    controls.push(add);
  }
  if (edit.acceptsUrl) {
    const url = h('input', { type: 'url', 'data-testid': 'reference-url', placeholder: 'https://example.com/image.png' });
    const addUrl = button('Add URL', 'add-reference-url');
    const submit = (): void => {
      const problem = referenceUrlProblem(url.value);
      if (problem) {
        context.notify(problem, 'error');
        return;
      }
      addReferences(context, [{ spec: { kind: 'url', url: url.value.trim() }, label: url.value.trim() }]);
      url.value = '';
      refresh();
    };
    addUrl.addEventListener('click', submit);
    url.addEventListener('keydown', (event) => {
      if (event.key === 'Enter') {
        event.preventDefault();
        submit();
      }
    });
    controls.push(field('Image URL', url), addUrl);
  }
  const hint = edit.acceptsLocalFile
    ? `Optional. Drop images from the Explorer here (hold Shift while dropping), or add them from the workspace. Up to ${edit.maxImages}.`
    : `${label} takes reference images only as public https URLs; a workspace file cannot be sent.`;
  return h('section', { class: 'reference-section', 'data-testid': 'reference-section', 'aria-label': 'Reference images' }, [
    h('h2', { text: 'Reference images' }),
    h('p', { class: 'hint', text: hint }),
    list,
    h('div', { class: 'row' }, controls),
  ]);
}

/** Adds references (from the picker, a drop or a URL), skipping duplicates, then rebuilds the form. */
export function addReferences(context: StudioContext, references: readonly ReferenceView[]): void {
  const known = new Set(context.state.references.map((reference) => JSON.stringify(reference.spec)));
  for (const reference of references) {
    const key = JSON.stringify(reference.spec);
    if (!known.has(key)) {
      known.add(key);
      context.state.references.push(reference);
    }
  }
  context.renderForm();
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
      context.notify('Drop image files from the Explorer (hold Shift while dropping).', 'error');
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
