"""A cheap simulated audience for `zal loadtest` and `benchmarks/realtime.py`.

Each simulated member is one raw websocket (aiohttp's ``ws_connect``) speaking
Engine.IO v4 / Socket.IO v5 framing directly, so one load process can drive
thousands of members: no per-member Socket.IO client object, no per-message task.
Only a sample of members ("observers") decode what they receive, enough to match
(sender, seq) pairs for end-to-end pose latency; the others only count messages
and bytes.

Modules: :mod:`.frames` (wire framing), :mod:`.protocols` (what a member sends and
how an observer reads poses, for the Zal server and the benchmark's naive relay),
:mod:`.client` (one member), :mod:`.runner` (a shard of members in one process),
:mod:`.report` (merging shards into the figures).
"""
