// Our seat in the live audience: the one we asked for or hold, claimed and freed
// through the server (which refuses a seat someone else holds).

const SIT_RADIUS_M = 0.2; // camera this close to a seat's eye point = sitting there
const STAND_RADIUS_M = 0.6;

function dist(v, a) {
  return Math.hypot(v.x - a[0], v.y - a[1], v.z - a[2]);
}

export class SeatClaim {
  /**
   * @param {Map<string, {id: string, eye: number[]}>} seats the hall's seats by id
   * @param {{request: (name: string, payload: object) => Promise<object>, onTaken: () => void}} hooks
   */
  constructor(seats, { request, onTaken }) {
    this.seats = seats;
    this.request = request;
    this.onTaken = onTaken;
    this.id = null; // seat id we asked for or hold
  }

  async sit(seatId) {
    this.id = seatId;
    const ack = await this.request('sit', { seat_id: seatId });
    if (!ack.ok) {
      this.id = null;
      if (ack.error?.code === 'seat_taken') this.onTaken();
    }
  }

  async stand() {
    this.id = null;
    await this.request('stand', {});
  }

  /** Sitting is where the camera is: claim the seat the eyes are in, free it on leaving. */
  followCamera(position) {
    if (!this.seats.size) return;
    if (this.id) {
      const s = this.seats.get(this.id);
      if (s && dist(position, s.eye) < STAND_RADIUS_M) return;
    }
    let best = null;
    let bestD = SIT_RADIUS_M;
    for (const s of this.seats.values()) {
      const d = dist(position, s.eye);
      if (d < bestD) {
        bestD = d;
        best = s;
      }
    }
    if (best && best.id !== this.id) this.sit(best.id);
    else if (!best && this.id) this.stand();
  }
}

/** Seats other members hold cannot be clicked into (the server refuses them anyway). */
export function markTakenSeats(viewSeats, members) {
  if (!viewSeats || typeof viewSeats.setUnavailable !== 'function') return;
  const taken = [];
  for (const m of members) if (m.seat) taken.push(m.seat);
  viewSeats.setUnavailable(taken);
}
