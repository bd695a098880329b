// WebVTT captions of a tour stop (the server's are a cue per sentence, text only):
// cues as {start, end, text}, seconds. Tags are dropped, entities undone, and the
// result is only ever shown with textContent.

function seconds(stamp) {
  return stamp.split(':').reduce((total, part) => total * 60 + Number(part), 0);
}

function plain(text) {
  return text.replace(/<[^>]*>/g, '').replace(/&lt;/g, '<').replace(/&gt;/g, '>')
    .replace(/&nbsp;/g, '\u00a0').replace(/&amp;/g, '&');
}

/** @param {string} text a WebVTT file  @returns {{start: number, end: number, text: string}[]} */
export function parseVtt(text) {
  const cues = [];
  for (const block of String(text).replace(/\r\n?/g, '\n').split(/\n{2,}/)) {
    const lines = block.split('\n');
    const at = lines.findIndex((line) => line.includes('-->'));
    if (at < 0) continue;
    const [from, to] = lines[at].split('-->').map((s) => seconds(s.trim().split(/\s+/)[0]));
    const words = plain(lines.slice(at + 1).join('\n')).trim();
    if (Number.isFinite(from) && Number.isFinite(to) && words) cues.push({ start: from, end: to, text: words });
  }
  return cues;
}

/** The cue showing at `time` (seconds), or null. */
export function cueAt(cues, time) {
  for (const cue of cues) if (time >= cue.start && time < cue.end) return cue;
  return null;
}
