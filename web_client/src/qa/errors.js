// The visitor's words for a refused Q&A request: our own for the codes only Q&A
// sends, the chat's for the shared ones (rate limits, muted, disconnected…).
import { t } from '../i18n/i18n.js';
import { errorText } from '../live/chat.js';

const OWN = {
  qa_closed: 'qa.error_closed',
  not_found: 'qa.error_not_found',
  invalid_payload: 'qa.error_invalid',
};

export function qaErrorText(error) {
  const key = OWN[error?.code];
  return key ? t(key) : errorText(error);
}
