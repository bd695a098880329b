// StagePlayer: an HLS playlist into a <video> (hls.js, or the browser's own HLS
// where it has it), seen as a three.js VideoTexture. hls.js is loaded only when a
// show plays. Quality follows bandwidth (hls.js levels); a phone is capped at the
// lowest rendition.

import { SRGBColorSpace, VideoTexture } from 'three';

const HLS_CONFIG = {
  enableWorker: false, // a worker would need a blob: script, which the page's CSP forbids
  maxBufferLength: 8, // seconds ahead: enough to ride out a hiccup, small enough to notice a dead stream
  maxMaxBufferLength: 16,
  // live: start 6 s behind the edge. A dated stream is then steered by the stage
  // clock (show.js: the whole hall the same seconds behind real time); an undated
  // one by hls.js's own catch-up, which only knows this page's view of the edge
  liveSyncDuration: 6,
  liveMaxLatencyDuration: 12,
  maxLiveSyncPlaybackRate: 1.05,
  startLevel: -1,
};
const RETRY_MS = 2000;

export class StagePlayer extends EventTarget {
  /** @param {{phone?: boolean}} options */
  constructor({ phone = false } = {}) {
    super();
    this.phone = phone;
    this.video = document.createElement('video');
    this.video.className = 'stage-video';
    this.video.playsInline = true;
    this.video.muted = true; // the autoplay rule: sound comes with "Join with sound"
    this.video.preload = 'auto';
    this.video.setAttribute('aria-hidden', 'true');
    document.body.appendChild(this.video);
    this.texture = new VideoTexture(this.video);
    this.texture.colorSpace = SRGBColorSpace;
    this.url = null;
    this.hls = null;
    this.failed = false; // the playlist or its segments stopped answering
    this._retry = null;
  }

  /** Load `url` (a master playlist); nothing happens if it is already loaded. */
  async load(url) {
    if (url === this.url) return;
    this.unload();
    this.url = url;
    const video = this.video;
    const { default: Hls } = await import('hls.js');
    if (url !== this.url) return; // changed while hls.js loaded
    if (Hls.isSupported()) {
      const hls = new Hls(HLS_CONFIG);
      this.hls = hls;
      hls.on(Hls.Events.MANIFEST_PARSED, () => {
        if (this.phone && hls.levels.length > 1) hls.autoLevelCapping = 0;
      });
      hls.on(Hls.Events.FRAG_LOADED, () => this._setFailed(false));
      hls.on(Hls.Events.ERROR, (_e, data) => this._onError(Hls, data));
      hls.loadSource(url);
      hls.attachMedia(video);
    } else if (video.canPlayType('application/vnd.apple.mpegurl')) {
      video.src = url; // Safari: native HLS
    } else {
      this._setFailed(true);
    }
  }

  /**
   * Media seconds of what happened at wall-clock `wallSeconds`, from the stream's
   * EXT-X-PROGRAM-DATE-TIME (Zal dates its live playlists); null for an undated
   * stream or before the first fragment plays.
   */
  mediaTimeAt(wallSeconds) {
    const video = this.video;
    if (this.hls) {
      const date = this.hls.playingDate;
      return date ? video.currentTime + (wallSeconds - date.getTime() / 1000) : null;
    }
    const start = video.getStartDate?.().getTime(); // native HLS: the date of media time 0
    return Number.isFinite(start) ? wallSeconds - start / 1000 : null;
  }

  /** The playlist's segment length (EXT-X-TARGETDURATION) in seconds, when known. */
  get segmentSeconds() {
    return this.hls?.latestLevelDetails?.targetduration ?? null;
  }

  /** The end of the last segment the live playlist lists (media seconds), when known. */
  get liveEdge() {
    return this.hls?.latestLevelDetails?.edge ?? null;
  }

  /** Leave the playback rate to us (the stage clock) instead of hls.js's live catch-up. */
  steerRateOurselves() {
    if (this.hls && this.hls.config.maxLiveSyncPlaybackRate !== 1) this.hls.config.maxLiveSyncPlaybackRate = 1;
  }

  _onError(Hls, data) {
    if (data.details === Hls.ErrorDetails.BUFFER_STALLED_ERROR || data.type === Hls.ErrorTypes.NETWORK_ERROR) {
      if (data.type === Hls.ErrorTypes.NETWORK_ERROR) this._setFailed(true);
    }
    if (!data.fatal || !this.hls) return;
    const hls = this.hls;
    if (data.type === Hls.ErrorTypes.MEDIA_ERROR) {
      hls.recoverMediaError();
      return;
    }
    // the network let us down (a dead stream, a server restart): keep trying
    clearTimeout(this._retry);
    this._retry = setTimeout(() => {
      if (this.hls === hls) hls.startLoad(Math.max(0, this.video.currentTime));
    }, RETRY_MS);
  }

  _setFailed(failed) {
    if (failed === this.failed) return;
    this.failed = failed;
    this.dispatchEvent(new Event(failed ? 'failed' : 'recovered'));
  }

  unload() {
    clearTimeout(this._retry);
    this.hls?.destroy();
    this.hls = null;
    this.url = null;
    this.failed = false;
    this.video.pause();
    this.video.removeAttribute('src');
    this.video.load();
  }

  /** Plain data for tests. */
  debug() {
    const v = this.video;
    return {
      url: this.url,
      currentTime: v.currentTime,
      paused: v.paused,
      readyState: v.readyState,
      rate: v.playbackRate,
      muted: v.muted,
      failed: this.failed,
      level: this.hls ? this.hls.currentLevel : null,
      cap: this.hls ? this.hls.autoLevelCapping : null, // 0 on a phone: the lowest rendition
      levels: this.hls ? this.hls.levels.length : 0,
    };
  }
}
