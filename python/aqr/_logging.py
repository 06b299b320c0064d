"""``AQR_LOG=debug|info``: a stderr handler on the ``aqr`` logger, set up at import (like
``OPENAI_LOG``). Without the variable nothing is configured and ``logging`` is not even
imported; records still reach whatever handlers the application sets up."""

from __future__ import annotations

import os

__all__ = ["configure_from_environment"]

#: The environment variable, and the levels it accepts.
ENV_LOG = "AQR_LOG"
_LEVELS = {"debug": 10, "info": 20}


def configure_from_environment() -> None:
    """Adds the stderr handler when ``AQR_LOG`` asks for one."""
    wanted = os.environ.get(ENV_LOG, "").strip().lower()
    if not wanted:
        return
    import logging

    level = _LEVELS.get(wanted)
    if level is None:
        logging.getLogger("aqr").warning("%s=%r is not a level: use debug or info", ENV_LOG, wanted)
        return
    logger = logging.getLogger("aqr")
    handler = logging.StreamHandler()
    handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
    logger.addHandler(handler)
    logger.setLevel(level)
