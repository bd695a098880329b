// The end of a member the server sent away (docs/PROTOCOL.md, `removed`): a host
// removed them, or the server closed the connection after too many errors. The
// connection (net.js) has stopped reconnecting; here the page says why, where the
// connection state is shown ("Reconnecting…" would be a lie), and empties the hall.
import { t } from '../i18n/i18n.js';

const TEXT_KEYS = {
  removed_by_host: 'live.notice_removed',
  too_many_errors: 'live.removed_errors',
};

export function removedText(reason) {
  return t(TEXT_KEYS[reason] || TEXT_KEYS.too_many_errors);
}

/** `live`: the page's Live; `notice`: the `removed` payload {reason, message}. */
export function showRemoved(live, notice) {
  const reason = notice?.reason;
  const text = removedText(reason);
  live.pose.enabled = false;
  live.hands.dropAll();
  live.avatars.clear();
  live.interp.clear();
  live.members.clear();
  live.presence.setConnected(false);
  live.presence.summaryText.textContent = text; // text, never HTML
  live.presence.root.classList.add('removed');
  live.presence.root.dataset.removed = String(reason || 'unknown');
  // a host's removal was announced in the chat already (`moderated`)
  if (reason !== 'removed_by_host') live.chat.showNotice(text);
}
