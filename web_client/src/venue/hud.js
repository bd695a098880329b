// The venue page's DOM around the canvas: loading curtain with progress, title,
// hints, seat tooltip, "Take a seat" / "Stand up", and the not-found / error card.
// All text goes in through textContent.

import { hasKey, t } from '../i18n/i18n.js';
import { eventKindLabel } from '../lobby/labels.js';

const $ = (id) => document.getElementById(id);

export function setState(state) {
  document.body.dataset.state = state;
}

export function showLoading(venueName) {
  $('loading-title').textContent = venueName;
  document.title = t('venue.title_named', { name: venueName });
}

/** @param {number|null} fraction null = size unknown (indeterminate bar) */
export function setProgress(fraction, text) {
  const bar = $('progress-bar');
  const box = $('progress');
  if (fraction === null) {
    box.classList.add('is-indeterminate');
    box.removeAttribute('aria-valuenow');
  } else {
    box.classList.remove('is-indeterminate');
    const pct = Math.round(fraction * 100);
    bar.style.width = pct + '%';
    box.setAttribute('aria-valuenow', String(pct));
  }
  if (text) $('loading-status').textContent = text;
}

export function hideLoading() {
  const curtain = $('loading-screen');
  // with reduced motion asked for, the curtain goes at once instead of parting
  if (window.matchMedia('(prefers-reduced-motion: reduce)').matches) {
    curtain.hidden = true;
    return;
  }
  curtain.classList.add('is-open');
  setTimeout(() => { curtain.hidden = true; }, 700);
}

export function showMessage(title, text) {
  $('loading-screen').hidden = true;
  $('hud').hidden = true;
  $('message-title').textContent = title;
  $('message-text').textContent = text;
  $('message-screen').hidden = false;
}

export function showTitle(venue, event) {
  const inst = venue.institution ? venue.institution.name : '';
  if (event) {
    $('hud-kicker').textContent = event.status === 'live' ? t('venue.badge_live') : eventKindLabel(event.kind);
    $('hud-kicker').classList.toggle('badge-live', event.status === 'live');
    $('hud-event').textContent = event.title;
    $('hud-venue').textContent = [venue.name, inst].filter(Boolean).join(' · ');
    document.title = t('venue.title_named', { name: event.title });
  } else {
    $('hud-kicker').hidden = true;
    $('hud-event').textContent = venue.name;
    $('hud-venue').textContent = inst;
  }
}

export class Hints {
  constructor({ touch, hasSeats }) {
    this.touch = touch;
    this.hasSeats = hasSeats;
    this.node = $('hud-hint');
  }

  standing() {
    const parts = this.touch
      ? [this.hasSeats && t('venue.hint_tap_seat'), t('venue.hint_tap_floor'), t('venue.hint_drag_touch')]
      : [this.hasSeats && t('venue.hint_click_seat'), t('venue.hint_click_floor'), t('venue.hint_keys'), t('venue.hint_drag')];
    this.show(capitalise(parts.filter(Boolean).join(' · ')));
  }

  seated(seat) {
    const where = seatLabel(seat);
    this.show(t(this.touch ? 'venue.hint_seated_touch' : 'venue.hint_seated', { seat: where }));
  }

  show(text) {
    this.node.textContent = text;
    this.node.hidden = false;
  }
}

export function seatLabel(seat) {
  if (!seat.section) return t('venue.seat', { row: seat.row, number: seat.number });
  return t('venue.seat_in_section', { section: sectionLabel(seat.section), row: seat.row, number: seat.number });
}

/** A section's shown name ("stalls" -> "Stalls" / "Партер"). */
export function sectionLabel(section) {
  const key = 'venue.section.' + section;
  return hasKey(key) ? t(key) : capitalise(section);
}

function capitalise(text) {
  return text ? text[0].toUpperCase() + text.slice(1) : text;
}

export class SeatTooltip {
  constructor() {
    this.node = $('seat-tooltip');
  }

  show(seat, x, y) {
    if (!seat) {
      this.node.hidden = true;
      return;
    }
    this.node.textContent = seatLabel(seat);
    this.node.style.transform = `translate(${Math.round(x + 16)}px, ${Math.round(y + 18)}px)`;
    this.node.hidden = false;
  }
}

/** The "Take a seat" / "Stand up" button. */
export class SeatButton {
  constructor({ onSit, onStand }) {
    this.node = $('seat-button');
    this.seated = false;
    this.node.addEventListener('click', () => (this.seated ? onStand() : onSit()));
  }

  show(visible) {
    this.node.hidden = !visible;
  }

  setSeated(seated) {
    this.seated = seated;
    this.node.textContent = t(seated ? 'venue.stand_up' : 'venue.take_seat');
    this.node.classList.toggle('button-primary', !seated);
  }
}
