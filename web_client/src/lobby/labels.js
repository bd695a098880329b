// Human labels for the kinds the API sends.

const EVENT_KINDS = {
  concert: 'Concert',
  performance: 'Performance',
  lecture: 'Lecture',
  masterclass: 'Master class',
  qa: 'Q&A',
  excursion: 'Excursion',
};

const VENUE_KINDS = {
  concert_hall: 'Concert hall',
  theatre: 'Theatre',
  chamber_hall: 'Chamber hall',
  lecture_room: 'Lecture room',
  gallery: 'Gallery',
  theatre: 'Theatre',
};

const INSTITUTION_KINDS = {
  philharmonic: 'Philharmonic',
  theatre: 'Theatre',
  museum: 'Museum',
};

function titleCase(text) {
  const words = String(text || '').replace(/[_-]+/g, ' ').trim();
  return words ? words[0].toUpperCase() + words.slice(1) : '';
}

export const eventKindLabel = (kind) => EVENT_KINDS[kind] || titleCase(kind);
export const venueKindLabel = (kind) => VENUE_KINDS[kind] || titleCase(kind);
export const institutionKindLabel = (kind) => INSTITUTION_KINDS[kind] || titleCase(kind);

const seatsFormat = new Intl.NumberFormat();
export function seatsLabel(count) {
  if (!count) return 'Walk-in';
  return seatsFormat.format(count) + (count === 1 ? ' seat' : ' seats');
}

export function venueHref(venueId, eventId) {
  const path = '/venue/' + encodeURIComponent(venueId);
  return eventId ? path + '?event=' + encodeURIComponent(eventId) : path;
}
