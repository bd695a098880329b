// The institution's venues with their versions (GET /api/venues/{id}/versions),
// and the scene upload (POST /api/institutions/{id}/venues) with its progress.

import { apiErrorText } from '../api.js';
import { fill, h } from '../dom.js';
import { formatDateTime, formatNumber, t } from '../i18n/i18n.js';
import { venueKindLabel } from '../lobby/labels.js';
import { call, followJob } from './portalapi.js';
import { UploadForm, jobText } from './uploadform.js';

const $ = (id) => document.getElementById(id);

async function versionsOf(venue, builtin) {
  // a built-in venue is built from its spec: it has no uploaded versions
  if (builtin) return h('p.portal-item-meta', {}, t('portal.builtin'));
  try {
    const { versions } = await call('GET', '/api/venues/' + encodeURIComponent(venue.id) + '/versions');
    // a gallery made from a collection has no uploaded versions: say how it changes
    if (!versions.length && venue.kind === 'gallery') return h('p.portal-item-meta', {}, t('portal.from_collection'));
    return h('ol.portal-versions', {}, versions.map((v) => h('li', {},
      t('portal.version', { number: v.number }) + ' · ' +
      formatDateTime(new Date(v.created_at), { dateStyle: 'medium', timeStyle: 'short' }) + ' · ' +
      t('portal.triangles', { count: v.triangles }) + (v.current ? ' · ' + t('portal.current') : ''))));
  } catch (err) {
    return h('p.portal-item-meta', {}, apiErrorText(err));
  }
}

/** @param {object[]} venues from /api/venues @param {Set<string>} builtin their ids if built-in */
export async function showVenues(venues, builtin) {
  const items = await Promise.all(venues.map(async (venue) => h('li.portal-item', { dataset: { venueId: venue.id } },
    h('div', {},
      h('p.portal-item-title', { lang: venue.name_lang }, h('a', { href: '/venue/' + encodeURIComponent(venue.id) }, venue.name)),
      h('p.portal-item-meta', {}, venueKindLabel(venue.kind) + (venue.seat_count ? ' · ' + formatNumber(venue.seat_count) : '')),
      await versionsOf(venue, builtin.has(venue.id))))));
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
