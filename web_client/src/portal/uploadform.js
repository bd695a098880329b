// One upload form: send with a progress bar, then follow the server's job until
// it ends, and at the end the way into the new venue.

import { h } from '../dom.js';
import { t } from '../i18n/i18n.js';
import { refusalText, upload } from './portalapi.js';

// the steps of a scene job (server/scene_uploads/service.py), each with its own words
const STAGE_KEYS = {
  converting: 'portal.stage_converting',
  compressing: 'portal.stage_compressing',
  validating: 'portal.stage_validating',
  storing: 'portal.stage_storing',
};

/**
 * What a job's state means to an editor: `stage` names a scene job's step,
 * `reason` says why it failed, `done` is the line for a finished job.
 */
export function jobText(status, { reason = '', stage = '', done = '' } = {}) {
  if (status === 'done') return done || t('portal.job_done');
  if (status === 'failed') return t('portal.job_failed', { reason });
  if (status === 'queued') return t('portal.job_queued');
  if (Object.hasOwn(STAGE_KEYS, stage)) return t(STAGE_KEYS[stage]);
  return t('portal.job_working');
}

export class UploadForm {
  /**
   * @param {string} prefix ids: <prefix>-form, -status, -progress, -progress-text; the
   *   link into a finished job's venue gets the id <prefix>-open
   * @param {{path: Function, data: Function, follow: Function, venueOf: Function, onDone?: Function}} how
   *   follow(answer, show) follows the job, calling show(job, fraction, text); venueOf(job) is the new venue's id
   */
  constructor(prefix, how) {
    this.prefix = prefix;
    this.how = how;
    this.form = document.getElementById(prefix + '-form');
    this.status = document.getElementById(prefix + '-status');
    this.bar = document.getElementById(prefix + '-progress');
    this.text = document.getElementById(prefix + '-progress-text');
    this.form.addEventListener('submit', (e) => { e.preventDefault(); this.send(); });
  }

  /** `fraction` null: a step of unknown length (the bar moves on its own). */
  show(state, fraction, message) {
    this.status.hidden = false;
    this.status.dataset.status = state;
    if (fraction === null) this.bar.removeAttribute('value');
    else this.bar.value = Math.max(0, Math.min(1, fraction));
    // the same words again are not set again: a screen reader reads each change once
    if (this.text.textContent !== message) this.text.textContent = message;
  }

  openLink(venueId) {
    return h('a.button.button-primary.upload-open', {
      id: this.prefix + '-open',
      href: '/venue/' + encodeURIComponent(venueId),
    }, t('portal.open_venue'));
  }

  async send() {
    if (!this.form.reportValidity()) return;
    const button = this.form.querySelector('button[type=submit]');
    button.disabled = true;
    document.getElementById(this.prefix + '-open')?.remove();
    try {
      this.show('uploading', 0, t('portal.uploading', { percent: 0 }));
      const answer = await upload(this.how.path(this.form), this.how.data(this.form),
        (f) => this.show('uploading', f, t('portal.uploading', { percent: Math.round(f * 100) })));
      const job = await this.how.follow(answer, (j, fraction, message) => this.show(j.status, fraction, message));
      if (job && job.status === 'done') {
        this.status.appendChild(this.openLink(this.how.venueOf(job)));
        if (this.how.onDone) await this.how.onDone(job);
      }
    } catch (err) {
      this.show('error', 0, refusalText(err));
    } finally {
      button.disabled = false;
    }
  }
}
