"""The English names of months and weekdays, as articles write them and pages show them.

Spelled out here rather than taken from the `calendar` module, whose names follow the
machine's locale: a page must read the same wherever it is built.
"""

from __future__ import annotations

MONTHS = (
    "January", "February", "March", "April", "May", "June", "July", "August", "September",
    "October", "November", "December",
)  # fmt: skip
WEEKDAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")
