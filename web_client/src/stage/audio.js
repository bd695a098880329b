// StageAudio: the show's sound comes from the stage. The <video> feeds a
// three.js PositionalAudio placed at the screen, heard through a listener on the
// camera, so the front rows hear it louder. The browser's autoplay rule keeps
// the video muted and the AudioContext suspended until one click on
// "Join with sound"; a volume slider sets the gain, and it ducks while a voice speaks. An AnalyserNode taps the
// output (tests read it: the sound is really there).

import { AudioListener, Object3D, PositionalAudio } from 'three';

const REF_DISTANCE = 7; // metres: full volume up to about the fifth row
const ROLLOFF = 1.2;
const DUCKED = 0.25; // the show's share of its volume while a voice speaks (-12 dB)

export class StageAudio {
  /**
   * @param {{camera: import('three').Camera, scene: import('three').Scene, metadata: object}} view
   * @param {HTMLVideoElement} video
   */
  constructor(view, video) {
    this.video = video;
    this.listener = new AudioListener();
    view.camera.add(this.listener);
    this.sound = new PositionalAudio(this.listener);
    this.sound.setMediaElementSource(video);
    this.sound.setDistanceModel('inverse');
    this.sound.setRefDistance(REF_DISTANCE);
    this.sound.setRolloffFactor(ROLLOFF);
    const at = view.metadata.screen?.center || view.metadata.stage?.center || [0, 2, 0];
    this.anchor = new Object3D();
    this.anchor.name = 'stage-sound';
    this.anchor.position.set(at[0], at[1], at[2]);
    this.anchor.add(this.sound);
    view.scene.add(this.anchor);
    const context = this.listener.context;
    this.analyser = context.createAnalyser();
    this.analyser.fftSize = 2048;
    this.sound.getOutput().connect(this.analyser);
    this._samples = new Float32Array(this.analyser.fftSize);
  }

  /** True while the user still has to click "Join with sound". */
  get locked() {
    return this.video.muted || this.listener.context.state !== 'running';
  }

  /** From a click: start the audio context and let the video speak. */
  async unlock() {
    await this.listener.context.resume();
    this.video.muted = false;
  }

  /** 0..1 */
  setVolume(volume) {
    this.volume = Math.max(0, Math.min(1, volume));
    this.sound.setVolume(this.volume * (this.ducked ? DUCKED : 1));
  }

  /** While someone speaks (web_client/src/voice/), the show steps back. */
  duck(on) {
    if (this.ducked === !!on) return;
    this.ducked = !!on;
    this.setVolume(this.volume ?? 1);
  }

  /** RMS of what leaves the stage right now (0 = silence). */
  level() {
    this.analyser.getFloatTimeDomainData(this._samples);
    let sum = 0;
    for (const s of this._samples) sum += s * s;
    return Math.sqrt(sum / this._samples.length);
  }
}
