// One stop's audio guide in one language, in the tour editor: what the visitor
// will hear (espeak-ng's reading, or the institution's recording), a button to
// hear it, and the recording's upload (PUT, with its progress) and removal
// (DELETE: the reading comes back). docs/tours.md "Audio guides".

import { h } from '../../dom.js';
import { t } from '../../i18n/i18n.js';
import { NATIVE_NAMES } from '../../i18n/switch.js';
import { call, refusalText, upload } from '../portalapi.js';

export const MAX_RECORDING_BYTES = 20 * 1024 * 1024; // as the server takes
const ACCEPT = '.mp3,.ogg,.oga,.opus,.m4a,audio/mpeg,audio/ogg,audio/mp4';
const STATE_KEYS = {
  recording: 'touredit.audio_recording',
  speech: 'touredit.audio_speech',
  pending: 'touredit.audio_pending',
  none: 'touredit.audio_none',
  unsaved: 'touredit.audio_unsaved',
};

function duration(seconds) {
  const s = Math.round(seconds);
  return Math.floor(s / 60) + ':' + String(s % 60).padStart(2, '0');
}

/** What a stop's audio in a language is: 'recording', 'speech', 'pending', 'none' or 'unsaved'. */
export function audioState(audios, lang) {
  if (!audios) return 'unsaved';
  if (!Object.hasOwn(audios, lang)) return 'none';
  const audio = audios[lang];
  return audio ? audio.source : 'pending';
}

export class StopAudio {
  /**
   * @param {string} lang
   * @param {{player: import('./audioplayer.js').AudioPlayer, path: () => string|null,
   *   label: () => string, onSaved: (tour: object) => void, onRemoved: () => void}} how
   *   path() is this stop's audio path in the API (null while the stop is not saved);
   *   label() names the stop for screen readers ("stop 3")
   */
  constructor(lang, how) {
    this.lang = lang;
    this.how = how;
    this.audio = null;
    this.state = 'unsaved';
    this.status = h('span.tour-audio-status');
    this.playButton = h('button.button.button-quiet', { type: 'button', on: { click: () => this.play() } }, t('touredit.play'));
    this.file = h('input.visually-hidden', { type: 'file', accept: ACCEPT, name: 'recording_' + lang });
    this.file.addEventListener('change', () => this.send());
    this.uploadLabel = h('label.button.button-quiet.tour-audio-upload', {}, h('span', {}, t('touredit.upload')), this.file);
    this.removeButton = h('button.button.button-quiet', { type: 'button', on: { click: () => this.remove() } }, t('touredit.remove_recording'));
    this.progress = h('progress', { max: 1, value: 0, hidden: true, 'aria-label': t('touredit.uploading') });
    this.message = h('span.tour-audio-message', { role: 'status' });
    this.root = h('div.tour-audio', { dataset: { lang, audio: 'unsaved' } },
      this.status, this.playButton, this.uploadLabel, this.removeButton, this.progress, this.message);
  }

  /** Show `audios` (the stop's saved audio by language, or null for a stop not saved). */
  show(audios) {
    this.state = audioState(audios, this.lang);
    this.audio = audios && audios[this.lang] ? audios[this.lang] : null;
    this.root.dataset.audio = this.state;
    const length = this.audio ? duration(this.audio.duration_s) : '';
    this.status.textContent = t(STATE_KEYS[this.state], { duration: length });
    this.playButton.hidden = !this.audio;
    this.removeButton.hidden = this.state !== 'recording';
    this.uploadLabel.hidden = this.state === 'unsaved';
    this.uploadLabel.querySelector('span').textContent = t(this.state === 'recording' ? 'touredit.replace' : 'touredit.upload');
    // the controls' names say which stop and language they are for
    const where = { stop: this.how.label(), lang: NATIVE_NAMES[this.lang] };
    this.file.setAttribute('aria-label', t('touredit.upload_n', where));
    this.removeButton.setAttribute('aria-label', t('touredit.remove_recording_n', where));
    this.playing(this.how.player.isPlaying(this));
  }

  play() {
    if (this.how.player.isPlaying(this)) this.how.player.stop();
    else if (this.audio) this.how.player.play(this, this.audio.url);
  }

  /** The player started or stopped this one. */
  playing(on) {
    const where = { stop: this.how.label(), lang: NATIVE_NAMES[this.lang] };
    this.playButton.textContent = on ? t('touredit.stop_playing') : t('touredit.play');
    this.playButton.setAttribute('aria-label', on ? t('touredit.stop_playing_n', where) : t('touredit.play_n', where));
    this.root.dataset.playing = on ? 'true' : 'false';
  }

  busy(on) {
    this.root.dataset.busy = on ? 'true' : 'false';
    this.file.disabled = on;
    this.removeButton.disabled = on;
    this.progress.hidden = !on;
  }

  async send() {
    const file = this.file.files[0];
    const path = this.how.path();
    this.file.value = ''; // the same file may be chosen again after a refusal
    if (!file || !path) return;
    if (file.size > MAX_RECORDING_BYTES) {
      this.message.textContent = t('touredit.too_large', { limit: MAX_RECORDING_BYTES / 2 ** 20 });
      this.root.dataset.outcome = 'refused';
      return;
    }
    this.busy(true);
    this.progress.removeAttribute('value'); // indeterminate until the first progress event
    this.message.textContent = t('touredit.uploading');
    this.root.dataset.outcome = 'sending';
    try {
      const answer = await upload(path, file, (fraction) => { this.progress.value = fraction; }, 'PUT');
      this.message.textContent = t('touredit.uploaded');
      this.root.dataset.outcome = 'done';
      this.how.onSaved(answer.tour);
    } catch (err) {
      this.message.textContent = t('touredit.upload_refused', { reason: refusalText(err) });
      this.root.dataset.outcome = 'refused';
    } finally {
      this.busy(false);
    }
  }

  async remove() {
    const path = this.how.path();
    if (!path) return;
    this.busy(true);
    try {
      await call('DELETE', path);
      if (this.how.player.isPlaying(this)) this.how.player.stop();
      this.message.textContent = t('touredit.recording_removed');
      this.root.dataset.outcome = 'removed';
      await this.how.onRemoved();
    } catch (err) {
      this.message.textContent = refusalText(err);
      this.root.dataset.outcome = 'refused';
    } finally {
      this.busy(false);
    }
  }
}
