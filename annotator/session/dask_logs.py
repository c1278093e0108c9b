"""Dask's loggers silenced for the teardown after Ctrl+C, in the driver and in a local cluster's workers.

No Dask import here: the core install imports this module without it.
"""

from __future__ import annotations

import logging

DASK_LOGGERS = ("distributed", "tornado", "asyncio", "bokeh")


def quiet_dask_logs() -> None:
    """Silence Dask's loggers (and those of the libraries under it) for good, in this process.

    Closing a cluster in the middle of a broadcast, a heartbeat or running tasks logs errors such
    as "broadcast to tcp://... failed: CommClosedError" or "Failed to communicate with scheduler
    during heartbeat" that say nothing to a user who stopped the run. Only after an interrupt:
    the errors of a run that goes on must show.
    """
    names = {n for n in logging.root.manager.loggerDict if n.split(".")[0] in DASK_LOGGERS} | set(DASK_LOGGERS)
    for name in names:
        logging.getLogger(name).setLevel(logging.CRITICAL + 1)
