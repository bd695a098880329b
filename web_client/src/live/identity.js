// Who this browser is in the live audience: a display name kept in localStorage and
// an optional host token read from the URL fragment (#host=TOKEN). The fragment is
// never sent to the server in an HTTP request, so the token stays out of access logs.

import { t } from '../i18n/i18n.js';

const NAME_KEY = 'zal.displayName';
const MAX_NAME = 32;

function storage() {
  try {
    return window.localStorage;
  } catch {
    return null; // private mode or disabled storage: names just are not remembered
  }
}

export function cleanName(raw) {
  // Collapse whitespace and strip control characters; the server validates again.
  // Tabs and newlines are spaces first; other control characters just go.
  const s = String(raw ?? '')
    .replace(/\s+/g, ' ')
    .replace(/[\u0000-\u001f\u007f-\u009f]/g, '')
    .trim();
  return s.slice(0, MAX_NAME);
}

export function defaultName() {
  const n = 1000 + Math.floor(Math.random() * 9000);
  return t('live.guest', { number: String(n) });
}

export function storedName() {
  const s = storage();
  const v = s ? cleanName(s.getItem(NAME_KEY)) : '';
  return v || null;
}

export function saveName(name) {
  const s = storage();
  const v = cleanName(name);
  if (s && v) s.setItem(NAME_KEY, v);
  return v;
}

/** The host token from `#host=TOKEN` (also accepts other `&`-joined fragment keys). */
export function hostTokenFromHash(hash = window.location.hash) {
  const params = new URLSearchParams(String(hash || '').replace(/^#/, ''));
  const t = params.get('host');
  // The server refuses a connection whose token is over 128 characters: better
  // to join as audience than not at all.
  return t && t.length <= 128 ? t : null;
}

/**
 * Ask once for a display name with a small dialog; resolves with the chosen name.
 * Resolves immediately with the stored name when there is one.
 */
export function askName(container = document.body, { forceAsk = false } = {}) {
  const existing = storedName();
  if (existing && !forceAsk) return Promise.resolve(existing);
  const suggestion = existing || defaultName();
  return new Promise((resolve) => {
    const dlg = document.createElement('form');
    dlg.className = 'live-name-dialog';
    dlg.setAttribute('role', 'dialog');
    dlg.setAttribute('aria-label', t('live.name_dialog'));
    const title = document.createElement('h2');
    title.textContent = t('live.name_title');
    const hint = document.createElement('p');
    hint.textContent = t('live.name_hint');
    const input = document.createElement('input');
    input.type = 'text';
    input.name = 'name';
    input.maxLength = MAX_NAME;
    input.value = suggestion;
    input.autocomplete = 'nickname';
    const ok = document.createElement('button');
    ok.type = 'submit';
    ok.textContent = t('live.name_enter');
    dlg.append(title, hint, input, ok);
    dlg.addEventListener('submit', (ev) => {
      ev.preventDefault();
      const name = saveName(input.value) || saveName(suggestion);
      dlg.remove();
      resolve(name);
    });
    // Keys typed into the dialog must not move the camera underneath it.
    dlg.addEventListener('keydown', (ev) => ev.stopPropagation());
    container.appendChild(dlg);
    input.focus();
    input.select();
  });
}
