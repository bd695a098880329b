// A collection (images + manifest) becomes a gallery venue:
// POST /api/institutions/{id}/collections, then GET /api/collection-jobs/{id}.

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
    follow: (answer, show) => followJob('/api/collection-jobs/' + encodeURIComponent(answer.job.id), (job) => {
      show(job.status === 'done' ? 1 : 0.5, jobText(job.status, job.error || ''));
    }),
    onDone,
  });
}
