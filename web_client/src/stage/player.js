// StagePlayer: an HLS playlist into a <video> (hls.js, or the browser's own HLS
// where it has it), seen as a three.js VideoTexture. hls.js is loaded only when a
// show plays. Quality follows bandwidth (hls.js levels); a phone is capped at the
// lowest rendition.

import { SRGBColorSpace, VideoTexture } from 'three';

const HLS_CONFIG = {
  enableWorker: false, // a worker would need a blob: script, which the page's CSP forbids
  maxBufferLength: 8, // seconds ahead: enough to ride out a hiccup, small enough to notice a dead stream
  maxMaxBufferLength: 16,
  liveSyncDuration: 6, // live: everybody sits 6 s behind the live edge, so applause lands together
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
      levels: this.hls ? this.hls.levels.length : 0,
    };
  }
}
