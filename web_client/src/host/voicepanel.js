// Voice in the host console (docs/voice.md, PROTOCOL.md 4.13): who is speaking now,
// each with "End turn", and invite(member) for the Q&A and hand-raising panels'
// "Invite to speak" buttons, and "Speak": the host at the desk speaks to the hall
// from the stage (the microphone opens on that click). Shown only when the server
// has voice (the join ack's `voice`).
import { announce } from '../a11y/announce.js';
import { h, fill } from '../dom.js';
import { t } from '../i18n/i18n.js';
import { JanusSession } from '../voice/janus.js';
import { VoicePublisher } from '../voice/speak.js';

const WHERE = { stage: 'voice.where_stage', guide: 'voice.where_guide', seat: 'voice.where_seat' };

export class VoicePanel {
  /** @param {HTMLElement} section @param {HTMLElement} root @param {(name: string, payload: object) => Promise<object>} request */
  constructor(section, root, request) {
    this.section = section;
    this.root = root;
    this.request = request;
    this.on = false;
    this.speakers = [];
    this.list = h('ul.voice-speakers');
    this.empty = h('p.voice-empty', {}, t('voice.host_none'));
    this.error = h('p.host-error', { role: 'alert', hidden: true });
    this.speakButton = h('button.host-button.voice-speak', {
      type: 'button', 'aria-pressed': 'false', dataset: { act: 'voice_speak' },
      on: { click: () => this.toggleSpeaking() },
    }, t('voice.speak'));
    this.session = null;
    this.publisher = null;
    fill(root, h('div.voice-tools', {}, this.speakButton), this.error, this.empty, this.list);
  }

  get speaking() {
    return !!this.publisher;
  }

  async toggleSpeaking() {
    this.speakButton.disabled = true;
    try {
      if (this.speaking) await this._stop(true);
      else await this._speak();
    } finally {
      this.speakButton.disabled = false;
      this.speakButton.setAttribute('aria-pressed', String(this.speaking));
      this.speakButton.textContent = t(this.speaking ? 'voice.stop' : 'voice.speak');
    }
  }

  async _speak() {
    try {
      const joined = await this._send('voice_join', {});
      if (!joined?.ok) return;
      // the room token first (voice_speak), then the microphone and the publishing
      const ack = await this._send('voice_speak', {});
      if (!ack?.ok) return;
      this.session = await new JanusSession(joined.voice.url).open();
      this.publisher = await new VoicePublisher(this.session, joined.voice.room, joined.voice.ice_servers).start();
      announce(t('voice.speaking_now'));
    } catch (err) {
      console.warn('voice: could not speak', err);
      await this._stop(true);
      this.error.hidden = false;
      this.error.textContent = t('voice.no_microphone');
    }
  }

  async _stop(say) {
    this.publisher?.stop();
    this.publisher = null;
    this.session?.close();
    this.session = null;
    if (say) await this.request('voice_end', {});
  }

  setOn(on) {
    this.on = !!on;
    this.section.hidden = !this.on;
  }

  setSpeakers(speakers) {
    this.speakers = speakers || [];
    this.empty.hidden = this.speakers.length > 0;
    fill(this.list, ...this.speakers.map((s) => h('li.voice-speaker', { dataset: { memberId: s.member_id } },
      h('bdi', {}, s.name), ' · ', t(WHERE[s.where] || 'voice.where_seat'),
      s.where === 'seat' ? h('button.host-button', {
        type: 'button', dataset: { act: 'voice_end' },
        'aria-label': t('voice.host_end_named', { name: s.name }),
        on: { click: () => this._send('voice_end', { member_id: s.member_id }) },
      }, t('voice.host_end')) : null)));
  }

  /** "Invite to speak" for a member (a question's asker, a raised hand). */
  async invite(memberId, name) {
    const ack = await this._send('voice_invite', { member_id: memberId });
    if (ack?.ok) announce(t('voice.host_invited', { name: name || '' }));
    return ack;
  }

  /** A button that invites `who` ({member_id, name}), or null when voice is off. */
  inviteButton(who, focusKey) {
    if (!this.on || !who?.member_id) return null;
    return h('button.host-button', {
      type: 'button', dataset: { act: 'voice_invite', focusKey },
      'aria-label': t('voice.invite_named', { name: who.name || t('voice.someone') }),
      on: { click: () => this.invite(who.member_id, who.name) },
    }, t('voice.invite'));
  }

  async _send(name, payload) {
    const ack = await this.request(name, payload);
    this.error.hidden = !!ack?.ok;
    if (!ack?.ok) this.error.textContent = ack?.error?.message || t('voice.host_failed');
    return ack;
  }
}
