"""Call restrictions: 100,000 destination numbers, in national format for the
account's country and international for the others, decided against 500 system
rules (countries, area codes, number prefixes) and 50 account exceptions, next
to the same numbers simply parsed and formatted in E.164 with phonenumbers
alone. The rules are read once (comms.call.rule._restriction_of): the queries
must not grow with the numbers, which the same run at 10,000 numbers shows."""

import os
import random

import phonenumbers
from benchlib import Measure, environment, parse_args, report

from odoo import Command

NUMBERS = int(os.environ.get("BENCH_CALL_NUMBERS", 100000))
SMALL_NUMBERS = NUMBERS // 10
SYSTEM_RULES = 500
ACCOUNT_RULES = 50
ACCOUNT_REGION = "US"
REGIONS = ("US", "CA", "GB", "FR", "PL", "RO", "DE", "IT", "ES", "NL", "BE", "CU")
REGIONS += ("LV", "SO", "GN", "SL", "AU", "IN", "BR", "JP", "MX", "CH", "AT", "SE")
TYPES = (phonenumbers.PhoneNumberType.FIXED_LINE, phonenumbers.PhoneNumberType.MOBILE)


def destination_numbers(count, rng):
    """count possible numbers of REGIONS, as a user would type them."""
    examples = [
        example
        for region in REGIONS
        for kind in TYPES
        if (example := phonenumbers.example_number_for_type(region, kind))
    ]
    numbers = []
    while len(numbers) < count:
        example = rng.choice(examples)
        national = str(example.national_number)
        # The first digits keep the number in its range (area code, mobile).
        tail = len(national) - 3
        national = national[:-tail] + f"{rng.randrange(10**tail):0{tail}d}"
        parsed = phonenumbers.parse(f"+{example.country_code}{national}")
        region = phonenumbers.region_code_for_country_code(example.country_code)
        kind = phonenumbers.PhoneNumberFormat.INTERNATIONAL
        if region == ACCOUNT_REGION:
            kind = phonenumbers.PhoneNumberFormat.NATIONAL
        numbers.append(phonenumbers.format_number(parsed, kind))
    return numbers


def rule_values(env, company, account, numbers, rng):
    """500 system rules and 50 exceptions drawn from the destinations."""
    e164s = [
        phonenumbers.format_number(
            phonenumbers.parse(n, ACCOUNT_REGION), phonenumbers.PhoneNumberFormat.E164
        )
        for n in numbers[:5000]
    ]
    area_codes = set()
    for e164 in e164s:
        parsed = phonenumbers.parse(e164)
        length = phonenumbers.length_of_national_destination_code(parsed)
        if length:
            area_codes.add(e164[: 1 + len(str(parsed.country_code)) + length])
    countries = env["res.country"].search([("code", "in", REGIONS)])
    values = []
    for index, country in enumerate(countries[:10]):
        values.append(("country", "block" if index % 3 else "allow", country.id, None))
    for index, code in enumerate(sorted(area_codes)[:180]):
        values.append(("area_code", "block" if index % 2 else "allow", None, code))
    while len(values) < SYSTEM_RULES:
        action = rng.choice(("block", "allow"))
        values.append(("prefix", action, None, _prefix(rng.choice(e164s), rng, 9)))
    exceptions = [
        ("prefix", "allow", None, _prefix(rng.choice(e164s), rng, 9, after_code=4))
        for __ in range(ACCOUNT_RULES)
    ]
    return [
        {
            "name": f"Bench rule {index}",
            "company_id": company.id,
            "account_id": account.id if index >= SYSTEM_RULES else False,
            "kind": kind,
            "action": action,
            "country_id": country_id,
            "value": value,
        }
        for index, (kind, action, country_id, value) in enumerate(values + exceptions)
    ]


def _prefix(e164, rng, longest, after_code=1):
    """A prefix of e164, its calling code and at least after_code more digits."""
    shortest = 1 + after_code + len(str(phonenumbers.parse(e164).country_code))
    return e164[: rng.randint(shortest, max(shortest, longest))]


def decide_all(env, account, numbers):
    Rule = env["comms.call.rule"]
    env.invalidate_all()
    with Measure(env.cr) as run:
        restriction, region = Rule._restriction_of(account)
        decisions = [restriction.decide(number, region) for number in numbers]
    return run, decisions


def format_all(env, numbers):
    with Measure(env.cr) as baseline:
        e164s = [
            phonenumbers.format_number(
                phonenumbers.parse(number, ACCOUNT_REGION),
                phonenumbers.PhoneNumberFormat.E164,
            )
            for number in numbers
        ]
    return baseline, e164s


def main():
    args = parse_args()
    rng = random.Random(11)
    with environment(args.database) as env:
        company = env.company
        partner = env["res.partner"].create(
            {
                "name": "Bench caller",
                "is_company": True,
                "country_id": env.ref("base.us").id,
            }
        )
        account = env["comms.account"].create(
            {
                "partner_id": partner.id,
                "company_id": company.id,
                "user_ids": [
                    Command.create(
                        {"name": "Bench admin", "email": "admin@caller.example.com"}
                    )
                ],
            }
        )
        numbers = destination_numbers(NUMBERS, rng)
        rules = env["comms.call.rule"].create(
            rule_values(env, company, account, numbers, rng)
        )
        assert len(rules) == SYSTEM_RULES + ACCOUNT_RULES
        env.flush_all()
        small_run, __ = decide_all(env, account, numbers[:SMALL_NUMBERS])
        run, decisions = decide_all(env, account, numbers)
        baseline, e164s = format_all(env, numbers)
        assert [d.e164 for d in decisions] == e164s
        by_scope = {"account": 0, "system": 0, None: 0}
        for decision in decisions:
            by_scope[decision.rule and decision.rule.scope] += 1
        us = run.seconds / NUMBERS * 1e6
        baseline_us = baseline.seconds / NUMBERS * 1e6
        report(
            "call_restriction_check",
            n=NUMBERS,
            rules=len(rules),
            us_per_number=round(us, 2),
            baseline_us_per_number=round(baseline_us, 2),
            ratio=round(us / baseline_us, 2),
            queries=run.queries,
            queries_at_small_n=small_run.queries,
            small_n=SMALL_NUMBERS,
            blocked=sum(not d.allowed for d in decisions),
            decided_by_account_rule=by_scope["account"],
            decided_by_system_rule=by_scope["system"],
            no_rule=by_scope[None],
        )


if __name__ == "__main__":
    main()
