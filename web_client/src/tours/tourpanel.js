// The tour's controls at the foot of the hall: where we are ("Stop 2 of 6" and
// the stop's title), Previous / Pause / Next, the work's card, End tour and the
// auto-advance switch. Every stop is announced to screen readers. Texts from the
// API go in as text only.

import { h, fill } from '../dom.js';
import { t } from '../i18n/i18n.js';
import { announce } from '../a11y/announce.js';

export class TourPanel {
  /**
   * @param {import('./tourplayer.js').TourPlayer} player
   * @param {{hasCard: (exhibitId: string) => boolean, openCard: (exhibitId: string) => void}} cards
   */
  constructor(player, cards) {
    this.player = player;
    this.cards = cards;
    const button = (cls, key, onClick) => h('button.button.' + cls, { type: 'button', on: { click: onClick } }, t(key));
    this.where = h('p.tour-where');
    this.previousButton = button('tour-previous', 'tour.previous', () => player.previous());
    this.playButton = button('tour-play', 'tour.pause', () => (player.playing ? player.pause() : player.resume()));
    this.nextButton = button('tour-next', 'tour.next', () => player.next());
    this.cardButton = button('tour-card', 'tour.about_work', () => cards.openCard(player.stop.exhibit));
    this.endButton = h('button.button.button-icon.tour-end', {
      type: 'button', 'aria-label': t('tour.end'), title: t('tour.end'), on: { click: () => player.end() },
    }, h('span', { 'aria-hidden': 'true' }, '×'));
    this.auto = h('input.tour-auto-input', { type: 'checkbox', checked: true,
      on: { change: () => player.setAutoAdvance(this.auto.checked) } });
    this.node = h('section.tour-panel', { 'aria-label': t('tour.panel_label'), hidden: true },
      this.where,
      this.endButton,
      h('div.tour-buttons', {}, this.previousButton, this.playButton, this.nextButton, this.cardButton),
      h('label.tour-auto', {}, this.auto, ' ', t('tour.auto_advance')));
    // keys pressed on the panel's buttons are the panel's: they must not walk the visitor
    for (const type of ['keydown', 'keyup']) this.node.addEventListener(type, (e) => e.stopPropagation());
    document.getElementById('hud').appendChild(this.node);
    player.addEventListener('stop', () => this._showStop());
    player.addEventListener('state', () => this._showState());
    player.addEventListener('end', () => this._ended());
  }

  remove() {
    this.node.remove();
  }

  _showStop() {
    const { stop, index, count } = this.player;
    this.node.hidden = false;
    document.body.classList.add('touring');
    this.node.dataset.stop = String(index + 1);
    fill(this.where,
      h('span.tour-step', {}, t('tour.stop_of', { number: index + 1, count })),
      h('span.sep', { 'aria-hidden': 'true' }, ' · '),
      h('span.tour-stop-title', { lang: stop.title_lang || null }, stop.title));
    this.previousButton.disabled = index === 0;
    this.nextButton.textContent = t(index + 1 < count ? 'tour.next' : 'tour.finish');
    this.cardButton.hidden = !(stop.exhibit && this.cards.hasCard(stop.exhibit));
    this._showState();
    announce(t('tour.at_stop', { number: index + 1, count, title: stop.title }));
  }

  _showState() {
    this.playButton.textContent = t(this.player.playing ? 'tour.pause' : 'tour.play');
    this.playButton.setAttribute('aria-pressed', String(!this.player.playing));
  }

  _ended() {
    this.node.hidden = true;
    document.body.classList.remove('touring');
    announce(t('tour.finished'));
  }
}
