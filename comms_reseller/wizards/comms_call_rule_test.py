from odoo import api, fields, models

from ..tools.call_restriction import CallRestriction, InvalidNumber


class CommsCallRuleTest(models.TransientModel):
    """Test a number: the decision the call restrictions make for a destination,
    and the rule that made it, as the faxes and texts of the account get it."""

    _name = "comms.call.rule.test"
    _description = "Test a Number against the Call Restrictions"
    _check_company_auto = True

    company_id = fields.Many2one(
        "res.company",
        string="Reseller",
        required=True,
        default=lambda self: self.env.company,
    )
    account_id = fields.Many2one(
        "comms.account",
        check_company=True,
        help="Empty: the reseller's system rules only. Set: the account's "
        "exceptions too, as its faxes and texts are decided.",
    )
    number = fields.Char(
        help="Any format: international (+44 20 7946 0018, 0044…) or local "
        "(020 7946 0018), read in the country below.",
    )
    country_id = fields.Many2one(
        "res.country",
        string="Country of Local Numbers",
        compute="_compute_country_id",
        store=True,
        readonly=False,
    )
    decision = fields.Selection(
        [("allowed", "Allowed"), ("blocked", "Blocked"), ("invalid", "Not a Number")],
        compute="_compute_decision",
    )
    e164 = fields.Char(string="International Format", compute="_compute_decision")
    rule_id = fields.Many2one(
        "comms.call.rule", string="Decided by", compute="_compute_decision"
    )
    explanation = fields.Char(compute="_compute_decision")

    @api.depends("account_id", "company_id")
    def _compute_country_id(self):
        for test in self:
            account = test.account_id
            test.country_id = (
                account.partner_id.country_id
                or account.company_id.country_id
                or test.company_id.country_id
            )

    @api.depends("company_id", "account_id", "number", "country_id")
    def _compute_decision(self):
        for test in self:
            test.update(test._decision_values())

    def _decision_values(self):
        empty = {"decision": False, "e164": False, "rule_id": False}
        if not (self.number or "").strip():
            return {**empty, "explanation": False}
        Rule = self.env["comms.call.rule"]
        rules = Rule._restriction_rules(self.company_id, self.account_id or None)
        try:
            decision = CallRestriction(rules).decide(self.number, self.country_id.code)
        except InvalidNumber:
            return {
                **empty,
                "decision": "invalid",
                "explanation": self.env._(
                    "“%(number)s” is not a phone number, neither in international "
                    "format nor as a local number of %(country)s.",
                    number=self.number,
                    country=self.country_id.name or self.env._("no country"),
                ),
            }
        rule = Rule.browse(decision.rule.rule_id if decision.rule else [])
        return {
            "decision": "allowed" if decision.allowed else "blocked",
            "e164": decision.e164,
            "rule_id": rule.id,
            "explanation": self._explain(decision.allowed, decision.e164, rule),
        }

    def _explain(self, allowed, e164, rule):
        if not rule:
            return self.env._("Allowed: no rule matches %(number)s.", number=e164)
        # sudo: the rule decided; its name and destination explain the decision
        rule_sudo = rule.sudo()
        values = {
            "number": e164,
            "rule": rule_sudo.name,
            "destination": rule_sudo._destination_label(),
            "account": rule_sudo.account_id.display_name,
        }
        if rule_sudo.account_id and allowed:
            return self.env._(
                "%(number)s is allowed by “%(rule)s”, an exception of the account "
                "%(account)s (%(destination)s).",
                **values,
            )
        if rule_sudo.account_id:
            return self.env._(
                "%(number)s is blocked by “%(rule)s”, a rule of the account "
                "%(account)s (%(destination)s).",
                **values,
            )
        if allowed:
            return self.env._(
                "%(number)s is allowed by the system rule “%(rule)s”, for every "
                "account (%(destination)s).",
                **values,
            )
        return self.env._(
            "%(number)s is blocked by the system rule “%(rule)s”, for every "
            "account (%(destination)s).",
            **values,
        )
