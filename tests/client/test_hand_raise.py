"""A member's own hand (web_client/src/hands/handraise.js, HandRaise), run in Node
against a fake connection: offered only in an event that takes hands, raised with
its place from the ack, moved up by ``hand_position``, out of the line and "called"
when the host gives it the floor, down when the host lowers it."""

from __future__ import annotations

import pytest

SCRIPT = """
import { HandRaise, HAND_KINDS } from './src/hands/handraise.js';
const handlers = {};
const sent = [];
const conn = {
  on: (name, fn) => { handlers[name] = fn; },
  request: async (name, payload) => { sent.push(name); return name === 'raise_hand'
    ? { ok: true, position: 2 } : { ok: true }; },
};
const live = { conn, self: { id: 'm_me' } };
const hand = new HandRaise(live, { enabled: HAND_KINDS.has('lecture') });
const reasons = [];
hand.addEventListener('change', (e) => reasons.push(e.detail.reason));
hand.listen(conn);
const out = { kinds: [...HAND_KINDS].sort(), before: hand.available };
handlers.joined({ hands: { called: null, position: null } });
out.joined = hand.debug();
await hand.raise();
out.raised = hand.debug();
handlers.hand_position({ position: 1 });
out.moved = hand.position;
handlers.hand_position({ position: 'x' });  // not a place: ignored
out.stillOne = hand.position;
handlers.hand_called({ called: { member_id: 'm_other', name: 'B', seat: 'stalls/A/1' } });
out.otherCalled = hand.debug();
handlers.hand_called({ called: { member_id: 'm_me', name: 'Me', seat: 'stalls/B/2' } });
out.meCalled = hand.debug();
await hand.raise();
handlers.hand_lowered({});
out.loweredByHost = hand.debug();
handlers.joined({ hands: null });  // a venue audience: no hands
out.venue = hand.available;
const concert = new HandRaise(live, { enabled: HAND_KINDS.has('concert') });
concert.listen(conn);
handlers.joined({ hands: { called: null, position: null } });
out.concert = concert.available;
out.sent = sent;
out.reasons = reasons;
console.log(JSON.stringify(out));
"""


@pytest.fixture(scope="module")
def result(node_json) -> dict:
    return node_json(SCRIPT)


def test_hands_are_offered_in_lectures_and_master_classes_only(result):
    assert result["kinds"] == ["lecture", "masterclass"]
    assert result["before"] is False  # not joined yet
    assert result["joined"]["available"] is True and result["joined"]["raised"] is False
    assert result["venue"] is False and result["concert"] is False


def test_the_place_comes_from_the_ack_then_from_hand_position(result):
    assert result["raised"]["raised"] is True and result["raised"]["position"] == 2
    assert result["moved"] == 1 and result["stillOne"] == 1


def test_a_call_takes_the_member_out_of_the_line(result):
    other = result["otherCalled"]
    assert other["raised"] is True and other["calledMe"] is False
    assert other["called"]["member_id"] == "m_other"
    me = result["meCalled"]
    assert me["raised"] is False and me["position"] is None and me["calledMe"] is True


def test_the_host_lowering_the_hand_puts_it_down(result):
    assert result["loweredByHost"]["raised"] is False
    assert result["sent"] == ["raise_hand", "raise_hand"]
    assert "called" in result["reasons"] and "lowered_by_host" in result["reasons"]
