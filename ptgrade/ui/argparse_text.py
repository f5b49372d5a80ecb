"""argparse's own words (usage, section headings, its errors) in the kit's language. argparse looks them
up through its module-level gettext functions; `install` points those at the kit's catalogue. The
list below exists so that `pybabel extract -k _` finds the messages (they are argparse's, verbatim)."""
from __future__ import annotations

import argparse

from ptgrade import i18n


def _(message: str) -> str:  # a marker for extraction; translation happens when argparse asks
    return message


MESSAGES = (
    _("usage: "), _("positional arguments"), _("options"), _("show this help message and exit"),
    _("argument %(argument_name)s: %(message)s"), _("%(prog)s: error: %(message)s\n"),
    _("unrecognized arguments: %s"), _("not allowed with argument %s"),
    _("the following arguments are required: %s"), _("one of the arguments %s is required"),
    _("expected one argument"), _("expected at most one argument"), _("expected at least one argument"),
    _("expected %s argument"), _("expected %s arguments"),
    _("ambiguous option: %(option)s could match %(matches)s"), _("invalid %(type)s value: %(value)r"),
    _("invalid choice: %(value)r (choose from %(choices)s)"),
)


def install() -> None:
    argparse._ = i18n._
    argparse.ngettext = lambda singular, plural, n: i18n._(singular if n == 1 else plural)
