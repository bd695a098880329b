// Interface language: Russian, Tatar or English. The locale file of the chosen
// language (and English, the fallback for a key a locale lacks) is fetched when
// this module is first imported: top-level await, so every module that imports
// `t` runs after the strings are in and the first render is already translated.
//
// Locale files (web_client/locales/<lang>.json) map flat dotted keys to a string
// or to a plural object {"one": ..., "few": ..., "many": ..., "other": ...}
// chosen with Intl.PluralRules; "{name}" in a string is replaced by params.name.

export const LANGUAGES = ['ru', 'tt', 'en'];
export const FALLBACK_LANG = 'en';
const STORAGE_KEY = 'zal.lang';
const LOCALES_URL = '/client/locales/';

// Intl locale lists: if the browser's ICU has no Tatar data (Chromium ships
// without it), dates and numbers fall back to Russian, which every Tatar
// speaker in the city reads, not to English.
const INTL_LOCALES = { ru: ['ru'], tt: ['tt', 'ru'], en: ['en'] };

let lang = FALLBACK_LANG;
let messages = {};
let fallbackMessages = {};
const listeners = new Set();

/**
 * The language to show: a stored choice, else the first of the browser's
 * languages that we have (matched by primary subtag: "ru-RU" -> ru), else English
 * (a visitor whose browser asks for neither Russian nor Tatar most likely reads English).
 */
export function chooseLang(stored, preferred = []) {
  if (LANGUAGES.includes(stored)) return stored;
  for (const tag of preferred) {
    const primary = String(tag || '').toLowerCase().split('-')[0];
    if (LANGUAGES.includes(primary)) return primary;
  }
  return FALLBACK_LANG;
}

function storedLang() {
  try {
    return localStorage.getItem(STORAGE_KEY);
  } catch {
    return null; // storage blocked (private mode, sandboxed frame)
  }
}

async function fetchLocale(code) {
  try {
    const response = await fetch(LOCALES_URL + code + '.json', { headers: { Accept: 'application/json' } });
    if (!response.ok) throw new Error('HTTP ' + response.status);
    return await response.json();
  } catch (err) {
    console.warn('i18n: locale ' + code + ' could not be loaded', err);
    return null;
  }
}

async function load(code) {
  const [own, english] = await Promise.all([
    fetchLocale(code),
    code === FALLBACK_LANG ? null : fetchLocale(FALLBACK_LANG),
  ]);
  lang = own ? code : FALLBACK_LANG;
  messages = own || english || {};
  fallbackMessages = (code === FALLBACK_LANG ? own : english) || {};
  document.documentElement.lang = lang;
  // module scripts run after parsing: the page's static text is all there to fill
  applyTranslations(document);
  document.documentElement.dataset.i18nState = 'ready';
}

export function currentLang() {
  return lang;
}

/**
 * Locales for Intl constructors, best first: the visitor's own regional variants of
 * the page language (en-GB writes 24-hour times, en-US 12-hour), then the language.
 */
export function intlLocales() {
  const browser = (globalThis.navigator?.languages || [])
    .filter((tag) => typeof tag === 'string' && tag.toLowerCase().split('-')[0] === lang && tag.includes('-'));
  return [...new Set([...browser, ...(INTL_LOCALES[lang] || [lang])])];
}

function interpolate(text, params) {
  if (!params) return text;
  return text.replace(/\{(\w+)\}/g, (whole, name) => {
    if (!(name in params)) return whole;
    const value = params[name];
    return typeof value === 'number' ? formatNumber(value) : String(value);
  });
}

function pluralForm(forms, count) {
  // PluralRules of the language itself (not the Intl fallback list): a Tatar
  // entry has only "other", which is what CLDR says Tatar uses
  const category = new Intl.PluralRules(lang).select(Number(count) || 0);
  return forms[category] ?? forms.other;
}

/** Does the current locale (or the English fallback) define `key`? */
export function hasKey(key) {
  return key in messages || key in fallbackMessages;
}

/**
 * The text for `key` in the current language. params: {name: value}; a plural
 * entry is chosen by params.count. An unknown key returns the key itself (and
 * warns), so a gap shows up without breaking the page.
 */
export function t(key, params) {
  let entry = key in messages ? messages[key] : fallbackMessages[key];
  if (entry === undefined) {
    console.warn('i18n: missing key ' + key);
    return key;
  }
  if (typeof entry === 'object' && entry !== null) {
    const source = key in messages ? messages : fallbackMessages;
    entry = pluralForm(source[key], params ? params.count : 0);
    if (entry === undefined) return key;
  }
  return interpolate(String(entry), params);
}

/** Remember `code`, switch to it and tell listeners (or reload the page). */
export async function setLang(code, { reload = true } = {}) {
  if (!LANGUAGES.includes(code)) throw new Error('unknown language ' + code);
  try {
    localStorage.setItem(STORAGE_KEY, code);
  } catch {
    // not remembered, but still switched for this page
  }
  if (reload) {
    // pages render server text and build 3D labels once: a reload is the one
    // way to be sure nothing is left in the old language
    document.documentElement.lang = code;
    location.reload();
    return;
  }
  await load(code);
  applyTranslations(document);
  for (const fn of listeners) fn(lang);
}

/** Call `fn(lang)` after a switch without reload. Returns an unsubscribe function. */
export function onLangChange(fn) {
  listeners.add(fn);
  return () => listeners.delete(fn);
}

/**
 * Fill `[data-i18n="key"]` (textContent) and
 * `[data-i18n-attr="aria-label:key;placeholder:key"]` (attributes) under `root`.
 */
export function applyTranslations(root = document) {
  const scope = root.querySelectorAll ? root : document;
  const nodes = [...scope.querySelectorAll('[data-i18n], [data-i18n-attr]')];
  if (root.nodeType === 1 && (root.hasAttribute('data-i18n') || root.hasAttribute('data-i18n-attr'))) nodes.push(root);
  for (const node of nodes) {
    const key = node.getAttribute('data-i18n');
    if (key) node.textContent = t(key);
    const attrs = node.getAttribute('data-i18n-attr');
    if (!attrs) continue;
    for (const pair of attrs.split(';')) {
      const [attr, attrKey] = pair.split(':').map((s) => s.trim());
      if (attr && attrKey) node.setAttribute(attr, t(attrKey));
    }
  }
}

// Formatting: Intl in the visitor's own time zone (the default), the page's language.
// A browser without the language's Intl data (Chromium has none for Tatar) gets
// month and weekday names and relative times from the locale file instead.

function intlHas(code) {
  return Intl.DateTimeFormat.supportedLocalesOf([code]).length > 0;
}

const EN_WEEKDAYS = ['Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat', 'Sun'];

function fromLocaleList(key, index) {
  return t(key).split('|')[index] ?? '';
}

/** Intl's parts (in the fallback locale) with month and weekday names from the locale file. */
function formatWithOwnNames(date, options) {
  const parts = new Intl.DateTimeFormat(intlLocales(), options).formatToParts(date);
  const zone = options.timeZone;
  return parts.map((part) => {
    if (part.type === 'month' && options.month && !['numeric', '2-digit'].includes(options.month)) {
      const month = Number(new Intl.DateTimeFormat('en', { month: 'numeric', timeZone: zone }).format(date));
      return fromLocaleList('time.months', month - 1);
    }
    if (part.type === 'weekday') {
      const day = new Intl.DateTimeFormat('en', { weekday: 'short', timeZone: zone }).format(date);
      return fromLocaleList('time.weekdays', EN_WEEKDAYS.indexOf(day));
    }
    return part.value;
  }).join('');
}

export function formatDateTime(date, options = {}) {
  const when = date instanceof Date ? date : new Date(date);
  if (!intlHas(lang)) return formatWithOwnNames(when, options);
  return new Intl.DateTimeFormat(intlLocales(), options).format(when);
}

export function formatNumber(value, options = {}) {
  return new Intl.NumberFormat(intlLocales(), options).format(value);
}

const RELATIVE_KEYS = {
  minute: ['time.in_minutes', 'time.minutes_ago'],
  hour: ['time.in_hours', 'time.hours_ago'],
  day: ['time.in_days', 'time.days_ago'],
};

function relative(count, unit) {
  if (Intl.RelativeTimeFormat.supportedLocalesOf([lang]).length) {
    return new Intl.RelativeTimeFormat(intlLocales(), { numeric: 'auto' }).format(count, unit);
  }
  if (count === 0) return t('time.now');
  const [future, past] = RELATIVE_KEYS[unit];
  return t(count > 0 ? future : past, { count: Math.abs(count) });
}

/** "in 25 minutes", "2 hours ago", "tomorrow": the nearest unit of `date - now`. */
export function formatRelative(date, now = new Date()) {
  const minutes = Math.round((date - now) / 60000);
  if (Math.abs(minutes) < 60) return relative(minutes, 'minute');
  const hours = Math.round(minutes / 60);
  if (Math.abs(hours) < 36) return relative(hours, 'hour');
  return relative(Math.round(hours / 24), 'day');
}

/** The visitor's IANA time zone, e.g. "Europe/Moscow" (may be undefined). */
export function timeZone() {
  return Intl.DateTimeFormat().resolvedOptions().timeZone;
}

await load(chooseLang(storedLang(), navigator.languages || [navigator.language]));
