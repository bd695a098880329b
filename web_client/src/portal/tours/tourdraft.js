// A tour being edited in the portal, as plain data: made from the API's answer
// (GET /api/tours/{id}?translations=1), changed by the editor, and turned back
// into the body of POST /api/venues/{id}/tours or PATCH /api/tours/{id}
// (docs/tours.md). No DOM here.

import { LANGUAGES } from '../../i18n/i18n.js';

export const MAX_NARRATION = 2000; // the speech worker's limit (server/tours/speech.py)
export const MIN_SECONDS = 5;
export const MAX_SECONDS = 1800;
export const MAX_STOPS = 100;

let nextKey = 1;

/** `{lang: text}` for every language, '' where there is none. */
function perLanguage(texts, field) {
  return Object.fromEntries(LANGUAGES.map((lang) => [lang, (texts && texts[lang] && texts[lang][field]) || '']));
}

/**
 * A stop of the draft from a stop of the API's answer. `key` tells stops apart
 * in the page (a new stop has no id until it is saved); `audios` is the saved
 * audio by language (null for a stop not saved yet).
 */
export function draftStop(stop, { keepId = true } = {}) {
  return {
    key: 'k' + nextKey++,
    id: keepId ? stop.id : null,
    exhibit: stop.exhibit,
    position: [...stop.position],
    yaw: stop.yaw,
    pitch: stop.pitch,
    seconds: stop.seconds,
    name: stop.title,
    nameLang: stop.title_lang,
    title: perLanguage(stop.translations, 'title'),
    narration: perLanguage(stop.translations, 'narration'),
    audios: keepId ? stop.audios || {} : null,
  };
}

/** The draft of a saved tour, or of a new one (`tour` null). */
export function draftTour(tour) {
  if (!tour) return { id: null, title: perLanguage({}, 'title'), description: perLanguage({}, 'description'), stops: [] };
  return {
    id: tour.id,
    title: perLanguage(tour.translations, 'title'),
    description: perLanguage(tour.translations, 'description'),
    stops: tour.stops.map((stop) => draftStop(stop)),
  };
}

/** The tour's own language: the page's when it has a title in it, else the first that has one. */
export function tourLang(draft, pageLang) {
  if (draft.title[pageLang].trim()) return pageLang;
  return LANGUAGES.find((lang) => draft.title[lang].trim()) || null;
}

/** The body the API takes; every language is sent, so an emptied text is removed. */
export function tourBody(draft, pageLang) {
  const trimmed = (texts) => Object.fromEntries(LANGUAGES.map((lang) => [lang, texts[lang].trim()]));
  return {
    lang: tourLang(draft, pageLang),
    title: trimmed(draft.title),
    description: trimmed(draft.description),
    stops: draft.stops.map((stop) => ({
      ...(stop.id ? { id: stop.id } : {}),
      exhibit: stop.exhibit,
      position: stop.position,
      yaw: stop.yaw,
      pitch: stop.pitch,
      seconds: stop.seconds,
      title: trimmed(stop.title),
      narration: trimmed(stop.narration),
    })),
  };
}

/** Swap stop `i` with its neighbour `by` (-1 up, +1 down); false at either end. */
export function moveStop(draft, i, by) {
  const j = i + by;
  if (j < 0 || j >= draft.stops.length) return false;
  [draft.stops[i], draft.stops[j]] = [draft.stops[j], draft.stops[i]];
  return true;
}

/** The saved tour's stop ids and audio onto the draft's stops (the answer keeps their order). */
export function takeSaved(draft, tour) {
  draft.id = tour.id;
  tour.stops.forEach((saved, i) => {
    const stop = draft.stops[i];
    if (!stop) return;
    stop.id = saved.id;
    stop.audios = saved.audios || {};
  });
}
