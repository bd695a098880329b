// Where the wrist panel's buttons sit on its canvas, in pixels: the reactions'
// row, the quick replies' row and the actions' row (raise hand, exit VR), then the
// text area (the question on stage, the latest chat lines, the last outcome).
// Pure: the panel lays out, hit-tests and draws from the same rectangles.

export const PANEL_W = 512;
export const REACTION_ROW = { y: 0, h: 104 };
export const REPLY_ROW = { y: 104, h: 64 };
export const ACTION_ROW = { y: 168, h: 64 };
export const TEXT_TOP = 236;
export const PANEL_H = 460;

/**
 * @param {{id: string}[]} items one row's buttons, left to right
 * @param {{y: number, h: number}} row
 * @returns {{id: string, x: number, y: number, w: number, h: number}[]}
 */
function rowOf(items, row) {
  const w = PANEL_W / Math.max(1, items.length);
  return items.map((item, i) => ({ ...item, x: i * w, y: row.y, w, h: row.h }));
}

/**
 * Every button of the panel.
 * @param {string[]} reactions reaction kinds (icons)
 * @param {{id: string, label: string}[]} replies quick replies (chat lines)
 * @param {{id: string, label: string}[]} actions raise hand, exit VR...
 */
export function layoutButtons(reactions, replies, actions) {
  return [
    ...rowOf(reactions.map((kind) => ({ id: kind, kind: 'reaction' })), REACTION_ROW),
    ...rowOf(replies.map((r) => ({ ...r, kind: 'reply' })), REPLY_ROW),
    ...rowOf(actions.map((a) => ({ ...a, kind: 'action' })), ACTION_ROW),
  ];
}

/** The button under canvas pixel (px, py), or null. */
export function buttonAt(buttons, px, py) {
  for (const b of buttons) {
    if (px >= b.x && px < b.x + b.w && py >= b.y && py < b.y + b.h) return b;
  }
  return null;
}
