// One upload form: send with a progress bar, then follow the server's job.

import { apiErrorText } from '../api.js';
import { t } from '../i18n/i18n.js';
import { upload } from './portalapi.js';

/** What a job's status means to an editor; `reason` says why it failed. */
export function jobText(status, reason) {
  if (status === 'done') return t('portal.job_done');
  if (status === 'failed') return t('portal.job_failed', { reason });
  return t('portal.job_working');
}

export class UploadForm {
  /**
   * @param {string} prefix ids: <prefix>-form, -status, -progress, -progress-text
   * @param {{path: Function, data: Function, follow: Function, onDone?: Function}} how
   */
  constructor(prefix, how) {
    this.how = how;
    this.form = document.getElementById(prefix + '-form');
    this.status = document.getElementById(prefix + '-status');
    this.bar = document.getElementById(prefix + '-progress');
    this.text = document.getElementById(prefix + '-progress-text');
    this.form.addEventListener('submit', (e) => { e.preventDefault(); this.send(); });
  }

  show(fraction, message) {
    this.status.hidden = false;
    this.bar.value = Math.max(0, Math.min(1, fraction));
    this.text.textContent = message;
  }

  async send() {
    if (!this.form.reportValidity()) return;
    const button = this.form.querySelector('button[type=submit]');
    button.disabled = true;
    try {
      this.show(0, t('portal.uploading', { percent: 0 }));
      const answer = await upload(this.how.path(this.form), this.how.data(this.form),
        (f) => this.show(f, t('portal.uploading', { percent: Math.round(f * 100) })));
      this.show(0, t('portal.job_working'));
      const job = await this.how.follow(answer, (f, message) => this.show(f, message));
      if (job && job.status === 'done' && this.how.onDone) await this.how.onDone(job);
    } catch (err) {
      this.show(0, apiErrorText(err));
    } finally {
      button.disabled = false;
    }
  }
}
