// Lobby page: boots, fetches the programme and the venues, renders them.

import { listEvents, listVenues } from '../api.js';
import { fill } from '../dom.js';
import { emptyState, institutionGroup, liveCard, upcomingItem } from './cards.js';

const UPCOMING_LIMIT = 8;
const REFRESH_MS = 60_000;

function byStart(a, b) {
  return new Date(a.starts_at) - new Date(b.starts_at);
}

function groupByInstitution(venues) {
  const groups = new Map();
  for (const venue of venues) {
    const inst = venue.institution || { id: '', name: 'Other venues' };
    if (!groups.has(inst.id)) groups.set(inst.id, { institution: inst, venues: [] });
    groups.get(inst.id).venues.push(venue);
  }
  return [...groups.values()];
}

function render({ live, upcoming, venues }) {
  const now = new Date();
  live.sort(byStart);
  upcoming.sort(byStart);

  fill(document.getElementById('live-list'),
    live.length ? live.map(liveCard) : emptyState('Nothing is on right now. See what is coming up below.'));

  fill(document.getElementById('upcoming-list'),
    upcoming.length
      ? upcoming.slice(0, UPCOMING_LIMIT).map((e) => upcomingItem(e, now))
      : emptyState('No events are scheduled yet.'));

  const liveByVenue = new Map(live.map((e) => [e.venue_id, e]));
  fill(document.getElementById('venue-groups'),
    venues.length
      ? groupByInstitution(venues).map((g) => institutionGroup(g.institution, g.venues, liveByVenue))
      : emptyState('No venues yet.'));
}

async function load() {
  const error = document.getElementById('lobby-error');
  try {
    const [live, upcoming, venues] = await Promise.all([
      listEvents('live'), listEvents('upcoming'), listVenues(),
    ]);
    render({ live, upcoming, venues });
    error.hidden = true;
    document.body.dataset.state = 'ready';
  } catch (err) {
    console.warn('lobby: could not load the programme', err);
    document.getElementById('lobby-error-text').textContent =
      'The programme could not be loaded (' + err.message + ').';
    error.hidden = false;
    document.body.dataset.state = 'error';
  }
}

function showTimeZone() {
  const zone = Intl.DateTimeFormat().resolvedOptions().timeZone;
  if (zone) document.getElementById('tz-name').textContent = ' (' + zone.replace(/_/g, ' ') + ')';
}

showTimeZone();
document.getElementById('lobby-retry').addEventListener('click', load);
load();
// live/upcoming move with the clock: refresh quietly while the page is open
setInterval(() => { if (!document.hidden) load(); }, REFRESH_MS);
