"""Settings for every test process.

The demo's stage media (server/demo_media.py) renders a concert and a lecture in the
background of a demo server: minutes of CPU that only the tests about it need. They
turn it on themselves (tests/browser: an excerpt); every other demo server here runs
without it. Servers started as subprocesses inherit the environment.
"""

import os

os.environ.setdefault("ZAL_DEMO_MEDIA", "off")
