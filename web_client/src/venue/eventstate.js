// What a resident must be told about the event itself, under its title: that it
// has ended (and when), and that a host link did not make them the host (a wrong
// or old token), instead of silently opening the guest view.
import { h } from '../dom.js';
import { formatDateTime, t } from '../i18n/i18n.js';

function notice(kind, text) {
  const node = h(`p.event-notice.event-notice-${kind}`, { role: 'status' }, text);
  document.getElementById('hud-title')?.appendChild(node);
  return node;
}

/** The event's own state, from the API (`status`, `ends_at`). */
export function showEventState(event) {
  if (!event || event.status !== 'past') return null;
  const ended = formatDateTime(new Date(event.ends_at), {
    day: 'numeric', month: 'long', hour: '2-digit', minute: '2-digit',
  });
  return notice('ended', t('event.ended', { when: ended }));
}

/** After the first join: a host token that the server did not accept. */
export function watchHostLink(live) {
  if (!live?.token || !live.conn) return;
  const check = (state) => {
    live.conn.off?.('joined', check);
    if (!state?.member?.host) notice('bad-host', t('event.host_link_invalid'));
  };
  live.conn.on('joined', check);
}
