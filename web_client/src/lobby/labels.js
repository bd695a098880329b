// Human labels for the kinds the API sends, in the page's language.

import { hasKey, t } from '../i18n/i18n.js';

function titleCase(text) {
  const words = String(text || '').replace(/[_-]+/g, ' ').trim();
  return words ? words[0].toUpperCase() + words.slice(1) : '';
}

// a kind the locale files do not know yet (a new one on the server) still reads
function kindLabel(prefix, kind) {
  return kind && hasKey(prefix + kind) ? t(prefix + kind) : titleCase(kind);
}

export const eventKindLabel = (kind) => kindLabel('kind.event.', kind);
export const venueKindLabel = (kind) => kindLabel('kind.venue.', kind);

export function seatsLabel(count) {
  if (!count) return t('lobby.walk_in');
  return t('lobby.seats', { count });
}

export function venueHref(venueId, eventId) {
  const path = '/venue/' + encodeURIComponent(venueId);
  return eventId ? path + '?event=' + encodeURIComponent(eventId) : path;
}

export function eventHref(eventId) {
  return '/event/' + encodeURIComponent(eventId);
}
