// The live-guided tour groups of an event as this member knows them
// (docs/PROTOCOL.md 4.12, 5.20-5.25): the open groups, our own group (as guide or
// member) and, for a guide, its roster. Requests go over the live connection;
// what the server says comes back as events. No DOM here.
//
// Events: 'groups' (the list changed), 'mine' (our group changed, joined, left or
// ended; detail {reason} when it ended), 'gathered', 'follow', 'pointer', 'stop',
// 'roster' (detail: the server's message).

export class GroupClient extends EventTarget {
  /** @param {import('../../live/live.js').Live} live */
  constructor(live) {
    super();
    this.live = live;
    this.enabled = false; // an event audience (a venue's has no groups)
    this.groups = [];
    this.defaultCap = 25;
    this.mine = null; // GroupState: role 'guide' | 'member', follow, stop, pointer
    this.roster = null;
    const conn = live.conn;
    conn.on('joined', (state) => this._welcome(state.groups));
    conn.on('group_update', (m) => this._setGroups(m?.groups));
    conn.on('group_gathered', (m) => this._forMine(m, 'gathered'));
    conn.on('group_follow', (m) => {
      if (this._isMine(m)) this.mine.follow = Boolean(m.on);
      this._forMine(m, 'follow');
    });
    conn.on('group_pointer', (m) => {
      if (this._isMine(m)) this.mine.pointer = m.point || null;
      this._forMine(m, 'pointer');
    });
    conn.on('group_stop', (m) => {
      if (this._isMine(m)) this.mine.stop = m.index;
      this._forMine(m, 'stop');
    });
    conn.on('group_ended', (m) => {
      if (this._isMine(m)) this._setMine(null, m.reason || 'ended');
    });
    conn.on('group_roster', (r) => {
      if (!this._isMine(r)) return;
      this.roster = r;
      this._emit('roster', r);
    });
  }

  get isGuide() {
    return this.mine?.role === 'guide';
  }

  get isHost() {
    return Boolean(this.live.self?.host);
  }

  _isMine(m) {
    return Boolean(this.mine && m && m.group_id === this.mine.id);
  }

  _forMine(m, type) {
    if (this._isMine(m)) this._emit(type, m);
  }

  _emit(type, detail = null) {
    this.dispatchEvent(new CustomEvent(type, { detail }));
  }

  _welcome(welcome) {
    this.enabled = Boolean(welcome);
    this.defaultCap = welcome?.default_cap || this.defaultCap;
    this._setGroups(welcome?.groups || []);
    this._setMine(welcome?.mine || null, welcome?.mine ? null : this.mine ? 'ended' : null);
  }

  _setGroups(groups) {
    this.groups = Array.isArray(groups) ? groups : [];
    if (this.mine) {
      const summary = this.groups.find((g) => g.id === this.mine.id);
      if (summary) Object.assign(this.mine, summary);
    }
    this._emit('groups');
  }

  _setMine(state, reason = null) {
    const had = this.mine;
    this.mine = state;
    if (!state) this.roster = null;
    if (had || state) this._emit('mine', { reason });
  }

  request(name, payload = {}) {
    return this.live.conn.request(name, payload);
  }

  /** A host starts guiding a group: {name, cap?, tour_id?}. */
  async create(payload) {
    const ack = await this.request('group_create', payload);
    if (ack.ok) {
      this._setMine(ack.group);
      this.refreshRoster();
    }
    return ack;
  }

  async join(groupId) {
    const ack = await this.request('group_join', { group_id: groupId });
    if (ack.ok) {
      this._setMine(ack.group);
      this._emit('history', ack.chat?.history || []);
    }
    return ack;
  }

  /** Leave our group (a guide leaving ends it). */
  async leave() {
    const ack = await this.request('group_leave', {});
    if (ack.ok) this._setMine(null, 'left');
    return ack;
  }

  gather() {
    return this.request('group_gather', {});
  }

  async follow(on) {
    const ack = await this.request('group_follow', { on });
    if (ack.ok && this.mine) this.mine.follow = ack.on;
    return ack;
  }

  async pointer(point) {
    const ack = await this.request('group_pointer', { point });
    if (ack.ok && this.mine) this.mine.pointer = point;
    return ack;
  }

  async stop(index) {
    const ack = await this.request('group_stop', { index });
    if (ack.ok && this.mine) this.mine.stop = ack.stop;
    return ack;
  }

  async end() {
    const ack = await this.request('group_end', {});
    if (ack.ok) this._setMine(null, 'ended');
    return ack;
  }

  async refreshRoster() {
    const ack = await this.request('group_roster', {});
    if (ack.ok && this.isGuide) {
      this.roster = ack.roster;
      this._emit('roster', ack.roster);
    }
    return ack;
  }
}
