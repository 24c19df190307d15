"""micromagnetictests' shared calculator suite (the tests oommfc and mumax3c run) with pymag:
every test of micromagnetictests 0.64.0, including the one its package index leaves out."""
from micromagnetictests.calculatortests import *  # noqa: F401,F403
from micromagnetictests.calculatortests.multiple_drives import test_multiple_drives_compute  # noqa: F401
