"""Imported by the build pool's fork server only (it is in ``workers.PRELOAD``).

Importing it arms the fork server's lifeline (:mod:`server.worker_lifeline`): the
fork server dies with the server. Imported anywhere else it would tie that
process's life to its parent, so nothing else imports it.
"""

from .worker_lifeline import arm_in_fork_server

arm_in_fork_server()
