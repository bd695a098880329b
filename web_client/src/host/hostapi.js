// The host's side of the HTTP API (docs/media.md, docs/hosts-live-stream.md): every
// call carries the event's host token as a bearer token. Errors become ApiError
// with the server's stable code, like the guest calls in ../api.js.
import { ApiError, withLang } from '../api.js';
import { t } from '../i18n/i18n.js';

export class HostApi {
  /** @param {string} eventId @param {string} token the host token from the link */
  constructor(eventId, token) {
    this.eventId = eventId;
    this.token = token;
  }

  get _base() {
    return '/api/events/' + encodeURIComponent(this.eventId);
  }

  async _json(method, path, body) {
    let response;
    try {
      response = await fetch(withLang(path), {
        method,
        headers: {
          Accept: 'application/json',
          Authorization: 'Bearer ' + this.token,
          ...(body ? { 'Content-Type': 'application/json' } : {}),
        },
        body: body ? JSON.stringify(body) : undefined,
      });
    } catch {
      throw new ApiError(0, 'network', t('error.network'));
    }
    return readAnswer(response.status, response.statusText, await response.text());
  }

  async listMedia() {
    return (await this._json('GET', this._base + '/media')).media;
  }

  /** The event's attendance so far (docs/api.md#attendance). */
  attendance() {
    return this._json('GET', this._base + '/attendance');
  }

  getMedia(mediaId) {
    return this._json('GET', '/api/media/' + encodeURIComponent(mediaId));
  }

  /** Register an HLS stream: {title, url} for an existing one, {title, ingest: true} for RTMP. */
  addStream(body) {
    return this._json('POST', this._base + '/streams', body);
  }

  /**
   * Upload a recording or slides. Resolves with the new media (still processing);
   * onProgress(fraction) follows the bytes sent.
   */
  upload(file, { kind, title, onProgress }) {
    const query = new URLSearchParams({ kind, title });
    const xhr = new XMLHttpRequest();
    return new Promise((resolve, reject) => {
      xhr.open('POST', withLang(`${this._base}/media?${query}`));
      xhr.setRequestHeader('Authorization', 'Bearer ' + this.token);
      xhr.setRequestHeader('Accept', 'application/json');
      xhr.setRequestHeader('Content-Type', file.type || 'application/octet-stream');
      xhr.upload.onprogress = (e) => { if (e.lengthComputable) onProgress?.(e.loaded / e.total); };
      xhr.onerror = () => reject(new ApiError(0, 'network', t('error.network')));
      xhr.onload = () => {
        try {
          resolve(readAnswer(xhr.status, xhr.statusText, xhr.responseText));
        } catch (err) {
          reject(err);
        }
      };
      xhr.send(file);
    });
  }
}

function readAnswer(status, statusText, text) {
  let body = null;
  try {
    body = text ? JSON.parse(text) : null;
  } catch {
    // not JSON: the status speaks
  }
  if (status >= 200 && status < 300) return body;
  const error = body?.error || {};
  throw new ApiError(status, error.code || 'http_' + status, error.message || statusText);
}
