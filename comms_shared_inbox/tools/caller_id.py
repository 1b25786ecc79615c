# What carriers and fax/SMS providers send in place of a number the caller withheld.
WITHHELD_CALLER_IDS = frozenset(
    {
        "",
        "anonymous",
        "blocked",
        "private",
        "restricted",
        "unavailable",
        "unknown",
        "withheld",
    }
)


def is_withheld_caller_id(sender):
    """Whether `sender` says that the caller withheld their number."""
    return (sender or "").strip().lower() in WITHHELD_CALLER_IDS
