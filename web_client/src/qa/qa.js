// attachQa(live): questions for the stage on the venue page — the resident's panel
// in the side panel and the board over the hall, fed by the live connection
// (docs/PROTOCOL.md 4.10, 5.14-5.15). Exposed at window.__zalQa for tests.
import { QaBoard } from './board.js';
import { QaPanel } from './panel.js';
import { QuestionList } from './questions.js';

export function attachQa(live, {
  panel = document.getElementById('side-panel'),
  hud = document.getElementById('hud'),
} = {}) {
  const questions = new QuestionList();
  const board = new QaBoard(hud);
  const request = (name, payload) => live.conn.request(name, payload);
  const view = new QaPanel(panel, questions, {
    ask: async (text, anonymous) => {
      const ack = await request('qa_ask', { text, anonymous });
      if (ack.ok) {
        questions.upsert(ack.question);
        view.render();
      }
      return ack;
    },
    vote: (id, up) => request('qa_vote', { question_id: id, up }),
  });
  const setState = (state) => {
    board.show(state?.enabled ? state.on_stage : null);
    view.setState(state);
  };
  live.conn.on('joined', (state) => {
    if (!state.qa) return; // a venue audience: no Q&A
    questions.reset(state.qa.questions, state.qa.voted);
    setState(state.qa);
  });
  live.conn.on('question', (q) => {
    questions.upsert(q);
    board.update(q);
    view.render();
  });
  live.conn.on('qa_state', setState);
  const qa = { questions, board, view };
  window.__zalQa = qa;
  return qa;
}
