// Lobby cards: live events, upcoming events, venues. Built with dom.h, so every
// piece of server text lands in textContent.

import { h } from '../dom.js';
import { t } from '../i18n/i18n.js';
import { clockLabel, dayLabel, liveLabel, untilLabel } from './time.js';
import { eventHref, eventKindLabel, seatsLabel, venueHref, venueKindLabel } from './labels.js';

export function poster(url, kind, label) {
  const art = h('div.poster.poster-' + (kind || 'default'), { 'aria-hidden': 'true' });
  if (url) {
    // the whole poster, never cropped, over a blurred copy that fills the frame
    const backdrop = h('img.poster-backdrop', { src: url, alt: '', decoding: 'async' });
    const img = h('img.poster-image', { src: url, alt: '', decoding: 'async' });
    img.addEventListener('error', () => { img.remove(); backdrop.remove(); }, { once: true });
    art.append(backdrop, img);
  } else {
    art.appendChild(h('span.poster-label', {}, label));
  }
  return art;
}

export function liveCard(event) {
  const href = venueHref(event.venue_id, event.id);
  const start = new Date(event.starts_at);
  const end = new Date(event.ends_at);
  return h('article.live-card', { dataset: { eventId: event.id } },
    poster(event.poster_url, event.kind, eventKindLabel(event.kind)),
    h('div.live-card-body', {},
      h('p.card-kicker', {},
        h('span.badge-live', {}, t('lobby.badge_live')),
        h('span.kind', {}, eventKindLabel(event.kind))),
      h('h3.live-title', {}, h('a.programme-link', { href: eventHref(event.id) }, event.title)),
      h('p.card-meta', {},
        h('span.venue-name', {}, event.venue_name),
        h('span.sep', { 'aria-hidden': 'true' }, ' · '),
        h('span.institution-name', {}, event.institution ? event.institution.name : '')),
      event.description ? h('p.card-description', {}, event.description) : null,
      h('p.card-time', {}, liveLabel(start, end)),
      h('a.button.button-primary.enter-link', { href }, t('lobby.enter'))));
}

export function upcomingItem(event, now = new Date()) {
  const start = new Date(event.starts_at);
  return h('li.upcoming-item', { dataset: { eventId: event.id } },
    h('time.upcoming-when', { datetime: event.starts_at },
      h('span.upcoming-day', {}, dayLabel(start, now)),
      h('span.upcoming-clock', {}, clockLabel(start))),
    h('div.upcoming-body', {},
      h('p.card-kicker', {}, h('span.kind', {}, eventKindLabel(event.kind)),
        h('span.until', {}, untilLabel(start, now))),
      h('h3.upcoming-title', {}, h('a.programme-link', { href: eventHref(event.id) }, event.title)),
      h('p.card-meta', {},
        h('span.venue-name', {}, event.venue_name),
        h('span.sep', { 'aria-hidden': 'true' }, ' · '),
        h('span.institution-name', {}, event.institution ? event.institution.name : ''))),
    h('a.button.button-quiet', { href: venueHref(event.venue_id, event.id) }, t('lobby.look_around')));
}

function thumbnail(venue) {
  const frame = h('div.thumb.thumb-' + (venue.kind || 'default'));
  if (venue.thumbnail_url) {
    const img = h('img', { src: venue.thumbnail_url, alt: '', loading: 'lazy', decoding: 'async' });
    img.addEventListener('error', () => {
      img.remove();
      frame.classList.add('thumb-placeholder');
    }, { once: true });
    frame.appendChild(img);
  } else {
    frame.classList.add('thumb-placeholder');
  }
  return frame;
}

export function venueCard(venue, liveEvent) {
  return h('a.venue-card', { href: venueHref(venue.id, liveEvent && liveEvent.id), dataset: { venueId: venue.id } },
    thumbnail(venue),
    liveEvent ? h('span.badge-live.badge-corner', {}, t('lobby.badge_live')) : null,
    h('div.venue-card-body', {},
      h('h4.venue-title', {}, venue.name),
      h('p.card-meta', {},
        h('span', {}, venueKindLabel(venue.kind)),
        h('span.sep', { 'aria-hidden': 'true' }, ' · '),
        h('span', {}, seatsLabel(venue.seat_count)))));
}

export function institutionGroup(institution, venues, liveByVenue) {
  return h('section.institution', { dataset: { institutionId: institution.id } },
    h('h3.institution-title', {}, institution.name),
    h('div.venue-grid', {}, venues.map((v) => venueCard(v, liveByVenue.get(v.id)))));
}

export function emptyState(text) {
  return h('p.empty', {}, text);
}
