// Screen reader announcements through one visually hidden status region per page
// (role="status", polite; an assertive twin for things that cannot wait). The
// regions are in the page's HTML from the start: a live region added late is
// often not watched by screen readers.

const CLEAR_MS = 7000; // an old message must not be read again when focus lands near it

function region(assertive) {
  const id = assertive ? 'a11y-alert' : 'a11y-status';
  let node = document.getElementById(id);
  if (!node) {
    // a page without the regions in its HTML (a test harness): make them now
    node = document.createElement('div');
    node.id = id;
    node.className = 'visually-hidden';
    node.setAttribute('role', assertive ? 'alert' : 'status');
    document.body.appendChild(node);
  }
  return node;
}

const timers = new Map();

/** Read `text` out to screen reader users; nothing is shown on screen. */
export function announce(text, { assertive = false } = {}) {
  if (!text) return;
  const node = region(assertive);
  // the same text twice in a row is still announced: empty the region first and
  // fill it on the next frame, so the change is seen as new
  node.textContent = '';
  requestAnimationFrame(() => {
    node.textContent = text;
  });
  clearTimeout(timers.get(node));
  timers.set(node, setTimeout(() => { node.textContent = ''; }, CLEAR_MS));
}
