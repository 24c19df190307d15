"""micromagnetictests' shared calculator suite (the tests oommfc and mumax3c run) with pymag:
every test of micromagnetictests 0.64.0, including the one its package index leaves out."""
import pytest

pytest.importorskip("micromagnetictests", reason="needs the ubermag extra: pip install 'pymag[ubermag-test]' (make test installs it)")

from micromagnetictests.calculatortests import *  # noqa: E402,F401,F403
from micromagnetictests.calculatortests.multiple_drives import test_multiple_drives_compute  # noqa: E402,F401
