"""Reviewing the drafts that ``argmap extract`` wrote: :mod:`.edit` changes a map's
file one step at a time (keeping its comments), :mod:`.app` is the terminal
review of ``argmap review`` (Textual, imported only by that command)."""
