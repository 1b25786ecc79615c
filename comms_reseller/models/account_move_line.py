from odoo import models
from odoo.exceptions import UserError


class AccountMoveLine(models.Model):
    _inherit = "account.move.line"

    def _comms_units(self):
        """The units of this units pack line: whole packs only."""
        self.ensure_one()
        packs = self.quantity
        if packs <= 0 or packs != int(packs):
            raise UserError(
                self.env._(
                    "Units packs are sold whole: %(quantity)s packs of "
                    "%(product)s cannot be credited.",
                    quantity=packs,
                    product=self.product_id.display_name,
                )
            )
        return int(packs) * self.product_id.comms_units_per_pack
