"""Uploaded scenes: checked before any loader runs, loaded in a limited worker
process, normalised, held to budgets and re-exported as one self-contained GLB.

Pure parts (preflight, loading, normalising, export) need no server and run in
the worker (:mod:`.worker`); the rest (jobs, routes) runs in the web process and
never imports trimesh. docs/uploads.md tells institutions the formats and budgets.
"""
