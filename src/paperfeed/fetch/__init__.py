"""Stage 1, fetch (a shell): Hugging Face's daily lists over HTTP.

- `hf`: `HFClient`, the one HTTP session (retries, body cap, User-Agent);
- `scrape`: one day, the JSON API first and the day page as the fallback, parsed by `parse`.
"""
