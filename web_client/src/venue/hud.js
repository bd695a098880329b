// The venue page's DOM around the canvas: loading curtain with progress, title,
// hints, seat tooltip, "Take a seat" / "Stand up", and the not-found / error card.
// All text goes in through textContent.

const $ = (id) => document.getElementById(id);

const EVENT_KINDS = {
  concert: 'Concert', performance: 'Performance', lecture: 'Lecture',
  masterclass: 'Master class', qa: 'Q&A', excursion: 'Excursion',
};

export function setState(state) {
  document.body.dataset.state = state;
}

export function showLoading(venueName) {
  $('loading-title').textContent = venueName;
  document.title = 'Zal · ' + venueName;
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
    $('hud-kicker').textContent = event.status === 'live' ? 'Live' : EVENT_KINDS[event.kind] || '';
    $('hud-kicker').classList.toggle('badge-live', event.status === 'live');
    $('hud-event').textContent = event.title;
    $('hud-venue').textContent = [venue.name, inst].filter(Boolean).join(' · ');
    document.title = 'Zal · ' + event.title;
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
      ? [this.hasSeats && 'Tap a seat to sit', 'tap the floor to walk', 'drag to look around']
      : [this.hasSeats && 'Click a seat to sit', 'click the floor to walk', 'WASD to move', 'drag to look'];
    this.show(capitalise(parts.filter(Boolean).join(' · ')));
  }

  seated(seat) {
    const where = seatLabel(seat);
    this.show(this.touch ? where + ' · move the stick to stand up' : where + ' · press W or Esc to stand up');
  }

  show(text) {
    this.node.textContent = text;
    this.node.hidden = false;
  }
}

export function seatLabel(seat) {
  const section = seat.section ? capitalise(seat.section) + ', ' : '';
  return section + 'row ' + seat.row + ', seat ' + seat.number;
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
    this.node.textContent = seated ? 'Stand up' : 'Take a seat';
    this.node.classList.toggle('button-primary', !seated);
  }
}
