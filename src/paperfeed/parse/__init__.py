"""Stage 2, parse (pure): raw HF answers -> validated `Paper` records.

One adapter per wire shape, one `Paper` out:
- `api`: the JSON API's body -> its items;
- `page`: the day page's HTML -> the items its hydration props embed (the fallback);
- `papers`: items of either shape -> papers, every untrusted value cleaned once.
"""
