// attachHands(view, live, event): hand raising on the venue page (docs/PROTOCOL.md
// 4.11) — the "Raise hand" button in a lecture or master class, and, in any event,
// the seat of the member the host called lit up in the hall. Sets live.handRaise
// (raise(), lower(), raised, position, a 'change' event) for the VR wrist panel.
// Exposed at window.__zalHands for tests.
import { HandButton } from './handbutton.js';
import { HAND_KINDS, HandRaise } from './handraise.js';
import { SeatMark } from './seatmark.js';

export function attachHands(view, live, event, {
  bar = live.reactionBar?.root ?? document.getElementById('hud'),
} = {}) {
  const hand = new HandRaise(live, { enabled: HAND_KINDS.has(event?.kind) });
  const mark = new SeatMark(view);
  const button = new HandButton(bar, hand);
  // The called member's seat as this copy of the hall knows it now: an event's other
  // instances have the same seat ids with other people in them, and a member may
  // change seats while speaking.
  const calledSeat = () => {
    const id = hand.called?.member_id;
    if (!id) return null;
    if (id === live.self?.id) return live.self.seat ?? null;
    return live.members.get(id)?.seat ?? null;
  };
  const follow = () => mark.show(calledSeat());
  hand.addEventListener('change', follow);
  hand.listen(live.conn);
  live.conn.on('member_updated', follow);
  live.conn.on('member_left', follow);
  live.handRaise = hand;
  const hands = { hand, mark, button };
  window.__zalHands = hands;
  return hands;
}
