// "From earlier showings": while the stage plays a recording, the chat that earlier
// audiences wrote during it appears under the live chat as the playback reaches the
// moment each message was written (server: chat stamped with media_time; read back
// with GET /api/media/{id}/comments). Seeking re-positions the list. Messages of the
// showing on now stay in the live chat only (see comments.js isCurrentShowing).
//
//   attachTimeline(live, show)   live: live/live.js Live; show: stage/show.js StageShow
//   window.__zalTimeline.debug() plain data for tests
import { h } from '../dom.js';
import { t } from '../i18n/i18n.js';
import { formatMediaTime, isCurrentShowing, reachedCount, sortComments } from './comments.js';

const POLL_MS = 250; // 4 looks a second: a comment shows within a quarter second of its moment
const MAX_SHOWN = 50; // the latest reached comments; older ones leave the list
const STEP_APPEND = 10; // up to this many newly reached: appended; more (a seek): redrawn
const VIDEO_TRUST_S = 2; // the <video> is the viewer's moment unless it is this far off the show

export class TimelineView {
  /**
   * @param {HTMLElement} container where the section goes (after the live chat)
   * @param {{state: object|null, target: () => number|null, clock: {now: () => number},
   *          player?: {video: HTMLVideoElement}|null}} show the stage show
   */
  constructor(container, show) {
    this.show = show;
    this.liveIds = new Set(); // chat ids seen live on this page (own messages included)
    this.mediaId = null;
    this.comments = []; // sorted by media_time
    this.reached = -1;
    this.shownCount = 0;
    this._generation = 0;
    ensureStylesheet();
    this.title = h('h2.timeline-title', {}, t('timeline.title'));
    this.hint = h('p.timeline-hint', { hidden: true });
    this.log = h('div.timeline-log', { role: 'log', 'aria-label': t('timeline.title') });
    this.root = h('section.timeline', { hidden: true, 'aria-label': t('timeline.title') },
      this.title, this.hint, this.log);
    container.appendChild(this.root);
    this._timer = setInterval(() => this.update(), POLL_MS);
  }

  seenLive(message) {
    if (message && Number.isFinite(Number(message.id))) this.liveIds.add(Number(message.id));
  }

  /** The recording on the stage now, or null. */
  _recording() {
    const s = this.show.state;
    return s && !s.ended && s.media?.kind === 'recording' && s.media.id ? s.media : null;
  }

  /** Media seconds the viewer sees: the <video> when it follows the show, else the show's target. */
  mediaTime() {
    const target = this.show.target();
    const video = this.show.player?.video;
    if (target === null || target === undefined) return null;
    if (video && video.readyState >= 1 && Math.abs(video.currentTime - target) < VIDEO_TRUST_S) {
      return video.currentTime;
    }
    return target;
  }

  update() {
    const media = this._recording();
    if ((media?.id ?? null) !== this.mediaId) this._load(media);
    if (!media || !this.comments.length) return;
    const time = this.mediaTime();
    if (time === null) return;
    const showStartMs = (this.show.clock.now() - time) * 1000;
    const shown = this.comments.filter((c) => !isCurrentShowing(c, this.liveIds, showStartMs));
    const reached = reachedCount(shown, time);
    if (reached === this.reached && shown.length === this.shownCount) return;
    // played on into a few more: append them; a seek or a changed list: redraw
    const step = reached - this.reached;
    const onward = shown.length === this.shownCount && step > 0 && step <= STEP_APPEND;
    this._render(shown, reached, onward ? this.reached : null);
    this.reached = reached;
    this.shownCount = shown.length;
  }

  async _load(media) {
    const generation = ++this._generation;
    this.mediaId = media?.id ?? null;
    this.comments = [];
    this.reached = -1;
    this.shownCount = 0;
    this.log.replaceChildren();
    this.root.hidden = true;
    if (!media) return;
    try {
      const response = await fetch('/api/media/' + encodeURIComponent(media.id) + '/comments', {
        headers: { Accept: 'application/json' },
      });
      if (!response.ok) throw new Error('HTTP ' + response.status);
      const body = await response.json();
      if (generation !== this._generation) return; // the stage moved on meanwhile
      this.comments = sortComments(body.comments);
      this.update();
    } catch (err) {
      console.warn('timeline: comments not loaded:', err.message);
    }
  }

  /** Show the last MAX_SHOWN of shown[0..reached); `from` set: append shown[from..reached) only. */
  _render(shown, reached, from) {
    this.root.hidden = shown.length === 0;
    const waiting = shown.length - reached;
    this.hint.hidden = reached > 0 || waiting === 0;
    this.hint.textContent = this.hint.hidden ? '' : t('timeline.waiting', { count: waiting });
    const start = from === null ? Math.max(0, reached - MAX_SHOWN) : from;
    const items = shown.slice(start, reached).map((c) => this._item(c));
    if (from === null) this.log.replaceChildren(...items);
    else this.log.append(...items);
    while (this.log.children.length > MAX_SHOWN) this.log.firstElementChild.remove();
    this.log.scrollTop = this.log.scrollHeight;
  }

  _item(c) {
    const at = formatMediaTime(c.media_time);
    return h('div.timeline-msg', { dataset: { id: String(Number(c.id)), time: String(c.media_time) } },
      h('span.timeline-at', { title: t('timeline.at', { time: at }) }, at),
      h('span.timeline-name', { dir: 'auto' }, String(c.name ?? '')),
      h('span.timeline-text', { dir: 'auto' }, String(c.text ?? '')));
  }

  debug() {
    return {
      mediaId: this.mediaId,
      comments: this.comments.length,
      time: this.mediaTime(),
      shown: [...this.log.children].map((el) => Number(el.dataset.id)),
      hidden: this.root.hidden,
      hint: this.hint.hidden ? null : this.hint.textContent,
    };
  }

  stop() {
    clearInterval(this._timer);
  }
}

function ensureStylesheet() {
  const href = new URL('../../css/timeline.css', import.meta.url).href;
  if (document.querySelector(`link[href="${href}"]`)) return;
  document.head.appendChild(h('link', { rel: 'stylesheet', href }));
}

/**
 * Wire the view under the live chat of a venue page. Returns the TimelineView (also
 * at window.__zalTimeline for tests and the console).
 */
export function attachTimeline(live, show) {
  const chatRoot = live.chat.root;
  const view = new TimelineView(chatRoot.parentElement || document.body, show);
  chatRoot.after(view.root); // right under the chat, in the same side panel
  live.conn.on('chat_message', (m) => view.seenLive(m));
  window.__zalTimeline = view;
  return view;
}
