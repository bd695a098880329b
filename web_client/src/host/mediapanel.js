// The media of an event in the host console: what can go on the stage (recordings,
// slides, streams), their processing progress, uploads and stream registration.
import { apiErrorText } from '../api.js';
import { h, fill } from '../dom.js';
import { formatNumber, t } from '../i18n/i18n.js';

const POLL_MS = 1500;
const KINDS = ['recording', 'slides'];

export class MediaPanel {
  /**
   * @param {HTMLElement} root
   * @param {import('./hostapi.js').HostApi} api
   * @param {{choose: (id: string|null) => Promise<object>}} stage
   */
  constructor(root, api, stage) {
    this.api = api;
    this.stage = stage;
    this.media = [];
    this.current = null; // id of the media on the stage
    this.list = h('ul.media-list', { 'aria-live': 'polite' });
    this.error = h('p.host-error', { role: 'alert', hidden: true });
    fill(root, this.list,
      h('button.host-link-button', { type: 'button', on: { click: () => this.stage.choose(null) } },
        t('host.clear_stage')),
      this._uploadForm(), this._streamForm(), this.error);
    this._timer = null;
  }

  async load() {
    try {
      this.media = await this.api.listMedia();
      this.render();
    } catch (err) {
      this._fail(err);
    }
    this._schedulePoll();
  }

  setCurrent(mediaId) {
    this.current = mediaId || null;
    this.render();
  }

  _schedulePoll() {
    clearTimeout(this._timer);
    if (this.media.some((m) => m.status === 'processing')) {
      this._timer = setTimeout(() => this.load(), POLL_MS);
    }
  }

  _fail(err) {
    this.error.textContent = apiErrorText(err);
    this.error.hidden = false;
  }

  render() {
    fill(this.list, this.media.length ? this.media.map((m) => this._item(m))
      : h('li.media-empty', {}, t('host.no_media')));
  }

  _item(m) {
    let status = t('host.media_ready');
    if (m.status === 'processing') {
      status = t('host.media_processing', { percent: formatNumber(Math.round((m.progress || 0) * 100)) });
    } else if (m.status === 'failed') {
      status = t('host.media_failed', { reason: m.error || '?' });
    }
    const onStage = m.id === this.current;
    const show = h('button.host-button', {
      type: 'button',
      disabled: m.status !== 'ready' || onStage,
      on: { click: () => this.stage.choose(m.id) },
    }, onStage ? t('host.on_stage') : t('host.show_on_stage'));
    return h('li.media-item', { dataset: { media: m.id, status: m.status } },
      h('span.media-kind', {}, t('host.kind_' + m.kind)),
      h('span.media-title', { dir: 'auto' }, m.title),
      h('span.media-status', {}, status),
      m.status === 'processing'
        ? h('progress.media-progress', { max: '1', value: String(m.progress || 0) }) : null,
      show);
  }

  _uploadForm() {
    const file = h('input.media-file', { type: 'file', required: true, 'aria-label': t('host.file') });
    const kind = h('select.media-kind-select', { 'aria-label': t('host.kind') },
      KINDS.map((k) => h('option', { value: k }, t('host.kind_' + k))));
    const title = h('input.media-title-input', {
      type: 'text', required: true, maxlength: '200', 'aria-label': t('host.media_title'),
      placeholder: t('host.media_title'),
    });
    const bar = h('progress.upload-progress', { max: '1', value: '0', hidden: true });
    const submit = h('button.host-button', { type: 'submit' }, t('host.upload'));
    const form = h('form.media-upload', {
      on: {
        submit: async (ev) => {
          ev.preventDefault();
          const chosen = file.files?.[0];
          if (!chosen) return;
          this.error.hidden = true;
          submit.disabled = true;
          bar.hidden = false;
          try {
            await this.api.upload(chosen, {
              kind: kind.value,
              title: title.value.trim() || chosen.name,
              onProgress: (f) => { bar.value = f; },
            });
            form.reset();
            await this.load();
          } catch (err) {
            this._fail(err);
          } finally {
            submit.disabled = false;
            bar.hidden = true;
          }
        },
      },
    }, h('h3', {}, t('host.upload_title')), h('p.host-help', {}, t('host.upload_help')),
    file, kind, title, submit, bar);
    return form;
  }

  _streamForm() {
    const title = h('input.stream-title', { type: 'text', required: true, maxlength: '200',
      'aria-label': t('host.media_title'), placeholder: t('host.media_title') });
    const url = h('input.stream-url', { type: 'url', 'aria-label': t('host.stream_url'),
      placeholder: 'https://…/index.m3u8' });
    const answer = h('div.stream-answer', { role: 'status' });
    const send = async (body) => {
      this.error.hidden = true;
      try {
        const made = await this.api.addStream(body);
        fill(answer, ...ingestLines(made));
        await this.load();
      } catch (err) {
        this._fail(err);
      }
    };
    return h('form.media-stream', {
      on: {
        submit: (ev) => {
          ev.preventDefault();
          send({ title: title.value.trim(), url: url.value.trim() });
        },
      },
    }, h('h3', {}, t('host.stream_title')), h('p.host-help', {}, t('host.stream_help')),
    title, url,
    h('button.host-button', { type: 'submit' }, t('host.add_stream')),
    h('button.host-link-button', {
      type: 'button',
      on: { click: () => send({ title: title.value.trim() || t('host.live_stream'), ingest: true }) },
    }, t('host.make_ingest')),
    answer);
  }
}

/** What a host needs to point an encoder at (the answer of a new ingest stream). */
function ingestLines(made) {
  const ingest = made?.ingest;
  if (!ingest) return [];
  return Object.entries(ingest).map(([k, v]) => h('p.stream-ingest', {},
    h('span.stream-ingest-key', {}, k + ': '), h('code', {}, String(v))));
}
