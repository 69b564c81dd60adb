from pathlib import Path

import pytest

from directory.services import communes_load

DATA = Path(__file__).parent / "data"


@pytest.fixture
def communes(db):
    """Only Brittany's communes: the whole file is loaded by the demo, not by each test."""
    communes_load(departements=["22", "29", "35", "56"])
