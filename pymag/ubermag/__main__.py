"""``python -m pymag.ubermag job.pickle``: run a drive that ``Driver.schedule`` prepared."""
import sys

from .jobs import run_job

if len(sys.argv) != 2:
    sys.exit("usage: python -m pymag.ubermag job.pickle")
run_job(sys.argv[1])
