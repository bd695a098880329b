// "Raise hand" in the HUD (next to the reactions): a toggle button, the member's
// place in line beside it ("You are 3rd in line"), "You have the floor" when the
// host calls them (with "Done" to give it back). Every change is read out to
// screen readers (web_client/src/a11y/announce.js).
import { announce } from '../a11y/announce.js';
import { h } from '../dom.js';
import { currentLang, t } from '../i18n/i18n.js';
import { drawHandIcon } from './handicon.js';

const SUFFIX = { one: 'st', two: 'nd', few: 'rd', other: 'th' };

/** "3rd" in English; the other locales write the place with the plain number. */
function place(n) {
  const form = new Intl.PluralRules('en', { type: 'ordinal' }).select(n);
  return currentLang() === 'en' ? `${n}${SUFFIX[form] ?? 'th'}` : String(n);
}

export function placeText(n) {
  return t('hands.position', { place: place(n) });
}

export class HandButton {
  /**
   * @param {HTMLElement} container where the control goes (the reaction bar)
   * @param {import('./handraise.js').HandRaise} hand
   */
  constructor(container, hand) {
    this.hand = hand;
    const icon = drawHandIcon(40);
    icon.className = 'hand-icon';
    icon.setAttribute('aria-hidden', 'true');
    this.button = h('button.hand-button', { type: 'button', 'aria-pressed': 'false' }, icon,
      h('span.hand-button-text', {}, t('hands.raise')));
    this.button.addEventListener('click', () => this._toggle());
    this.status = h('span.hand-status', { hidden: true });
    this.done = h('button.hand-done', { type: 'button', hidden: true }, t('hands.done'));
    this.done.addEventListener('click', () => this.hand.lower());
    this.root = h('div.hand-raise', { hidden: true }, this.button, this.status, this.done);
    container.prepend(this.root);
    hand.addEventListener('change', (e) => this._update(e.detail?.reason));
  }

  async _toggle() {
    if (this.hand.busy) return; // one request at a time (the button is not disabled: it keeps the focus)
    const ack = await this.hand.toggle();
    if (!ack.ok) announce(t('hands.failed'), { assertive: true });
  }

  _update(reason) {
    const hand = this.hand;
    this.root.hidden = !hand.available;
    this.button.setAttribute('aria-pressed', String(hand.raised));
    this.button.setAttribute('aria-busy', String(hand.busy));
    this.root.classList.toggle('is-raised', hand.raised);
    this.root.classList.toggle('is-called', hand.calledMe);
    let text = '';
    if (hand.calledMe) text = t('hands.called_you');
    else if (hand.raised) text = placeText(hand.position);
    this.status.textContent = text;
    this.status.hidden = !text;
    this.done.hidden = !hand.calledMe;
    this._say(reason);
  }

  _say(reason) {
    const hand = this.hand;
    if (!hand.available) return;
    if (reason === 'raised') announce(t('hands.raised_at', { position: placeText(hand.position) }));
    else if (reason === 'moved') announce(placeText(hand.position));
    else if (reason === 'lowered') announce(t('hands.lowered'));
    else if (reason === 'lowered_by_host') announce(t('hands.lowered_by_host'), { assertive: true });
    else if (reason === 'called') announce(t('hands.called_you_long'), { assertive: true });
  }
}
