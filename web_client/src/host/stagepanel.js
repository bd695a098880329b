// The stage controls of the host console: what plays, play / pause / seek, slides,
// the pinned message and the end of the show. Every button sends one acked
// `stage_*` event (docs/PROTOCOL.md); the panel shows only what the server
// broadcast back as `stage`, so two hosts' consoles never disagree.
import { h, fill } from '../dom.js';
import { t } from '../i18n/i18n.js';
import { errorText } from '../live/chat.js';

function clock(seconds) {
  if (!Number.isFinite(seconds)) return '–:––';
  const s = Math.max(0, Math.floor(seconds));
  const mm = String(Math.floor((s % 3600) / 60)).padStart(2, '0');
  const ss = String(s % 60).padStart(2, '0');
  return s >= 3600 ? `${Math.floor(s / 3600)}:${mm}:${ss}` : `${Math.floor(s / 60)}:${ss}`;
}

export class StagePanel {
  /** @param {HTMLElement} root @param {(name: string, payload: object) => Promise<object>} request */
  constructor(root, request) {
    this.request = request;
    this.stage = null;
    this.offset = 0; // server clock minus ours, seconds
    this.title = h('p.stage-now');
    this.state = h('p.stage-state', { role: 'status' });
    this.time = h('span.stage-time', {}, '0:00');
    this.seek = h('input.stage-seek', {
      type: 'range', min: '0', max: '1', step: '0.1', value: '0', 'aria-label': t('host.seek'),
    });
    this.playButton = this._button('host.play', () => this._send('stage_play', {}));
    this.pauseButton = this._button('host.pause', () => this._send('stage_pause', {}));
    this.endButton = this._button('host.end', () => this._confirmEnd());
    this.prevButton = this._button('host.slide_prev', () => this._send('stage_slide', { step: -1 }));
    this.nextButton = this._button('host.slide_next', () => this._send('stage_slide', { step: 1 }));
    this.slideLabel = h('span.stage-slide-label');
    this.slidePreview = h('img.stage-slide-preview', { alt: '' });
    this.pinned = h('div.stage-pinned');
    this.error = h('p.host-error', { role: 'alert', hidden: true });
    this.seek.addEventListener('change', () => this._send('stage_seek', { position: Number(this.seek.value) }));
    this.timed = h('div.stage-timed', {},
      h('div.stage-buttons', {}, this.playButton, this.pauseButton),
      h('div.stage-seekbar', {}, this.seek, this.time));
    this.slides = h('div.stage-slides', {},
      h('div.stage-buttons', {}, this.prevButton, this.slideLabel, this.nextButton), this.slidePreview);
    fill(root, this.title, this.state, this.timed, this.slides, this.pinned,
      h('div.stage-buttons.stage-end', {}, this.endButton), this.error);
    this.render();
    setInterval(() => this._tickClock(), 250);
  }

  _button(key, onClick) {
    return h('button.host-button', { type: 'button', on: { click: onClick } }, t(key));
  }

  async _send(name, payload) {
    this.error.hidden = true;
    const ack = await this.request(name, payload);
    if (!ack?.ok) {
      this.error.textContent = errorText(ack?.error);
      this.error.hidden = false;
    } else if (ack.stage) {
      this.update(ack.stage);
    }
    return ack;
  }

  _confirmEnd() {
    if (window.confirm(t('host.end_confirm'))) this._send('stage_end', {});
  }

  /** Show the media in the list as chosen; null clears the stage. */
  choose(mediaId) {
    return this._send('stage_media', { media_id: mediaId });
  }

  pin(messageId) {
    return this._send('stage_pin', { message_id: messageId });
  }

  /** A `stage` state from the server (broadcast or ack); older versions are ignored. */
  update(stage) {
    if (!stage || (this.stage && stage.version < this.stage.version)) return;
    this.stage = stage;
    if (Number.isFinite(stage.now)) this.offset = stage.now - Date.now() / 1000;
    this.render();
  }

  position() {
    const s = this.stage;
    if (!s) return 0;
    const now = Date.now() / 1000 + this.offset;
    const p = s.position + (s.playing ? now - s.at : 0);
    const d = s.media?.duration_s;
    return Number.isFinite(d) ? Math.min(Math.max(p, 0), d) : Math.max(p, 0);
  }

  _tickClock() {
    const s = this.stage;
    if (!s?.media || s.media.kind === 'slides') return;
    const p = this.position();
    const d = s.media.duration_s;
    this.time.textContent = s.media.kind === 'stream' ? t('host.live_time') : `${clock(p)} / ${clock(d)}`;
    if (document.activeElement !== this.seek) this.seek.value = String(p);
  }

  render() {
    const s = this.stage;
    const media = s?.media;
    this.title.textContent = media
      ? t('host.now_showing', { title: media.title })
      : t('host.nothing_on_stage');
    let state = t('host.state_idle');
    if (s?.ended) state = t('host.state_ended');
    else if (media?.kind === 'slides') state = t('host.state_slides');
    else if (s?.live) state = t('host.state_live');
    else if (media && s.playing) state = t('host.state_playing');
    else if (media) state = t('host.state_paused');
    this.state.textContent = state;

    const timed = media && media.kind !== 'slides';
    this.timed.hidden = !timed;
    this.seek.disabled = !timed || media.kind === 'stream' || !Number.isFinite(media.duration_s);
    if (timed && Number.isFinite(media.duration_s)) this.seek.max = String(media.duration_s);
    this.playButton.textContent = t(media?.kind === 'stream' ? 'host.go_live' : 'host.play');
    this.playButton.disabled = Boolean(s?.playing);
    this.pauseButton.disabled = !s?.playing;

    const slides = media?.kind === 'slides' ? media.slides || [] : [];
    this.slides.hidden = !slides.length;
    if (slides.length) {
      this.slideLabel.textContent = t('host.slide_of', { n: s.slide + 1, count: slides.length });
      this.slidePreview.src = slides[s.slide] || '';
      this.slidePreview.alt = t('host.slide_preview', { n: s.slide + 1 });
      this.prevButton.disabled = s.slide <= 0;
      this.nextButton.disabled = s.slide >= slides.length - 1;
    }
    this.endButton.disabled = !media || Boolean(s?.ended);

    if (s?.pinned) {
      fill(this.pinned,
        h('span.stage-pinned-label', {}, t('host.pinned')),
        h('bdi.stage-pinned-name', {}, s.pinned.name), ': ',
        h('span.stage-pinned-text', { dir: 'auto' }, s.pinned.text),
        h('button.host-link-button', { type: 'button', on: { click: () => this.pin(null) } }, t('host.unpin')));
    } else {
      fill(this.pinned);
    }
    this._tickClock();
  }
}
