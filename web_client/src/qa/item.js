// One question as a list item: who asked (or "anonymous"), the words, the votes,
// its state (waiting for approval, on the board, answered with the answer). All
// user text through textContent (h()). `tools` adds buttons (the vote toggle for a
// resident, the host's actions in the console).
import { h } from '../dom.js';
import { t } from '../i18n/i18n.js';

export function askerName(q) {
  if (q.name && q.anonymous) return t('qa.anonymous_to_hall', { name: q.name });
  return q.name || t('qa.anonymous_name');
}

function tag(kind, text) {
  return h(`span.qa-tag.qa-tag-${kind}`, {}, text);
}

/**
 * @param {object} q a Question (docs/PROTOCOL.md 4.10)
 * @param {{onStage?: boolean, tools?: Node|Node[]}} options
 */
export function questionItem(q, { onStage = false, tools = null } = {}) {
  const tags = [];
  if (q.status === 'pending') tags.push(tag('pending', t('qa.waiting')));
  if (onStage) tags.push(tag('board', t('qa.on_board')));
  if (q.status === 'answered') tags.push(tag('answered', t('qa.answered')));
  const answer = q.status === 'answered' && q.answer
    ? h('p.qa-answer', {}, h('span.qa-answer-label', {}, t('qa.answer_label')), ' ', h('bdi', {}, q.answer))
    : null;
  return h(`li.qa-item${onStage ? '.qa-on-stage' : ''}`, { dataset: { id: q.id, status: q.status } },
    h('div.qa-item-head', {},
      h('bdi.qa-name', {}, askerName(q)),
      h('span.qa-votes', {}, t('qa.votes', { count: q.votes })),
      tags),
    h('p.qa-text', {}, q.text),
    answer,
    tools ? h('div.qa-tools', {}, tools) : null);
}
