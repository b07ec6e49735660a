"""eventwire's exceptions. The library raises these; only the CLI turns them into one-line messages."""

from __future__ import annotations


class EventwireError(Exception):
    """Base class for every error eventwire raises on purpose."""


class InputError(EventwireError):
    """An input could not be read: missing, empty, undecodable or of an unknown format."""


class BadDateError(EventwireError):
    """A date given by the user is not an ISO date (YYYY-MM-DD)."""


class ModelNotFoundError(EventwireError):
    """No English spaCy model is installed."""


class GoldFormatError(EventwireError):
    """A gold file line does not follow the gold schema."""


class RuleError(EventwireError):
    """A rule file is not valid: the message names the file, the rule id and the problem."""
