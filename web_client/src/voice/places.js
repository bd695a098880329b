// Where a voice comes from (docs/PROTOCOL.md 5.26): a host from the stage, a guide
// from its avatar, a member called up from its seat. Each is an Object3D the
// speaker's PositionalAudio hangs on; the guide's follows the avatar every frame.
import { Object3D } from 'three';

export class VoicePlaces {
  constructor(view, live) {
    this.view = view;
    this.live = live;
    this.seats = new Map((view.metadata.seats || []).map((s) => [s.id, s]));
    const at = view.metadata.screen?.center || view.metadata.stage?.center || [0, 2, 0];
    this.stage = this._anchor('voice-stage', at);
    this.moving = new Map(); // member id -> anchor following its avatar
  }

  _anchor(name, at) {
    const anchor = new Object3D();
    anchor.name = name;
    anchor.position.set(at[0], at[1], at[2]);
    this.view.scene.add(anchor);
    return anchor;
  }

  /** The anchor for a speaker `{member_id, where, seat}`. */
  of(speaker) {
    if (speaker.where === 'seat') {
      const seat = speaker.seat && this.seats.get(speaker.seat);
      if (seat) return this._anchor(`voice-seat-${seat.id}`, seat.eye || seat.position);
    }
    if (speaker.where === 'guide' || speaker.where === 'seat') {
      // a guide, or a member called up who is standing: the voice follows its avatar
      let anchor = this.moving.get(speaker.member_id);
      if (!anchor) {
        anchor = this._anchor(`voice-member-${speaker.member_id}`, [0, 0, 0]);
        this.moving.set(speaker.member_id, anchor);
      }
      this.follow();
      return anchor;
    }
    return this.stage;
  }

  /** Each frame: anchors of walking speakers to their avatars' heads. */
  follow() {
    for (const [id, anchor] of this.moving) {
      const p = this.live.avatars.positionOf(id);
      if (p) anchor.position.set(p[0], p[1], p[2]);
    }
  }

  release(anchor) {
    if (anchor === this.stage) return;
    for (const [id, a] of this.moving) if (a === anchor) this.moving.delete(id);
    anchor.parent?.remove(anchor);
  }
}
