// The portal's calls: JSON reads and writes with the session cookie (sent by the
// browser, same origin only), and uploads through XMLHttpRequest for their
// progress. Errors become ApiError with the server's stable code.

import { ApiError, withLang } from '../api.js';
import { t } from '../i18n/i18n.js';

async function errorFrom(response) {
  let code = 'http_' + response.status;
  let message = response.statusText || '';
  try {
    const body = await response.json();
    if (body && body.error) ({ code, message } = body.error);
  } catch {
    // not JSON: keep the status
  }
  return new ApiError(response.status, code, message);
}

/** GET/POST/PATCH/DELETE `path`; `body` goes as JSON. Resolves to parsed JSON (or null). */
export async function call(method, path, body) {
  const init = { method, headers: { Accept: 'application/json' }, credentials: 'same-origin' };
  if (body !== undefined) {
    init.headers['Content-Type'] = 'application/json';
    init.body = JSON.stringify(body);
  }
  let response;
  try {
    response = await fetch(withLang(path), init);
  } catch {
    throw new ApiError(0, 'network', t('error.network'));
  }
  if (!response.ok) throw await errorFrom(response);
  return response.status === 204 ? null : response.json();
}

/**
 * POST `formData` to `path` with upload progress: onProgress(fraction 0..1).
 * Resolves to the parsed JSON answer.
 */
export function upload(path, formData, onProgress) {
  return new Promise((resolve, reject) => {
    const xhr = new XMLHttpRequest();
    xhr.open('POST', withLang(path));
    xhr.setRequestHeader('Accept', 'application/json');
    xhr.responseType = 'json';
    xhr.upload.addEventListener('progress', (e) => {
      if (e.lengthComputable) onProgress(e.loaded / e.total);
    });
    xhr.addEventListener('load', () => {
      const body = xhr.response;
      if (xhr.status >= 200 && xhr.status < 300) return resolve(body);
      const error = (body && body.error) || {};
      reject(new ApiError(xhr.status, error.code || 'http_' + xhr.status, error.message || ''));
    });
    xhr.addEventListener('error', () => reject(new ApiError(0, 'network', t('error.network'))));
    xhr.send(formData);
  });
}

const POLL_MS = 1000;

/** Ask `path` for its job until it is done; onUpdate(job) each time. Resolves to the last job. */
export async function followJob(path, onUpdate) {
  for (;;) {
    const { job } = await call('GET', path);
    onUpdate(job);
    if (!['queued', 'running', 'processing'].includes(job.status)) return job;
    await new Promise((done) => setTimeout(done, POLL_MS));
  }
}
