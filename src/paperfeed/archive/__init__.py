"""Stage 3, archive (pure): the dated documents that are paperfeed's store of record.

- `keys`: where a day's document lives (`archive/YYYY-MM-DD.json`);
- `codec`: a `Day` to bytes and back, deterministic so unchanged content stays unchanged;
- `merge`: a stored day plus a fresh fetch -> the day to store, never losing a paper.
"""
