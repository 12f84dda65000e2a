"""`site-builder serve`: the dev server, and one terminal line per rebuild.

In: the parsed arguments. Out: the exit code once the server stops (Ctrl-C or SIGTERM); the
server's events printed as they come.
"""

from __future__ import annotations

import argparse
import signal
import sys
import time
from pathlib import Path

from .report import EXIT_OK, EXIT_PROBLEMS, print_diagnostics, summary


def run_serve(args: argparse.Namespace) -> int:
    import webbrowser

    from ..build.builder import Builder
    from ..build.options import BuildOptions
    from ..serve.events import (
        FinishedLater,
        RebuildCrashed,
        RebuildFinished,
        ServeEvent,
        ServerProblem,
        Serving,
    )
    from ..serve.memory import LiveSite
    from ..serve.server import DevServer

    root: Path = args.root
    out = root / "output"
    site = LiveSite(Builder(BuildOptions(root=root, out=out), workers=1))

    def on_event(event: ServeEvent) -> None:
        # One line per rebuild; diagnostics of a failed one above it, as `build` prints them.
        stamp = time.strftime("%H:%M:%S")
        if isinstance(event, Serving):
            how = "polling for changes" if event.polling else "watching for changes"
            print(f"serving {out} at {event.url} ({how}; Ctrl-C to stop)", flush=True)
        elif isinstance(event, RebuildFinished):
            what, ms, items = (
                event.changes.describe(),
                event.seconds * 1000,
                event.result.diagnostics,
            )
            if event.result.failed:
                print_diagnostics(items, False, sys.stderr)
                print(
                    f"{stamp} {what}: build failed: {summary(items, False)}; "
                    f"still serving the last good site ({ms:.0f} ms)",
                    file=sys.stderr,
                    flush=True,
                )
                return
            if event.changes.initial:
                print_diagnostics(items, False, sys.stderr)
            warned = f", {len(items)} warning(s)" if items else ""
            result = event.result
            print(
                f"{stamp} {what}: {result.changed} of {result.pages} files changed in {ms:.0f} ms{warned}",
                flush=True,
            )
            if args.timings:
                print(f"  stages (ms): {stage_times(result.timings)}", flush=True)
        elif isinstance(event, RebuildCrashed):
            print(event.details, file=sys.stderr, end="")
            print(
                f"{stamp} {event.changes.describe()}: the build crashed ({event.error}); "
                "still serving the last good site. This is a bug in site-builder: "
                "please report it with the traceback above.",
                file=sys.stderr,
                flush=True,
            )
        elif isinstance(event, FinishedLater):
            later = event.result
            if later.diagnostics:
                print_diagnostics(later.diagnostics, False, sys.stderr)
            if later.done:
                print(
                    f"{stamp} search index, sitemap and open data brought up to date "
                    f"in {later.seconds:.1f} s",
                    flush=True,
                )
        elif isinstance(event, ServerProblem):
            print(f"site-builder: {event.message}", file=sys.stderr, flush=True)

    server = DevServer(
        root,
        out,
        host=args.host,
        port=args.port,
        poll=args.poll,
        # The watcher's view of what changed spares listing thousands of articles per edit.
        build=lambda changes: site.build(None if changes.initial else changes.paths),
        finish=site.finish,
        tidy=site.tidy,
        close=site.close,
        on_event=on_event,
    )
    # `kill`, a service manager or a container runtime stops the server with SIGTERM: end as
    # Ctrl-C does (stop the search indexer, close the port) rather than die mid-write.
    signal.signal(signal.SIGTERM, _stop_on_signal)
    try:
        try:
            server.start()
        except OSError as exc:  # the port is taken, or the host is not an address of this machine
            print(f"site-builder: cannot serve on {args.host}:{args.port}: {exc}", file=sys.stderr)
            return EXIT_PROBLEMS
        if args.open:
            webbrowser.open(server.url)
        server.wait()
    except KeyboardInterrupt:  # Ctrl-C is how `serve` ends: not an error
        print("stopped", flush=True)
    finally:
        server.stop()
    return EXIT_OK


def stage_times(timings: tuple[tuple[str, float], ...]) -> str:
    """ "load 3.1, render 50.2, ...": each stage's time in milliseconds, in build order."""
    return ", ".join(f"{stage} {seconds * 1000:.1f}" for stage, seconds in timings)


def _stop_on_signal(signum: int, frame: object) -> None:
    raise KeyboardInterrupt
