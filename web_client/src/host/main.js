// The host console: one page (opened with the host link) to run a show — what is on
// the stage, the media, the audience per instance, the chat with its moderation.
// It joins the event's live audience as a host, like the venue page does.
import { apiErrorText, getEvent } from '../api.js';
import { t } from '../i18n/i18n.js';
import { languageSwitch } from '../i18n/switch.js';
import { ChatPanel } from '../live/chat.js';
import { hostTokenFromHash, storedName } from '../live/identity.js';
import { LiveConnection } from '../live/net.js';
import { HAND_KINDS } from '../hands/handraise.js';
import { AttendancePanel } from './attendancepanel.js';
import {
  AssistantLinkPanel, assistantTokenFromHash, nameConsole, showAssistantConsole,
} from './assistantpanel.js';
import { AudiencePanel } from './audiencepanel.js';
import { HandQueuePanel } from './handpanel.js';
import { HostApi } from './hostapi.js';
import { MediaPanel } from './mediapanel.js';
import { QaHostPanel } from './qapanel.js';
import { StagePanel } from './stagepanel.js';
import { VoicePanel } from './voicepanel.js';

const $ = (id) => document.getElementById(id);

function problem(text, state = 'error') {
  $('host-problem').textContent = text;
  $('host-problem').hidden = false;
  $('host-main').hidden = true;
  document.body.dataset.state = state;
}

function eventIdFromPath() {
  const m = /^\/host\/([^/]+)$/.exec(location.pathname);
  return m ? decodeURIComponent(m[1]) : null;
}

async function boot() {
  $('lang-switch').appendChild(languageSwitch());
  const eventId = eventIdFromPath();
  const token = hostTokenFromHash() || assistantTokenFromHash(); // the server says which
  if (!eventId) return problem(t('host.no_event'));
  if (!token) return problem(t('host.no_token'), 'no-token');
  let event;
  try {
    event = await getEvent(eventId);
  } catch (err) {
    return problem(apiErrorText(err));
  }
  $('host-event').textContent = event.title;
  $('host-venue').textContent = `${event.venue_name} · ${event.institution?.name ?? ''}`;
  $('host-open-hall').href = `/venue/${encodeURIComponent(event.venue_id)}?event=${encodeURIComponent(eventId)}`;
  nameConsole(hostTokenFromHash() ? 'host' : 'assistant', event.title); // until the server says

  const conn = new LiveConnection({
    name: storedName() || t('host.default_name'),
    token,
    target: { event_id: eventId },
  });
  const request = (name, payload) => conn.request(name, payload);
  const stage = new StagePanel($('stage-panel'), request);
  const api = new HostApi(eventId, token);
  const media = new MediaPanel($('media-panel'), api, stage);
  const audience = new AudiencePanel($('audience-panel'), request);
  const attendance = new AttendancePanel($('attendance-panel'), api, event);
  const voice = new VoicePanel($('voice-section'), $('voice-panel'), request); // server/voice
  const qa = new QaHostPanel($('qa-panel'), request, voice);
  const assistantLink = new AssistantLinkPanel($('assistant-panel'), api);
  const hands = new HandQueuePanel($('hands-panel'), request, voice); // lectures, master classes
  $('hands-section').hidden = !HAND_KINDS.has(event.kind);
  const chat = new ChatPanel($('chat-panel'), {
    send: (text) => conn.request('chat', { text }),
    hostAction: (name, payload) => conn.request(name, payload),
  });

  conn.on('stage', (s) => {
    stage.update(s);
    media.setCurrent(s?.media?.id);
  });
  conn.on('question', (q) => qa.upsert(q));
  conn.on('qa_state', (s) => qa.setState(s));
  conn.on('hand_queue', (q) => hands.setQueue(q));
  conn.on('hand_called', (c) => hands.setCalled(c?.called));
  conn.on('voice_speakers', (v) => voice.setSpeakers(v.speakers));
  conn.on('chat_message', (m) => chat.add(m));
  conn.on('chat_deleted', (d) => chat.remove(d.id));
  conn.on('chat_state', (s) => chat.setState(s));
  conn.on('connected', () => chat.setConnected(true));
  conn.on('disconnected', () => chat.setConnected(false));
  conn.on('join_failed', (error) => problem(apiErrorText(error)));
  conn.on('joined', (state) => {
    if (state.member?.assistant) { // questions only: the server refuses the rest
      showAssistantConsole(event.title);
      qa.setAssistant(true);
      qa.reset(state.qa);
      $('host-main').hidden = false;
      document.body.dataset.state = 'ready';
      return;
    }
    if (!state.member?.host) {
      problem(t(hostTokenFromHash() ? 'host.token_rejected' : 'assistant.token_rejected'), 'not-host');
      conn.close();
      return;
    }
    nameConsole('host', event.title);
    chat.setSelf(state.member.id, true);
    chat.setHistory(state.chat?.history);
    chat.setState(state.chat);
    chat.setConnected(true);
    stage.update(state.stage);
    voice.setOn(state.voice); // before the panels that offer "Invite to speak"
    qa.reset(state.qa);
    hands.reset(state.hands);
    media.setCurrent(state.stage?.media?.id);
    $('host-main').hidden = false;
    document.body.dataset.state = 'ready';
    audience.start();
    assistantLink.load();
    attendance.start(conn); // once: a reconnect joins again and changes nothing
    media.load();
  });
  conn.connect();
  window.__zalHost = { conn, stage, media, audience, attendance, chat, qa, hands, assistantLink, voice };
}

boot();
