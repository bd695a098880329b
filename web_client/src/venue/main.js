// Venue page boot: read the URL, fetch the venue (and event), load the hall, wire
// the HUD. Live features attach to the returned VenueView (see view.js).

import { ApiError, apiErrorText, getEvent, getVenue } from '../api.js';
import { t } from '../i18n/i18n.js';
import { languageSwitch } from '../i18n/switch.js';
import { VenueView } from './view.js';
import { Joystick } from './joystick.js';
import { isCoarsePointer } from './stage.js';
import * as hud from './hud.js';
import { installTestHook } from './testhook.js';
import { attachLive } from '../live/live.js';
import { attachQa } from '../qa/qa.js';
import { attachHands } from '../hands/hands.js';
import { attachStage } from '../stage/show.js';
import { attachTimeline } from '../timeline/timeline.js';
import { announceJoining } from '../live/announcements.js';
import { offerRecording, showEventState, watchHostLink } from './eventstate.js';
import { announce } from '../a11y/announce.js';
import { closeDetailsOnEscape } from '../a11y/popovers.js';
import { SeatList } from './seatlist.js';
import { KeyHelp } from './keyhelp.js';
import { ArtCards } from './artcard.js';
import { attachTours } from '../tours/tours.js';
import { attachVoice } from '../voice/voice.js';
import { attachGroups } from '../tours/groups/groups.js';
import { attachXr } from '../xr/xr.js';
import { NameTagFade } from '../live/tagfade.js';
import { StepAsideOnArrival } from '../live/arrival.js';

function venueIdFromPath() {
  const match = /^\/venue\/([^/]+)\/?$/.exec(location.pathname);
  return match ? decodeURIComponent(match[1]) : null;
}

async function fetchEvent(eventId, venueId) {
  if (!eventId) return null;
  try {
    const event = await getEvent(eventId);
    return event.venue_id === venueId ? event : null;
  } catch (err) {
    // a stale event link still lets the visitor into the hall
    console.warn('venue: event not shown:', err.message);
    return null;
  }
}

function progressText(fraction, loaded) {
  // after the download the GLB is parsed and shaders compiled: say so
  if (fraction === 1) return t('venue.setting_stage');
  if (fraction === null) return t('venue.loading_kb', { kb: Math.round(loaded / 1024) });
  return t('venue.loading_percent', { percent: Math.round(fraction * 100) });
}

function webglAvailable() {
  try {
    const c = document.createElement('canvas');
    return !!(c.getContext('webgl2') || c.getContext('webgl'));
  } catch {
    return false;
  }
}

export async function boot() {
  document.getElementById('lang-switch').appendChild(languageSwitch());
  const params = new URLSearchParams(location.search);
  const venueId = venueIdFromPath();
  const testHook = params.get('test') === '1' ? installTestHook() : null;

  if (!venueId) {
    hud.setState('not-found');
    hud.showMessage(t('venue.not_found_title'), t('venue.not_found_text'));
    return null;
  }
  if (!webglAvailable()) {
    hud.setState('error');
    hud.showMessage(t('venue.no_webgl_title'), t('venue.no_webgl_text'));
    return null;
  }

  let venue;
  let event;
  try {
    [venue, event] = await Promise.all([getVenue(venueId), fetchEvent(params.get('event'), venueId)]);
  } catch (err) {
    if (err instanceof ApiError && err.status === 404) {
      hud.setState('not-found');
      hud.showMessage(t('venue.not_found_title'), t('venue.not_found_named', { venue: venueId }));
    } else {
      hud.setState('error');
      hud.showMessage(t('venue.open_failed'), apiErrorText(err));
    }
    return null;
  }

  hud.showLoading(venue.name);
  hud.showTitle(venue, event);
  const endedNotice = showEventState(event);
  const touch = isCoarsePointer();
  const joystick = new Joystick(document.getElementById('joystick'));
  const view = new VenueView({
    canvas: document.getElementById('stage-canvas'),
    venue,
    event,
    joystick,
  });

  try {
    await view.load({
      onProgress: (fraction, loaded) => hud.setProgress(fraction, progressText(fraction, loaded)),
    });
  } catch (err) {
    console.error('venue: loading failed', err);
    hud.setState('error');
    hud.showMessage(t('venue.open_failed'), err.message);
    return null;
  }
  hud.setProgress(1, t('venue.raising_curtain'));

  if (testHook) testHook.view = view;
  wireHud(view, touch, joystick);
  view.start();
  hud.hideLoading();
  hud.setState('ready');
  view.dispatchEvent(new Event('ready'));
  const live = attachLive(view); // live audience: avatars, chat, reactions (web_client/src/live/)
  announceJoining(live);
  new NameTagFade(view, live.avatars); // tags near you or before the stage fade (comfort)
  new StepAsideOnArrival(view, live); // two arriving at once do not stand in each other
  const show = attachStage(view, live); // the show on the stage screen (web_client/src/stage/)
  offerRecording(event, show, endedNotice);
  attachTimeline(live, show); // earlier showings' chat on a recording's timeline (web_client/src/timeline/)
  const qa = attachQa(live); // questions for the stage and the board in the hall (web_client/src/qa/)
  attachHands(view, live, event); // raised hands in a lecture, the called seat lit (web_client/src/hands/)
  watchHostLink(live);
  const tours = attachTours(view); // a gallery's self-guided tours with audio guides (web_client/src/tours/)
  attachXr(view, live, { qa, tours }); // immersive VR with a headset (web_client/src/xr/)
  attachGroups(view, live); // live-guided tour groups at an event (web_client/src/tours/groups/)
  attachVoice(view, live, { show }); // voice on Janus: the speakers heard from where they speak (web_client/src/voice/)
  return view;
}

function wireHud(view, touch, joystick) {
  const hasSeats = view.seats.count > 0;
  const hints = new hud.Hints({ touch, hasSeats });
  const tooltip = new hud.SeatTooltip();
  const button = new hud.SeatButton({
    onSit: () => {
      const seat = view.seats.suggest();
      if (seat) view.sitAt(seat.id);
    },
    onStand: () => view.standUp(),
  });
  button.show(hasSeats);
  button.setSeated(false);
  // keyboard and screen reader ways in: the seat list, the keys, Escape on popovers
  new SeatList(view, document.getElementById('seat-list-button'));
  new KeyHelp(document.getElementById('keys-button'), { hasSeats });
  new ArtCards(view, document.getElementById('works-button')); // a gallery's works, their cards
  closeDetailsOnEscape();
  joystick.show(touch);
  hints.standing();

  view.addEventListener('seat', (e) => {
    const seat = e.detail.seatId ? view.seats.get(e.detail.seatId) : null;
    button.setSeated(!!seat);
    if (seat) hints.seated(seat);
    else hints.standing();
    announce(seat ? t('a11y.seated', { seat: hud.seatLabel(seat) }) : t('a11y.stood_up'));
  });
  if (!touch) view.addEventListener('hover', (e) => tooltip.show(e.detail.seat, e.detail.x, e.detail.y));
}

const ready = boot();
// live features import this module and wait for the hall: `(await venueReady)`
export const venueReady = ready;
