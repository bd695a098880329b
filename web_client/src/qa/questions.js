// The questions one page knows, kept in the order the hall sees them (votes, then
// age). Pure bookkeeping, no DOM: the resident's panel and the host console both
// keep one. Protocol: docs/PROTOCOL.md sections 4.10 and 5.14.

const GONE = new Set(['merged', 'rejected']);

export class QuestionList {
  constructor() {
    this.byId = new Map();
    this.voted = new Set();
  }

  /** The join ack's `qa.questions` and `qa.voted` replace what we had. */
  reset(questions = [], voted = []) {
    this.byId.clear();
    for (const q of questions) this.upsert(q);
    this.voted = new Set(voted);
  }

  /**
   * A `question` event or an ack: upsert by id, drop a merged or rejected one.
   * The hall's copy of a question carries no `member_id` (and no name when asked
   * anonymously): a host keeps who asked from the copy it already has.
   */
  upsert(q) {
    if (!q || typeof q.id !== 'number') return null;
    if (GONE.has(q.status)) {
      this.byId.delete(q.id);
      this.voted.delete(q.id);
      return null;
    }
    const old = this.byId.get(q.id);
    const merged = { ...old, ...q };
    if (old?.member_id && !('member_id' in q)) {
      merged.member_id = old.member_id;
      merged.name = old.name;
      merged.anonymous = old.anonymous;
    }
    this.byId.set(q.id, merged);
    return merged;
  }

  setVote(id, voted, votes) {
    if (voted) this.voted.add(id);
    else this.voted.delete(id);
    const q = this.byId.get(id);
    if (q && typeof votes === 'number') q.votes = votes;
  }

  get(id) {
    return this.byId.get(id) ?? null;
  }

  /** Questions with one of `statuses`, most votes first, then the oldest. */
  list(statuses) {
    const wanted = new Set(statuses);
    return [...this.byId.values()]
      .filter((q) => wanted.has(q.status))
      .sort((a, b) => b.votes - a.votes || String(a.asked_at).localeCompare(String(b.asked_at)) || a.id - b.id);
  }
}
