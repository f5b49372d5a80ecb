"""The import contracts in pyproject.toml (run by `lint-imports` in .ci/run) name every item's check module: the
observations a worker imports may import none of them. A new item's grader must be added there too."""
from pathlib import Path

import tomllib

from ptgrade.course import manifest as manifest_module

KIT_ROOT = Path(__file__).resolve().parents[2]


def test_the_observations_contract_forbids_every_items_checks():
    config = tomllib.loads((KIT_ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    contracts = config["tool"]["importlinter"]["contracts"]
    (observations,) = [c for c in contracts if c.get("source_modules") == ["graders.observations"]]
    manifest = manifest_module.load(KIT_ROOT)
    graders = {f"graders.{manifest.grader_path(item).stem}" for item in manifest.items if item.available}
    assert graders and graders <= set(observations["forbidden_modules"])
