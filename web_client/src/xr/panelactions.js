// What the wrist panel's buttons do. A headset user has no keyboard at hand, so
// the chat gets a few quick replies (sent as ordinary chat lines, in the visitor's
// language, through the same acked request as the 2D chat box: the server's rate
// limits, slow mode and mutes apply to them alike); the actions row raises the hand
// when the event takes hands, switches smooth walking on or off, starts a gallery's
// tour (whose own buttons are tourcontrols.js's), and leaves VR from inside it.
import { t } from '../i18n/i18n.js';
import { errorText } from '../live/chat.js';

const REPLIES = ['xr.reply.bravo', 'xr.reply.thanks', 'xr.reply.hello']; // locale keys
const STATUS_MS = 4000; // how long "sent" (or why not) stays under the chat lines

export class WristActions {
  /**
   * @param {object|null} live the page's live audience (conn, and handRaise when hands are taken)
   * @param {{exit: () => Promise<void>}} session
   * @param {{smooth: boolean, setSmooth: (on: boolean) => void}} comfort the walking setting
   */
  constructor(live, session, comfort) {
    this.live = live;
    this.session = session;
    this.comfort = comfort;
    this.panel = null;
    this.tour = null; // XrTourControls, in a gallery
    this._statusTimer = 0;
  }

  replies() {
    return REPLIES.map((key) => ({ id: key.replace('xr.reply.', 'reply-'), label: t(key), text: t(key) }));
  }

  actions() {
    const list = [];
    const hand = this.live?.handRaise;
    if (hand?.available) {
      list.push({ id: 'hand', label: t(hand.raised ? 'xr.panel.lower_hand' : 'xr.panel.raise_hand'), on: hand.raised });
    }
    list.push({ id: 'smooth', label: t('xr.panel.smooth'), on: this.comfort.smooth });
    const tour = this.tour?.startButton();
    if (tour) list.push(tour);
    list.push({ id: 'exit', label: t('xr.exit') });
    return list;
  }

  /** Do what `button` (from the panel's layout) says. */
  async run(button) {
    const conn = this.live?.conn;
    if (button.disabled) return;
    if (button.kind === 'tour' || button.id === 'tour') this.tour?.run(button.id);
    else if (button.kind === 'reaction') conn?.react(button.id);
    else if (button.kind === 'reply') await this._reply(button.text);
    else if (button.id === 'hand') await this._toggleHand();
    else if (button.id === 'smooth') {
      this.comfort.setSmooth(!this.comfort.smooth);
      this._status(t(this.comfort.smooth ? 'xr.panel.smooth_on' : 'xr.panel.smooth_off'));
    } else if (button.id === 'exit') await this.session.exit();
  }

  async _reply(text) {
    const conn = this.live?.conn;
    if (!conn) return;
    const ack = await conn.request('chat', { text });
    this._status(ack.ok ? t('xr.panel.sent', { text }) : errorText(ack.error));
  }

  async _toggleHand() {
    const hand = this.live?.handRaise;
    if (!hand) return;
    const ack = await (hand.raised ? hand.lower() : hand.raise());
    if (ack && ack.ok === false) this._status(errorText(ack.error));
    this.panel?.paint();
  }

  _status(text) {
    this.panel?.setStatus(text);
    clearTimeout(this._statusTimer);
    this._statusTimer = setTimeout(() => this.panel?.setStatus(''), STATUS_MS);
  }
}
