"""Serve: the long-lived build behind `site-builder serve`.

In: a site folder and an address. Out: the site on loopback HTTP, rebuilt when files change,
with live-reload events (and error events) to open pages. Modules: `watch` (file events,
classified, editor temp files ignored, bursts merged), `server` (HTTP, events, the rebuild
thread), `livereload.js` (the browser side).
"""
