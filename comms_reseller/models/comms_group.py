from odoo import api, fields, models
from odoo.exceptions import ValidationError


class CommsGroup(models.Model):
    _inherit = "comms.group"

    comms_account_id = fields.Many2one(
        "comms.account",
        string="Subscriber Account",
        index="btree_not_null",
        ondelete="restrict",
        tracking=True,
        help="The subscriber account owning this group: its SMS and fax numbers "
        "must be numbers of that account.",
    )

    @api.constrains("comms_account_id", "sms_number", "company_id")
    def _check_comms_account_numbers(self):
        for group in self.filtered("comms_account_id"):
            account = group.comms_account_id
            if account.company_id != group.company_id:
                raise ValidationError(
                    self.env._(
                        "The group %(group)s and its subscriber account %(account)s "
                        "must belong to the same reseller.",
                        group=group.name,
                        account=account.display_name,
                    )
                )
            numbers = [group.sms_number, *group.fax_line_ids.mapped("number")]
            account._check_owns_numbers(numbers, group.name)

    @api.constrains("comms_account_id")
    def _check_comms_account_subscribed(self):
        for group in self.filtered("comms_account_id"):
            if group.comms_account_id.billing_status == "unsubscribed":
                raise ValidationError(
                    self.env._(
                        "The account %(account)s is unsubscribed: it cannot own "
                        "the group %(group)s.",
                        account=group.comms_account_id.display_name,
                        group=group.name,
                    )
                )
