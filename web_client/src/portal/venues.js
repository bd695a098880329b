// The institution's venues, each said for what it is (built-in, an uploaded model,
// a gallery from a collection) with its versions (GET /api/venues/{id}/versions)
// and, for an uploaded model, its layout editor, for a gallery its tours
// (tours/tourlist.js); and the scene upload
// (POST /api/institutions/{id}/venues) with its progress.

import { fill, h } from '../dom.js';
import { formatDateTime, formatNumber, t } from '../i18n/i18n.js';
import { venueKindLabel } from '../lobby/labels.js';
import { LayoutEditor } from './layouteditor.js';
import { call, followJob, refusalText } from './portalapi.js';
import { TourList } from './tours/tourlist.js';
import { UploadForm, jobText } from './uploadform.js';

const $ = (id) => document.getElementById(id);

function versionList(versions) {
  return h('ol.portal-versions', {}, versions.map((v) => h('li', {},
    t('portal.version', { number: v.number }) + ' · ' +
    formatDateTime(new Date(v.created_at), { dateStyle: 'medium', timeStyle: 'short' }) + ' · ' +
    t('portal.triangles', { count: v.triangles }) + (v.current ? ' · ' + t('portal.current') : ''))));
}

async function versionsOf(venueId) {
  return (await call('GET', '/api/venues/' + encodeURIComponent(venueId) + '/versions')).versions;
}

/** What the venue is: built from a spec, an uploaded model, or a gallery hung from a collection. */
function whatItIs(venue, source) {
  if (source === 'upload') return t('portal.kind_upload');
  if (source === 'collection') return t('portal.kind_collection');
  return venueKindLabel(venue.kind) + (venue.seat_count ? ' · ' + formatNumber(venue.seat_count) : '');
}

async function venueItem(venue, builtin, editable) {
  let source = builtin ? 'builtin' : null;
  let detail;
  if (builtin) {
    // a built-in venue is built from its spec: it has no uploaded versions
    detail = h('p.portal-item-meta', {}, t('portal.builtin'));
  } else {
    try {
      const versions = await versionsOf(venue.id);
      // a gallery made from a collection has no uploaded versions: say how it changes
      source = versions.length ? 'upload' : venue.kind === 'gallery' ? 'collection' : null;
      detail = source === 'collection' ? h('p.portal-item-meta', {}, t('portal.from_collection')) : versionList(versions);
    } catch (err) {
      detail = h('p.portal-item-meta', {}, refusalText(err));
    }
  }
  const body = h('div.portal-venue-body', {},
    h('p.portal-item-title', { lang: venue.name_lang }, h('a', { href: '/venue/' + encodeURIComponent(venue.id) }, venue.name)),
    h('p.portal-item-meta', { dataset: { venueSource: source || venue.kind } }, whatItIs(venue, source)),
    detail);
  if (source === 'upload') {
    // an uploaded model has no seats: its editor sets where visitors appear and the screen
    const editor = new LayoutEditor(venue.id, async () => {
      const fresh = versionList(await versionsOf(venue.id));
      detail.replaceWith(fresh);
      detail = fresh;
    });
    body.append(editor.root);
  }
  // a gallery's excursions: its tours, written by its editors
  if (venue.kind === 'gallery' && editable) body.append(new TourList(venue.id).root);
  return h('li.portal-item', { dataset: { venueId: venue.id } }, body);
}

/**
 * @param {object[]} venues from /api/venues @param {Set<string>} builtin their ids if built-in
 * @param {boolean} editable an editor's portal (a host's has no tour editor)
 */
export async function showVenues(venues, builtin, editable = true) {
  const items = await Promise.all(venues.map((venue) => venueItem(venue, builtin.has(venue.id), editable)));
  fill($('venue-list'), items.length ? items : h('li.portal-empty', {}, t('portal.no_venues')));
}

export function sceneUpload(institutionId, onDone) {
  return new UploadForm('scene', {
    path: (form) => `/api/institutions/${encodeURIComponent(institutionId)}/venues?name=${encodeURIComponent(form.elements.name.value.trim())}`,
    data: (form) => {
      const data = new FormData();
      data.append('file', form.elements.file.files[0]);
      return data;
    },
    follow: (answer, show) => followJob('/api/jobs/' + encodeURIComponent(answer.job.id), (job) => {
      const done = job.result && t('portal.scene_done', { number: job.result.version });
      show(job, job.progress ?? 0, jobText(job.status, { reason: job.error?.message, stage: job.stage, done }));
    }),
    venueOf: (job) => job.result.venue_id,
    onDone,
  });
}
