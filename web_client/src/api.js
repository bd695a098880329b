// Fetch wrappers for the Zal HTTP API (docs/api.md). Every call resolves to parsed
// JSON or throws an ApiError carrying the server's stable error `code`. Every call
// asks for the page's language (?lang=): titles, names and messages come localized.

import { currentLang, hasKey, t } from './i18n/i18n.js';

export class ApiError extends Error {
  constructor(status, code, message) {
    super(message);
    this.name = 'ApiError';
    this.status = status;
    this.code = code;
  }
}

/** `path` with `lang=<current language>` added to its query. */
export function withLang(path) {
  return path + (path.includes('?') ? '&' : '?') + 'lang=' + encodeURIComponent(currentLang());
}

/** What to tell the visitor about `err`: the locale's text for its code, else the server's message. */
export function apiErrorText(err) {
  const code = err && err.code;
  if (code && hasKey('error.' + code)) return t('error.' + code);
  if (err && err.message) return String(err.message);
  return t('error.unknown', { code: code || '?' });
}

async function getJson(path, { signal } = {}) {
  let response;
  try {
    response = await fetch(withLang(path), { headers: { Accept: 'application/json' }, signal });
  } catch (err) {
    if (err.name === 'AbortError') throw err;
    throw new ApiError(0, 'network', t('error.network'));
  }
  if (!response.ok) {
    let code = 'http_' + response.status;
    let message = response.statusText || '';
    try {
      const body = await response.json();
      if (body && body.error) {
        code = body.error.code || code;
        message = body.error.message || message;
      }
    } catch {
      // not JSON: keep the HTTP status as the code
    }
    throw new ApiError(response.status, code, message);
  }
  return response.json();
}

export async function listVenues(options) {
  return (await getJson('/api/venues', options)).venues;
}

export function getVenue(venueId, options) {
  return getJson('/api/venues/' + encodeURIComponent(venueId), options);
}

/** A venue's tours (docs/tours.md): its own, or its default tour when it has none. */
export async function listVenueTours(venueId, options) {
  return (await getJson('/api/venues/' + encodeURIComponent(venueId) + '/tours', options)).tours;
}

/** A tour with its stops, by the `url` its summary gives. */
export function getTour(url, options) {
  return getJson(url, options);
}

/** @param {'live'|'upcoming'|'past'} when */
export async function listEvents(when, options) {
  return (await getJson('/api/events?when=' + encodeURIComponent(when), options)).events;
}

/** The event's stage media (recordings, slides, streams) as a guest may see them. */
export async function listEventMedia(eventId, options) {
  return (await getJson('/api/events/' + encodeURIComponent(eventId) + '/media', options)).media;
}

export function getEvent(eventId, options) {
  return getJson('/api/events/' + encodeURIComponent(eventId), options);
}

/** The event with `translations` (every language its texts are written in): the event page. */
export function getEventWithTranslations(eventId, options) {
  return getJson('/api/events/' + encodeURIComponent(eventId) + '?translations=1', options);
}

/** The questions a host marked answered, with their answers, most votes first. */
export async function listAnsweredQuestions(eventId, options) {
  return (await getJson('/api/events/' + encodeURIComponent(eventId) + '/questions', options)).questions;
}
