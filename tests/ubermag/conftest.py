"""The ubermag calculator tests: the suite's ``calculator`` fixture, its slow and expected-failure marks."""
import pytest


@pytest.fixture(scope="module")
def calculator():
    import pymag.ubermag
    return pymag.ubermag


@pytest.fixture(autouse=True)
def _in_tmp_path(tmp_path, monkeypatch):
    """The suite writes its drive folders into the working directory: keep them out of the checkout."""
    monkeypatch.chdir(tmp_path)


# Standard problems 3 and 5 run minutes each on two cores: `make test-ubermag`
# or `pytest -m slow tests/ubermag` runs them.
SLOW = ("test_stdprob3", "test_stdprob5")

# Lines of micromagnetictests that assert a limit of mumax3 rather than physics: the suite
# takes "the calculator has a RelaxDriver" to mean "the calculator is mumax3c" (docs/ubermag.md).
MUMAX3_LIMITS = {
    "TestDMI::test_scalar": "dmi.py:42 expects RelaxDriver to refuse DMI without exchange, as mumax3 does; "
                            "pymag relaxes it",
    "TestDMI::test_dict": "dmi.py:71 expects RelaxDriver to refuse DMI without exchange, as mumax3 does; "
                          "pymag relaxes it",
    "TestDMI::test_crystalclass_init": "dmi.py:164 expects a ValueError for the classes mumax3 lacks "
                                       "(Cnv_x, Cnv_y, D2d_*); pymag has them all",
}


def pytest_collection_modifyitems(items):
    for item in items:
        if item.name in SLOW:
            item.add_marker(pytest.mark.slow)
        for test, reason in MUMAX3_LIMITS.items():
            if item.nodeid.endswith(test):
                # the relaxations these tests expect to be refused take a minute: not run
                item.add_marker(pytest.mark.xfail(reason=reason, strict=True, run="RelaxDriver" not in reason))
