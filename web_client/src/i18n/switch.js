// The language switch: three buttons, each name written in its own language
// (a reader finds their language whatever the page is in now).

import { h } from '../dom.js';
import { LANGUAGES, currentLang, setLang, t } from './i18n.js';

export const NATIVE_NAMES = { ru: 'Русский', tt: 'Татарча', en: 'English' };

export function languageSwitch() {
  const current = currentLang();
  return h('div.lang-switch', { role: 'group', 'aria-label': t('lang.switch'), dataset: { langSwitch: '' } },
    LANGUAGES.map((code) => h('button.lang-option', {
      type: 'button',
      lang: code,
      'aria-pressed': code === current ? 'true' : 'false',
      dataset: { lang: code },
      on: { click: () => { if (code !== currentLang()) setLang(code); } },
    }, NATIVE_NAMES[code])));
}
