// attachLive(view): the live audience on a venue page. Connects, shows the others as
// avatars, sends our pose, and adds chat, reactions and presence. `view` is the venue
// page's VenueView: {scene, camera, metadata, onFrame(cb), sitAt(seatId)}.
import * as THREE from 'three';

import { h } from '../dom.js';
import { AvatarLayer } from './avatars.js';
import { ChatPanel } from './chat.js';
import { defaultName, hostTokenFromHash, askName, saveName, storedName } from './identity.js';
import { Interpolator } from './interpolation.js';
import { LiveConnection } from './net.js';
import { PoseSender } from './pose.js';
import { Presence } from './presence.js';
import { Applause, ReactionBar, ReactionEffect } from './reactions.js';
import { decodeSnapshot, makeScratch, SnapshotError, WrapClock } from './snapshot.js';

const SIT_RADIUS_M = 0.2; // camera this close to a seat's eye point = sitting there
const STAND_RADIUS_M = 0.6;

const NOTICES = {
  muted: 'A host has muted you: your messages are not shown to others.',
  unmuted: 'You can chat again.',
  removed: 'A host has removed you from this audience.',
};

export class Live {
  constructor(view, options = {}) {
    this.view = view;
    this.options = options;
    const params = new URLSearchParams(window.location.search);
    const eventId = options.eventId ?? params.get('event');
    this.target = eventId ? { event_id: eventId } : { venue_id: options.venueId ?? view.metadata.id };
    this.name = options.name || storedName() || saveName(defaultName());
    this.token = options.token ?? hostTokenFromHash();

    this.seats = new Map((view.metadata.seats || []).map((s) => [s.id, s]));
    this.self = null; // our member record from the join ack
    this.instance = null;
    this.members = new Map(); // id -> member record
    this.slotToId = new Map();
    this.seatClaim = null; // seat id we asked for or hold
    this.reactionTotals = {};
    this.lastReactions = null;

    this.avatars = new AvatarLayer(view.scene);
    this.interp = new Interpolator({ delayMs: options.delayMs ?? 120 });
    // VR members' hands: their own buffers (keys from handKey()), the same clock
    this.handInterp = new Interpolator({ delayMs: options.delayMs ?? 120 });
    this.handInterp.clock = this.interp.clock;
    this.handKeys = new Map(); // member id -> [left key, right key]
    this.handOwner = new Map(); // key -> [member id, side]
    this.clock = new WrapClock();
    this.scratch = makeScratch();
    this.pose = new PoseSender((m) => this.conn?.sendPose(m), { hz: options.poseHz ?? 10 });
    this.applause = new Applause();
    this.effect = new ReactionEffect(view.scene, () => this._pickSpot());

    this._buildUi(options);
    this._listenForGesture();
    this._lastFrame = performance.now();
    this._applyPose = (id, p) => this.avatars.setPose(id, p[0], p[1], p[2], p[3], p[4], p[5], p[6]);
    this._applyHand = (key, p) => {
      const [id, side] = this.handOwner.get(key);
      this.avatars.setHand(id, side, p[0], p[1], p[2], p[3], p[4], p[5], p[6]);
    };
    this._spot = new THREE.Vector3();
    this._camPos = new THREE.Vector3();
    this._camDir = new THREE.Vector3();
    view.onFrame(() => this._frame());
    // A VenueView tells us when the visitor sits down or stands up; without that we
    // infer it from where the camera is (_checkSeat).
    this.viewSeatEvents = typeof view.addEventListener === 'function';
    if (this.viewSeatEvents) {
      view.addEventListener('seat', (e) => this._onViewSeat(e.detail?.seatId ?? null));
    }
  }

  _onViewSeat(seatId) {
    if (!this.conn?.joined || seatId === this.seatClaim) return;
    if (seatId) this._sit(seatId);
    else this._stand();
  }

  _buildUi(options) {
    ensureStylesheet();
    // The venue page leaves an empty side panel for live features; without one
    // (another page, a test harness) we dock our own in the corner.
    const side = options.panel || document.getElementById('side-panel');
    const panel = side || document.body.appendChild(h('div.live-dock'));
    panel.classList.add('live-panel');
    if (side) side.hidden = false;
    this.presence = new Presence(panel, { onRename: () => this.rename() });
    this.chat = new ChatPanel(panel, {
      send: (text) => this.conn.request('chat', { text }),
      hostAction: (name, payload) => this.conn.request(name, payload),
    });
    // On a phone the hall needs the screen: the chat starts folded (with a count of
    // new messages) and opens with one tap.
    const phone = window.matchMedia?.('(max-width: 640px) and (pointer: coarse)').matches;
    if (phone) this.chat.setCollapsed(true);
    this.reactionBar = new ReactionBar(options.reactionsContainer || panel.parentElement || document.body,
      (kind) => this.conn?.react(kind), this.applause);
  }

  _listenForGesture() {
    // Autoplay rules: audio may only start from a user gesture.
    const unlock = () => {
      this.applause.unlock();
      if (this.applause.running) {
        window.removeEventListener('pointerdown', unlock, true);
        window.removeEventListener('keydown', unlock, true);
      }
    };
    window.addEventListener('pointerdown', unlock, true);
    window.addEventListener('keydown', unlock, true);
  }

  start() {
    this.conn = new LiveConnection({ name: this.name, token: this.token, target: this.target, url: this.options.url });
    const c = this.conn;
    c.on('joined', (state) => this._onJoined(state));
    c.on('join_failed', (err) => this.chat.showError(err));
    c.on('connected', () => {
      this._connectedAt = performance.now();
      this._setConnected(true);
    });
    c.on('disconnected', () => this._setConnected(false));
    c.on('connect_failed', (err) => this.chat.showError(err));
    c.on('snap', (data) => this._onSnap(data));
    c.on('member_joined', (m) => this._addMember({ ...m, seenAt: performance.now() }));
    c.on('member_updated', (m) => this._updateMember(m));
    c.on('member_left', (m) => this._removeMember(m.id));
    c.on('chat_message', (m) => this.chat.add(m));
    c.on('chat_deleted', (m) => this.chat.remove(m.id));
    c.on('chat_state', (s) => this.chat.setState(s));
    c.on('reactions', (r) => this._onReactions(r));
    c.on('moderated', (p) => this._onModerated(p));
    c.on('rejected', (r) => {
      // Errors of unacked events (poses, reactions): our bug, not the user's.
      console.warn('live: the server rejected', r?.event, r?.code, r?.message);
    });
    c.connect();
    if (!this._pagehide) {
      // Closing the tab is a real leave: others see us go now, not after the grace period.
      this._pagehide = (e) => { if (!e.persisted) this.conn?.leaveNow(); };
      window.addEventListener('pagehide', this._pagehide);
    }
    return this;
  }

  _setConnected(on) {
    this.chat.setConnected(on);
    this.presence.setConnected(on);
    if (!on) this.pose.enabled = false;
  }

  _onJoined(state) {
    this.self = state.member;
    this.instance = state.instance;
    this.interp.tickMs = 1000 / (state.tick_hz || 10);
    // The member list is an upsert: someone announced by `member_joined` since we
    // connected may be missing from the list (they joined while ours was in flight),
    // so only members known from before (a previous connection) are dropped.
    const listed = new Set((state.members || []).map((m) => m.id));
    for (const [id, m] of [...this.members]) {
      if (!listed.has(id) && !(m.seenAt >= this._connectedAt)) this._removeMember(id);
    }
    for (const m of state.members || []) this._addMember(m, false);
    this.presence.reset(this.self, this.instance, [...this.members.values()]);
    this.chat.setSelf(this.self.id, this.self.host);
    this.chat.setHistory(state.chat?.history);
    this.chat.setState(state.chat);
    this.seatClaim = this.self.seat || null;
    const viewSeat = this.viewSeatEvents ? this.view.seatId ?? null : null;
    if (viewSeat && viewSeat !== this.seatClaim) this._sit(viewSeat);
    this._markTakenSeats();
    this.pose.enabled = true;
    this.pose.force();
    this._setConnected(true);
  }

  _addMember(m, render = true) {
    if (this.self && m.id === this.self.id) return;
    const old = this.members.get(m.id);
    if (old && old.slot !== m.slot && this.slotToId.get(old.slot) === m.id) this.slotToId.delete(old.slot);
    const rec = old ? { ...old, ...m } : m;
    this.members.set(m.id, rec);
    this.slotToId.set(m.slot, m.id);
    this.avatars.add(m.id, { name: rec.name, color: rec.colour, host: rec.host });
    this._applySeat(rec);
    if (render) {
      this.presence.upsert(rec);
      this._markTakenSeats();
    }
  }

  _updateMember(m) {
    if (this.self && m.id === this.self.id) {
      this.self.seat = m.seat;
      return;
    }
    const rec = this.members.get(m.id);
    if (!rec) return;
    Object.assign(rec, m);
    this._applySeat(rec);
    this.presence.upsert(rec);
    this._markTakenSeats();
  }

  /** Seats other members hold cannot be clicked into (the server refuses them anyway). */
  _markTakenSeats() {
    const seats = this.view.seats;
    if (!seats || typeof seats.setUnavailable !== 'function') return;
    const taken = [];
    for (const m of this.members.values()) if (m.seat) taken.push(m.seat);
    seats.setUnavailable(taken);
  }

  _applySeat(m) {
    const seat = m.seat ? this.seats.get(m.seat) : null;
    this.avatars.setSeat(m.id, seat ? seat.facing : null);
    if (seat && !this.interp.buffers.has(m.id)) {
      // Until their first pose arrives, show them in their seat facing the stage.
      const yaw = Math.atan2(-seat.facing[0], -seat.facing[2]);
      const q = this._tmpQ || (this._tmpQ = new THREE.Quaternion());
      q.setFromAxisAngle(THREE.Object3D.DEFAULT_UP, yaw);
      this.avatars.setPose(m.id, seat.eye[0], seat.eye[1], seat.eye[2], q.x, q.y, q.z, q.w);
    }
  }

  _removeMember(id) {
    const m = this.members.get(id);
    if (!m) return;
    this.members.delete(id);
    if (this.slotToId.get(m.slot) === id) this.slotToId.delete(m.slot);
    this._dropHands(id);
    this.avatars.remove(id);
    this.interp.remove(id);
    this.presence.remove(id);
    this._markTakenSeats();
  }

  _onSnap(data) {
    const now = performance.now();
    let serverMs = 0;
    const selfSlot = this.self?.slot;
    try {
      decodeSnapshot(data, {
        header: (version, full, tick, rawMs) => {
          serverMs = this.clock.unwrap(rawMs);
          this.interp.observeSnapshot(serverMs, now);
          if (full) {
            this.interp.clear();
            this.handInterp.clear();
          }
        },
        member: (slot, seq, p, flags, hands) => {
          if (slot === selfSlot) {
            this.pose.echoed(seq, now);
            return;
          }
          const id = this.slotToId.get(slot);
          if (!id) return;
          this.interp.push(id, serverMs, p[0], p[1], p[2], p[3], p[4], p[5], p[6]);
          if (hands) this._pushHands(id, serverMs, hands);
          else if (this.handKeys.has(id)) this._dropHands(id);
        },
      }, this.scratch);
    } catch (err) {
      if (err instanceof SnapshotError) console.warn('live: bad snapshot', err.message);
      else throw err;
    }
  }

  _pushHands(id, serverMs, h) {
    let keys = this.handKeys.get(id);
    if (!keys) {
      keys = [`${id}|L`, `${id}|R`];
      this.handKeys.set(id, keys);
      this.handOwner.set(keys[0], [id, 0]);
      this.handOwner.set(keys[1], [id, 1]);
    }
    this.handInterp.push(keys[0], serverMs, h[0], h[1], h[2], h[3], h[4], h[5], h[6]);
    this.handInterp.push(keys[1], serverMs, h[7], h[8], h[9], h[10], h[11], h[12], h[13]);
  }

  /** The member's latest pose has no hands (left VR, or left the hall). */
  _dropHands(id) {
    const keys = this.handKeys.get(id);
    if (!keys) return;
    for (const k of keys) {
      this.handInterp.remove(k);
      this.handOwner.delete(k);
    }
    this.handKeys.delete(id);
    this.avatars.hideHands(id);
  }

  _onReactions(r) {
    const counts = r?.counts || {};
    this.lastReactions = r;
    for (const [k, n] of Object.entries(counts)) {
      this.reactionTotals[k] = (this.reactionTotals[k] || 0) + n;
    }
    this.effect.burst(counts);
    this.applause.add((counts.applause || 0) + 0.5 * (counts.bravo || 0));
  }

  _onModerated(p) {
    const text = NOTICES[p?.action];
    if (text) this.chat.showNotice(text);
    if (p?.action === 'removed') {
      this.pose.enabled = false;
      for (const id of [...this.handKeys.keys()]) this._dropHands(id);
      this.avatars.clear();
      this.interp.clear();
      this.members.clear();
    }
  }

  _frame() {
    const now = performance.now();
    const dt = Math.min(0.1, (now - this._lastFrame) / 1000);
    this._lastFrame = now;
    // In VR the head is the XR camera, and it may move faster: 20 poses a second.
    const xr = this.view.renderer?.xr;
    const inXr = Boolean(xr?.isPresenting);
    if (inXr !== this._inXr) {
      this._inXr = inXr;
      this.pose.setRate(inXr ? 20 : this.options.poseHz ?? 10);
    }
    const head = inXr ? xr.getCamera() : this.view.camera;
    if (this.pose.update(head, now) && !this.viewSeatEvents) this._checkSeat();
    head.getWorldPosition(this.avatars.viewer);
    this.interp.sampleAll(this._applyPose, now);
    if (this.handInterp.buffers.size) this.handInterp.sampleAll(this._applyHand, now);
    this.avatars.flush();
    this.effect.update(dt);
  }

  /** Sitting is where the camera is: claim the seat the eyes are in, free it on leaving. */
  _checkSeat() {
    if (!this.conn?.joined || !this.seats.size) return;
    const p = this.pose.lastPos;
    if (this.seatClaim) {
      const s = this.seats.get(this.seatClaim);
      if (s && dist(p, s.eye) < STAND_RADIUS_M) return;
    }
    let best = null;
    let bestD = SIT_RADIUS_M;
    for (const s of this.seats.values()) {
      const d = dist(p, s.eye);
      if (d < bestD) {
        bestD = d;
        best = s;
      }
    }
    if (best && best.id !== this.seatClaim) this._sit(best.id);
    else if (!best && this.seatClaim) this._stand();
  }

  async _sit(seatId) {
    this.seatClaim = seatId;
    const ack = await this.conn.request('sit', { seat_id: seatId });
    if (!ack.ok) {
      this.seatClaim = null;
      if (ack.error?.code === 'seat_taken') this.chat.showNotice('Someone is already sitting there.');
    }
  }

  async _stand() {
    this.seatClaim = null;
    await this.conn.request('stand', {});
  }

  _pickSpot() {
    // Reactions rise from the people in the hall; with nobody else here, from seats
    // in view; failing that, just in front of us.
    const cam = this.view.camera;
    cam.getWorldPosition(this._camPos);
    cam.getWorldDirection(this._camDir);
    if (this.avatars.size && Math.random() < 0.75) {
      const id = this.avatars.order[Math.floor(Math.random() * this.avatars.order.length)];
      const rec = this.avatars.members.get(id);
      if (rec && rec.position.y > -50) return this._spot.copy(rec.position);
    }
    const seats = this.view.metadata.seats || [];
    for (let i = 0; i < 8 && seats.length; i++) {
      const s = seats[Math.floor(Math.random() * seats.length)];
      this._spot.set(s.eye[0], s.eye[1], s.eye[2]);
      const dx = this._spot.x - this._camPos.x;
      const dy = this._spot.y - this._camPos.y;
      const dz = this._spot.z - this._camPos.z;
      const d = Math.hypot(dx, dy, dz);
      if (d > 1 && d < 25 && (dx * this._camDir.x + dy * this._camDir.y + dz * this._camDir.z) / d > 0.6) {
        return this._spot;
      }
    }
    const ahead = 2.5 + Math.random() * 3;
    return this._spot.copy(this._camPos).addScaledVector(this._camDir, ahead)
      .add({ x: (Math.random() - 0.5) * 3, y: -0.6, z: (Math.random() - 0.5) * 1.5 });
  }

  /** Pick a new display name; takes effect by rejoining as a new member. */
  async rename(newName) {
    const name = newName ? saveName(newName) : await askName(document.body, { forceAsk: true });
    if (!name || name === this.name) return;
    this.name = name;
    await this.conn.close();
    this.start();
  }

  /** Plain data for tests and debugging. */
  debug() {
    const avatars = {};
    for (const id of this.avatars.order) {
      const m = this.members.get(id);
      avatars[id] = {
        name: m?.name,
        seat: m?.seat ?? null,
        position: this.avatars.positionOf(id),
        hands: this.avatars.handsOf(id),
      };
    }
    return {
      connected: Boolean(this.conn?.connected),
      joined: Boolean(this.conn?.joined),
      self: this.self,
      instance: this.instance,
      avatars,
      reactionTotals: { ...this.reactionTotals },
      rttMs: this.pose.rtt,
      seat: this.seatClaim,
      particles: this.effect.activeCount(),
    };
  }
}

function ensureStylesheet() {
  const href = new URL('../../css/live.css', import.meta.url).href;
  if ([...document.styleSheets].some((sh) => sh.href === href)) return;
  if (document.querySelector(`link[href="${href}"]`)) return;
  document.head.appendChild(h('link', { rel: 'stylesheet', href }));
}

function dist(v, a) {
  return Math.hypot(v.x - a[0], v.y - a[1], v.z - a[2]);
}

/**
 * Wire the live audience into a venue page. Returns the Live object (also at
 * window.__zalLive for tests and the console).
 */
export function attachLive(view, options = {}) {
  const live = new Live(view, options).start();
  window.__zalLive = live;
  return live;
}
