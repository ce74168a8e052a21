"""The archive's search index: records made from the archive's cards (pure) and the
Pagefind bundle built from them (a shell around Pagefind's binary)."""
