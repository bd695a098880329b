// Lobby page: boots, fetches the programme and the venues, renders them
// (live now, coming up, the filtered programme, venues by institution).

import { apiErrorText, listEvents, listVenues } from '../api.js';
import { fill } from '../dom.js';
import { t, timeZone } from '../i18n/i18n.js';
import { languageSwitch } from '../i18n/switch.js';
import { emptyState, institutionGroup, liveCard, upcomingItem } from './cards.js';
import { Programme } from './programme.js';

const UPCOMING_LIMIT = 8;
const REFRESH_MS = 60_000;
const programme = new Programme();
let firstLoad = true;

function byStart(a, b) {
  return new Date(a.starts_at) - new Date(b.starts_at);
}

function groupByInstitution(venues) {
  const groups = new Map();
  for (const venue of venues) {
    const inst = venue.institution || { id: '', name: t('lobby.other_venues') };
    if (!groups.has(inst.id)) groups.set(inst.id, { institution: inst, venues: [] });
    groups.get(inst.id).venues.push(venue);
  }
  return [...groups.values()];
}

function render({ live, upcoming, past, venues }) {
  const now = new Date();
  live.sort(byStart);
  upcoming.sort(byStart);

  fill(document.getElementById('live-list'),
    live.length ? live.map(liveCard) : emptyState(t('lobby.empty_live')));

  fill(document.getElementById('upcoming-list'),
    upcoming.length
      ? upcoming.slice(0, UPCOMING_LIMIT).map((e) => upcomingItem(e, now))
      : emptyState(t('lobby.empty_upcoming')));

  const liveByVenue = new Map(live.map((e) => [e.venue_id, e]));
  fill(document.getElementById('venue-groups'),
    venues.length
      ? groupByInstitution(venues).map((g) => institutionGroup(g.institution, g.venues, liveByVenue))
      : emptyState(t('lobby.empty_venues')));

  programme.update([...live, ...upcoming, ...past], venues);
}

async function load() {
  const error = document.getElementById('lobby-error');
  try {
    const [live, upcoming, past, venues] = await Promise.all([
      listEvents('live'), listEvents('upcoming'), listEvents('past'), listVenues(),
    ]);
    render({ live, upcoming, past, venues });
    error.hidden = true;
    document.body.dataset.state = 'ready';
    // a linked filtered view opens on the programme, not on the top of the lobby
    if (firstLoad && programme.linked && !location.hash) document.getElementById('programme').scrollIntoView();
    firstLoad = false;
  } catch (err) {
    console.warn('lobby: could not load the programme', err);
    document.getElementById('lobby-error-text').textContent =
      t('lobby.load_failed', { reason: apiErrorText(err) });
    error.hidden = false;
    document.body.dataset.state = 'error';
  }
}

function showTimeZone() {
  const zone = timeZone();
  if (zone) document.getElementById('tz-name').textContent = t('lobby.time_zone', { zone: zone.replace(/_/g, ' ') });
}

showTimeZone();
document.getElementById('lang-switch').appendChild(languageSwitch());
document.getElementById('lobby-retry').addEventListener('click', load);
load();
// live/upcoming move with the clock: refresh quietly while the page is open
setInterval(() => { if (!document.hidden) load(); }, REFRESH_MS);
