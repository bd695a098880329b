// The connection to the live audience (docs/PROTOCOL.md): Socket.IO namespace /live
// over WebSocket only. Joins after connecting, keeps the resume token so a dropped
// connection comes back as the same member (same id, seat, instance), and turns
// every acked request into a promise that always resolves with {ok, ...} or
// {ok: false, error: {code, message}} (timeouts included).
import { io } from 'socket.io-client';

import { Emitter } from './emitter.js';

const ACK_TIMEOUT_MS = 5000;

// Server -> client events passed straight through to listeners.
const FORWARDED = [
  'member_joined', 'member_updated', 'member_left', 'chat_message', 'chat_deleted',
  'chat_state', 'rejected', 'reactions', 'moderated', 'stage', 'question', 'qa_state',
  'hand_queue', 'hand_called', 'hand_lowered', 'hand_position', 'instance_changed',
  'group_update', 'group_gathered', 'group_follow', 'group_pointer', 'group_stop', 'group_ended', 'group_roster',
  'voice_speakers', 'voice_invited', 'voice_ended',
];

export class LiveConnection extends Emitter {
  /**
   * @param {{name: string, token?: string|null, target: {event_id?: string, venue_id?: string},
   *          url?: string}} options
   */
  constructor({ name, token = null, target, url = '/live' }) {
    super();
    this.name = name;
    this.token = token;
    this.target = target;
    this.url = url;
    this.resume = null;
    this.joined = false;
    this.removed = false;
    this.socket = null;
  }

  connect() {
    this.socket = io(this.url, {
      transports: ['websocket'],
      // A function: read again on every reconnect, so the latest resume token goes.
      auth: (cb) => {
        const auth = { name: this.name };
        if (this.token) auth.token = this.token;
        if (this.resume) auth.resume = this.resume;
        cb(auth);
      },
      reconnectionDelay: 500,
      reconnectionDelayMax: 4000,
    });
    const s = this.socket;
    s.on('connect', () => this._onConnect());
    s.on('disconnect', (reason) => this._onDisconnect(reason));
    s.on('connect_error', (err) => this._onConnectError(err));
    s.on('joined', (state) => this._onJoined(state, true));
    s.on('snap', (data) => this.emit('snap', data));
    for (const name of FORWARDED) s.on(name, (payload) => this.emit(name, payload));
    s.on('moderated', (p) => {
      if (p?.action === 'removed') {
        this.removed = true;
        this.resume = null;
      }
    });
    s.on('removed', (notice) => this._onRemoved(notice));
  }

  get connected() {
    return Boolean(this.socket?.connected);
  }

  async _onConnect() {
    this.emit('connected');
    if (this.resume) return; // the server re-attaches us and sends `joined`
    await this.join();
  }

  async join() {
    const ack = await this.request('join', { ...this.target });
    if (ack.ok) this._onJoined(ack, false);
    else this.emit('join_failed', ack.error);
    return ack;
  }

  _onJoined(state, resumed) {
    this.joined = true;
    this.resume = state.resume || this.resume;
    this.emit('joined', { ...state, resumed: Boolean(resumed || state.resumed) });
  }

  _onDisconnect(reason) {
    this.joined = false;
    this.emit('disconnected', reason);
    // The server closing us on purpose (removed by a host, or too many errors) is
    // final; anything else reconnects on its own.
    if (reason === 'io server disconnect' && !this.removed) {
      setTimeout(() => this.socket?.connect(), 1000);
    }
  }

  // The server is about to close the connection on purpose (docs/PROTOCOL.md,
  // `removed`): hang up first, so Socket.IO does not reconnect as a new member.
  _onRemoved(notice) {
    this.removed = true;
    this.resume = null;
    this.socket.disconnect();
    this.emit('removed', notice && typeof notice === 'object' ? notice : {});
  }

  _onConnectError(err) {
    const data = err?.data || {};
    if (data.code === 'resume_failed') {
      // Grace period over: come back as a new member.
      this.resume = null;
      this.emit('resume_failed');
      setTimeout(() => this.socket?.connect(), 200);
      return;
    }
    this.emit('connect_failed', { code: data.code || 'connect_error', message: data.message || err?.message });
    // A refusal by the server (as opposed to a network error) is not retried by
    // Socket.IO itself; a rate limit is worth another try a little later.
    if (data.code === 'rate_limited' && !this.socket.active) {
      setTimeout(() => this.socket?.connect(), 5000);
    }
  }

  /** An acked request; never rejects. */
  async request(name, payload = {}, timeoutMs = ACK_TIMEOUT_MS) {
    if (!this.socket?.connected) {
      // Socket.IO would buffer it and send it after a reconnect, long after the user
      // gave up: better to say so now.
      return { ok: false, error: { code: 'disconnected', message: 'not connected' } };
    }
    try {
      const ack = await this.socket.timeout(timeoutMs).emitWithAck(name, payload);
      if (ack && typeof ack === 'object') return ack;
      return { ok: false, error: { code: 'internal', message: 'malformed ack' } };
    } catch {
      return { ok: false, error: { code: 'timeout', message: 'no answer from the server' } };
    }
  }

  /**
   * High-rate and unacked. Not `volatile`: a volatile emit is silently dropped while
   * the transport is busy with the previous frame (a `sit` sent in the same frame,
   * say), and the pose sender only resends after the next move, so a dropped last
   * pose would leave our avatar short of where we stopped. The sender is rate
   * limited itself and we only send while connected, so nothing piles up.
   */
  sendPose(array) {
    if (this.joined && this.socket.connected) this.socket.emit('pose', array);
  }

  /** Reactions are few (5 a second at most count): sent reliably, not volatile. */
  react(kind) {
    if (this.joined) this.socket.emit('react', { kind });
  }

  /** Best effort while the page unloads: no waiting for the ack. */
  leaveNow() {
    if (this.socket?.connected && this.joined) this.socket.emit('leave', {}, () => {});
    this.resume = null;
    this.joined = false;
  }

  /** Leave the audience and close; the resume token is dropped. */
  async close() {
    if (this.socket?.connected && this.joined) await this.request('leave', {}, 1500);
    this.resume = null;
    this.joined = false;
    this.socket?.disconnect();
  }
}
