import pytest

pytest.importorskip("micromagnetictests", reason="the ubermag extra is not installed (pip install 'pymag[ubermag]')")


@pytest.fixture(scope="module")
def calculator():
    import pymag.ubermag
    return pymag.ubermag


@pytest.fixture(autouse=True)
def _in_tmp_path(tmp_path, monkeypatch):
    """The suite writes its drive folders into the working directory: keep them out of the checkout."""
    monkeypatch.chdir(tmp_path)
