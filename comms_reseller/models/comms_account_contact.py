from odoo import api, fields, models
from odoo.exceptions import UserError, ValidationError


class CommsAccountContact(models.Model):
    """A contact shared with every user of a company account, in its voice
    directory (dial by name). The account's shared-contacts limit caps them."""

    _name = "comms.account.contact"
    _description = "Shared Contact"
    _order = "account_id, name, id"
    _check_company_auto = True

    account_id = fields.Many2one(
        "comms.account",
        required=True,
        index=True,
        ondelete="cascade",
        check_company=True,
        domain="[('kind', '=', 'company')]",
    )
    company_id = fields.Many2one(
        related="account_id.company_id", store=True, index=True, string="Reseller"
    )
    name = fields.Char(required=True)
    phone = fields.Char(required=True)

    @api.model_create_multi
    def create(self, vals_list):
        for vals in vals_list:
            if vals.get("phone"):
                vals["phone"] = self._format_phone(vals)
        contacts = super().create(vals_list)
        contacts.account_id._check_shared_contacts_limit()
        return contacts

    def write(self, vals):
        if "account_id" in vals and any(
            contact.account_id.id != vals["account_id"] for contact in self
        ):
            raise UserError(
                self.env._("A shared contact cannot move to another account.")
            )
        if vals.get("phone"):
            vals["phone"] = self._format_phone(
                dict(vals, account_id=self.account_id.id)
            )
        return super().write(vals)

    def _format_phone(self, vals):
        account = self.env["comms.account"].browse(vals.get("account_id"))
        company = account.company_id or self.env.company
        return company._comms_check_phone(vals["phone"])

    @api.constrains("account_id")
    def _check_company_account(self):
        for contact in self:
            if contact.account_id.kind != "company":
                raise ValidationError(
                    self.env._(
                        "Only company accounts share contacts; %(account)s is a "
                        "professional account.",
                        account=contact.account_id.display_name,
                    )
                )
