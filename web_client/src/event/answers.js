// The questions a host marked answered in the event's Q&A, with the written
// answers (GET /api/events/{id}/questions): who asked is shown only when they did
// not ask anonymously (the API leaves the name out then).

import { fill, h } from '../dom.js';
import { t } from '../i18n/i18n.js';

function answerItem(question) {
  const asker = question.name ? t('eventpage.asked_by', { name: question.name }) : t('eventpage.asked_anonymously');
  return h('li.answer-item', { dataset: { questionId: question.id } },
    h('p.answer-question', {}, question.text),
    h('p.answer-meta', {},
      h('span.answer-asker', {}, asker),
      h('span.sep', { 'aria-hidden': 'true' }, ' · '),
      h('span.answer-votes', {}, t('qa.votes', { count: question.votes }))),
    question.answer
      ? h('div.answer-text', {}, h('p.answer-label', {}, t('eventpage.answer')), h('p.answer-body', {}, question.answer))
      : h('p.answer-text.answer-spoken', {}, t('eventpage.answered_aloud')));
}

export function renderAnswers(questions) {
  const section = document.getElementById('event-answers');
  section.hidden = !questions.length;
  fill(document.getElementById('answer-list'), questions.map(answerItem));
}
