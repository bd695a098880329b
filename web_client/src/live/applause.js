// Applause synthesised with WebAudio: every clap is a short burst of band-passed
// noise, a crowd is many claps at random moments plus a soft noise bed. No audio
// file. Loudness and density follow how many people are clapping right now.
// Browsers only start audio after a user gesture, so unlock() is called from one.

import { ApplauseCaption } from './applause-caption.js';

const LOOKAHEAD_S = 0.15;
const SCHEDULE_MS = 60;

export class Applause {
  constructor() {
    this.ctx = null;
    this.enabled = true;
    this.level = 0; // smoothed claps-worth of people per second
    this._timer = null;
    this._lastTime = 0;
    this.caption = new ApplauseCaption(); // the same applause, in words
  }

  /** Create/resume the AudioContext; call from a click/keydown handler. */
  unlock() {
    const AC = window.AudioContext || window.webkitAudioContext;
    if (!AC) return false;
    if (!this.ctx) {
      this.ctx = new AC();
      this._setup();
    }
    if (this.ctx.state === 'suspended') this.ctx.resume().catch(() => {});
    return true;
  }

  get running() {
    return Boolean(this.ctx && this.ctx.state === 'running');
  }

  setEnabled(on) {
    this.enabled = on;
    if (this.master) this.master.gain.value = on ? 1 : 0;
  }

  _setup() {
    const ctx = this.ctx;
    const len = ctx.sampleRate; // one second of white noise, reused by every clap
    this.noise = ctx.createBuffer(1, len, ctx.sampleRate);
    const data = this.noise.getChannelData(0);
    for (let i = 0; i < len; i++) data[i] = Math.random() * 2 - 1;
    this.master = ctx.createGain();
    this.master.gain.value = this.enabled ? 1 : 0;
    this.master.connect(ctx.destination);
    // The bed: a big crowd's claps blur into a hiss between 1 and 4 kHz.
    this.bed = ctx.createBufferSource();
    this.bed.buffer = this.noise;
    this.bed.loop = true;
    const bedFilter = ctx.createBiquadFilter();
    bedFilter.type = 'bandpass';
    bedFilter.frequency.value = 2000;
    bedFilter.Q.value = 0.6;
    this.bedGain = ctx.createGain();
    this.bedGain.gain.value = 0;
    this.bed.connect(bedFilter).connect(this.bedGain).connect(this.master);
    this.bed.start();
    this._lastTime = ctx.currentTime;
    this._timer = setInterval(() => this._schedule(), SCHEDULE_MS);
  }

  /** Reactions counted in one server tick: each one is a person clapping ~a second. */
  add(count) {
    this.level = Math.min(2000, this.level + Math.max(0, Number(count) || 0));
    this.caption.add(count);
  }

  _schedule() {
    const ctx = this.ctx;
    if (!ctx || ctx.state !== 'running') return;
    const now = ctx.currentTime;
    const dt = Math.min(0.5, now - this._lastTime);
    this._lastTime = now;
    // Applause dies away over about a second and a half when nobody adds to it.
    this.level *= Math.exp(-dt / 1.4);
    if (this.level < 0.05) this.level = 0;
    const people = this.level;
    const loud = Math.min(1, Math.log10(1 + people) / 2.3); // 1 at ~200 people
    this.bedGain.gain.setTargetAtTime(people > 8 ? loud * 0.22 : 0, now, 0.2);
    // Each person claps ~4 times a second; beyond ~60 claps/s the bed carries it.
    const rate = Math.min(people * 4, 70);
    let n = rate * (SCHEDULE_MS / 1000);
    const whole = Math.floor(n);
    if (Math.random() < n - whole) n = whole + 1;
    else n = whole;
    for (let i = 0; i < n; i++) {
      this._clap(now + LOOKAHEAD_S * 0.3 + Math.random() * (SCHEDULE_MS / 1000), 0.15 + 0.45 * loud);
    }
  }

  _clap(when, gain) {
    const ctx = this.ctx;
    const src = ctx.createBufferSource();
    src.buffer = this.noise;
    const filter = ctx.createBiquadFilter();
    filter.type = 'bandpass';
    filter.frequency.value = 900 + Math.random() * 1600; // hands differ
    filter.Q.value = 0.9 + Math.random() * 0.8;
    const env = ctx.createGain();
    const peak = gain * (0.5 + Math.random() * 0.5);
    env.gain.setValueAtTime(0.0001, when);
    env.gain.exponentialRampToValueAtTime(peak, when + 0.002);
    env.gain.exponentialRampToValueAtTime(0.0001, when + 0.05 + Math.random() * 0.07);
    src.connect(filter).connect(env).connect(this.master);
    src.start(when, Math.random() * 0.8, 0.14);
  }

  dispose() {
    clearInterval(this._timer);
    this._timer = null;
    this.ctx?.close().catch(() => {});
    this.ctx = null;
  }
}
