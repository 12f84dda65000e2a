"""Serve: the long-lived build behind `site-builder serve`.

In: a site folder and an address. Out: the site on loopback HTTP, rebuilt when files change,
with live-reload events (and error events) to open pages. Modules: `watch` (file events,
classified, editor temp files ignored, bursts merged), `server` (the rebuild and finishing
threads), `handler` (HTTP: paths to files inside the output folder, the event stream),
`events` (what the terminal and the pages are told), `memory` (the live build's memory policy),
`livereload.js` (the browser side).
"""
