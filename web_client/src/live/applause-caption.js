// The caption of the applause: "[applause]" while people clap, "[thunderous
// applause]" when many do, gone when it dies away. It follows the same reaction
// counts as the applause sound (and the same decay), with or without sound on:
// a visitor who cannot hear has no reason to turn the sound on.
import { t } from '../i18n/i18n.js';
import { pageCaptions } from '../captions/captions.js';

const CUE = 'applause';
const DECAY_S = 1.4; // as the sound: dies away over about a second and a half
const QUIET = 0.3; // claps-worth of people below which the hall is quiet
const LOUD = 25;
const CHECK_MS = 250;

export class ApplauseCaption {
  /**
   * @param {{captions?: import('../captions/captions.js').Captions, now?: () => number}} options
   *   now: milliseconds (injectable for tests); captions default to the page's area
   */
  constructor({ captions = null, now = () => performance.now() } = {}) {
    this.captions = captions;
    this.now = now;
    this.level = 0;
    this.at = now();
    this._timer = null;
  }

  /** Reactions counted in one server tick (people clapping). */
  add(count) {
    this._decay();
    this.level = Math.min(2000, this.level + Math.max(0, Number(count) || 0));
    this.update();
    if (this.level >= QUIET && !this._timer) this._timer = setInterval(() => this.update(), CHECK_MS);
  }

  /** Show or hide the cue for the level now. */
  update() {
    this._decay();
    const captions = this.captions || (this.captions = pageCaptions());
    if (this.level < QUIET) {
      this.level = 0;
      captions.hide(CUE);
      clearInterval(this._timer);
      this._timer = null;
      return;
    }
    captions.show(CUE, t(this.level >= LOUD ? 'captions.applause_loud' : 'captions.applause'));
  }

  _decay() {
    const now = this.now();
    this.level *= Math.exp(-Math.max(0, now - this.at) / 1000 / DECAY_S);
    this.at = now;
  }
}
