"""Unbuffered sums into array cells: the tallies' one scattered write.

``np.add.at(array, (rows, columns), values)`` adds each value to its cell in order,
repeated cells included, which a fancy-indexed ``+=`` would not. Given a tuple of
index arrays NumPy takes its general path; given one flat index into a 1-D view it
takes a fast loop that is some thirty times quicker (NumPy 2.x, measured on the
tallies' sizes). Both add the same values in the same order, so the sums are the same
to the last bit.
"""

from __future__ import annotations

import numpy as np
import numpy.typing as npt


def add_at(
    target: np.ndarray, index: npt.ArrayLike | tuple[npt.ArrayLike, ...], values: npt.ArrayLike
) -> None:
    """``np.add.at(target, index, values)`` through a flat index into a contiguous `target`.

    `index` is a tuple of integer arrays (or scalars), one per axis of `target`, or one
    integer array for a 1-D `target`.
    """
    if not isinstance(index, tuple):
        index = (index,)
    arrays = np.broadcast_arrays(*(np.asarray(part) for part in index))
    flat = np.ravel_multi_index(arrays, target.shape)
    np.add.at(target.reshape(-1), flat, np.broadcast_to(values, flat.shape))
