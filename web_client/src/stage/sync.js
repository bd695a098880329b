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
const RETRY_MISS_S = 0.25; // a jump that lands later than this tries again (twice at most)
const GAIN = 0.5; // rate change per second of error (0.1 s off -> 5 %)

export class RateSync {
  constructor() {
    this.seekLead = 0.5; // seconds a seek needs here before it can play (learned)
    this.seeks = 0;
    this.error = 0;
    this._holdAt = null; // seeked ahead to this media time: wait for the clock to reach it
    this._seekStarted = 0;
    this._playPending = false;
    this._retries = 0;
  }

  /**
   * Steer `video` towards `target` (media seconds): play or pause as the server
   * says, nudge the rate when a little off, and when more than JUMP_S off, seek a
   * little *ahead* and hold there until the clock arrives, so the jump lands on
   * time however long the seek took.
   */
  update(video, target, playing) {
    if (video.readyState < 1) return;
    this.error = video.currentTime - target;
    if (!playing) {
      this._holdAt = null;
      if (!video.paused) video.pause();
      if (!video.seeking && Math.abs(this.error) > 0.05) video.currentTime = target;
      this._setRate(video, 1);
      return;
    }
    if (this._holdAt !== null) {
      if (video.seeking || video.readyState < 3) return; // still fetching the new spot
      const early = this._holdAt - target;
      if (early > 0.02 && early < JUMP_S + 2) return; // wait for the clock
      const took = (performance.now() - this._seekStarted) / 1000;
      // landed late (early < 0): the next seek looks further ahead
      if (early < 0) this.seekLead = Math.min(3, Math.max(this.seekLead, took) * 1.2);
      this._holdAt = null;
      // a jump that missed by more than the tolerance is finished, not nudged for
      // seconds: one more try with the longer lead (steady drift never gets here)
      if (early < -RETRY_MISS_S && this._retries < 2) {
        this._retries += 1;
        this._jump(video, target);
        return;
      }
    }
    if (!video.seeking && Math.abs(this.error) > JUMP_S) {
      this._retries = 0;
      this._jump(video, target);
      return;
    }
    const nudge = Math.abs(this.error) < DEAD_BAND_S
      ? 0
      : Math.max(-MAX_RATE_NUDGE, Math.min(MAX_RATE_NUDGE, -this.error * GAIN));
    this._setRate(video, 1 + nudge);
    if (video.paused && !video.seeking && !this._playPending) {
      this._playPending = true;
      video.play().catch(() => {}).finally(() => { this._playPending = false; });
    }
  }

  /** Seek a little ahead of `target` and hold there (paused) until the clock arrives. */
  _jump(video, target) {
    this.seeks += 1;
    this._seekStarted = performance.now();
    this._holdAt = target + this.seekLead;
    if (!video.paused) video.pause();
    video.currentTime = this._holdAt;
    this._setRate(video, 1);
  }

  _setRate(video, rate) {
    if (Math.abs(video.playbackRate - rate) > 0.002) video.playbackRate = rate;
  }
}
