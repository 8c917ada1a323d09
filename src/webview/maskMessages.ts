import type { MaskOperation } from '../core/mask/maskDocument';
import type { MaskEdit } from './maskProtocol';
import type { ToHost } from './protocol';

/**
 * The painter's messages as the page builds them (the `outgoing` of formModel.ts for the mask):
 * types only from the protocol, so zod stays on the host.
 */
export const maskOutgoing = {
  save: (requestId: string, session: string, operations: readonly MaskOperation[], edit?: MaskEdit): ToHost => ({
    type: 'maskSave',
    requestId,
    session,
    operations: plain(operations),
    ...(edit ? { edit } : {}),
  }),
  draft: (session: string, operations: readonly MaskOperation[], prompt: string): ToHost => ({ type: 'maskDraft', session, operations: plain(operations), prompt }),
  close: (session: string): ToHost => ({ type: 'maskClose', session }),
};

/** A copy with mutable arrays, as the message type has them (what travels is JSON anyway). */
function plain(operations: readonly MaskOperation[]): Extract<ToHost, { type: 'maskDraft' }>['operations'] {
  return operations.map((operation) => (operation.kind === 'stroke' ? { ...operation, points: operation.points.map(({ x, y }) => ({ x, y })) } : { ...operation }));
}
