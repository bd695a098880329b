// JanusSession: the Janus HTTP API ("REST" transport, janus.conf.meetecho.com/docs/rest)
// as the browser speaks it, through Zal's gateway at the member's pass URL
// (/voice/janus/<pass>; server/voice/gateway.py adds the tokens and checks the role).
// One session, VideoRoom handles, requests whose answers come on the long poll.

const KEEPALIVE_MS = 25_000; // Janus drops a session silent for 60 s
const ANSWER_TIMEOUT_MS = 20_000;

let counter = 0;
const transaction = () => `t${Date.now().toString(36)}${(counter++).toString(36)}`;

export class JanusError extends Error {
  constructor(code, reason) {
    super(`Janus ${code}: ${reason}`);
    this.code = code;
  }
}

export class JanusSession {
  constructor(url) {
    this.url = url;
    this.id = null;
    this.closed = false;
    this._waiting = new Map(); // transaction -> {resolve, reject}
    this._handles = new Map(); // handle id -> JanusHandle
  }

  async _post(path, body) {
    const response = await fetch(this.url + path, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ transaction: transaction(), ...body }),
    });
    const reply = await response.json();
    if (reply.janus === 'error') throw new JanusError(reply.error?.code, reply.error?.reason);
    return reply;
  }

  async open() {
    const created = await this._post('', { janus: 'create' });
    this.id = created.data.id;
    this._poll();
    this._keepalive = setInterval(() => {
      this._post(`/${this.id}`, { janus: 'keepalive' }).catch(() => this.close());
    }, KEEPALIVE_MS);
    return this;
  }

  async attach() {
    const attached = await this._post(`/${this.id}`, { janus: 'attach', plugin: 'janus.plugin.videoroom' });
    const handle = new JanusHandle(this, attached.data.id);
    this._handles.set(handle.id, handle);
    return handle;
  }

  /** A request whose answer is an event with the same transaction (or at once). */
  async ask(handleId, body, jsep) {
    const id = transaction();
    const answer = new Promise((resolve, reject) => {
      this._waiting.set(id, { resolve, reject });
      setTimeout(() => {
        if (this._waiting.delete(id)) reject(new Error(`no answer to ${body.request}`));
      }, ANSWER_TIMEOUT_MS);
    });
    answer.catch(() => {}); // a refusal below is the caller's error, not this promise's
    let sent;
    try {
      sent = await this._post(`/${this.id}/${handleId}`, { janus: 'message', transaction: id, body, ...(jsep ? { jsep } : {}) });
    } catch (err) {
      this._waiting.delete(id);
      throw err;
    }
    if (sent.janus === 'success') {
      this._waiting.delete(id);
      return { data: sent.plugindata?.data ?? {}, jsep: null };
    }
    return answer;
  }

  async _poll() {
    while (!this.closed) {
      let events;
      try {
        const response = await fetch(`${this.url}/${this.id}?maxev=10`);
        if (!response.ok) throw new Error(`poll ${response.status}`);
        events = await response.json();
        // the pass was revoked (we left, or were removed) or the session is gone
        if (events?.janus === 'error') throw new JanusError(events.error?.code, events.error?.reason);
      } catch (err) {
        if (!this.closed) this.close(err);
        return;
      }
      for (const event of Array.isArray(events) ? events : [events]) this._dispatch(event);
    }
  }

  _dispatch(event) {
    const waiting = event.transaction && this._waiting.get(event.transaction);
    const data = event.plugindata?.data;
    if (waiting && event.janus === 'event') {
      this._waiting.delete(event.transaction);
      if (data?.error_code) waiting.reject(new JanusError(data.error_code, data.error));
      else waiting.resolve({ data: data ?? {}, jsep: event.jsep ?? null });
      return;
    }
    const handle = this._handles.get(event.sender);
    if (handle) handle.onevent?.(event);
  }

  close(reason) {
    if (this.closed) return;
    this.closed = true;
    clearInterval(this._keepalive);
    for (const { reject } of this._waiting.values()) reject(new Error('voice session closed'));
    this._waiting.clear();
    if (this.id !== null && !reason) this._post(`/${this.id}`, { janus: 'destroy' }).catch(() => {});
    this.onclose?.(reason);
  }
}

class JanusHandle {
  constructor(session, id) {
    this.session = session;
    this.id = id;
    this.onevent = null;
  }

  ask(body, jsep) {
    return this.session.ask(this.id, body, jsep);
  }
}

/** Half trickle: the whole offer or answer once ICE has gathered (a second at most here). */
export function gathered(pc, timeoutMs = 3000) {
  if (pc.iceGatheringState === 'complete') return Promise.resolve();
  return new Promise((resolve) => {
    const done = () => { if (pc.iceGatheringState === 'complete') resolve(); };
    pc.addEventListener('icegatheringstatechange', done);
    setTimeout(resolve, timeoutMs);
  });
}
