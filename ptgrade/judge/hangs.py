"""What of a student's file timed out in an earlier check, so that later checks do not wait the whole limit again.

A hang is remembered by what the judge asked for by name: a module function (`impl.f`, then calling it), an
@observation, or the import of the module. A later request for the same subject is refused at once, before a
worker is started again for it, with a message that says which earlier timeout it was. Pure bookkeeping: the
connection (connection.py) asks and tells."""
from __future__ import annotations

from ptgrade.i18n import _
from ptgrade.protocol.contract import CheckTimeout
from ptgrade.protocol.requests import Op

IMPORTING = "(import)"  # the subject of a timeout while the student's module was being imported


class Hangs:
    def __init__(self):
        self.timed_out: dict[str, float] = {}  # subject -> the limit it ran past, seconds
        self.names: dict[tuple[int, int], str] = {}  # (worker generation, handle id) -> the module attribute

    def subject(self, op: str, fields: dict, generation: int) -> str | None:
        """What a request runs of the student's, by name, or None when it names nothing we remember."""
        target = fields.get("target")
        if op == Op.GETATTR and target is None:  # `impl.f`
            return fields.get("name")
        if op == Op.CALL and target is not None:
            return self.names.get((generation, getattr(target, "id", None)))
        if op == Op.OBSERVE:
            return fields.get("name")
        return None

    def named(self, generation: int, handle_id: int, name: str) -> None:
        """`impl.<name>` answered with a handle: calling it is calling `name`."""
        self.names[(generation, handle_id)] = name

    def refuse(self, subject: str | None, importing: bool) -> None:
        """Raise CheckTimeout at once if this request would run what already timed out."""
        if importing and IMPORTING in self.timed_out:
            raise CheckTimeout(_("not run: importing your module timed out in an earlier check (after {seconds} s); "
                                 "fix that first (an infinite loop at module level?).").format(
                seconds=f"{self.timed_out[IMPORTING]:g}"))
        if subject is not None and subject in self.timed_out:
            raise CheckTimeout(_("not run: {name} timed out in an earlier check (after {seconds} s) and would be "
                                 "waited for again; fix that first (an infinite loop?).").format(
                name=subject, seconds=f"{self.timed_out[subject]:g}"))

    def remember(self, timeout: CheckTimeout, subject: str | None) -> None:
        """A request timed out: its subject (the import, if that is what ran out) is not waited for again."""
        subject = timeout.subject or subject
        if subject is not None:
            self.timed_out[subject] = timeout.seconds
