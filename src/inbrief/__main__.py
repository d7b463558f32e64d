"""The ``inbrief`` command (and ``python -m inbrief``): the process set up, then the CLI."""

from __future__ import annotations

import os

# What OpenBLAS reads for its thread count, in its order.
_BLAS_THREADS = ("OPENBLAS_NUM_THREADS", "GOTO_NUM_THREADS", "OMP_NUM_THREADS")


def run() -> None:
    """Entry point of the ``inbrief`` command."""
    # inbrief's arrays are small (a few dozen sentences' features), so a threaded BLAS brings
    # nothing but its start: a thread pool made at numpy's import, tens of milliseconds of
    # every command's start-up, and one pool per batch worker on cores the workers already
    # fill.  One thread, unless the user has chosen a count; set before numpy loads.
    if not any(name in os.environ for name in _BLAS_THREADS):
        os.environ["OPENBLAS_NUM_THREADS"] = "1"
    from inbrief.cli import main

    main()


if __name__ == "__main__":
    run()
