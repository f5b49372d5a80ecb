"""What an exception says, in one line: the words both processes use to report something raised (the judge's
graders/support/errors.py adds where in the student's file; an observation uses it as it is)."""
from __future__ import annotations

import re

CAP = 400  # characters of the explaining line
_ANSI = re.compile(r"\x1b\[[0-9;]*m")


def explaining_line(error: BaseException, name: str | None = None, cap: int = CAP) -> str:
    """`Type: the line that explains it`, capped. The first non-empty line explains it (with the next one when it
    ends in a colon, as load_state_dict's "Error(s) in loading state_dict for Net:" does), except for torch.export's
    errors, whose cause is the line under '## Exception summary'. `name` is the class as the student's process
    named it (by default the exception's own)."""
    name = name or type(error).__name__
    lines = [line.strip() for line in _ANSI.sub("", str(error)).splitlines() if line.strip()]
    if "## Exception summary" in lines and lines.index("## Exception summary") + 1 < len(lines):
        return lines[lines.index("## Exception summary") + 1][:cap]
    if lines:
        first = f"{lines[0]} {lines[1]}" if lines[0].endswith(":") and len(lines) > 1 else lines[0]
        return f"{name}: {first[:cap]}"
    return name
