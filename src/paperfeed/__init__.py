"""paperfeed: Hugging Face Daily Papers as ranked Atom, RSS and JSON feeds."""

__version__ = "0.1.0"
PROJECT_URL = "https://github.com/paperfeed/paperfeed"
