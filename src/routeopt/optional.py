"""Optional dependencies: each belongs to an extra of the package, and a missing one is named in
one sentence with the command that installs it.

The core (``pip install routeopt``) plans, validates and writes every file of a plan folder.
Drawing figures needs ``routeopt[plot]`` (matplotlib); ``routeopt bench``'s day routing needs
``routeopt[bench]`` (PyVRP; the literature benchmarks also use pyvroom from it). Modules that
import an optional dependency do it inside :func:`optional_imports`. One extra is never asked
for: ``routeopt[fast]`` (numba) only makes the planner faster, and without it the same plans are
made in pure Python (:mod:`routeopt.route.compiled`).
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from .errors import MissingExtraError

EXTRAS = {"matplotlib": ("matplotlib", "plot"), "pyvrp": ("pyvrp", "bench"), "vroom": ("pyvroom", "bench")}
"""Top-level module of each optional dependency → (its package on PyPI, the extra that installs it)."""


@contextmanager
def optional_imports(purpose: str) -> Iterator[None]:
    """Import optional dependencies inside this block.

    Raises
    ------
    MissingExtraError
        When a module of :data:`EXTRAS` is not installed, e.g. ``routeopt plot needs matplotlib,
        which is not installed: pip install "routeopt[plot]"`` for ``purpose="routeopt plot"``.
        Any other failing import is raised as it is.
    """
    try:
        yield
    except ModuleNotFoundError as exc:
        module = (exc.name or "").partition(".")[0]
        if module not in EXTRAS:
            raise
        package, extra = EXTRAS[module]
        raise MissingExtraError(
            f'{purpose} needs {package}, which is not installed: pip install "routeopt[{extra}]"'
        ) from None
