"""The layers point one way: the import contracts of pyproject.toml hold (import-linter)."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from importlinter.api import read_configuration

ROOT = Path(__file__).resolve().parent.parent
CONFIG = ROOT / "pyproject.toml"


def contracts() -> dict[str, dict]:
    return {
        contract["id"]: contract
        for contract in read_configuration(str(CONFIG))["contracts_options"]
    }


def test_the_contracts_are_declared():
    declared = contracts()
    assert {"layers", "accounts-audit", "pure-core"} <= set(declared)
    layers = declared["layers"]["layers"]
    assert layers[-1] == "core" and layers[0] == "urls | __main__"
    # Every top-level module has its place: a new one must be put in a layer.
    assert str(declared["layers"]["exhaustive"]).lower() == "true"
    assert {"django", "ninja"} <= set(declared["pure-core"]["forbidden_modules"])


@pytest.mark.parametrize("contract", ["layers", "accounts-audit", "pure-core"])
def test_no_import_goes_the_wrong_way(contract):
    lint_imports = Path(sys.executable).with_name("lint-imports")
    command = str(lint_imports) if lint_imports.exists() else shutil.which("lint-imports")
    assert command, "lint-imports is installed with the test extra (pip install -e '.[test]')"
    run = subprocess.run(
        [command, str(CONFIG), "--contract", contract, "--no-cache", "--no-logo"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert run.returncode == 0, run.stdout + run.stderr
