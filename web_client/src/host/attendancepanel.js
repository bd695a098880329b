// Attendance for the host (issue 8, docs/hosts.md#attendance): peak audience,
// unique visitors, chat messages and questions, read from GET
// /api/events/{id}/attendance with the host token. While the event runs the
// figures are "so far": refreshed every minute while the console is visible, and
// a few seconds after the hall is busy (a join, a chat message, a question: at
// most one request per MIN_GAP_MS however busy); once it has ended, one last read
// gives the final figures and the panel stops asking.
import { apiErrorText } from '../api.js';
import { h, fill } from '../dom.js';
import { formatDateTime, formatNumber, t } from '../i18n/i18n.js';

const REFRESH_MS = 60000;
const MIN_GAP_MS = 10000;
const NUDGES = ['member_joined', 'chat_message', 'question'];
const TIME = { hour: '2-digit', minute: '2-digit' };

export class AttendancePanel {
  /**
   * @param {HTMLElement} root
   * @param {{attendance: () => Promise<object>}} api the host's API (hostapi.js)
   * @param {{starts_at: string, ends_at: string}} event
   */
  constructor(root, api, event, now = () => Date.now()) {
    this.root = root;
    this.api = api;
    this.startsAt = Date.parse(event.starts_at);
    this.endsAt = Date.parse(event.ends_at);
    this.now = now;
    this.figures = null;
    this._finalRead = false;
    this._timer = null;
    this._nudge = null;
    this._lastAsked = 0;
    this._busy = null;
    this._started = false;

    this.when = h('p.attendance-when', { role: 'status' });
    this.values = {};
    const figure = (key) => (this.values[key] = h('span.attendance-value', { dataset: { figure: key } }, '–'));
    this.peakAt = h('span.attendance-at');
    this.list = h('dl.attendance-figures', {},
      h('div.attendance-figure', {}, h('dt', {}, t('attendance.peak')),
        h('dd', {}, figure('peak_concurrent'), this.peakAt)),
      h('div.attendance-figure', {}, h('dt', {}, t('attendance.visitors')),
        h('dd', {}, figure('unique_visitors'))),
      h('div.attendance-figure', {}, h('dt', {}, t('attendance.chat')),
        h('dd', {}, figure('chat_messages'))),
      h('div.attendance-figure', {}, h('dt', {}, t('attendance.questions')),
        h('dd', {}, figure('questions'), h('span.attendance-sub', {}, ' · '),
          figure('questions_answered'), h('span.attendance-sub', {}, ' ', t('attendance.answered')))));
    this.error = h('p.host-error', { role: 'alert', hidden: true });
    this.refreshButton = h('button.host-button.attendance-refresh', {
      type: 'button', on: { click: () => this.refresh() },
    }, t('attendance.refresh'));
    fill(root, this.when, this.list,
      h('p.host-help', {}, t('attendance.privacy')), this.refreshButton, this.error);
  }

  /** 'before' | 'during' | 'after' the event, by the clock. */
  phase() {
    const now = this.now();
    if (now < this.startsAt) return 'before';
    return now < this.endsAt ? 'during' : 'after';
  }

  /** Read once now, then follow the live connection's activity and the clock (once). */
  start(conn) {
    if (this._started) return this._busy;
    this._started = true;
    for (const name of NUDGES) conn?.on(name, () => this.nudge());
    document.addEventListener('visibilitychange', () => {
      if (!document.hidden && this.phase() === 'during') this.nudge();
    });
    clearInterval(this._timer);
    this._timer = setInterval(() => this._tick(), REFRESH_MS);
    return this.refresh();
  }

  stop() {
    clearInterval(this._timer);
    clearTimeout(this._nudge);
    this._timer = this._nudge = null;
  }

  _tick() {
    if (this._finalRead) return this.stop();
    if (this.now() - this._lastAsked < MIN_GAP_MS) return; // a nudge has just read
    const phase = this.phase();
    // the moment the event ends, the next tick reads the final figures once
    if (phase === 'after' || (phase === 'during' && !document.hidden)) this.refresh();
  }

  /** Something happened in the hall: read again soon, not more often than MIN_GAP_MS. */
  nudge() {
    if (this._nudge || this._finalRead || this.phase() !== 'during') return;
    const wait = Math.max(0, this._lastAsked + MIN_GAP_MS - this.now());
    this._nudge = setTimeout(() => {
      this._nudge = null;
      this.refresh();
    }, wait);
  }

  async refresh() {
    if (this._busy) return this._busy;
    this._busy = this._read().finally(() => { this._busy = null; });
    return this._busy;
  }

  async _read() {
    const phase = this.phase();
    this._lastAsked = this.now();
    this.refreshButton.setAttribute('aria-busy', 'true');
    try {
      this.show(await this.api.attendance(), phase);
      this.error.hidden = true;
      if (phase === 'after') this._finalRead = true;
    } catch (err) {
      this.error.textContent = t('attendance.failed', { reason: apiErrorText(err) });
      this.error.hidden = false;
    } finally {
      this.refreshButton.removeAttribute('aria-busy');
    }
  }

  /** Put `figures` (the API's answer) on the panel, read in `phase`. */
  show(figures, phase = this.phase()) {
    this.figures = figures;
    for (const [key, node] of Object.entries(this.values)) {
      node.textContent = formatNumber(figures[key] ?? 0);
    }
    this.peakAt.textContent = figures.peak_at
      ? ' ' + t('attendance.peak_at', { time: formatDateTime(figures.peak_at, TIME) })
      : '';
    this.root.dataset.phase = phase;
    const updated = formatDateTime(new Date(this.now()), TIME);
    if (phase === 'after') {
      this.when.textContent = t('attendance.final', {
        date: formatDateTime(new Date(this.endsAt), { day: 'numeric', month: 'short', ...TIME }),
      });
    } else if (phase === 'during') {
      this.when.textContent = t('attendance.so_far', { time: updated });
    } else {
      this.when.textContent = t('attendance.before');
    }
    this.refreshButton.hidden = phase === 'after';
  }
}
