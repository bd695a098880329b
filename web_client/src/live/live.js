// attachLive(view): the live audience on a venue page. Connects, shows the others as
// avatars, sends our pose, and adds chat, reactions and presence. `view` is the venue
// page's VenueView: {scene, camera, metadata, onFrame(cb), sitAt(seatId)}.
import * as THREE from 'three';

import { t } from '../i18n/i18n.js';
import { AvatarLayer } from './avatars.js';
import { HandTracks } from './hands.js';
import { defaultName, hostTokenFromHash, askName, saveName, storedName } from './identity.js';
import { Interpolator } from './interpolation.js';
import { LiveConnection } from './net.js';
import { buildLivePanel, unlockAudioOnGesture } from './panel.js';
import { PoseSender } from './pose.js';
import { showRemoved } from './removal.js';
import { Applause, ReactionEffect } from './reactions.js';
import { markTakenSeats, SeatClaim } from './seating.js';
import { decodeSnapshot, makeScratch, SnapshotError, WrapClock } from './snapshot.js';
import { ReactionSpots } from './spots.js';

// moderation actions that tell the member something (locale keys live.notice_<action>)
const NOTICES = new Set(['muted', 'unmuted', 'removed']);

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
    this.seating = new SeatClaim(this.seats, {
      request: (name, payload) => this.conn.request(name, payload),
      onTaken: () => this.chat.showNotice(t('live.seat_taken')),
    });
    this.reactionTotals = {};
    this.lastReactions = null;

    this.avatars = new AvatarLayer(view.scene);
    this.interp = new Interpolator({ delayMs: options.delayMs ?? 120 });
    this.hands = new HandTracks(this.avatars, this.interp, { delayMs: options.delayMs ?? 120 });
    this.clock = new WrapClock();
    this.scratch = makeScratch();
    this.pose = new PoseSender((m) => this.conn?.sendPose(m), { hz: options.poseHz ?? 10 });
    this.applause = new Applause();
    const spots = new ReactionSpots(view, this.avatars);
    this.effect = new ReactionEffect(view.scene, () => spots.pick());

    ({ presence: this.presence, chat: this.chat, reactionBar: this.reactionBar } = buildLivePanel(options, {
      rename: () => this.rename(),
      send: (text) => this.conn.request('chat', { text }),
      hostAction: (name, payload) => this.conn.request(name, payload),
      react: (kind) => this.conn?.react(kind),
      applause: this.applause,
    }));
    unlockAudioOnGesture(this.applause);
    this._lastFrame = performance.now();
    this._applyPose = (id, p) => this.avatars.setPose(id, p[0], p[1], p[2], p[3], p[4], p[5], p[6]);
    view.onFrame(() => this._frame());
    // A VenueView tells us when the visitor sits down or stands up; without that we
    // infer it from where the camera is (SeatClaim.followCamera).
    this.viewSeatEvents = typeof view.addEventListener === 'function';
    if (this.viewSeatEvents) {
      view.addEventListener('seat', (e) => this._onViewSeat(e.detail?.seatId ?? null));
    }
  }

  /** The seat we asked for or hold. */
  get seatClaim() {
    return this.seating.id;
  }

  _onViewSeat(seatId) {
    if (!this.conn?.joined || seatId === this.seatClaim) return;
    if (seatId) this.seating.sit(seatId);
    else this.seating.stand();
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
    c.on('stage', (s) => this.onStage?.(s, false)); // the show (web_client/src/stage/)
    c.on('removed', (notice) => showRemoved(this, notice)); // the server sent us away
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
    this.onStage?.(state.stage, true);
    this.seating.id = this.self.seat || null;
    const viewSeat = this.viewSeatEvents ? this.view.seatId ?? null : null;
    if (viewSeat && viewSeat !== this.seatClaim) this.seating.sit(viewSeat);
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

  _markTakenSeats() {
    markTakenSeats(this.view.seats, this.members.values());
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
    this.hands.drop(id);
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
            this.hands.clear();
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
          if (hands) this.hands.push(id, serverMs, hands);
          else if (this.hands.has(id)) this.hands.drop(id);
        },
      }, this.scratch);
    } catch (err) {
      if (err instanceof SnapshotError) console.warn('live: bad snapshot', err.message);
      else throw err;
    }
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
    if (NOTICES.has(p?.action)) this.chat.showNotice(t('live.notice_' + p.action));
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
    // the view's camera in VR too: three.js puts the headset's pose in it, under the
    // visitor rig, so its world pose is in venue coordinates (xr.getCamera()'s is not)
    const head = this.view.camera;
    if (this.pose.update(head, now) && !this.viewSeatEvents && this.conn?.joined) {
      this.seating.followCamera(this.pose.lastPos);
    }
    head.getWorldPosition(this.avatars.viewer);
    this.interp.sampleAll(this._applyPose, now);
    this.hands.sample(now);
    const moved = this.avatars.flush();
    return this.effect.update(dt) || moved; // something to draw
  }

  /** Pick a new display name; takes effect by rejoining as a new member. */
  async rename(newName) {
    const name = newName ? saveName(newName) : await askName(document.body, { forceAsk: true });
    if (!name || name === this.name) return;
    this.name = name;
    // the same connection object, joined again under the new name: every module
    // listening on live.conn (Q&A, hands, the stage, the timeline) keeps listening
    await this.conn.close();
    this.conn.name = name;
    this.conn.connect();
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

/**
 * Wire the live audience into a venue page. Returns the Live object (also at
 * window.__zalLive for tests and the console).
 */
export function attachLive(view, options = {}) {
  const live = new Live(view, options).start();
  window.__zalLive = live;
  return live;
}
