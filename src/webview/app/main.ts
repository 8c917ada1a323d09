import type { ModelCapability } from '../../core/capabilities';
import { applyPreset, initialState, outgoing, restoreState } from '../formModel';
import type { StudioState } from '../formModel';
import type { ToHost, ToWebview } from '../protocol';
import type { DoneMessage, InitMessage, StudioContext } from './context';
import { h } from './dom';
import { renderForm } from './formView';
import { GalleryView } from './galleryView';
import { JobsView } from './jobsView';
import { MaskMode } from './mask/maskMode';
import { acceptDrops, addReferences } from './referencesView';
import { vscodeApi } from './vscodeApi';

/**
 * The Studio page. Order matters for the handshake: listen first, then say `ready`; the host
 * answers with `init` (capability rows, key status, prices) and only then is the form built.
 */
const api = vscodeApi<StudioState>();
const root = document.getElementById('app') as HTMLElement;
const saved = restoreState(api.getState());
const replies = new Map<string, (reply: DoneMessage) => void>();
let requestCount = 0;
let context: StudioContext | undefined;
let jobs: JobsView | undefined;
let gallery: GalleryView | undefined;
let maskMode: MaskMode | undefined;
/** Saved jobs the gallery has been reloaded for (see the 'job' case). */
const galleryHasJob = new Set<string>();

const statusLine = h('div', { class: 'status', 'data-testid': 'status', role: 'status', 'aria-live': 'polite' });

function notify(text: string, kind: 'info' | 'error'): void {
  statusLine.textContent = text;
  statusLine.className = `status ${kind}`;
}

function send(message: ToHost): void {
  api.postMessage(message);
}

function start(init: InitMessage): void {
  // `ready` is repeated until an `init` arrives, so several may: later ones refresh, never rebuild
  // (a rebuild would add another drop listener, observer and ticking jobs view each time).
  if (context) {
    context.init = init;
    context.keys = init.keys;
    context.renderForm();
    return;
  }
  const state = saved ?? initialState(init.defaults.provider, init.defaults.model, init.defaults.partialImages);
  // A state saved before the option existed starts from the setting.
  state.partialImages ??= init.defaults.partialImages ?? 0;
  const formContainer = h('div', { class: 'form', 'data-testid': 'form' });
  const created: StudioContext = {
    state,
    init,
    keys: init.keys,
    pendingGenerate: undefined,
    save: () => api.setState(state),
    send,
    request: (build, onReply) => {
      const requestId = `r${++requestCount}`;
      if (onReply) replies.set(requestId, onReply);
      send(build(requestId));
      return requestId;
    },
    capability: () => capabilityOf(created.init, state),
    notify,
    renderForm: () => renderForm(created, formContainer),
  };
  context = created;
  jobs = new JobsView(created);
  gallery = new GalleryView(created);
  const heading = h('header', {}, [h('h1', { text: 'GPT Image Studio' })]);
  if (!init.hasWorkspace) heading.append(h('p', { class: 'error', text: 'Open a folder first: images are saved into the workspace.' }));
  maskMode = new MaskMode(created, [formContainer, gallery.element]);
  root.replaceChildren(heading, maskMode.element, formContainer, statusLine, jobs.element, gallery.element);
  root.setAttribute('aria-busy', 'false');
  acceptDrops(created, document.body);
  created.renderForm();
  gallery.reload();
}

function capabilityOf(init: InitMessage, state: StudioState): ModelCapability {
  const row =
    init.capabilities.find((item) => item.provider === state.provider && item.model === state.model) ??
    init.capabilities.find((item) => item.provider === state.provider) ??
    (init.capabilities[0] as ModelCapability);
  state.provider = row.provider;
  state.model = row.model;
  return row;
}

function receive(message: ToWebview): void {
  switch (message.type) {
    case 'init':
      start(message);
      return;
    case 'keys':
      if (context) {
        context.keys = message.keys;
        context.renderForm();
      }
      return;
    case 'references':
      if (context && message.references.length > 0) addReferences(context, message.references);
      return;
    case 'history':
      gallery?.receive(message);
      return;
    case 'job':
      if (context && context.pendingGenerate === message.job.requestId) {
        context.pendingGenerate = undefined;
        context.renderForm();
      }
      jobs?.update(message.job);
      // A saved job is announced again when its usage arrives or the page is shown again: reload
      // the gallery once, or its cards are replaced under the user's pointer.
      if (message.job.phase === 'saved' && !galleryHasJob.has(message.job.jobId)) {
        galleryHasJob.add(message.job.jobId);
        gallery?.reload();
      }
      return;
    case 'loadForm':
      if (context) {
        applyPreset(context.state, message.form);
        context.renderForm();
        const target = document.querySelector<HTMLElement>(message.form.focusProvider ? '[data-testid="provider"]' : '[data-testid="prompt"]');
        target?.focus();
        notify(message.form.focusProvider ? 'Loaded: choose another provider, then Generate.' : 'Loaded: change what you like, then Generate.', 'info');
      }
      return;
    case 'maskOpen':
      maskMode?.open(message);
      return;
    case 'maskSaved':
      maskMode?.saved(message);
      return;
    case 'done': {
      const reply = replies.get(message.requestId);
      replies.delete(message.requestId);
      if (reply) reply(message);
      else if (message.error) notify(message.error, 'error');
      return;
    }
  }
}

window.addEventListener('message', (event: MessageEvent<ToWebview>) => {
  if (event.data?.type === 'init') stopAskingReady();
  receive(event.data);
});
window.addEventListener('error', (event) => send(outgoing.log('error', `${event.message} (${event.filename}:${event.lineno})`)));

// The panel is created before the engine loads (studioShell.ts), so the first `ready` can arrive
// before anyone listens: repeat it until `init` answers (for at most half a minute).
let readyAttempts = 0;
const readyTimer = setInterval(() => {
  if (++readyAttempts > 60) stopAskingReady();
  else send(outgoing.ready());
}, 500);
function stopAskingReady(): void {
  clearInterval(readyTimer);
}
send(outgoing.ready());
