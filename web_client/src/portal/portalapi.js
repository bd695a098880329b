// The portal's calls: JSON reads and writes with the session cookie (sent by the
// browser, same origin only), and uploads through XMLHttpRequest for their
// progress. Errors become ApiError with the server's stable code; a refusal the
// server explained carries its words (in the page's language) as `serverMessage`.

import { ApiError, apiErrorText, withLang } from '../api.js';
import { t } from '../i18n/i18n.js';

function refusal(status, error) {
  const err = new ApiError(status, error.code || 'http_' + status, error.message || '');
  if (error.message) err.serverMessage = String(error.message);
  // what else the server said of the fault, e.g. `stop`: the number of a tour's stop
  const { code, message, ...fields } = error;
  err.fields = fields;
  return err;
}

async function errorFrom(response) {
  try {
    const body = await response.json();
    if (body && body.error) return refusal(response.status, body.error);
  } catch {
    // not JSON: keep the status
  }
  return new ApiError(response.status, 'http_' + response.status, response.statusText || '');
}

/**
 * What the portal says about a failed call: the server's own explanation when it
 * gave one (it names the field, the row or the point at fault), else the
 * locale's text for the code. Shown as text, never as HTML.
 */
export function refusalText(err) {
  return (err && err.serverMessage) || apiErrorText(err);
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
 * POST `payload` (FormData, or a file to PUT with method 'PUT') to `path` with upload
 * progress: onProgress(fraction 0..1). Resolves to the parsed JSON answer.
 */
export function upload(path, payload, onProgress, method = 'POST') {
  return new Promise((resolve, reject) => {
    const xhr = new XMLHttpRequest();
    xhr.open(method, withLang(path));
    xhr.setRequestHeader('Accept', 'application/json');
    xhr.responseType = 'json';
    xhr.upload.addEventListener('progress', (e) => {
      if (e.lengthComputable) onProgress(e.loaded / e.total);
    });
    xhr.addEventListener('load', () => {
      const body = xhr.response;
      if (xhr.status >= 200 && xhr.status < 300) return resolve(body);
      reject(refusal(xhr.status, (body && body.error) || {}));
    });
    xhr.addEventListener('error', () => reject(new ApiError(0, 'network', t('error.network'))));
    xhr.send(payload);
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
