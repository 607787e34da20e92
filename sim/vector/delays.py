"""Flow time and shipping as per-replication delay lines of whole units.

What enters lane ``g`` at step ``k`` leaves at step ``k + d[g, rep]``, with a delay per
lane and replication (flow days and shipping days are drawn per replication). The lines
are a ring of ``max(d) + 1`` slots, each holding what entered every lane in one step:
entering writes one contiguous slot, and leaving *gathers*, for each lane and
replication, the slot that its own delay points back to. The gather's indices depend
only on the step modulo the ring size, so they are computed once, and a read in the
loop is a single ``take`` into a preallocated buffer: no arithmetic, no scatter-add, and
no zeroing (a slot is overwritten only after everything in it has left). Units of one
step fit 32 bits, which halves the memory the gathers read.
"""

from __future__ import annotations

import numpy as np


class DelayLines:
    """Delay lines for a set of lanes; `delays` has shape (lanes, reps), whole steps."""

    def __init__(self, delays: np.ndarray):
        self.delays = np.asarray(delays, dtype=np.int64)
        lanes, reps = self.delays.shape
        self.size = int(self.delays.max(initial=0)) + 1
        self.entered = np.zeros((self.size, lanes, reps), dtype=np.int32)
        self._flat = self.entered.reshape(-1)

    def reader(self, lanes: np.ndarray) -> np.ndarray:
        """Gather indices for reading `lanes` (in that order): ``(ring size, lanes, reps)``."""
        lanes = np.asarray(lanes, dtype=np.int64)
        count, reps = self.entered.shape[1:]
        slot = np.arange(self.size)[:, None, None]
        entered_at = (slot - self.delays[lanes][None, :, :]) % self.size
        result: np.ndarray = (entered_at * count + lanes[None, :, None]) * reps + np.arange(reps)
        return result

    def preload(self, entered: np.ndarray) -> np.ndarray:
        """Fill the lines with what entered before step 0 (a warm start); returns the units
        in each lane, (lanes, reps).

        `entered` is (ring size, lanes, reps), slot j mod size holding what entered at step
        j < 0 (:func:`sim.production.warm.entered_by_step`). Entering at step j ≥ 0 writes slot j,
        which the units of step j − size had left at step j − size + delay < j, so nothing
        preloaded is overwritten before it leaves.
        """
        self.entered[:] = entered
        result: np.ndarray = entered.sum(axis=0)
        return result

    def enter(self, step: int, lanes: slice, units: np.ndarray) -> None:
        """Units entering `lanes` at `step`, shape (lanes, reps)."""
        self.entered[step % self.size, lanes] = units

    def leave(self, step: int, reader: np.ndarray, out: np.ndarray) -> np.ndarray:
        """Units leaving the lanes of `reader` at `step`, into `out` (lanes, reps).

        Entries for this step must be made first: a lane with no delay hands its units
        on in the same step.
        """
        return np.take(self._flat, reader[step % self.size], out=out, mode="clip")

    def held(self, steps: int) -> np.ndarray:
        """Units still in each lane after `steps` steps, (lanes, reps): those that entered
        in the last ``d`` steps (before step 0 too: a preload, or zeros)."""
        held = np.zeros(self.entered.shape[1:], dtype=np.int64)
        for back in range(1, self.size):
            held += np.where(self.delays >= back, self.entered[(steps - back) % self.size], 0)
        return held
