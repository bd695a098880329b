// The guide's console (a host guiding a group): Gather (the group comes to stand
// in front of the guide), Follow me (members keep near the guide as it walks),
// Pointer (a click on a work or the floor shows everyone a marker there; Escape
// clears it), the previous and next stop of the group's tour, the roster (who is
// how far, who lags, whose connection is down, who left) and End group. The server
// checks every one of these again: only the guide moves a group.

import { h, fill } from '../../dom.js';
import { t } from '../../i18n/i18n.js';
import { announce } from '../../a11y/announce.js';
import { errorText } from '../../live/chat.js';

const STATES = { left: 'group.state_left', away: 'group.state_away', lagging: 'group.state_lagging' };

export class GuideConsole {
  /**
   * @param {import('./groupclient.js').GroupClient} groups
   * @param {import('./pointer.js').GuidePointer} pointer
   * @param {(index: number) => void} goToStop the guide's own view goes to the stop too
   */
  constructor(groups, pointer, goToStop) {
    this.groups = groups;
    this.pointer = pointer;
    this.goToStop = goToStop;
    const button = (cls, key, onClick) => h('button.button.' + cls, { type: 'button', on: { click: onClick } }, t(key));
    this.name = h('h2.guide-name', { dir: 'auto' });
    this.count = h('p.guide-count');
    this.gatherButton = button('guide-gather', 'group.gather', () => this._gather());
    this.followButton = button('guide-follow', 'group.follow', () => this._act(groups.follow(!groups.mine.follow)));
    this.pointerButton = button('guide-pointer', 'group.pointer', () => pointer.setOn(!pointer.on));
    this.pointerHint = h('p.guide-hint', { hidden: true }, t('group.pointer_hint'));
    this.previousButton = button('guide-previous', 'group.previous_stop', () => this._stop(-1));
    this.nextButton = button('guide-next', 'group.next_stop', () => this._stop(1));
    this.stopLabel = h('span.guide-stop');
    this.endButton = button('guide-end', 'group.end', () => this._act(groups.end()));
    this.roster = h('ul.guide-roster', { 'aria-label': t('group.roster') });
    this.message = h('p.guide-message', { hidden: true });
    this.stops = h('div.guide-stops', {}, this.previousButton, this.stopLabel, this.nextButton);
    this.node = h('section.guide-console', { 'aria-label': t('group.console_label'), hidden: true },
      h('header.guide-head', {}, this.name, this.count),
      h('div.guide-buttons', {}, this.gatherButton, this.followButton, this.pointerButton),
      this.pointerHint, this.stops, this.message,
      h('h3.guide-roster-title', {}, t('group.roster')), this.roster,
      h('div.guide-foot', {}, this.endButton));
    for (const type of ['keydown', 'keyup']) this.node.addEventListener(type, (e) => e.stopPropagation());
    document.getElementById('hud').appendChild(this.node);
    pointer.addEventListener('change', () => this._showToggles());
    groups.addEventListener('roster', (e) => this._showRoster(e.detail));
  }

  /** Show the group we guide, or hide the console (null). */
  show(mine) {
    this.node.hidden = !mine;
    document.body.classList.toggle('guiding', Boolean(mine));
    if (!mine) {
      this.pointer.setOn(false, { clear: false });
      return;
    }
    this.name.textContent = mine.name;
    this.count.textContent = t('group.count', { count: mine.count, cap: mine.cap });
    this.stops.hidden = !mine.stop_count;
    if (mine.stop_count) {
      this.stopLabel.textContent = mine.stop === null || mine.stop === undefined
        ? t('group.not_started')
        : t('tour.stop_of', { number: mine.stop + 1, count: mine.stop_count });
      this.previousButton.disabled = !(mine.stop > 0);
      this.nextButton.disabled = mine.stop !== null && mine.stop !== undefined && mine.stop + 1 >= mine.stop_count;
      this.nextButton.textContent = t(mine.stop === null || mine.stop === undefined ? 'group.first_stop' : 'group.next_stop');
    }
    this._showToggles();
  }

  _showToggles() {
    const mine = this.groups.mine;
    this.followButton.setAttribute('aria-pressed', String(Boolean(mine?.follow)));
    this.pointerButton.setAttribute('aria-pressed', String(this.pointer.on));
    this.pointerHint.hidden = !this.pointer.on;
  }

  async _act(request) {
    const ack = await request;
    if (!ack.ok) this.error(ack.error);
    else this.message.hidden = true;
    this.show(this.groups.mine);
    return ack;
  }

  async _gather() {
    const ack = await this._act(this.groups.gather());
    if (ack.ok) announce(t('group.gathered', { count: ack.count }));
  }

  async _stop(step) {
    const mine = this.groups.mine;
    const index = mine.stop === null || mine.stop === undefined ? 0 : mine.stop + step;
    const ack = await this._act(this.groups.stop(index));
    if (ack.ok) this.goToStop(ack.stop);
  }

  /** Say what went wrong, in the console. */
  error(error) {
    this.message.textContent = errorText(error);
    this.message.hidden = false;
    announce(this.message.textContent, { assertive: true });
  }

  _showRoster(roster) {
    const people = roster?.members || [];
    if (!people.length) {
      fill(this.roster, h('li.guide-roster-empty', {}, t('group.roster_empty')));
      return;
    }
    fill(this.roster, people.map((m) => {
      const state = m.left ? 'left' : m.away ? 'away' : m.lagging ? 'lagging' : 'near';
      const distance = m.distance === null || m.distance === undefined
        ? t('group.distance_unknown') : t('group.distance', { metres: Math.round(m.distance) });
      return h('li.guide-roster-item', { dataset: { member: m.member_id, state } },
        h('span.guide-roster-name', { dir: 'auto' }, m.name),
        h('span.guide-roster-distance', {}, m.left ? '' : distance),
        STATES[state] ? h('span.guide-roster-state', {}, t(STATES[state])) : null);
    }));
  }
}
