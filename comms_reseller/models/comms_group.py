from odoo import api, fields, models
from odoo.exceptions import UserError, ValidationError

from ..tools.extension_plan import ExtensionPlan


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
    comms_extension = fields.Char(
        string="Extension",
        readonly=True,
        copy=False,
        index="btree_not_null",
        help="Given by the system when the group gets a subscriber account: the "
        "lowest free one of the groups range of the account's organization.",
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

    @api.constrains("comms_extension", "comms_account_id")
    def _check_comms_extension_clash(self):
        for group in self.filtered("comms_extension"):
            group.comms_account_id._check_extension_free(
                group.sudo(), group.comms_extension
            )

    @api.model_create_multi
    def create(self, vals_list):
        accounts = self.env["comms.account"].browse(
            {
                vals["comms_account_id"]
                for vals in vals_list
                if vals.get("comms_account_id")
            }
        )
        accounts._lock_extension_plans()
        groups = super().create(vals_list)
        groups.filtered("comms_account_id")._comms_assign_extensions()
        return groups

    def write(self, vals):
        if "comms_account_id" not in vals:
            return super().write(vals)
        moving = self.filtered(
            lambda g: g.comms_account_id.id != vals["comms_account_id"]
        )
        (
            moving.comms_account_id
            | self.comms_account_id.browse(vals["comms_account_id"])
        )._lock_extension_plans()
        # Leaving an account frees the extension; a new account gives a new one.
        moving._write_extensions(dict.fromkeys(moving.ids, False))
        res = super().write(vals)
        moving.filtered("comms_account_id")._comms_assign_extensions()
        return res

    def _write_extensions(self, extensions):
        for group in self:
            group.comms_extension = extensions[group.id]
        return True

    def _comms_assign_extensions(self):
        """Give each group the lowest free extension of its organization's groups
        range."""
        for organization, groups in self.grouped(
            lambda g: g.comms_account_id._extension_organization()
        ).items():
            plan = ExtensionPlan(
                extension
                for _owner, extension in organization._organization_extensions()
            )
            for group in groups.sorted("id"):
                extension = plan.lowest_free(
                    organization.extension_group_start,
                    organization.extension_group_end,
                )
                if not extension:
                    raise UserError(
                        self.env._(
                            "The groups range %(start)s–%(end)s of %(organization)s "
                            "has no free extension left for the group %(group)s: "
                            "widen it first.",
                            start=organization.extension_group_start,
                            end=organization.extension_group_end,
                            organization=organization.display_name,
                            group=group.name,
                        )
                    )
                plan.take(extension)
                group._write_extensions({group.id: extension})
