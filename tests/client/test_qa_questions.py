"""The questions a page keeps (web_client/src/qa/questions.js, QuestionList), run in
Node: ordered by votes then age, upserted by id, a merged or rejected one dropped,
and a host keeps who asked when the hall's copy (no member id) comes back."""

from __future__ import annotations

import pytest

SCRIPT = """
import { QuestionList } from './src/qa/questions.js';
const q = (id, votes, at, extra = {}) => ({ id, name: 'A', text: 't' + id, status: 'visible',
  votes, merged_into: null, answer: null, asked_at: at, ...extra });
const list = new QuestionList();
const at = (h) => `2026-12-02T0${h}:00:00Z`;
list.reset([q(1, 2, at(7)), q(2, 2, at(6)), q(3, 5, at(8)),
            q(4, 0, at(8), { status: 'pending', member_id: 'm_1', anonymous: true })], [3]);
const out = { first: list.list(['visible']).map((x) => x.id) };
list.upsert(q(1, 9, at(7)));
out.afterVote = list.list(['visible']).map((x) => x.id);
list.upsert(q(3, 5, at(8), { status: 'merged', merged_into: 1 }));
out.afterMerge = list.list(['visible']).map((x) => x.id);
out.votedAfterMerge = [...list.voted];
list.upsert(q(4, 0, at(8), { name: null }));  // approved: the hall's copy
out.approved = list.get(4);
list.upsert({ ...q(2, 2, ''), status: 'rejected' });
out.afterReject = list.list(['pending', 'visible']).map((x) => x.id);
out.ignored = list.upsert({ text: 'no id' });
console.log(JSON.stringify(out));
"""


@pytest.fixture(scope="module")
def result(node_json) -> dict:
    return node_json(SCRIPT)


def test_questions_are_ordered_by_votes_then_age(result):
    assert result["first"] == [3, 2, 1]  # 5 votes; then of the two with 2, the older
    assert result["afterVote"] == [1, 3, 2]


def test_merged_and_rejected_questions_leave_the_lists(result):
    assert result["afterMerge"] == [1, 2]
    assert result["votedAfterMerge"] == []
    assert result["afterReject"] == [1, 4]


def test_a_host_keeps_who_asked_when_the_halls_copy_comes_back(result):
    approved = result["approved"]
    assert approved["member_id"] == "m_1" and approved["name"] == "A" and approved["anonymous"]
    assert result["ignored"] is None
