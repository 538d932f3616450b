"""The jobs around a job: its family one level below and above, and the nearest profiles.

A family is the jobs whose titles differ only by a level numeral (``text.family_key``);
the distance between two profiles is the number of degrees that separate them,
criterion by criterion, computed for all jobs at once so that a sheet of a 10,000-job
edition stays quick.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Protocol

import numpy as np

from repertoire.core.text import family_key


class Profiled(Protocol):
    code: str
    title: str
    level: int
    degrees: tuple[int, ...]


@dataclass(frozen=True)
class Neighbours:
    below: str | None  # job codes
    above: str | None
    nearest: tuple[tuple[str, int], ...]  # (code, distance), nearest first


class ProfileIndex:
    def __init__(self, jobs: Sequence[Profiled]):
        self.jobs = list(jobs)
        self._position = {job.code: index for index, job in enumerate(self.jobs)}
        self._degrees = np.array([job.degrees for job in self.jobs], dtype=np.int16)
        self._levels = np.array([job.level for job in self.jobs], dtype=np.int16)
        self._families: dict[tuple[str, ...], list[int]] = {}
        self._family_of: dict[int, tuple[str, ...]] = {}
        for index, job in enumerate(self.jobs):
            key = family_key(job.title)
            if key is not None:
                self._families.setdefault(key, []).append(index)
                self._family_of[index] = key

    def neighbours(self, code: str, count: int = 4) -> Neighbours:
        index = self._position[code]
        level = self.jobs[index].level
        family = [i for i in self._families.get(self._family_of.get(index), []) if i != index]
        below = [i for i in family if self.jobs[i].level < level]
        above = [i for i in family if self.jobs[i].level > level]
        distances = np.abs(self._degrees - self._degrees[index]).sum(axis=1)
        distances[index] = np.iinfo(np.int16).max
        # Nearest first; among equals, the closest level, then the repertoire's order.
        order = np.lexsort((np.arange(len(self.jobs)), np.abs(self._levels - level), distances))
        nearest = tuple(
            (self.jobs[i].code, int(distances[i])) for i in order[: min(count, len(self.jobs) - 1)]
        )
        return Neighbours(
            below=self.jobs[max(below, key=lambda i: self.jobs[i].level)].code if below else None,
            above=self.jobs[min(above, key=lambda i: self.jobs[i].level)].code if above else None,
            nearest=nearest,
        )

    def distances_to(self, degrees: Sequence[int]) -> dict[str, int]:
        """How many degrees separate a profile (a local job's) from each job."""
        distances = np.abs(self._degrees - np.array(degrees, dtype=np.int16)).sum(axis=1)
        return {job.code: int(distance) for job, distance in zip(self.jobs, distances, strict=True)}

    def nearest_to(self, degrees: Sequence[int], count: int = 5) -> tuple[tuple[str, int], ...]:
        """The jobs nearest to a profile, nearest first (then the repertoire's order)."""
        distances = np.abs(self._degrees - np.array(degrees, dtype=np.int16)).sum(axis=1)
        order = np.lexsort((np.arange(len(self.jobs)), distances))
        return tuple((self.jobs[i].code, int(distances[i])) for i in order[:count])
