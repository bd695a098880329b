// The server moved this member into another instance of its audience (a tour
// group's: docs/PROTOCOL.md 5.25): like a fresh join, a new slot and the others
// there; every avatar of the old instance goes. A full snapshot follows, which
// clears the pose buffers (live.js _onSnap). Kept out of live.js (it must not grow);
// it uses the Live object's own member bookkeeping.

/** @param {import('./live.js').Live} live */
export function followInstanceChanges(live) {
  live.conn.on('instance_changed', (change) => {
    if (!change?.member || !change.instance) return;
    for (const id of [...live.members.keys()]) live._removeMember(id);
    live.self = { ...live.self, ...change.member };
    live.instance = change.instance;
    for (const m of change.members || []) live._addMember(m, false);
    live.presence.reset(live.self, live.instance, [...live.members.values()]);
    // seats belong to an instance: the server gave ours up
    live.seating.id = live.self.seat || null;
    if (live.view.seatId && !live.self.seat) live.view.standUp();
    live._markTakenSeats();
    live.pose.force();
  });
}
