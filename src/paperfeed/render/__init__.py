"""Stage 6, render (pure): selected papers -> the bytes of every published object.

- `entries`: a feed's entries, format-neutral, with the digest entries of wide feeds;
- `paper_facts`: a paper's authors, links, counts and translation labels, once for all;
- `atom_rss`, `jsonfeed`, `opml`: the feed formats (feedgen with one extension per namespace);
- `page`: the landing page; `post`: the daily and monthly Markdown posts;
- `site`: the whole site, every catalogue feed in every format plus pages and posts.
"""
