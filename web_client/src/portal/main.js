// Portal page: sign in with a token, then the institution's programme, venues
// and collections. What may be done is checked by the server on every call.

import { listVenues } from '../api.js';
import { fill, h } from '../dom.js';
import { t, timeZone } from '../i18n/i18n.js';
import { languageSwitch } from '../i18n/switch.js';
import { collectionUpload } from './collections.js';
import { call, refusalText } from './portalapi.js';
import { Programme } from './programme.js';
import { askToSignIn, signOut } from './signin.js';
import { sceneUpload, showVenues } from './venues.js';

const $ = (id) => document.getElementById(id);
const ROLE_KEYS = { admin: 'portal.role_admin', editor: 'portal.role_editor', host: 'portal.role_host' };

async function ownVenues(institution) {
  return (await listVenues()).filter((v) => v.institution.id === institution.id);
}

async function openInstitution(principal, institution) {
  $('who-institution').textContent = institution.name;
  $('who-institution').lang = institution.name_lang;
  const venues = await ownVenues(institution);
  const editable = principal.role !== 'host';
  const programme = new Programme(institution.id, venues, editable);
  await programme.load();
  // an admin's pick lists no venues: ask for the one institution in full
  const full = institution.venues ? institution : await call('GET', '/api/institutions/' + encodeURIComponent(institution.id));
  const builtin = new Set(full.venues.filter((v) => v.builtin).map((v) => v.id));
  await showVenues(venues, builtin, editable);
  for (const form of ['scene-form', 'collection-form']) $(form).hidden = !editable;
  if (editable) {
    // a finished upload's venue joins the list (and the event form) where the
    // editor is: the upload's outcome and its link stay in view
    const refresh = async () => {
      const now = await ownVenues(institution);
      await showVenues(now, builtin, editable);
      programme.setVenues(now);
    };
    sceneUpload(institution.id, refresh);
    collectionUpload(institution.id, refresh);
  }
}

async function adminPick(principal) {
  const { institutions } = await call('GET', '/api/institutions');
  const select = $('institution-select');
  fill(select, institutions.map((i) => h('option', { value: i.id }, i.name)));
  $('admin-pick').hidden = false;
  const chosen = new URLSearchParams(location.search).get('institution');
  if (chosen && institutions.some((i) => i.id === chosen)) select.value = chosen;
  select.addEventListener('change', () => {
    location.search = '?institution=' + encodeURIComponent(select.value);
  });
  return institutions.find((i) => i.id === select.value);
}

async function boot() {
  $('lang-switch').appendChild(languageSwitch());
  $('tz-name').textContent = t('lobby.time_zone', { zone: timeZone() });
  let { principal } = await call('GET', '/api/session');
  document.body.dataset.state = principal ? 'loading' : 'signin';
  if (!principal) principal = await askToSignIn();
  $('who-role').textContent = t(ROLE_KEYS[principal.role]);
  $('signout').addEventListener('click', signOut);
  $('workspace').hidden = false;
  const institution = principal.role === 'admin'
    ? await adminPick(principal)
    : await call('GET', '/api/institutions/' + encodeURIComponent(principal.institution_id));
  if (institution) await openInstitution(principal, institution);
  document.body.dataset.state = 'ready';
}

boot().catch((err) => {
  console.warn('portal: could not start', err);
  document.body.dataset.state = 'error';
  const main = document.querySelector('main');
  main.appendChild(h('p.notice.notice-error', { role: 'alert' }, refusalText(err)));
});
