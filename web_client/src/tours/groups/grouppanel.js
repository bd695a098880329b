// A member's panel while in a guided group, at the foot of the hall: the group and
// its guide, the stop the guide brought the group to (its title; the narration's
// Play / Pause; the work's card), "Following the guide" while the guide has the
// group follow, and Leave. Changes are announced to screen readers.

import { h, fill } from '../../dom.js';
import { t } from '../../i18n/i18n.js';
import { announce } from '../../a11y/announce.js';

export class GroupPanel {
  /**
   * @param {import('./groupclient.js').GroupClient} groups
   * @param {import('./grouptour.js').GroupTour} tour
   * @param {{hasCard: (id: string) => boolean, openCard: (id: string) => void}} cards
   */
  constructor(groups, tour, cards) {
    this.groups = groups;
    this.tour = tour;
    this.cards = cards;
    const button = (cls, key, onClick) => h('button.button.' + cls, { type: 'button', on: { click: onClick } }, t(key));
    this.name = h('h2.group-panel-name', { dir: 'auto' });
    this.guide = h('p.group-panel-guide');
    this.where = h('p.group-panel-where');
    this.following = h('p.group-following', { hidden: true }, t('group.following'));
    this.playButton = button('group-play', 'tour.pause', () => {
      const p = tour.player;
      if (p) (p.playing ? p.pause() : p.resume());
    });
    this.cardButton = button('group-card', 'tour.about_work', () => cards.openCard(tour.stop.exhibit));
    this.leaveButton = button('group-leave', 'group.leave', () => groups.leave());
    this.node = h('section.group-panel', { 'aria-label': t('group.panel_label'), hidden: true },
      this.name, this.guide, this.where, this.following,
      h('div.group-panel-buttons', {}, this.playButton, this.cardButton, this.leaveButton));
    for (const type of ['keydown', 'keyup']) this.node.addEventListener(type, (e) => e.stopPropagation());
    document.getElementById('hud').appendChild(this.node);
    // the stop's captions sit just above the panel, however tall it is (css/groups.css)
    new ResizeObserver(() => {
      document.body.style.setProperty('--group-panel-height', `${this.node.offsetHeight}px`);
    }).observe(this.node);
    tour.addEventListener('stop', () => this._showStop(true));
    tour.addEventListener('state', () => this._showState());
  }

  /** Show our group (a member's), or hide the panel (null). */
  show(mine) {
    this.node.hidden = !mine;
    document.body.classList.toggle('in-group', Boolean(mine));
    if (!mine) return;
    this.name.textContent = mine.name;
    this.guide.textContent = t('group.guide', { name: mine.guide?.name ?? '' });
    this.setFollowing(mine.follow);
    this._showStop(false);
  }

  setFollowing(on) {
    const was = !this.following.hidden;
    this.following.hidden = !on;
    this.node.classList.toggle('following', Boolean(on));
    if (was !== Boolean(on)) announce(t(on ? 'group.follow_on' : 'group.follow_off'));
  }

  _showStop(arrived) {
    const player = this.tour.player;
    const stop = this.tour.stop;
    this.playButton.hidden = !stop?.audio;
    this.cardButton.hidden = !(stop?.exhibit && this.cards.hasCard(stop.exhibit));
    if (!stop) {
      fill(this.where, t('group.waiting'));
      return;
    }
    this.node.dataset.stop = String(player.index + 1);
    fill(this.where,
      h('span.tour-step', {}, t('tour.stop_of', { number: player.index + 1, count: player.count })),
      h('span.sep', { 'aria-hidden': 'true' }, ' · '),
      h('span.tour-stop-title', { lang: stop.title_lang || null }, stop.title));
    this._showState();
    if (arrived) announce(t('tour.at_stop', { number: player.index + 1, count: player.count, title: stop.title }));
  }

  _showState() {
    const playing = Boolean(this.tour.player?.playing);
    this.playButton.textContent = t(playing ? 'tour.pause' : 'tour.play');
    this.playButton.setAttribute('aria-pressed', String(!playing));
  }
}
