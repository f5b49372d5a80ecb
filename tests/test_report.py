"""`ptgrade grade … --report`: a real batch of item 1.2 (the reference, the untouched stub, and a student whose
code raises a message written to attack the page) into the class report, opened in headless Chromium."""
import csv
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from support import browser

from ptgrade.instructor import report
from ptgrade.protocol.results import ItemResult

KIT_ROOT = Path(__file__).resolve().parent.parent
ATTACK = "<script>document.title='owned'</script><img src=x onerror=\"document.title='owned'\">"


@pytest.fixture(scope="module")
def graded(tmp_path_factory):
    """The reports, English and Korean, of one real batch (graded once for the module)."""
    folder = tmp_path_factory.mktemp("report")
    submissions = folder / "submissions"
    reference = (KIT_ROOT / "solutions" / "s1_2_tensors.py").read_text(encoding="utf-8")
    for name, text in {
        "alice": reference,
        "bob": (KIT_ROOT / "exercises" / "s1_2_tensors.py").read_text(encoding="utf-8"),
        "mallory": reference + f"\n\ndef describe(t):\n    raise ValueError({ATTACK!r})\n",
    }.items():
        (submissions / name).mkdir(parents=True)
        (submissions / name / "s1_2_tensors.py").write_text(text, encoding="utf-8")
    env = {**os.environ, "PTGRADE_STATE": str(folder / "state.json")}
    done = subprocess.run([sys.executable, str(KIT_ROOT / "cli.py"), "grade", str(submissions), "--items", "1.2",
                           "--out", str(folder / "grades.csv"), "--report", str(folder / "report.html"), "--lang",
                           "en", "--jobs", "2"],
                          capture_output=True, text=True, env=env, cwd=folder, stdin=subprocess.DEVNULL, timeout=600)
    assert done.returncode == 0, done.stderr
    totals = {row["student"]: float(row["total"]) for row in csv.DictReader((folder / "grades.csv").open())}
    # The Korean page from the same results, read back from the feedback the batch wrote (no second grading).
    grades = {path.stem: [ItemResult.from_json(item) for item in json.loads(path.read_text())["items"]]
              for path in sorted((folder / "grades-feedback").glob("*.json"))}
    (folder / "report_ko.html").write_text(report.build(grades, "ko", {"1.2": "텐서"}), encoding="utf-8")
    pages = {"en": folder / "report.html", "ko": folder / "report_ko.html"}
    return pages, totals


def test_the_report_of_a_real_batch_has_every_section_and_escapes_the_student(graded):
    pages, totals = graded
    assert totals["bob"] == 0 < totals["mallory"] < totals["alice"]
    page = pages["en"].read_text(encoding="utf-8")
    for section in ("distribution", "pass-rates", "mistakes", "kit", "time", "students"):
        assert f'<section id="{section}">' in page
    assert "<script" not in page and "onerror=" not in page.replace("onerror=&quot;", "")
    assert "&lt;script&gt;document.title=" in page  # the student's message is shown, as text
    assert "median " in page and " 0.0 s" not in page.split("median ")[1][:12]  # the host timed the checks
    assert 'lang="ko"' in pages["ko"].read_text(encoding="utf-8")


@pytest.mark.skipif(browser.skip_reason() is not None, reason=str(browser.skip_reason()))
def test_chromium_opens_the_report_and_finds_tables_and_plots(graded):
    pages, _ = graded
    dom = browser.dump_dom(pages["en"])
    assert "<title>Class report</title>" in dom  # no script ran: it would have changed the title
    assert dom.count("<svg") == 3 and dom.count('<details class="student"') == 3
    for table in ("pass-rates", "mistakes", "times"):
        assert f'<table class="{table}">' in dom
    assert "&lt;script&gt;document.title=" in dom
    shot = browser.screenshot(pages["en"], "class_report.png")
    assert shot.stat().st_size > 10_000
    korean = browser.dump_dom(pages["ko"])
    assert "수업 보고서" in korean and korean.count("<svg") == 3
    browser.screenshot(pages["ko"], "class_report_ko.png")
