"""What crosses a process boundary: the judge's command line and events, the wire format, the results.

Imported by every process; imports nothing else of ptgrade but i18n, and no torch (but wire.py)."""
