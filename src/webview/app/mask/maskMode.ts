import type { MaskOpenMessage, MaskSavedMessage } from '../../maskProtocol';
import { maskOutgoing } from '../../maskMessages';
import type { StudioContext } from '../context';
import { mountMaskPainter } from './maskPainter';
import type { MaskPainterHandle } from './maskPainter';

/**
 * The Studio page's mask mode: `maskOpen` from the host mounts the painter and asks the page to show
 * it (the page swaps the form and gallery for it; the jobs list stays, so the edit's progress
 * shows); "Back to the Studio" asks the page to swap back and tells the host to forget the session.
 * The painter itself (maskPainter.ts) knows nothing of this page or the protocol.
 */
export class MaskMode {
  readonly element: HTMLElement;
  private painter: MaskPainterHandle | undefined;
  private session: string | undefined;
  private draftTimer: ReturnType<typeof setTimeout> | undefined;
  /** Save requests in flight, for the host's `maskSaved` line. */
  private readonly saving = new Set<string>();

  constructor(
    private readonly context: StudioContext,
    /** The page shows or hides the painter's element (appView's mask view). */
    private readonly show: (visible: boolean) => void,
  ) {
    this.element = document.createElement('div');
    this.element.className = 'mask-mode';
    this.element.dataset.testid = 'mask-mode';
  }

  open(message: MaskOpenMessage): void {
    // `ready` is repeated until `init`, and each answer replays the session: mount it once.
    if (this.session === message.session) return;
    this.unmount();
    this.session = message.session;
    const session = message.session;
    this.painter = mountMaskPainter(this.element, message, {
      save: (operations, edit) =>
        new Promise((resolve) => {
          const requestId = this.context.request(
            (id) => maskOutgoing.save(id, session, operations, edit),
            (reply) => {
              this.saving.delete(requestId);
              resolve(reply);
            },
          );
          this.saving.add(requestId);
        }),
      change: (operations, prompt) => {
        clearTimeout(this.draftTimer);
        this.draftTimer = setTimeout(() => this.context.send(maskOutgoing.draft(session, operations, prompt)), 400);
      },
      close: () => this.close(),
    });
    this.show(true);
    this.element.querySelector<HTMLElement>('[data-testid="mask-brush"]')?.focus();
  }

  saved(message: MaskSavedMessage): void {
    if (this.saving.has(message.requestId)) this.painter?.progress(message.text);
  }

  private close(): void {
    if (this.session !== undefined) this.context.send(maskOutgoing.close(this.session));
    this.unmount();
    this.show(false);
  }

  private unmount(): void {
    clearTimeout(this.draftTimer);
    this.painter?.dispose();
    this.painter = undefined;
    this.session = undefined;
  }
}
