// The tour editor's one audio element: a stop's reading or recording plays on
// it, and starting another stops the one before.

export class AudioPlayer {
  constructor() {
    this.element = new Audio();
    this.element.preload = 'none';
    this.owner = null; // the StopAudio playing
    const ended = () => this.stop();
    this.element.addEventListener('ended', ended);
    this.element.addEventListener('error', ended);
  }

  isPlaying(owner) {
    return this.owner === owner;
  }

  play(owner, url) {
    this.stop();
    this.owner = owner;
    this.element.src = url;
    owner.playing(true);
    // refused (no audio output, or interrupted by the next one): this one stops
    this.element.play().catch(() => { if (this.owner === owner) this.stop(); });
  }

  stop() {
    const owner = this.owner;
    this.owner = null;
    this.element.pause();
    if (owner) owner.playing(false);
  }
}
