// StageShow: the show on the stage screen, following the server's stage state
// (docs/PROTOCOL.md section 10). Recordings and streams play through StagePlayer
// onto the `screen` node, kept on the server's clock by RateSync; slides show the
// current page; cards cover a stall and the end. Attach with attachStage(view, live).
//
//   show.apply(stage, {reset})   a `stage` object from the join ack (reset) or a broadcast
//   show.clock                   ServerClock (server seconds: show.clock.now())
//   show.target()                media seconds the server wants now (null without timed media)
//   show.debug()                 plain data for tests

import { t } from '../i18n/i18n.js';
import { isCoarsePointer } from '../venue/stage.js';
import { StageAudio } from './audio.js';
import { loadImage, StageCards } from './cards.js';
import { StagePlayer } from './player.js';
import { RateSync, ServerClock, targetPosition } from './sync.js';

const LIVE_DELAY_S = 6; // a live hall sits this far behind real time (at least)
const STALL_MS = 1500; // no progress for this long while playing: "the stream will resume"
const RESAMPLE_MS = 5000; // a clock sample now and then (drift, a changed route)

/**
 * Seconds behind real time for a live stream with segments of `segmentSeconds`:
 * three segments (one being written, one listed late, one loading), like hls.js's
 * own default, never less than LIVE_DELAY_S. The same playlist gives every page the
 * same delay.
 */
export function liveDelay(segmentSeconds) {
  return Math.max(LIVE_DELAY_S, 3 * (Number.isFinite(segmentSeconds) ? segmentSeconds : 0));
}

export class StageShow {
  constructor(view, request, controls) {
    this.view = view;
    this.screen = view.screen?.present ? view.screen : null;
    this.controls = controls;
    this.clock = new ServerClock(request);
    this.sync = new RateSync();
    this.cards = new StageCards(view.metadata.screen);
    this.state = null;
    this.player = null;
    this.audio = null;
    this.stalled = false;
    this._slideUrl = null;
    this._lastTime = -1;
    this._lastProgress = performance.now();
    this._started = false; // the current media has shown a frame
    this._resample = null;
    controls.sound?.addEventListener('click', () => this.joinWithSound());
    controls.volume?.addEventListener('input', () => this.audio?.setVolume(controls.volume.value / 100));
    view.onFrame(() => this._frame());
  }

  get timed() {
    const kind = this.state?.media?.kind;
    return kind === 'recording' || kind === 'stream';
  }

  /** Clock samples: a burst now, then one every RESAMPLE_MS. */
  startClock() {
    // a busy page answers late: more samples early on, the shortest round trip wins
    this.clock.sample(8, 250).catch(() => {});
    clearInterval(this._resample);
    this._resample = setInterval(() => this.clock.sampleOnce().catch(() => {}), RESAMPLE_MS);
  }

  apply(stage, { reset = false } = {}) {
    if (!stage) return;
    if (!reset && this.state && stage.version < this.state.version) return; // an older broadcast
    this.state = stage;
    this.clock.hint(stage.now);
    this._showPinned(stage.pinned);
    const media = stage.media;
    if (!this.timed) this.player?.unload();
    if (stage.ended) {
      this.player?.video.pause();
      this._setMap(this.cards.closing(media?.title));
    } else if (!media) {
      this._setMap(null);
    } else if (media.kind === 'slides') {
      this._showSlide(media.slides[stage.slide]);
    } else if (media.url) {
      if (this.player?.url !== media.url) this._started = false;
      this._ensurePlayer().load(media.url);
      this._lastProgress = performance.now();
    }
    this._updateControls();
  }

  _ensurePlayer() {
    if (!this.player) {
      this.player = new StagePlayer({ phone: isCoarsePointer() });
      this.audio = new StageAudio(this.view, this.player.video);
      if (this.controls.volume) this.audio.setVolume(this.controls.volume.value / 100);
    }
    return this.player;
  }

  async joinWithSound() {
    if (!this.audio) return;
    await this.audio.unlock().catch(() => {});
    this._updateControls();
  }

  async _showSlide(url) {
    this._slideUrl = url || null;
    if (!url) return this._setMap(null);
    try {
      const img = await loadImage(url);
      if (this._slideUrl === url) this._setMap(this.cards.slide(img));
    } catch (err) {
      console.warn('stage: slide not shown:', err.message);
    }
  }

  /** The screen's picture: a texture, or null for the venue's own poster card. */
  _setMap(texture) {
    if (!this.screen) return;
    const map = texture || this.screen.texture;
    if (this.screen.material.map !== map) {
      this.screen.material.map = map;
      this.screen.material.needsUpdate = true;
    }
    this.view.wake?.(); // also the same card texture redrawn (the next slide, a new card)
  }

  _showPinned(message) {
    const el = this.controls.pinned;
    if (!el) return;
    el.hidden = !message;
    el.textContent = message ? t('stage.pinned', { name: message.name, text: message.text }) : '';
  }

  _updateControls() {
    const { box, sound } = this.controls;
    const active = this.timed && !this.state.ended;
    if (box) box.hidden = !(active || this.state?.pinned);
    if (sound) sound.hidden = !(active && this.audio?.locked);
  }

  /** Media seconds the server wants at this moment. */
  target() {
    return this.timed ? targetPosition(this.state, this.clock.now()) : null;
  }

  /** Media seconds of a dated live stream the hall should show now, else null. */
  liveTarget() {
    const player = this.player;
    if (!player || this.state?.media?.kind !== 'stream') return null;
    const target = player.mediaTimeAt(this.clock.now() - liveDelay(player.segmentSeconds));
    const edge = player.liveEdge;
    if (target === null || edge === null) return target;
    // dates behind real time (an encoder whose clock is off, one that cannot keep up):
    // never chase past what is there, one segment short of the listed edge
    return Math.min(target, edge - (player.segmentSeconds ?? 2));
  }

  /** Keep the picture on time; true while it moves (the view draws every frame then). */
  _frame() {
    const player = this.player;
    if (!this.timed || !player || this.state.ended) return false;
    const video = player.video;
    const s = this.state;
    if (s.media.kind === 'stream') {
      // (paused, a live picture just holds: no chasing a clock that runs on)
      const target = s.playing ? this.liveTarget() : null;
      if (target !== null) {
        // a dated stream: everyone plays what happened liveDelay() seconds ago
        player.steerRateOurselves();
        this.sync.update(video, target, true);
      } else {
        // undated: hls.js keeps its own distance behind the edge as it sees it
        if (s.playing && video.paused) video.play().catch(() => {});
        if (!s.playing && !video.paused) video.pause();
      }
    } else {
      const target = this.target();
      const duration = s.media.duration_s;
      // at the end: hold the last frame (play() on an ended video would start it again)
      const over = Number.isFinite(duration) && target >= duration - 0.1;
      this.sync.update(video, target, s.playing && !over);
    }
    const now = performance.now();
    const holding = this.sync._holdAt !== null && !video.seeking && video.readyState >= 3;
    if (video.currentTime !== this._lastTime || !s.playing || video.ended || holding) {
      this._lastTime = video.currentTime;
      this._lastProgress = now;
    }
    // before its first frame a media is starting, not stalled: the poster stays up
    // (a playlist that does not answer at all still fails the player)
    if (video.readyState >= 2) this._started = true;
    const starting = !this._started && !player.failed;
    const stalled = !starting && (player.failed || now - this._lastProgress > STALL_MS);
    if (stalled !== this.stalled) {
      this.stalled = stalled;
      this.view.dispatchEvent?.(new CustomEvent('stage-stall', { detail: { stalled } }));
    }
    if (stalled) this._setMap(this.cards.resume());
    else if (video.readyState >= 2) this._setMap(player.texture);
    if (this.controls.sound && this.controls.sound.hidden !== !this.audio.locked) this._updateControls();
    return !video.paused;
  }

  _liveBehind(serverNow) {
    const at = this.player?.mediaTimeAt(serverNow);
    return at === null || at === undefined ? null : at - this.player.video.currentTime;
  }

  debug() {
    const serverNow = this.clock.now();
    const map = this.screen?.material.map;
    return {
      state: this.state,
      serverNow,
      target: this.timed ? targetPosition(this.state, serverNow) : null,
      // a dated live stream: seconds between real time and what is on the screen
      liveBehind: this._liveBehind(serverNow),
      offset: this.clock.offset,
      rtt: this.clock.rtt,
      stalled: this.stalled,
      card: map && map === this.cards.texture ? this.cards.showing : null,
      videoOnScreen: Boolean(map && this.player && map === this.player.texture),
      posterOnScreen: Boolean(map && this.screen && map === this.screen.texture),
      slideUrl: this._slideUrl,
      seeks: this.sync.seeks,
      seekLead: this.sync.seekLead,
      soundLocked: this.audio ? this.audio.locked : null,
      level: this.audio ? this.audio.level() : 0,
      player: this.player ? this.player.debug() : null,
    };
  }
}

/**
 * Wire the show into a venue page with a live audience (live/live.js). Returns the
 * StageShow (also at window.__zalStage for tests and the console).
 */
export function attachStage(view, live) {
  const controls = {
    box: document.getElementById('stage-controls'),
    sound: document.getElementById('stage-sound'),
    volume: document.getElementById('stage-volume'),
    pinned: document.getElementById('stage-pinned'),
  };
  const show = new StageShow(view, (name, payload) => live.conn.request(name, payload), controls);
  live.onStage = (stage, reset) => {
    if (reset) show.startClock();
    show.apply(stage, { reset });
  };
  window.__zalStage = show;
  return show;
}
