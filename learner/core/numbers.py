"""Numbers as people read them."""

from __future__ import annotations


def percent(part: int, whole: int) -> int:
    """`part` of `whole` as a whole percentage, rounded half up (4 of 6 is 67 %, not 66 %);
    0 when there is nothing to count."""
    if whole <= 0:
        return 0
    return (part * 200 + whole) // (2 * whole)
