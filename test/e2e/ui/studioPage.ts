import type { Frame, Page } from 'playwright-core';
import { runCommand } from '../harness/browser';
import { waitFor } from '../harness/processes';

/** The Studio page's root element (present from the first paint, before the host's `init`). */
const studioRoot = '[data-testid="studio"]';

/**
 * The frame holding the Studio page. Not `webviewFrame()`: with an image preview open there are two
 * webviews and `iframe.webview.ready` matches both, so each frame is asked whether it is the Studio.
 * Polled, because frames come and go with reloads and reopened panels.
 */
export async function studioFrame(page: Page, timeoutMs = 30000): Promise<Frame> {
  return waitFor('the Studio webview', () => findFrameWith(page, studioRoot), timeoutMs, 25);
}

/** Waits until some frame shows `selector` visibly (the Studio's Generate button, say) and returns it. */
export async function waitForVisibleInFrames(page: Page, selector: string, timeoutMs = 30000): Promise<Frame> {
  return waitFor(`${selector} visible in a webview`, () => findFrameWith(page, selector, true), timeoutMs, 10);
}

async function findFrameWith(page: Page, selector: string, visible = false): Promise<Frame | undefined> {
  for (const frame of page.frames()) {
    if (frame.isDetached()) continue;
    const locator = frame.locator(selector).first();
    // A frame may navigate or detach between the two calls: that is "not yet", not a failure.
    const present = visible ? await locator.isVisible().catch(() => false) : (await locator.count().catch(() => 0)) > 0;
    if (present) return frame;
  }
  return undefined;
}

/** True while any frame still holds the Studio page. */
export async function studioIsOpen(page: Page): Promise<boolean> {
  return (await findFrameWith(page, studioRoot)) !== undefined;
}

/** One timed open of the Studio; every figure is milliseconds after Enter was pressed on the command. */
export interface StudioOpenTiming {
  /** The Generate button is visible: the user's time to interactive. */
  readonly interactiveMs: number;
  /** The webview's host frame (VS Code's iframe around the page) started loading. */
  readonly webviewFrameStartedMs: number;
  /** The Studio page itself started loading. */
  readonly pageStartedMs: number;
  /** The Studio page's DOMContentLoaded finished (its script has run and said `ready`). */
  readonly pageDomContentLoadedMs: number;
}

/**
 * Runs "GPT Image: Open Studio" from the palette and times it from pressing Enter on it to the
 * Generate button being visible. The clock starts only once the palette lists the command, so typing
 * into the palette is not counted. The frames' navigation timings (wall clock, like Date.now() here:
 * same machine) say where the time went.
 */
export async function openStudioTimed(page: Page): Promise<StudioOpenTiming> {
  const started = await runCommand(page, 'GPT Image: Open Studio');
  const studio = await waitForVisibleInFrames(page, '[data-testid="generate"]', 60000);
  const interactiveMs = Date.now() - started;
  const own = await navigationTiming(studio);
  const host = await navigationTiming(studio.parentFrame() ?? studio);
  return {
    interactiveMs,
    webviewFrameStartedMs: Math.round(host.timeOrigin - started),
    pageStartedMs: Math.round(own.timeOrigin - started),
    pageDomContentLoadedMs: Math.round(own.timeOrigin + own.domContentLoaded - started),
  };
}

/** A frame's wall-clock start and its DOMContentLoaded end (ms after that start). */
async function navigationTiming(frame: Frame): Promise<{ timeOrigin: number; domContentLoaded: number }> {
  // A string: the project compiles without DOM types.
  return (await frame.evaluate(`({
    timeOrigin: performance.timeOrigin,
    domContentLoaded: (performance.getEntriesByType('navigation')[0] || {}).domContentLoadedEventEnd || 0,
  })`)) as { timeOrigin: number; domContentLoaded: number };
}

/**
 * Where the workbench persisted a string, searched in the page's IndexedDB (VS Code for the Web keeps
 * its workspace state there). The Studio's webview state reaches it only when the workbench flushes
 * its storage, some seconds after the page's setState; reloading before that loses the edit.
 * Returns "database/store" or "" when not (yet) found. A string, not a function: the project
 * compiles without DOM types and this runs in the page.
 */
export async function persistedIn(page: Page, needle: string): Promise<string> {
  const script = `(async (needle) => {
    const names = (await indexedDB.databases()).map((entry) => entry.name).filter(Boolean);
    const request = (call) => new Promise((resolve, reject) => { call.onsuccess = () => resolve(call.result); call.onerror = () => reject(call.error); });
    for (const name of names) {
      const db = await request(indexedDB.open(name));
      try {
        for (const store of Array.from(db.objectStoreNames)) {
          const values = await request(db.transaction(store, 'readonly').objectStore(store).getAll());
          if (values.some((value) => (typeof value === 'string' ? value : JSON.stringify(value ?? null)).includes(needle))) return name + '/' + store;
        }
      } finally {
        db.close();
      }
    }
    return '';
  })(${JSON.stringify(needle)})`;
  return (await page.evaluate(script)) as string;
}

/**
 * Starts recording, after every DOM update of the Studio page (each render is one batch of
 * mutations), which control has focus: its data-testid, or "body" when focus was lost. A string,
 * not a function: the project compiles without DOM types and this runs in the page.
 */
export async function watchFocus(studio: Frame): Promise<void> {
  await studio.evaluate(`(() => {
    window.__focusLog = [];
    const name = () => {
      const active = document.activeElement;
      return !active || active === document.body ? 'body' : active.getAttribute('data-testid') || active.id || active.tagName.toLowerCase();
    };
    window.__focusName = name;
    if (window.__focusObserver) return;
    window.__focusObserver = new MutationObserver(() => window.__focusLog.push(name()));
    window.__focusObserver.observe(document.body, { subtree: true, childList: true, characterData: true, attributes: true });
  })()`);
}

/** The focus after each update since the last call (and empties the record). */
export async function takeFocusLog(studio: Frame): Promise<string[]> {
  return (await studio.evaluate(`(() => { const log = window.__focusLog || []; window.__focusLog = []; return log; })()`)) as string[];
}

/** The data-testid (or id) of the focused control, "body" when none. */
export async function focusedControl(studio: Frame): Promise<string> {
  return (await studio.evaluate(`window.__focusName ? window.__focusName() : (document.activeElement && document.activeElement.getAttribute('data-testid')) || 'body'`)) as string;
}
