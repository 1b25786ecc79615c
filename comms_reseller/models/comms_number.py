from odoo import api, fields, models
from odoo.exceptions import UserError, ValidationError


class CommsNumber(models.Model):
    _name = "comms.number"
    _description = "Subscriber Phone Number"
    _inherit = ["mail.thread"]
    _order = "name"
    _check_company_auto = True

    name = fields.Char(
        string="Number",
        required=True,
        index="trigram",
        tracking=True,
        help="In international E.164 format, e.g. +15145550123.",
    )
    company_id = fields.Many2one(
        "res.company",
        string="Reseller",
        required=True,
        index=True,
        default=lambda self: self.env.company,
    )
    country_id = fields.Many2one(
        "res.country", help="Used to read numbers entered in national format."
    )
    kind = fields.Selection(
        [
            ("local", "Local"),
            ("toll_free", "Toll-Free"),
            ("international", "International"),
        ],
        required=True,
        default="local",
    )
    option_fax = fields.Boolean(string="Fax")
    option_sms = fields.Boolean(string="SMS")
    option_911 = fields.Boolean(string="911")
    state = fields.Selection(
        [
            ("available", "Available"),
            ("assigned", "Assigned"),
            ("released", "Released"),
        ],
        required=True,
        default="available",
        index=True,
        tracking=True,
        help="Available: in the reseller's stock. Assigned: used by one account. "
        "Released: given back to the carrier, kept for history.",
    )
    account_id = fields.Many2one(
        "comms.account",
        index="btree_not_null",
        check_company=True,
        tracking=True,
        ondelete="restrict",
    )

    _sql_constraints = [
        (
            "assigned_has_account",
            "CHECK((state = 'assigned') = (account_id IS NOT NULL))",
            "A number is assigned exactly when it belongs to an account.",
        ),
    ]

    def init(self):
        # A number held (available or assigned) exists once, so it can never be
        # on two accounts, even when two requests assign it at the same time.
        self.env.cr.execute(
            """
            CREATE UNIQUE INDEX IF NOT EXISTS comms_number_held_uniq
            ON comms_number (name) WHERE state != 'released'
            """
        )

    @api.model
    def _format_e164(self, number, country):
        formatted = self._phone_format(
            number=number,
            country=country or self.env.company.country_id,
            force_format="E164",
        )
        if not formatted:
            raise ValidationError(
                self.env._(
                    "%(number)s is not a valid phone number.", number=number or ""
                )
            )
        return formatted

    @api.model_create_multi
    def create(self, vals_list):
        Country = self.env["res.country"]
        for vals in vals_list:
            if vals.get("name"):
                vals["name"] = self._format_e164(
                    vals["name"], Country.browse(vals.get("country_id"))
                )
            if vals.get("account_id") and "state" not in vals:
                vals["state"] = "assigned"
        # A number released earlier in this transaction is free for the index.
        self.flush_model(["state"])
        return super().create(vals_list)

    def write(self, vals):
        if vals.get("name"):
            for number in self:
                country = self.env["res.country"].browse(
                    vals.get("country_id", number.country_id.id)
                )
                number_vals = dict(vals, name=self._format_e164(vals["name"], country))
                super(CommsNumber, number).write(number_vals)
            return True
        if vals.get("account_id"):
            self._check_free_for(vals["account_id"])
        if "account_id" in vals:
            # A number leaving its account leaves the account's groups and fax
            # lines too.
            self.filtered(
                lambda n: n.account_id.id != vals["account_id"]
            )._unlink_from_groups_and_fax_lines()
        if "account_id" in vals and "state" not in vals:
            vals = dict(vals, state="assigned" if vals["account_id"] else "available")
        return super().write(vals)

    @api.constrains("account_id")
    def _check_account_status(self):
        for number in self.filtered("account_id"):
            account = number.account_id
            if account.billing_status == "trial":
                raise ValidationError(
                    self.env._(
                        "Numbers can be added to %(account)s once it is in "
                        "production, not during its free trial.",
                        account=account.display_name,
                    )
                )
            if account.billing_status == "unsubscribed":
                raise ValidationError(
                    self.env._(
                        "The account %(account)s is unsubscribed: restore it before "
                        "giving it numbers.",
                        account=account.display_name,
                    )
                )

    def _check_free_for(self, account_id):
        """A number goes from one account to another only through the stock:
        taken off (or its account unsubscribed) first, never taken over."""
        # Row locks in id order: of two requests giving a number to two accounts,
        # the second waits, then fails to serialize and is retried, seeing the first.
        self.env.cr.execute(
            "SELECT id FROM comms_number WHERE id IN %s ORDER BY id FOR UPDATE",
            [tuple(self.ids)],
        )
        for number in self:
            if number.state == "released":
                raise UserError(
                    self.env._(
                        "The number %(number)s was given back to the carrier: it "
                        "cannot be assigned.",
                        number=number.name,
                    )
                )
            if number.account_id and number.account_id.id != account_id:
                raise UserError(
                    self.env._(
                        "The number %(number)s is assigned to %(account)s: take it "
                        "off that account first.",
                        number=number.name,
                        account=number.account_id.display_name,
                    )
                )

    def _release_from_account(self):
        """Back to the reseller's stock, free for another account."""
        return self.write({"account_id": False, "state": "available"})

    def _unlink_from_groups_and_fax_lines(self):
        held = self.filtered("account_id")
        if not held:
            return
        # Groups and fax lines are the shared inbox's records, which the reseller's
        # staff may not write: a released number must leave them all the same.
        domain = [("comms_account_id", "in", held.account_id.ids)]
        names = held.mapped("name")
        groups_sudo = (
            self.env["comms.group"]
            .sudo()
            .with_context(active_test=False)
            .search(domain + [("sms_number", "in", names)])
        )
        groups_sudo.sms_number = False
        self.env["comms.fax.line"].sudo().search(
            domain + [("number", "in", names)]
        )._comms_release()

    def action_assign(self, account):
        self.ensure_one()
        if self.state != "available":
            raise UserError(
                self.env._("The number %(number)s is not available.", number=self.name)
            )
        return self.write({"account_id": account.id, "state": "assigned"})

    def action_unassign(self):
        return self._release_from_account()

    def action_release(self):
        if self.filtered("account_id"):
            raise UserError(
                self.env._("Take the number off its account before releasing it.")
            )
        return self.write({"state": "released"})
