from odoo import fields, models


class ResUsers(models.Model):
    _inherit = "res.users"

    comms_group_ids = fields.Many2many(
        "comms.group",
        string="Shared-inbox groups",
        compute="_compute_comms_group_ids",
        help="The groups this user is a member or a manager of.",
    )

    def _compute_comms_group_ids(self):
        """Read by the record rules of the groups' documents as a list of ids, so
        that PostgreSQL uses the group_id index instead of scanning every row (it
        cannot estimate how few groups a join through both memberships leaves)."""
        # sudo: the rules need every group of the user, whatever the rules on groups
        groups = self.env["comms.group"].sudo().with_context(active_test=False)
        for user in self:
            user.comms_group_ids = groups.search(
                ["|", ("user_ids", "in", user.id), ("manager_ids", "in", user.id)]
            )
