// A self-guided tour: the visitor glides to each stop (in a headset: a fade
// teleport, web_client/src/xr/fadeteleport.js), the narration plays with
// its captions, and (with auto-advance) the tour goes on by itself once the
// narration has ended and the stop's suggested time has passed. No socket, no
// DOM of its own: the panel (tourpanel.js) shows what it says in its events.
//
// Events: 'stop' (arrived at this.index), 'state' (playing changed), 'end'.

import { xrFadeTeleport } from '../xr/fadeteleport.js';
import { parseVtt, cueAt } from './vtt.js';

const CUE_ID = 'tour';
const PAUSE_AFTER_MS = 3000; // after the narration, before moving on
const PENDING_RETRY_MS = 3000; // a reading being made: ask again this often
const PENDING_TRIES = 10;

async function loadCues(url) {
  try {
    const response = await fetch(url);
    return response.ok ? parseVtt(await response.text()) : [];
  } catch {
    return []; // the narration plays without captions
  }
}

export class TourPlayer extends EventTarget {
  /**
   * @param {{view: import('../venue/view.js').VenueView, tour: object,
   *   reload: () => Promise<object>, captions: import('../captions/captions.js').Captions}} options
   *   reload: the tour again (its audio may have been made since)
   */
  constructor({ view, tour, reload, captions }) {
    super();
    this.view = view;
    this.tour = tour;
    this.reload = reload;
    this.captions = captions;
    this.index = -1;
    this.autoAdvance = true;
    this.playing = false;
    this.cues = [];
    this.audio = new Audio();
    this.audio.preload = 'auto';
    this._arrivedAt = 0;
    this._timer = 0;
    this._token = 0; // a later stop cancels what an earlier one still awaits
    this.audio.addEventListener('timeupdate', () => this._showCue());
    this.audio.addEventListener('ended', () => this._narrationEnded());
    this.audio.addEventListener('pause', () => this._setPlaying(false));
    this.audio.addEventListener('playing', () => this._setPlaying(true));
  }

  get stop() {
    return this.tour.stops[this.index] || null;
  }

  get count() {
    return this.tour.stops.length;
  }

  /** Go to stop `index` (0-based): glide there, play its narration. */
  go(index) {
    if (index < 0 || index >= this.count) return;
    const token = ++this._token;
    this._quiet();
    this.index = index;
    const stop = this.stop;
    const [x, y, z] = stop.position;
    // in a headset never a glide: fade out, stand there, fade in (comfort)
    if (!xrFadeTeleport(this.view, stop.position, stop.yaw)) {
      this.view.walkTo(x, y, z, { yaw: stop.yaw, pitch: stop.pitch });
    }
    this._arrivedAt = performance.now();
    this.dispatchEvent(new Event('stop'));
    this._narrate(stop, token, 0);
  }

  next() {
    if (this.index + 1 < this.count) this.go(this.index + 1);
    else this.end();
  }

  previous() {
    this.go(Math.max(0, this.index - 1));
  }

  /** Pause the narration (and the move to the next stop). */
  pause() {
    clearTimeout(this._timer);
    this.audio.pause();
    this._setPlaying(false);
  }

  resume() {
    if (this.audio.src && !this.audio.ended) {
      this.audio.play().catch(() => this._setPlaying(false));
    } else if (this.autoAdvance) {
      this._advanceIn(PAUSE_AFTER_MS);
    }
  }

  setAutoAdvance(on) {
    this.autoAdvance = on;
    if (!on) clearTimeout(this._timer);
    else if (this.audio.ended || !this.audio.src) this._advanceIn(PAUSE_AFTER_MS);
  }

  end() {
    this._token++;
    this._quiet();
    this.index = -1;
    this.dispatchEvent(new Event('end'));
  }

  _quiet() {
    clearTimeout(this._timer);
    this.audio.pause();
    this.audio.removeAttribute('src');
    this.cues = [];
    this.captions.hide(CUE_ID);
  }

  async _narrate(stop, token, tries) {
    if (stop.audio) {
      const cues = await loadCues(stop.audio.captions_url);
      if (token !== this._token) return;
      this.cues = cues;
      this.audio.src = stop.audio.url;
      try {
        await this.audio.play();
      } catch {
        this._setPlaying(false); // no sound allowed yet: the visitor presses Play
      }
      return;
    }
    // no audio (yet): the narration's text stays on screen meanwhile
    if (stop.narration) this.captions.show(CUE_ID, stop.narration);
    if (stop.audio_pending && tries < PENDING_TRIES) {
      this._timer = setTimeout(async () => {
        const fresh = await this.reload().catch(() => null);
        if (token !== this._token) return;
        if (fresh && fresh.stops.length === this.count) this.tour = fresh;
        this._narrate(this.stop, token, tries + 1);
      }, PENDING_RETRY_MS);
      return;
    }
    if (this.autoAdvance) this._advanceIn(stop.seconds * 1000);
  }

  _showCue() {
    const cue = cueAt(this.cues, this.audio.currentTime);
    if (cue) this.captions.show(CUE_ID, cue.text);
    else this.captions.hide(CUE_ID);
  }

  _narrationEnded() {
    this.captions.hide(CUE_ID);
    this._setPlaying(false);
    if (!this.autoAdvance) return;
    // the stop's suggested time is for looking too: stay at least that long
    const looked = performance.now() - this._arrivedAt;
    this._advanceIn(Math.max(PAUSE_AFTER_MS, this.stop.seconds * 1000 - looked));
  }

  _advanceIn(ms) {
    clearTimeout(this._timer);
    const token = this._token;
    this._timer = setTimeout(() => {
      if (token === this._token) this.next();
    }, ms);
  }

  _setPlaying(playing) {
    if (this.playing === playing) return;
    this.playing = playing;
    this.dispatchEvent(new Event('state'));
  }
}
