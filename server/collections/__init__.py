"""Collections: images and a manifest become a gallery venue.

``manifest`` reads the CSV or JSON list of works, ``images`` checks and resizes
each picture (header first, then Pillow with only the three allowed decoders),
``layout`` turns works into a gallery spec (real sizes, rooms that fit), and
``build`` runs all of it in a build-pool worker under a memory limit. ``jobs``
is the server side: a job per upload, answered at once, built in the pool.
"""
