"""``quyche serve``: a local web editor over a workspace folder (docs/architecture.md, "The editor").

Modules, one job each: ``workspace`` (paths confined to the folder, atomic saves), ``accounts`` (users and
password hashes), ``sessions`` (cookies, CSRF, roles), ``renders`` (checks, previews and exports in a process
pool under a time and memory budget), ``roundtrip`` (the form's data merged into the YAML text, comments kept),
``jobs`` (batch runs and the register), ``app`` (the Starlette routes and pages).
"""
