// A collection (images + manifest) becomes a gallery venue:
// POST /api/institutions/{id}/collections, then GET /api/collection-jobs/{id}.

import { t } from '../i18n/i18n.js';
import { followJob } from './portalapi.js';
import { UploadForm, jobText } from './uploadform.js';

export function collectionUpload(institutionId, onDone) {
  return new UploadForm('collection', {
    path: (form) => `/api/institutions/${encodeURIComponent(institutionId)}/collections?name=${encodeURIComponent(form.elements.name.value.trim())}`,
    data: (form) => {
      const data = new FormData();
      for (const file of form.elements.files.files) data.append('file', file, file.name);
      return data;
    },
    // a collection job tells no steps: the bar moves on its own until it ends
    follow: (answer, show) => followJob('/api/collection-jobs/' + encodeURIComponent(answer.job.id), (job) => {
      const done = t('portal.collection_done', { count: job.works });
      const ended = job.status === 'done' || job.status === 'failed';
      show(job, ended ? 1 : null, jobText(job.status, { reason: job.error?.message, done }));
    }),
    venueOf: (job) => job.venue_id,
    onDone,
  });
}
