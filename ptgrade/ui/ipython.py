"""The `%ptgrade` magics of a self-study notebook (`%load_ext ptgrade.ui.ipython`, the notebook's first cell).

- `%ptgrade check 2.4 [--lang ko]`: grade the cells this kernel has run as item 2.4. The kernel only hands
  their text (`In`, its input history) to a fresh `python -I -m ptgrade.ui.selfstudy` started from the kit on
  disk, with the environment the kernel had when the extension loaded; that process grades them with the judge
  and its sandboxed worker, records the result, and answers with the table shown here. The kernel decides
  nothing: a cell that patches ptgrade in the kernel changes what the kernel could print, never the grade.
- `%ptgrade hint 2.4`: the next hint (`ptgrade hint`).
- `%ptgrade run 5.1 --smoke`: the project's training run (`ptgrade run`) on the notebook's code, its plots shown
  inline. A run is never part of a score.
"""
from __future__ import annotations

import json
import os
import shlex
import subprocess
import sys
import tempfile
from pathlib import Path

from ptgrade import i18n
from ptgrade.i18n import _

USAGE = "%ptgrade check ID [--lang ko] | %ptgrade hint ID [--lang ko] | %ptgrade run ID [--smoke] [--lang ko]"
_ENV: dict[str, str] = {}   # the environment when the extension loaded: what the grading process gets


def load_ipython_extension(ip) -> None:
    _ENV.clear()
    _ENV.update({k: v for k, v in os.environ.items() if not k.startswith("PYTHON")})
    ip.register_magic_function(ptgrade_magic, magic_kind="line", magic_name="ptgrade")
    from ptgrade import sandbox
    missing = sandbox.missing_protections()
    if missing:  # said once, as the CLI does
        print(f"ptgrade: {missing}", file=sys.stderr)


def ptgrade_magic(line: str) -> None:
    words = shlex.split(line)
    lang = None
    if "--lang" in words:
        at = words.index("--lang")
        lang = words[at + 1] if at + 1 < len(words) else None
        del words[at:at + 2]
    if len(words) < 2 or words[0] not in ("check", "hint", "run"):
        print(f"usage: {USAGE}", file=sys.stderr)
        return
    lang = lang if lang in i18n.LANGUAGES else i18n.choose()
    command, item_id, rest = words[0], words[1], words[2:]
    if command == "check":
        check(item_id, lang)
    elif command == "hint":
        _cli(["hint", item_id, "--lang", lang], lang)
    else:
        run(item_id, lang, smoke="--smoke" in rest)


def _history() -> list[str]:
    from IPython import get_ipython
    ip = get_ipython()
    history = ip.user_ns.get("In") if ip is not None else None
    return [entry if isinstance(entry, str) else "" for entry in history] if isinstance(history, list) else []


def _env(lang: str) -> dict[str, str]:
    env = dict(_ENV or {k: v for k, v in os.environ.items() if not k.startswith("PYTHON")})
    env["PTGRADE_LANG"] = lang
    return env


def check(item_id: str, lang: str) -> dict | None:
    """Grade the kernel's cells as item `item_id` in a fresh process and show its table; returns what it said."""
    from IPython.display import display
    request = json.dumps({"item": item_id, "lang": lang, "history": _history()}, ensure_ascii=False)
    done = subprocess.run([sys.executable, "-I", "-m", "ptgrade.ui.selfstudy"], input=request, text=True,
                          capture_output=True, env=_env(lang), cwd=os.getcwd())
    try:
        answer = json.loads(done.stdout.strip().splitlines()[-1])
    except (IndexError, ValueError):
        i18n.use(lang)
        print(_("The check could not run (exit code {code}); its output ends:").format(code=done.returncode),
              file=sys.stderr)
        print("\n".join((done.stdout + done.stderr).strip().splitlines()[-15:]), file=sys.stderr)
        return None
    display({"text/html": answer["html"], "text/plain": answer["text"]}, raw=True)
    return answer


def _cli(arguments: list[str], lang: str) -> int:
    """`ptgrade ...` in a fresh process, its output shown as it comes."""
    process = subprocess.Popen([sys.executable, "-I", "-m", "ptgrade", *arguments], stdout=subprocess.PIPE,
                               stderr=subprocess.STDOUT, text=True, env=_env(lang), cwd=os.getcwd())
    for line in process.stdout:
        print(line, end="")
    return process.wait()


def run(item_id: str, lang: str, smoke: bool) -> None:
    """`ptgrade run` on the notebook's code (exported to a folder laid out like exercises/), then its PNGs."""
    from IPython.display import Image, display

    from ptgrade.course import manifest as manifest_module
    from ptgrade.integrations import notebook, selfstudy
    manifest = manifest_module.load()
    item = manifest.item(item_id)
    out = manifest.root / "runs" / item.module_name
    with tempfile.TemporaryDirectory(prefix="ptgrade-notebook-run-") as folder:
        exported = notebook.export(selfstudy.code_cells(_history()))
        (Path(folder) / item.file_name).write_text(exported.code, encoding="utf-8")
        code = _cli(["run", item.id, "--source", folder, "--out", str(out), "--lang", lang]
                    + (["--smoke"] if smoke else []), lang)
    if code == 0:
        for picture in sorted(out.glob("*.png")):
            print(picture.name)
            display(Image(filename=str(picture)))
