"""pymag keeps freed memory in the process (glibc's malloc), unless told not to."""
import os
import subprocess
import sys

import pytest


def _imported_flag(**env):
    out = subprocess.run([sys.executable, "-c", "import pymag; print(pymag.KEEPS_FREED_MEMORY)"],
                         env={**os.environ, **env}, capture_output=True, text=True, check=True)
    return out.stdout.strip()


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="glibc's mallopt is Linux only")
def test_import_tunes_malloc_and_the_environment_can_refuse():
    assert _imported_flag(PYMAG_KEEP_MEMORY="1") == "True"
    assert _imported_flag(PYMAG_KEEP_MEMORY="0") == "False"
