"""Command line: arguments in, exit code out; the only package that prints.

Module: `main` (parsing, the commands, diagnostics as text, JSON or GitHub annotations).
"""

from .main import main, main_entry

__all__ = ["main", "main_entry"]
