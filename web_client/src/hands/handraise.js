// The member's own hand in a lecture or master class (docs/PROTOCOL.md 4.11,
// 5.16-5.19): raised or not, its place in line, and who the host has called (the
// whole hall is told, with the seat). An EventTarget: 'change' with
// detail.reason = 'joined' | 'raised' | 'moved' | 'lowered' (by us) |
// 'lowered_by_host' | 'called' (us) | 'hall' (someone else called, or nobody).
// The HUD button and the VR wrist panel both drive it through raise()/lower().

/** Event kinds where residents raise hands (server/api/models.py EventKind). */
export const HAND_KINDS = new Set(['lecture', 'masterclass']);

export class HandRaise extends EventTarget {
  /**
   * @param {{conn: import('../live/net.js').LiveConnection, self: object|null}} live
   * @param {{enabled: boolean}} options enabled: this event takes hands
   */
  constructor(live, { enabled }) {
    super();
    this.live = live;
    this.enabled = enabled;
    this.joined = false; // joined to an event (a venue audience has no hands)
    this.position = null; // 1 = first in line; null = hand down
    this.called = null; // Who the host called (anyone in the hall), or null
    this.busy = false;
  }

  /** The button is offered: an event that takes hands, and we are in its audience. */
  get available() {
    return this.enabled && this.joined;
  }

  get raised() {
    return this.position !== null;
  }

  /** The host gave us the floor. */
  get calledMe() {
    return Boolean(this.called && this.called.member_id === this.live.self?.id);
  }

  /** Follow a connection's events (call again with a new connection). */
  listen(conn) {
    conn.on('joined', (state) => {
      this.joined = Boolean(state.hands);
      this.position = state.hands?.position ?? null;
      this.called = state.hands?.called ?? null;
      this._changed('joined');
    });
    conn.on('disconnected', () => this._changed('hall'));
    conn.on('hand_position', (e) => {
      if (!Number.isInteger(e?.position)) return;
      this.position = e.position;
      this._changed('moved');
    });
    conn.on('hand_called', (e) => {
      this.called = e?.called ?? null;
      if (this.calledMe) {
        this.position = null; // out of the line: speaking now
        this._changed('called');
      } else {
        this._changed('hall');
      }
    });
    conn.on('hand_lowered', () => {
      this.position = null;
      this._changed('lowered_by_host');
    });
  }

  /** Put the hand up; resolves with the server's ack ({ok, position} or an error). */
  async raise() {
    return this._send('raise_hand', (ack) => {
      this.position = ack.position ?? this.position;
      this._changed('raised');
    });
  }

  /** Put it down (also ends our turn if the host called us). */
  async lower() {
    return this._send('lower_hand', () => {
      this.position = null;
      this._changed('lowered');
    });
  }

  async toggle() {
    return this.raised ? this.lower() : this.raise();
  }

  async _send(name, onOk) {
    this.busy = true;
    this._changed('busy');
    const ack = await this.live.conn.request(name, {});
    this.busy = false;
    if (ack.ok) onOk(ack);
    else this._changed('error');
    return ack;
  }

  _changed(reason) {
    this.dispatchEvent(new CustomEvent('change', { detail: { reason } }));
  }

  /** Plain data for tests. */
  debug() {
    return { available: this.available, raised: this.raised, position: this.position,
      called: this.called, calledMe: this.calledMe };
  }
}
