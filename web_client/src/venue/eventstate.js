// What a resident must be told about the event itself, under its title: that it
// has ended (and when), and that a host link did not make them the host (a wrong
// or old token), instead of silently opening the guest view.
import { listEventMedia } from '../api.js';
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

/**
 * A past event with a ready recording: a button under the notice that plays it on
 * the stage screen for this visitor alone (the hall's shared clock is for the live
 * show; an archive is watched at one's own time).
 */
export async function offerRecording(event, show, notice) {
  if (!event || event.status !== 'past' || !show || !notice) return null;
  let media;
  try {
    media = await listEventMedia(event.id);
  } catch {
    return null; // no offer is better than an error for an optional extra
  }
  const recording = media.find((m) => m.kind === 'recording' && m.status === 'ready' && m.url);
  if (!recording) return null;
  const button = h('button.event-watch', { type: 'button' }, t('event.watch_recording', { title: recording.title }));
  button.addEventListener('click', () => {
    const now = show.clock.now();
    show.apply({
      media: recording, playing: true, position: 0, at: now, now, slide: 0, live: false,
      pinned: null, ended: false,
      version: Number.MAX_SAFE_INTEGER, // the server's (idle) stage of a past event stays behind
    }, { reset: true });
    show.joinWithSound(); // this click is the gesture the autoplay rule asks for
    button.disabled = true;
  });
  notice.appendChild(button);
  return button;
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
