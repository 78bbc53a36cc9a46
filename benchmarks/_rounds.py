"""Round scheduling and paired overheads shared by the request-logger benchmarks.

On a shared machine a round of one app can be slowed by another job while
the next app's round is not. Running every app once per round, in a shuffled
order, and taking the median over rounds of each app's overhead against the
bare app *of the same round* cancels most of that (as ``bench_logging.py``
does), where the best round of each app compares rounds that saw different
loads.
"""

from __future__ import annotations

import random
import statistics
from collections.abc import Callable, Iterable
from typing import TypeVar

__all__ = ["paired_overhead", "run_shuffled", "shuffled_rounds"]

T = TypeVar("T")


def shuffled_rounds(names: Iterable[T], rounds: int, seed: int = 0) -> list[list[T]]:
    """Return *rounds* orders of *names*, each shuffled (reproducibly)."""
    rng = random.Random(seed)  # benchmark scheduling, not security
    orders = []
    for _ in range(rounds):
        order = list(names)
        rng.shuffle(order)
        orders.append(order)
    return orders


def paired_overhead(rates: list[float], bare: list[float]) -> float:
    """Return the median over rounds of ``(bare - rate) / bare``, in per cent (rates per round, same order)."""
    return statistics.median((b - r) / b * 100 for r, b in zip(rates, bare, strict=True))


def run_shuffled(run: Callable[[T], float], names: Iterable[T], rounds: int) -> dict[T, list[float]]:
    """Run every name once per round in a shuffled order; return each name's rates in round order."""
    names = list(names)
    rates: dict[T, list[float]] = {name: [] for name in names}
    for order in shuffled_rounds(names, rounds):
        for name in order:
            rates[name].append(run(name))
    return rates
