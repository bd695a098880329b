// VoicePublisher: our microphone into the event's room. Joins as a publisher (Zal's
// gateway adds the room token and names us), offers send-only audio, and stops
// the microphone's track when we stop: the browser's recording light goes out.
import { gathered } from './janus.js';

export class VoicePublisher {
  constructor(session, room, iceServers = []) {
    this.session = session;
    this.room = room;
    this.iceServers = iceServers; // STUN/TURN from voice_join
    this.stream = null;
    this.pc = null;
    this.id = null; // our feed id in the room
  }

  /** Asks for the microphone (call it from the member's click). */
  async start() {
    this.stream = await navigator.mediaDevices.getUserMedia({ audio: true, video: false });
    this.handle = await this.session.attach();
    const { data } = await this.handle.ask({ request: 'join', ptype: 'publisher', room: this.room });
    this.id = data.id;
    this.pc = new RTCPeerConnection({ iceServers: this.iceServers });
    for (const track of this.stream.getAudioTracks()) this.pc.addTransceiver(track, { direction: 'sendonly', streams: [this.stream] });
    await this.pc.setLocalDescription(await this.pc.createOffer());
    await gathered(this.pc);
    const { jsep } = await this.handle.ask({ request: 'publish' }, this.pc.localDescription.toJSON());
    await this.pc.setRemoteDescription(jsep);
    return this;
  }

  stop() {
    for (const track of this.stream?.getTracks() ?? []) track.stop();
    this.handle?.ask({ request: 'leave' }).catch(() => {});
    this.pc?.close();
    this.stream = null;
  }
}
