"""micromagnetictests' shared calculator suite (the tests oommfc and mumax3c run) with pymag."""
from micromagnetictests.calculatortests import *  # noqa: F401,F403
