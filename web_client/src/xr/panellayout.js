// Where the wrist panel's buttons sit on its canvas, in pixels: the reactions'
// row, the quick replies' row and the actions' row (raise hand, exit VR), then,
// while a tour runs, the tour's part (its title line and rows of buttons), then the
// text area (the question on stage, the latest chat lines, the last outcome).
// Pure: the panel lays out, hit-tests and draws from the same rectangles.

export const PANEL_W = 512;
export const REACTION_ROW = { y: 0, h: 104 };
export const REPLY_ROW = { y: 104, h: 64 };
export const ACTION_ROW = { y: 168, h: 64 };
export const TEXT_TOP = 236;
export const PANEL_H = 460;
export const TOUR_TITLE_H = 48; // "Stop 2 of 6 · The Great Wave"
export const TOUR_ROW_H = 64;

/**
 * The panel's height and where its text area starts, with `tourRows` rows of tour
 * buttons (0: no tour part).
 */
export function panelSize(tourRows = 0) {
  const tour = tourRows > 0 ? TOUR_TITLE_H + tourRows * TOUR_ROW_H + 8 : 0;
  return { height: PANEL_H + tour, textTop: TEXT_TOP + tour };
}

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
 * @param {{id: string, label: string}[][]} tour rows of a running tour's buttons
 */
export function layoutButtons(reactions, replies, actions, tour = []) {
  const tourRows = tour.map((row, i) => rowOf(row.map((b) => ({ ...b, kind: 'tour' })),
    { y: TEXT_TOP + TOUR_TITLE_H + i * TOUR_ROW_H, h: TOUR_ROW_H }));
  return [
    ...rowOf(reactions.map((kind) => ({ id: kind, kind: 'reaction' })), REACTION_ROW),
    ...rowOf(replies.map((r) => ({ ...r, kind: 'reply' })), REPLY_ROW),
    ...rowOf(actions.map((a) => ({ ...a, kind: 'action' })), ACTION_ROW),
    ...tourRows.flat(),
  ];
}

/** The button under canvas pixel (px, py), or null. */
export function buttonAt(buttons, px, py) {
  for (const b of buttons) {
    if (px >= b.x && px < b.x + b.w && py >= b.y && py < b.y + b.h) return b;
  }
  return null;
}
