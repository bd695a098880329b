// The live side panel: presence pill, chat and the reaction bar, placed in the
// venue page's empty side panel (or a dock of our own on another page).
import { h } from '../dom.js';
import { ChatPanel } from './chat.js';
import { Presence } from './presence.js';
import { ReactionBar } from './reactions.js';

/**
 * @param {{panel?: HTMLElement, reactionsContainer?: HTMLElement}} options
 * @param {{rename: () => void, send: (text: string) => Promise<object>,
 *          hostAction: (name: string, payload: object) => Promise<object>,
 *          react: (kind: string) => void, applause: import('./applause.js').Applause}} actions
 * @returns {{presence: Presence, chat: ChatPanel, reactionBar: ReactionBar}}
 */
export function buildLivePanel(options, actions) {
  ensureStylesheet();
  // The venue page leaves an empty side panel for live features; without one
  // (another page, a test harness) we dock our own in the corner.
  const side = options.panel || document.getElementById('side-panel');
  const panel = side || document.body.appendChild(h('div.live-dock'));
  panel.classList.add('live-panel');
  if (side) side.hidden = false;
  const presence = new Presence(panel, { onRename: actions.rename });
  const chat = new ChatPanel(panel, { send: actions.send, hostAction: actions.hostAction });
  // On a phone the hall needs the screen: the chat starts folded (with a count of
  // new messages) and opens with one tap.
  const phone = window.matchMedia?.('(max-width: 640px) and (pointer: coarse)').matches;
  if (phone) chat.setCollapsed(true);
  const reactionBar = new ReactionBar(options.reactionsContainer || panel.parentElement || document.body,
    actions.react, actions.applause);
  return { presence, chat, reactionBar };
}

function ensureStylesheet() {
  const href = new URL('../../css/live.css', import.meta.url).href;
  if ([...document.styleSheets].some((sh) => sh.href === href)) return;
  if (document.querySelector(`link[href="${href}"]`)) return;
  document.head.appendChild(h('link', { rel: 'stylesheet', href }));
}

/** Autoplay rules: audio may only start from a user gesture. */
export function unlockAudioOnGesture(applause) {
  const unlock = () => {
    applause.unlock();
    if (applause.running) {
      window.removeEventListener('pointerdown', unlock, true);
      window.removeEventListener('keydown', unlock, true);
    }
  };
  window.addEventListener('pointerdown', unlock, true);
  window.addEventListener('keydown', unlock, true);
}
