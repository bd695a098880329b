// Event page (/event/{id}): boots, fetches the event and its answered questions,
// renders them. The server answered 404 already for an unknown event.

import { apiErrorText, getEventWithTranslations, listAnsweredQuestions } from '../api.js';
import { t, timeZone } from '../i18n/i18n.js';
import { languageSwitch } from '../i18n/switch.js';
import { renderAnswers } from './answers.js';
import { renderEvent } from './details.js';

const eventId = decodeURIComponent(location.pathname.split('/').filter(Boolean)[1] || '');

async function load() {
  const error = document.getElementById('event-error');
  try {
    const [event, questions] = await Promise.all([
      getEventWithTranslations(eventId), listAnsweredQuestions(eventId),
    ]);
    renderEvent(event);
    renderAnswers(questions);
    error.hidden = true;
    document.getElementById('event').hidden = false;
    document.body.dataset.state = 'ready';
  } catch (err) {
    console.warn('event: could not load the event', err);
    document.getElementById('event-error-text').textContent =
      t('eventpage.load_failed', { reason: apiErrorText(err) });
    error.hidden = false;
    document.getElementById('event').hidden = true;
    document.body.dataset.state = 'error';
  }
}

const zone = timeZone();
if (zone) document.getElementById('tz-name').textContent = t('lobby.time_zone', { zone: zone.replace(/_/g, ' ') });
document.getElementById('lang-switch').appendChild(languageSwitch());
document.getElementById('event-retry').addEventListener('click', load);
load();
