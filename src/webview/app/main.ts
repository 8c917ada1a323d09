import { render } from 'lit-html';
import type { ModelCapability } from '../../core/capabilities';
import { applyPreset, initialState, outgoing, restoreState } from '../formModel';
import type { StudioState } from '../formModel';
import { markUnwatched, stateChangeAnnouncement, upsertJob } from '../jobList';
import type { ToHost, ToWebview } from '../protocol';
import { setL10nBundle, t } from '../l10nText';
import { appView } from './appView';
import type { DoneMessage, InitMessage, StudioContext } from './context';
import { GalleryView } from './galleryView';
import { JobTicker } from './jobsView';
import { MaskMode } from './mask/maskMode';
import { acceptDrops, addReferences } from './referencesView';
import { vscodeApi } from './vscodeApi';

/**
 * The Studio page. Order matters for the handshake: listen first, then say `ready`; the host
 * answers with `init` (capability rows, key status, prices) and only then is the page rendered.
 * Every change re-renders from the state with lit-html: only what changed is touched.
 */
const api = vscodeApi<StudioState>();
const root = document.getElementById('app') as HTMLElement;
const saved = restoreState(api.getState());
const replies = new Map<string, (reply: DoneMessage) => void>();
let requestCount = 0;
let context: StudioContext | undefined;
let gallery: GalleryView | undefined;
let maskMode: MaskMode | undefined;
/** Saved jobs the gallery has been reloaded for (see the 'job' case). */
const galleryHasJob = new Set<string>();

function send(message: ToHost): void {
  api.postMessage(message);
}

function start(init: InitMessage): void {
  // Before anything renders: every string of the page is looked up in the host's bundle.
  setL10nBundle(init.l10n);
  // `ready` is repeated until an `init` arrives, so several may: later ones refresh, never rebuild.
  if (context) {
    context.init = init;
    context.keys = init.keys;
    context.update();
    return;
  }
  const state = saved ?? initialState(init.defaults.provider, init.defaults.model, init.defaults.partialImages);
  // A state saved before the option existed starts from the setting.
  state.partialImages ??= init.defaults.partialImages ?? 0;
  // Jobs saved as running may have ended while the page was gone; the host re-sends the ones it still watches.
  state.jobs = markUnwatched(state.jobs);
  const ticker = new JobTicker(() => created.update());
  const created: StudioContext = {
    state,
    ui: { view: 'studio', preview: undefined, previewOpener: undefined, comparing: false, status: { text: '', kind: 'info' }, announcement: '' },
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
    notify: (text, kind) => {
      created.ui.status = { text, kind };
      created.update();
    },
    update: (after) => {
      if (!gallery) return;
      render(appView(created, gallery, ticker, maskMode), root);
      ticker.sync(state.jobs);
      after?.();
    },
  };
  context = created;
  gallery = new GalleryView(created);
  maskMode = new MaskMode(created, (visible) => {
    created.ui.view = visible ? 'mask' : 'studio';
    created.update();
  });
  root.replaceChildren();
  root.setAttribute('aria-busy', 'false');
  acceptDrops(created, document.body);
  created.update();
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
      // Only the key status changes: the form stays as it is, with focus and a click under way.
      if (context) {
        context.keys = message.keys;
        context.update();
      }
      return;
    case 'references':
      if (context && message.references.length > 0) addReferences(context, message.references);
      return;
    case 'history':
      gallery?.receive(message);
      return;
    case 'job':
      if (context) receiveJob(context, message.job);
      return;
    case 'galleryChanged':
      gallery?.reload();
      return;
    case 'loadForm':
      if (context) {
        applyPreset(context.state, message.form);
        context.save();
        const target = message.form.focusProvider ? 'provider' : 'prompt';
        context.ui.status = {
          text: message.form.focusProvider ? t('Loaded: choose another provider, then Generate.') : t('Loaded: change what you like, then Generate.'),
          kind: 'info',
        };
        context.update(() => document.querySelector<HTMLElement>(`[data-testid="${target}"]`)?.focus());
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
      else if (message.error) context?.notify(message.error, 'error');
      return;
    }
  }
}

function receiveJob(current: StudioContext, job: Extract<ToWebview, { type: 'job' }>['job']): void {
  if (current.pendingGenerate === job.requestId) current.pendingGenerate = undefined;
  const previous = current.state.jobs.find((item) => item.jobId === job.jobId);
  current.state.jobs = upsertJob(current.state.jobs, job);
  const announcement = stateChangeAnnouncement(previous, job);
  if (announcement) current.ui.announcement = announcement;
  current.save();
  current.update();
  // A saved job is announced again when its usage arrives or the page is shown again: reload
  // the gallery once, or its cards are replaced under the user's pointer.
  if (job.phase === 'saved' && !galleryHasJob.has(job.jobId)) {
    galleryHasJob.add(job.jobId);
    gallery?.reload();
  }
}

window.addEventListener('message', (event: MessageEvent<ToWebview>) => {
  if (event.data?.type === 'init') stopAskingReady();
  receive(event.data);
});
window.addEventListener('error', (event) => send(outgoing.log('error', `${event.message} (${event.filename}:${event.lineno})`)));
// Anything the CSP blocks (an inline style a change slipped in, say) is a bug: say so in the host's log.
document.addEventListener('securitypolicyviolation', (event) => send(outgoing.log('error', `CSP blocked ${event.violatedDirective}: ${event.blockedURI || 'inline'}`)));

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
