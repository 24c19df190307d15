import os
import pathlib

import pytest
import torch

torch.set_num_threads(int(os.environ.get("PYMAG_TEST_THREADS", "2")))

# published reference data: $PYMAG_REFERENCE, else ../shared/reference beside the checkout
REFERENCE = pathlib.Path(os.environ.get("PYMAG_REFERENCE",
                                        pathlib.Path(__file__).resolve().parents[2] / "shared" / "reference"))


@pytest.fixture
def reference():
    """Folder of published reference data (../shared/reference); skip when it is absent."""
    if not REFERENCE.is_dir():
        pytest.skip(f"reference data folder {REFERENCE} is not present on this machine")
    return REFERENCE


@pytest.fixture(params=["float64", "float32"])
def dtype(request):
    return request.param
