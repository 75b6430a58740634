"""Runs first in Python processes the tests start: they share the tests' clock.

tests/clock.py puts this folder on PYTHONPATH and the offset of the test clock
from the real one in CONSULT_TEST_CLOCK_OFFSET; without it nothing happens.
"""

import os

_offset = os.environ.get("CONSULT_TEST_CLOCK_OFFSET")
if _offset:
    import time as _time
    from datetime import UTC as _UTC
    from datetime import datetime as _datetime

    import time_machine as _time_machine

    _time_machine.travel(
        _datetime.fromtimestamp(_time.time() + float(_offset), _UTC), tick=True
    ).start()
