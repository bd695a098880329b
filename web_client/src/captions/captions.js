// Captions: words for the sounds that matter, in one caption area at the bottom
// of the hall ("[applause]"). Today the applause uses it; stage video, voice and
// audio guides add their cues the same way. Each source owns cues by id, so a
// cue that keeps sounding is updated in place, not repeated.
//
// The area is not a live region: screen reader users hear the hall's sound
// itself; the captions are for visitors who cannot hear it.

const AREA_ID = 'captions';

export class Captions {
  /** @param {HTMLElement} area where cues are shown (one line each) */
  constructor(area) {
    this.area = area;
    this.cues = new Map(); // id -> element
    this.timers = new Map();
  }

  /**
   * Show `text` as cue `id` (replacing that cue's text). With `forMs` the cue
   * goes away by itself after that long unless shown again.
   */
  show(id, text, { forMs = 0 } = {}) {
    let line = this.cues.get(id);
    if (!line) {
      line = document.createElement('p');
      line.className = 'caption-cue';
      line.dataset.cue = id;
      this.cues.set(id, line);
      this.area.appendChild(line);
    }
    if (line.textContent !== text) line.textContent = text;
    this.area.hidden = false;
    clearTimeout(this.timers.get(id));
    if (forMs > 0) this.timers.set(id, setTimeout(() => this.hide(id), forMs));
  }

  hide(id) {
    clearTimeout(this.timers.get(id));
    this.timers.delete(id);
    const line = this.cues.get(id);
    if (!line) return;
    line.remove();
    this.cues.delete(id);
    if (!this.cues.size) this.area.hidden = true;
  }

  /** The text of cue `id`, or null. */
  text(id) {
    return this.cues.get(id)?.textContent ?? null;
  }
}

let shared = null;

/** The page's caption area (#captions), made at the end of the body if missing. */
export function pageCaptions() {
  if (shared) return shared;
  let area = document.getElementById(AREA_ID);
  if (!area) {
    area = document.createElement('div');
    area.id = AREA_ID;
    area.className = 'captions';
    document.body.appendChild(area);
  }
  area.hidden = true;
  shared = new Captions(area);
  return shared;
}
