from odoo import fields, models


class ResCompany(models.Model):
    _inherit = "res.company"

    office_email = fields.Char(
        string="Virtual Office Email",
        help="Address told of each scan request of this company's clients.",
    )
    office_sms_number = fields.Char(
        string="Virtual Office Mobile Number",
        help="Number texted about each scan request of this company's clients.",
    )
    office_invoice_product_id = fields.Many2one(
        "product.product",
        string="Virtual Office Invoiced Product",
        check_company=True,
        domain=[("sale_ok", "=", True)],
        help="Product, and through it income account and taxes, of the invoice "
        "lines of extra costs. Empty: the product 'Virtual office extra cost'.",
    )
    office_scan_confirmation_text = fields.Char(
        string="Scan Request Confirmation",
        translate=True,
        default=lambda self: self.env._(
            "Scanning may be charged extra, according to your package."
        ),
        help="Shown to the client before they confirm a scan request.",
    )

    def _office_invoice_product(self):
        self.ensure_one()
        return self.office_invoice_product_id or self.env.ref(
            "comms_virtual_office.product_office_extra_cost"
        )
