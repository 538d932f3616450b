from pathlib import Path

import pytest

from repertoire import bundled

SEED = Path(__file__).resolve().parents[2] / "shared" / "seeds" / bundled.BUNDLED_EDITION


@pytest.mark.skipif(not SEED.exists(), reason="no steering folder beside the clone")
def test_the_package_ships_the_source_document_unchanged():
    assert bundled.read(bundled.BUNDLED_EDITION) == SEED.read_bytes()
