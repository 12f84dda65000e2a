"""Command line: arguments in, exit code out; the only package that prints.

Modules: `main` (parsing and the commands), `serve` (the dev server's command), `report`
(diagnostics as text, JSON or GitHub annotations; exit codes; the progress bar).
"""

from .main import main, main_entry

__all__ = ["main", "main_entry"]
