"""Open a page in a real browser: Debian's headless Chromium, driven from the command line (no driver, nothing
downloaded). `skip_reason()` says why a browser test cannot run here; the page's DOM after it loaded and a
screenshot come from `dump_dom` and `screenshot`."""
from __future__ import annotations

import os
import shutil
import subprocess
import tempfile
from pathlib import Path

# Screenshots the browser tests keep for a person to look at (git-ignored).
ARTIFACTS = Path(__file__).resolve().parent.parent / "artifacts"


def chromium() -> str | None:
    for name in ("chromium", "chromium-browser", "google-chrome"):
        found = shutil.which(name)
        if found:
            return found
    return "/usr/bin/chromium" if os.access("/usr/bin/chromium", os.X_OK) else None


def skip_reason() -> str | None:
    if chromium() is None:
        return "no Chromium on this machine (apt-get install -y chromium; .ci/run installs it where it can)"
    return None


def _run(page: Path, *flags: str, timeout: int = 60) -> subprocess.CompletedProcess:
    with tempfile.TemporaryDirectory(prefix="ptgrade-chromium-") as profile:
        return subprocess.run(
            [chromium(), "--headless", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
             "--no-first-run", "--disable-extensions", "--disable-background-networking",
             f"--user-data-dir={profile}", *flags, Path(page).resolve().as_uri()],
            capture_output=True, text=True, timeout=timeout, check=True)


def dump_dom(page: Path) -> str:
    """The page's DOM, serialised after it loaded (and after any script on it ran)."""
    return _run(page, "--dump-dom").stdout


def screenshot(page: Path, name: str, size: tuple[int, int] = (1200, 3000)) -> Path:
    """A PNG of the page, kept in tests/artifacts/<name>."""
    ARTIFACTS.mkdir(exist_ok=True)
    out = ARTIFACTS / name
    _run(page, f"--screenshot={out}", f"--window-size={size[0]},{size[1]}", "--hide-scrollbars")
    return out
