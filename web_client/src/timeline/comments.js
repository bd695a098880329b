// The comments of a recording on its timeline (GET /api/media/{id}/comments), and
// which of them a viewer should see at a media time. Pure: no DOM, no clock.

/** Comments sorted by media time (the server sends them so; a copy, sorted again to be sure). */
export function sortComments(comments) {
  return (Array.isArray(comments) ? comments : [])
    .filter((c) => c && Number.isFinite(c.media_time))
    .slice()
    .sort((a, b) => a.media_time - b.media_time || a.id - b.id);
}

/** How many of the sorted `comments` the playback has reached at `time` (seconds). */
export function reachedCount(comments, time) {
  let lo = 0;
  let hi = comments.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (comments[mid].media_time <= time) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/**
 * Whether a comment belongs to the showing on the stage now, and so is (or was) in
 * the live chat already: the viewer saw it arrive (`liveIds`, their own messages
 * included), or it was sent after this showing started (server ms `showStartMs`,
 * with a margin for clocks and pauses).
 */
export function isCurrentShowing(comment, liveIds, showStartMs, marginMs = 5000) {
  if (liveIds.has(Number(comment.id))) return true;
  const sent = Date.parse(comment.sent_at);
  return Number.isFinite(showStartMs) && Number.isFinite(sent) && sent >= showStartMs - marginMs;
}

/** "2:05" or "1:02:05" for media seconds. */
export function formatMediaTime(seconds) {
  const total = Math.max(0, Math.floor(Number(seconds) || 0));
  const h = Math.floor(total / 3600);
  const m = Math.floor((total % 3600) / 60);
  const s = String(total % 60).padStart(2, '0');
  return h ? `${h}:${String(m).padStart(2, '0')}:${s}` : `${m}:${s}`;
}
