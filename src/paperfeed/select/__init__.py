"""Stage 5, select (pure): which papers each feed holds, in which order.

- `rank`: the one ordering of papers (upvotes, then comments, then id);
- `catalogue`: every feed's definition and its selection over the archived days.
"""
