"""Extension numbering of an organization, without the ORM.

An extension is dialled digit by digit: the phone system cannot tell 200 from the
start of 2000, so two extensions of one organization may neither be equal nor one
be the beginning of the other.
"""


def extensions_clash(first, second):
    """Whether the two extensions cannot both exist in one organization."""
    return first.startswith(second) or second.startswith(first)


class ExtensionPlan:
    """The extensions taken in an organization, and the free ones of a range."""

    def __init__(self, taken=()):
        self._taken = set()
        self._prefixes = set()
        for extension in taken:
            self.take(extension)

    def take(self, extension):
        self._taken.add(extension)
        self._prefixes.update(extension[:i] for i in range(1, len(extension)))

    def is_free(self, extension):
        if extension in self._taken or extension in self._prefixes:
            return False
        return not any(extension[:i] in self._taken for i in range(1, len(extension)))

    def lowest_free(self, start, end):
        """The lowest free extension from start to end (both included), or None."""
        for number in range(start, end + 1):
            candidate = str(number)
            if self.is_free(candidate):
                return candidate
        return None


def propose_extensions(joining, staying, start, end):
    """New extensions for the joining extensions that clash with the staying ones.

    joining: (key, extension) pairs of the account joining the organization, in
    the order they get new extensions; staying: the organization's extensions.
    Returns {key: new extension}, the lowest free ones of start..end; a key whose
    range is full maps to None.
    """
    plan = ExtensionPlan(staying)
    clashing = []
    for key, extension in joining:
        if not extension:
            continue
        if plan.is_free(extension):
            plan.take(extension)
        else:
            clashing.append(key)
    proposals = {}
    for key in clashing:
        proposals[key] = plan.lowest_free(start, end)
        if proposals[key]:
            plan.take(proposals[key])
    return proposals
