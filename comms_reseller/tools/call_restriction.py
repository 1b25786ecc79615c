"""Decide whether a destination number may be called, from call rules loaded
once into memory: no ORM, no query per number.

A rule is a ``CallRule`` (scope, action, kind, value, rule_id):

- scope: ``account`` (an account's own rule or exception) or ``system`` (every
  account of the reseller company);
- action: ``block`` or ``allow``;
- kind and value: ``country`` with an ISO 3166 code ("CU"), ``area_code`` with
  the country calling code followed by the national destination code in
  international digits ("+4420" London, "+1212" Manhattan, "+4822" Warsaw),
  or ``prefix`` with any E.164 prefix ("+37190", "+881").

The most specific matching rule wins:

1. account rules before system rules (an account exception overrides the
   reseller's system rule whatever their kinds);
2. within a scope, number prefix before area code before country;
3. among number prefixes, the longest one;
4. of two rules of a scope for the same destination, the first one given (the
   model gives them in sequence order).

An area code rule matches when the number's national destination code
(``phonenumbers.length_of_national_destination_code``) is exactly the rule's.
A number no rule matches is allowed.
"""

from collections import namedtuple

import phonenumbers

CallRule = namedtuple("CallRule", "scope action kind value rule_id")
Decision = namedtuple("Decision", "allowed e164 rule")

SCOPES = ("account", "system")
KINDS = ("prefix", "area_code", "country")


class InvalidNumber(ValueError):
    """The destination is not a phone number, even read in the account's country."""


def international_digits(value):
    """'+44 20' -> '4420': the digits of an international prefix."""
    return "".join(char for char in value or "" if char.isdigit())


def calling_code(digits):
    """The country calling code starting `digits` (calling codes are prefix-free)."""
    for length in (1, 2, 3):
        code = int(digits[:length] or 0)
        if code and phonenumbers.region_code_for_country_code(code) != "ZZ":
            return code
    return None


def parse_destination(number, region):
    """The parsed number of `number`, read in `region` (ISO code) when written in
    the national format; InvalidNumber when it cannot be a phone number."""
    try:
        parsed = phonenumbers.parse(number, region and region.upper())
    except phonenumbers.NumberParseException as error:
        raise InvalidNumber(str(error)) from error
    if not phonenumbers.is_possible_number(parsed):
        raise InvalidNumber(number)
    return parsed


class _ScopeRules:
    """The rules of one scope, indexed for lookups without scanning."""

    def __init__(self):
        self.prefixes = {}
        self.area_codes = {}
        self.countries = {}

    def add(self, rule):
        """Of two rules for the same destination, the one added first stays."""
        if rule.kind == "country":
            self.countries.setdefault(rule.value.upper(), rule)
        else:
            index = self.prefixes if rule.kind == "prefix" else self.area_codes
            index.setdefault(international_digits(rule.value), rule)

    def finish(self):
        # Prefix lengths, longest first: a number is looked up once per length.
        self.prefix_lengths = sorted({len(p) for p in self.prefixes}, reverse=True)
        self.area_calling_codes = {calling_code(code) for code in self.area_codes}


class CallRestriction:
    """The rules of one account (its own and its reseller's system rules)."""

    def __init__(self, rules):
        self._scopes = {scope: _ScopeRules() for scope in SCOPES}
        for rule in rules:
            if rule.scope not in self._scopes or rule.kind not in KINDS:
                raise ValueError(f"Unknown rule scope or kind: {rule}")
            self._scopes[rule.scope].add(rule)
        for scope_rules in self._scopes.values():
            scope_rules.finish()

    def decide(self, number, region=None):
        """Decision(allowed, e164, rule) for `number`, read in `region` (the
        account's country, ISO code) when written in national format."""
        parsed = parse_destination(number, region)
        e164 = phonenumbers.format_number(parsed, phonenumbers.PhoneNumberFormat.E164)
        rule = self._matching_rule(parsed, e164[1:])
        return Decision(rule is None or rule.action == "allow", e164, rule)

    def _matching_rule(self, parsed, digits):
        # Area code and country are only worked out when a rule could use them:
        # they cost more than parsing the number.
        area_code = country = None
        for scope_rules in self._scopes.values():
            for length in scope_rules.prefix_lengths:
                rule = scope_rules.prefixes.get(digits[:length])
                if rule:
                    return rule
            if parsed.country_code in scope_rules.area_calling_codes:
                if area_code is None:
                    area_code = _area_code(parsed, digits)
                rule = scope_rules.area_codes.get(area_code)
                if rule:
                    return rule
            if scope_rules.countries:
                if country is None:
                    country = _country(parsed)
                rule = scope_rules.countries.get(country)
                if rule:
                    return rule
        return None


def _area_code(parsed, digits):
    """Country calling code and national destination code, '4420' for London."""
    ndc_length = phonenumbers.length_of_national_destination_code(parsed)
    calling_code_length = len(str(parsed.country_code))
    if not ndc_length:
        return ""
    return digits[: calling_code_length + ndc_length]


def _country(parsed):
    regions = phonenumbers.region_codes_for_country_code(parsed.country_code)
    if len(regions) == 1:
        return regions[0]
    # A number valid in none of the regions sharing the calling code (a fictional
    # range, a new one) counts for the main region of the code.
    return phonenumbers.region_code_for_number(parsed) or regions[0]
