// VoiceFeed: one speaker heard. A VideoRoom subscription to the speaker's feed
// (Janus sends the offer, we answer receive-only) whose audio plays through a
// three.js PositionalAudio at the place the speaker speaks from.
import { PositionalAudio } from 'three';

import { gathered } from './janus.js';

const ROOM_REF_DISTANCE = 4; // metres: a voice in a room carries less than the stage
const ROLLOFF = 1.1;

export class VoiceFeed {
  /**
   * @param {import('./janus.js').JanusSession} session
   * @param {{room: string, feed: string, anchor: import('three').Object3D,
   *          listener: import('three').AudioListener, analyser?: AnalyserNode,
   *          iceServers?: RTCIceServer[]}} options
   */
  constructor(session, { room, feed, anchor, listener, analyser, iceServers = [] }) {
    this.session = session;
    this.room = room;
    this.feed = feed;
    this.anchor = anchor;
    this.listener = listener;
    this.analyser = analyser;
    this.iceServers = iceServers; // STUN/TURN from voice_join (residents behind strict NATs)
    this.pc = null;
    this.sound = null;
    this.element = null;
  }

  async start() {
    this.handle = await this.session.attach();
    const { jsep } = await this.handle.ask({ request: 'join', ptype: 'subscriber', room: this.room, streams: [{ feed: this.feed }] });
    this.pc = new RTCPeerConnection({ iceServers: this.iceServers });
    this.pc.addEventListener('track', (e) => this._play(e.streams[0] ?? new MediaStream([e.track])));
    await this.pc.setRemoteDescription(jsep);
    await this.pc.setLocalDescription(await this.pc.createAnswer());
    await gathered(this.pc);
    await this.handle.ask({ request: 'start' }, this.pc.localDescription.toJSON());
    return this;
  }

  _play(stream) {
    if (this.sound) return;
    // Chromium gives WebAudio a remote WebRTC stream's samples only while a media
    // element plays it too; the element itself stays muted (the sound is positional)
    this.element = new Audio();
    this.element.muted = true;
    this.element.srcObject = stream;
    this.element.play().catch(() => {});
    this.sound = new PositionalAudio(this.listener);
    this.sound.setMediaStreamSource(stream);
    this.sound.setDistanceModel('inverse');
    this.sound.setRefDistance(ROOM_REF_DISTANCE);
    this.sound.setRolloffFactor(ROLLOFF);
    if (this.analyser) this.sound.getOutput().connect(this.analyser);
    this.anchor.add(this.sound);
  }

  /** Where the voice comes from now (a guide walks). */
  moveTo(anchor) {
    if (!this.sound || anchor === this.anchor) return;
    this.anchor.remove(this.sound);
    this.anchor = anchor;
    anchor.add(this.sound);
  }

  stop(sessionGone = false) {
    if (!sessionGone) this.handle?.ask({ request: 'leave' }).catch(() => {});
    this.pc?.close();
    if (this.sound) {
      this.sound.disconnect();
      this.sound.parent?.remove(this.sound);
    }
    if (this.element) this.element.srcObject = null;
  }
}
