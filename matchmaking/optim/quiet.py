"""A HiGHS model that never writes to stdout, whatever the highspy version."""

from __future__ import annotations

import contextlib
import ctypes
import os
import sys
from collections.abc import Iterator

import highspy


@contextlib.contextmanager
def stdout_to_stderr() -> Iterator[None]:
    """Point file descriptor 1 at stderr for the block, so C code's printing leaves stdout clean."""
    sys.stdout.flush()
    saved = os.dup(1)
    try:
        os.dup2(2, 1)
        yield
    finally:
        ctypes.CDLL(None).fflush(None)  # C's stdio buffer goes out while fd 1 is still stderr
        os.dup2(saved, 1)
        os.close(saved)


def quiet_highs() -> highspy.Highs:
    """A silent Highs instance. Since 1.16 the constructor prints a banner before any option applies."""
    with stdout_to_stderr():
        model = highspy.Highs()
    model.setOptionValue("output_flag", False)
    model.setOptionValue("log_to_console", False)
    return model
