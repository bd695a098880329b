// attachVoice(view, live): voice at an event (issue 12, docs/voice.md). The page
// asks for a pass (voice_join); a server without voice answers voice_off and
// nothing shows. Everyone hears the speakers (VoiceFeed) from where they speak
// (VoicePlaces); a host or a guide has a "Speak" toggle, a member the host calls
// up is asked first (the microphone opens only on their click). Exposed at
// window.__zalVoice for tests.
import { AudioListener } from 'three';

import { announce } from '../a11y/announce.js';
import { Dialog } from '../a11y/dialog.js';
import { h } from '../dom.js';
import { t } from '../i18n/i18n.js';
import { JanusSession } from './janus.js';
import { VoiceFeed } from './listen.js';
import { VoicePlaces } from './places.js';
import { VoicePublisher } from './speak.js';

const FEED_RETRY_MS = 1000; // a speaker's feed appears once its browser has published

class Voice {
  constructor(view, live, bar, show) {
    this.view = view;
    this.live = live;
    this.show = show; // the stage's sound ducks while someone speaks
    this.pass = null;
    this.session = null;
    this.role = 'listener';
    this.speakers = [];
    this.feeds = new Map(); // member id -> VoiceFeed
    this.publisher = null;
    this.places = new VoicePlaces(view, live);
    this.listener = new AudioListener();
    view.camera.add(this.listener);
    this.analyser = this.listener.context.createAnalyser();
    this.analyser.fftSize = 2048;
    this._samples = new Float32Array(this.analyser.fftSize);
    view.onFrame(() => this.places.follow());

    this.speakButton = h('button.voice-speak', { type: 'button', 'aria-pressed': 'false', hidden: true },
      t('voice.speak'));
    this.speakButton.addEventListener('click', () => this.toggleSpeaking());
    this.hearButton = h('button.voice-hear', { type: 'button', hidden: true }, t('voice.hear'));
    this.hearButton.addEventListener('click', () => this.unlock());
    this.status = h('span.voice-status', { role: 'status', hidden: true });
    this.root = h('div.voice', { hidden: true }, this.hearButton, this.speakButton, this.status);
    bar.prepend(this.root);

    const conn = live.conn;
    conn.on('joined', () => this.join());
    conn.on('voice_speakers', (e) => this.setSpeakers(e.speakers));
    conn.on('voice_invited', (e) => this.invited(e.by));
    conn.on('voice_ended', () => this.ended());
    // a host who starts guiding a group after joining the voice may now speak
    conn.on('group_update', (e) => {
      const me = this.live.self?.id;
      const guiding = (e.groups || []).some((g) => g.guide?.member_id === me);
      if (this.pass && guiding && this.role !== 'speaker') this.join();
    });
    if (conn.joined) this.join();
  }

  async join() {
    const ack = await this.live.conn.request('voice_join');
    if (!ack.ok) {
      if (ack.error?.code !== 'voice_off') console.warn('voice: not joined', ack.error?.code);
      return;
    }
    this.role = ack.voice.role;
    this.byRight = ack.voice.role === 'speaker'; // a host or a guide
    // joined again (a new name, a reconnect): the same pass, the same session
    if (!this.session || this.session.closed || this.pass?.url !== ack.voice.url) {
      this.stopSpeaking(false);
      this._dropFeeds(true);
      this.session?.close();
      this.pass = ack.voice;
      this.session = await new JanusSession(ack.voice.url).open();
      this.session.onclose = () => this._dropFeeds(true);
    }
    this.root.hidden = false;
    this.setSpeakers(ack.voice.speakers);
  }

  get speaking() {
    return !!this.publisher;
  }

  setSpeakers(speakers) {
    this.speakers = speakers || [];
    const me = this.live.self?.id;
    const mine = this.speakers.find((s) => s.member_id === me);
    if (mine) this.role = 'speaker';
    else if (this.role === 'speaker' && !this.byRight) this.role = 'listener';
    const wanted = new Set(this.speakers.filter((s) => s.member_id !== me).map((s) => s.member_id));
    for (const [id, feed] of this.feeds) {
      if (!wanted.has(id)) {
        feed.stop();
        this.places.release(feed.anchor);
        this.feeds.delete(id);
      }
    }
    this._findFeeds();
    this.show?.audio?.duck(wanted.size > 0);
    this._render();
  }

  /** Subscribe to each speaker whose feed is in the room (retrying until it is). */
  async _findFeeds() {
    if (!this.session || this._finding) return;
    this._finding = true;
    try {
      const missing = () => this.speakers.filter((s) => s.member_id !== this.live.self?.id && !this.feeds.has(s.member_id));
      if (!missing().length) return;
      const handle = this._lister || (this._lister = await this.session.attach());
      const { data } = await handle.ask({ request: 'listparticipants', room: this.pass.room });
      const byMember = new Map((data.participants || []).filter((p) => p.publisher).map((p) => [p.display, p.id]));
      for (const speaker of missing()) {
        const feedId = byMember.get(speaker.member_id);
        if (!feedId) continue;
        const feed = new VoiceFeed(this.session, {
          room: this.pass.room, feed: feedId, anchor: this.places.of(speaker),
          listener: this.listener, analyser: this.analyser, iceServers: this.pass.ice_servers,
        });
        this.feeds.set(speaker.member_id, feed);
        feed.start().catch((err) => {
          console.warn('voice: could not hear', speaker.name, err);
          this.feeds.delete(speaker.member_id);
        });
      }
      if (missing().length) setTimeout(() => this._findFeeds(), FEED_RETRY_MS);
    } catch (err) {
      console.warn('voice: listing speakers failed', err);
    } finally {
      this._finding = false;
    }
  }

  /** `sessionGone`: the handles went with the Janus session, nothing to tell it. */
  _dropFeeds(sessionGone = false) {
    for (const feed of this.feeds.values()) {
      feed.stop(sessionGone);
      this.places.release(feed.anchor);
    }
    this.feeds.clear();
    this._lister = null;
  }

  get locked() {
    return this.listener.context.state !== 'running';
  }

  async unlock() {
    await this.listener.context.resume();
    this._render();
  }

  async toggleSpeaking() {
    if (this.speaking) {
      this.stopSpeaking(true);
      return;
    }
    this.speakButton.disabled = true;
    try {
      const listed = this.speakers.some((s) => s.member_id === this.live.self?.id);
      if (!listed) { // a host or a guide: the room token, and from now on the event hears it
        const ack = await this.live.conn.request('voice_speak');
        if (!ack.ok) throw new Error(ack.error?.code);
      }
      this.publisher = await new VoicePublisher(this.session, this.pass.room, this.pass.ice_servers).start();
      await this.unlock(); // the click that opens the microphone also lets us hear
      announce(t('voice.speaking_now'));
    } catch (err) {
      console.warn('voice: could not speak', err);
      this.publisher?.stop();
      this.publisher = null;
      this.live.conn.request('voice_end').catch(() => {}); // nobody waits for a silent speaker
      announce(t('voice.no_microphone'), { assertive: true });
    } finally {
      this.speakButton.disabled = false;
      this._render();
    }
  }

  /** Stop sending; `giveBack`: say so to the event (voice_end), unless the host ended it. */
  stopSpeaking(giveBack) {
    if (!this.publisher) return;
    this.publisher.stop();
    this.publisher = null;
    if (giveBack) this.live.conn.request('voice_end').catch(() => {});
    this._render();
  }

  invited(by) {
    const dialog = new Dialog({ title: t('voice.invited_title'), className: 'voice-invite' });
    const accept = h('button.voice-accept', { type: 'button' }, t('voice.accept'));
    const decline = h('button.voice-decline', { type: 'button' }, t('voice.decline'));
    dialog.body.append(h('p', {}, t('voice.invited', { host: by })), h('div.dialog-actions', {}, accept, decline));
    accept.addEventListener('click', async () => {
      dialog.close();
      const ack = await this.live.conn.request('voice_accept');
      if (!ack.ok) {
        announce(t('voice.accept_failed'), { assertive: true });
        return;
      }
      this.role = 'speaker';
      await this.toggleSpeaking(); // the click above is the gesture getUserMedia needs
    });
    decline.addEventListener('click', () => {
      dialog.close();
      this.live.conn.request('voice_decline').catch(() => {});
    });
    dialog.open(accept);
  }

  ended() {
    this.stopSpeaking(false);
    this.role = 'listener';
    announce(t('voice.ended'));
    this._render();
  }

  _render() {
    const canSpeak = this.role === 'speaker';
    this.speakButton.hidden = !canSpeak;
    this.speakButton.setAttribute('aria-pressed', String(this.speaking));
    this.speakButton.textContent = this.speaking ? t('voice.stop') : t('voice.speak');
    const others = this.speakers.filter((s) => s.member_id !== this.live.self?.id);
    this.hearButton.hidden = !(others.length && this.locked);
    this.status.hidden = !others.length;
    this.status.textContent = others.length ? t('voice.speakers', { names: others.map((s) => s.name).join(', ') }) : '';
  }

  /** RMS of every voice we hear right now (0 = silence). */
  level() {
    this.analyser.getFloatTimeDomainData(this._samples);
    let sum = 0;
    for (const s of this._samples) sum += s * s;
    return Math.sqrt(sum / this._samples.length);
  }
}

export function attachVoice(view, live, { show = null, bar = live.reactionBar?.root ?? document.getElementById('hud') } = {}) {
  const voice = new Voice(view, live, bar, show);
  window.__zalVoice = voice;
  return voice;
}
