// The course API (docs/courses.md): read-only for visitors, in the page's language.

import { ApiError, withLang } from '../api.js';
import { t } from '../i18n/i18n.js';

async function getJson(path) {
  let response;
  try {
    response = await fetch(withLang(path), { headers: { Accept: 'application/json' } });
  } catch {
    throw new ApiError(0, 'network', t('error.network'));
  }
  if (!response.ok) {
    let code = 'http_' + response.status;
    let message = response.statusText || '';
    try {
      const body = await response.json();
      code = (body.error && body.error.code) || code;
      message = (body.error && body.error.message) || message;
    } catch {
      // not JSON: the HTTP status is the code
    }
    throw new ApiError(response.status, code, message);
  }
  return response.json();
}

export async function listCourses() {
  return (await getJson('/api/courses')).courses;
}

export function getCourse(courseId) {
  return getJson('/api/courses/' + encodeURIComponent(courseId));
}
