// One clock for the whole hall. The server keeps the show's state {position, at,
// playing} in its own time; ServerClock estimates our offset to that time from
// round trips of the `time` event (NTP-style: the sample with the shortest round
// trip wins), and RateSync keeps a <video> on the target by nudging playbackRate,
// jumping only when it is far off.

const KEEP_SAMPLES = 8;

export class ServerClock {
  /** @param {(name: string, payload: object) => Promise<object>} request an acked live request */
  constructor(request) {
    this.request = request;
    this.samples = []; // {offset, rtt} in seconds, newest last
    this.offset = null; // server seconds - local seconds
    this.rtt = null;
  }

  static localNow() {
    return (performance.timeOrigin + performance.now()) / 1000;
  }

  /** Server seconds now (our best estimate). */
  now() {
    return ServerClock.localNow() + (this.offset ?? 0);
  }

  /** Until a round trip is measured, take a state's `now` as if it arrived instantly. */
  hint(serverNow) {
    if (this.offset === null && Number.isFinite(serverNow)) this.offset = serverNow - ServerClock.localNow();
  }

  async sampleOnce() {
    const t0 = ServerClock.localNow();
    const ack = await this.request('time', {});
    const t1 = ServerClock.localNow();
    if (!ack?.ok || !Number.isFinite(ack.now)) return false;
    // the server read its clock about half way through the round trip
    this.samples.push({ offset: ack.now - (t0 + t1) / 2, rtt: t1 - t0 });
    if (this.samples.length > KEEP_SAMPLES) this.samples.shift();
    const best = this.samples.reduce((a, b) => (b.rtt < a.rtt ? b : a));
    this.offset = best.offset;
    this.rtt = best.rtt;
    return true;
  }

  /** A burst of `count` samples, `gapMs` apart. */
  async sample(count = 5, gapMs = 120) {
    for (let i = 0; i < count; i++) {
      await this.sampleOnce();
      if (i + 1 < count) await new Promise((r) => setTimeout(r, gapMs));
    }
  }
}

/** Media seconds the server says should be playing at server time `serverNow`. */
export function targetPosition(stage, serverNow) {
  let position = stage.position + (stage.playing ? serverNow - stage.at : 0);
  const duration = stage.media?.duration_s;
  if (Number.isFinite(duration) && position > duration) position = duration;
  return Math.max(0, position);
}

export const MAX_RATE_NUDGE = 0.05; // playbackRate stays within 0.95..1.05
const JUMP_S = 1.0; // further off than this: seek instead of nudging
const DEAD_BAND_S = 0.03; // close enough: play at 1x
const GAIN = 0.5; // rate change per second of error (0.1 s off -> 5 %)

export class RateSync {
  constructor() {
    this.seekLead = 0.25; // seconds a seek takes to play again here (learned)
    this._seekStarted = null;
    this.seeks = 0;
    this.error = 0;
  }

  /** The video started playing again: learn how long the last seek took. */
  seekDone() {
    if (this._seekStarted === null) return;
    const took = (performance.now() - this._seekStarted) / 1000;
    this.seekLead = Math.min(2, 0.5 * this.seekLead + 0.5 * took);
    this._seekStarted = null;
  }

  /** Steer `video` towards `target` (media seconds); `playing` as the server says. */
  update(video, target, playing) {
    if (video.readyState < 1 || video.seeking) return;
    const error = video.currentTime - target;
    this.error = error;
    if (!playing) {
      if (!video.paused) video.pause();
      if (Math.abs(error) > 0.05) video.currentTime = target;
      this._setRate(video, 1);
      return;
    }
    if (Math.abs(error) > JUMP_S) {
      this._seekStarted = performance.now();
      this.seeks += 1;
      video.currentTime = target + this.seekLead;
      this._setRate(video, 1);
      return;
    }
    const nudge = Math.abs(error) < DEAD_BAND_S ? 0 : Math.max(-MAX_RATE_NUDGE, Math.min(MAX_RATE_NUDGE, -error * GAIN));
    this._setRate(video, 1 + nudge);
  }

  _setRate(video, rate) {
    if (Math.abs(video.playbackRate - rate) > 0.002) video.playbackRate = rate;
  }
}
