import re

from odoo import api, fields, models
from odoo.exceptions import UserError, ValidationError

from ..tools.call_restriction import (
    CallRestriction,
    CallRule,
    InvalidNumber,
    calling_code,
    international_digits,
)

INTERNATIONAL_PREFIX = re.compile(r"^\+?\d{1,15}$")


class CommsCallRule(models.Model):
    """Block or allow destinations by country, area code or number prefix, for
    every account of a reseller (system rule) or for one account (its own rule,
    which overrides the system rules: an exception). The most specific rule
    wins, see tools/call_restriction.py."""

    _name = "comms.call.rule"
    _description = "Call Restriction Rule"
    _order = "company_id, account_id, sequence, id"
    _check_company_auto = True

    name = fields.Char(required=True, translate=True)
    active = fields.Boolean(default=True)
    sequence = fields.Integer(default=10)
    company_id = fields.Many2one(
        "res.company",
        string="Reseller",
        required=True,
        index=True,
        default=lambda self: self.env.company,
    )
    account_id = fields.Many2one(
        "comms.account",
        index=True,
        check_company=True,
        ondelete="cascade",
        help="Empty: a system rule, for every account of the reseller. "
        "Set: a rule of this account only, overriding the system rules.",
    )
    scope = fields.Selection(
        [("system", "System"), ("account", "Account")],
        compute="_compute_scope",
        store=True,
    )
    action = fields.Selection(
        [("block", "Block"), ("allow", "Allow")], required=True, default="block"
    )
    kind = fields.Selection(
        [
            ("country", "Country"),
            ("area_code", "Area code"),
            ("prefix", "Number prefix"),
        ],
        required=True,
        default="prefix",
    )
    country_id = fields.Many2one("res.country")
    starter = fields.Boolean(
        string="Starter Set",
        readonly=True,
        help="Shipped with the module (premium-rate and revenue-share-fraud "
        "destinations), inactive until the reseller enables it.",
    )
    value = fields.Char(
        string="Prefix",
        help="International digits with the country calling code. Area code: the "
        "calling code and the area code, e.g. +4420 (London), +1212 (New York). "
        "Number prefix: any start of an international number, e.g. +37190.",
    )

    @api.depends("account_id")
    def _compute_scope(self):
        for rule in self:
            rule.scope = "account" if rule.account_id else "system"

    def write(self, vals):
        result = super().write(vals)
        if {"account_id", "company_id"} & set(vals):
            # Record rules are checked on the records before a write only: a
            # reseller user may not turn an account rule into a system rule.
            self.check_access("write")
        return result

    @api.constrains("kind", "country_id", "value")
    def _check_destination(self):
        for rule in self:
            if rule.kind == "country":
                if not rule.country_id:
                    raise ValidationError(
                        self.env._("The rule “%s” needs a country.", rule.name)
                    )
                continue
            if not INTERNATIONAL_PREFIX.match((rule.value or "").strip()):
                raise ValidationError(
                    self.env._(
                        "The prefix of the rule “%(rule)s” must be digits, "
                        "optionally starting with +, e.g. +4420: “%(value)s”.",
                        rule=rule.name,
                        value=rule.value or "",
                    )
                )
            if not calling_code(international_digits(rule.value)):
                raise ValidationError(
                    self.env._(
                        "The prefix “%(value)s” of the rule “%(rule)s” does not "
                        "start with a country calling code (e.g. +44, +1, +33).",
                        rule=rule.name,
                        value=rule.value,
                    )
                )

    def _destination_label(self):
        """“country Cuba”, “area code +4420”, “number prefix +37190”."""
        self.ensure_one()
        if self.kind == "country":
            return self.env._("country %(country)s", country=self.country_id.name)
        if self.kind == "area_code":
            return self.env._("area code %(code)s", code=self.value)
        return self.env._("number prefix %(prefix)s", prefix=self.value)

    @api.model
    def _copy_starter_set(self, companies=None):
        """Give each reseller company (every company by default) its own
        inactive copy of the starter set shipped in data/, once."""
        # sudo: run at install and when a company is created, for every company
        rules_sudo = self.sudo().with_context(active_test=False)
        template_ids = (
            self.env["ir.model.data"]
            .sudo()
            .search([("module", "=", "comms_reseller"), ("model", "=", self._name)])
            .mapped("res_id")
        )
        templates = rules_sudo.browse(template_ids).exists().filtered("starter")
        if companies is None:
            companies = self.env["res.company"].sudo().search([])
        having = rules_sudo.search(
            [("starter", "=", True), ("company_id", "in", companies.ids)]
        ).company_id
        for company in companies - having:
            templates.copy({"company_id": company.id, "active": False})

    @api.model
    def _decide(self, account, number):
        """Decision(allowed, e164, rule) for calling `number` from `account`; rule
        is a comms.call.rule record (empty when no rule matched). The rules
        are read once, every match is made in memory."""
        restriction, region = self._restriction_of(account)
        return self._decide_in(restriction, region, number)

    @api.model
    def _decide_in(self, restriction, region, number):
        """_decide under rules already read with _restriction_of, to decide
        many numbers of one account without reading its rules for each."""
        try:
            decision = restriction.decide(number, region)
        except InvalidNumber:
            raise UserError(self.env._("“%s” is not a phone number.", number)) from None
        rule = self.browse(decision.rule.rule_id if decision.rule else [])
        return decision._replace(rule=rule)

    @api.model
    def _restriction_of(self, account):
        """(CallRestriction, region): the account's rules in memory, and the
        country (ISO code) its numbers in national format are read in, to
        decide many numbers without a query each."""
        account.ensure_one()
        country = account.partner_id.country_id or account.company_id.country_id
        rules = self._restriction_rules(account.company_id, account)
        return CallRestriction(rules), country.code

    @api.model
    def _restriction_rules(self, company, account=None):
        """The CallRule tuples of `company`'s system rules and, with `account`,
        of the account's own rules, in sequence order."""
        # The rules apply whoever asks: a reseller user reads system rules but a
        # sender (a portal user's fax) may not read them at all.
        account_domain = [("account_id", "=", False)]
        if account:
            account_domain = ["|", *account_domain, ("account_id", "=", account.id)]
        rules_sudo = self.sudo().search(
            [("company_id", "=", company.id), *account_domain],
            order="sequence, id",
        )
        return [
            CallRule(
                rule.scope,
                rule.action,
                rule.kind,
                rule.country_id.code if rule.kind == "country" else rule.value,
                rule.id,
            )
            for rule in rules_sudo
        ]
