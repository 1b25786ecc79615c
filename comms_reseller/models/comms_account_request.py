import time
from datetime import UTC, datetime

from odoo import Command, api, fields, models
from odoo.exceptions import UserError, ValidationError
from odoo.tools import consteq
from odoo.tools.misc import hmac

REQUEST_LINK_SCOPE = "comms_reseller.account_request"
STEPS = [
    ("client", "Client"),
    ("plan", "Plan"),
    ("numbers", "Numbers"),
    ("billing", "Billing"),
]
STEP_KEYS = [key for key, _label in STEPS]
# The fields each step asks for: what the client may still fill in on the portal.
STEP_FIELDS = {
    "client": [
        "kind",
        "client_name",
        "admin_name",
        "street",
        "street2",
        "zip",
        "city",
        "country_id",
        "email",
        "phone",
        "lang",
        "tz",
    ],
    "plan": ["plan_id", "option_ids", "device_ids"],
    "numbers": ["number_ids", "port_numbers"],
    "billing": ["billing_status", "trial_days", "payment_mode"],
}


class CommsAccountRequest(models.Model):
    """The new account wizard. It is stored, not transient: what the reseller
    entered is kept while the client finishes the remaining steps on the portal."""

    _name = "comms.account.request"
    _description = "New Subscriber Account"
    _inherit = ["mail.thread"]
    _order = "id desc"
    _check_company_auto = True

    name = fields.Char(related="client_name", string="Name")
    company_id = fields.Many2one(
        "res.company",
        string="Reseller",
        required=True,
        index=True,
        default=lambda self: self.env.company,
    )
    user_id = fields.Many2one(
        "res.users",
        string="Account Manager",
        default=lambda self: self.env.user,
        domain="[('share', '=', False), ('company_ids', 'in', company_id)]",
    )
    state = fields.Selection(
        [
            ("draft", "Draft"),
            ("sent", "Sent to Client"),
            ("done", "Account Created"),
            ("cancel", "Cancelled"),
        ],
        required=True,
        default="draft",
        index=True,
        tracking=True,
        copy=False,
    )
    step = fields.Selection(STEPS, required=True, default="client")
    account_id = fields.Many2one(
        "comms.account", readonly=True, copy=False, check_company=True
    )
    link_version = fields.Integer(
        readonly=True,
        copy=False,
        help="Sending the link again makes the links sent before invalid.",
    )
    link_expiry = fields.Datetime(string="Link Valid Until", readonly=True, copy=False)

    # Client
    kind = fields.Selection(
        [("company", "Company"), ("professional", "Professional")],
        required=True,
        default="company",
    )
    client_name = fields.Char(string="Client")
    admin_name = fields.Char(
        string="Administrator",
        help="The account's first user; the client's name if left empty.",
    )
    street = fields.Char()
    street2 = fields.Char()
    zip = fields.Char()
    city = fields.Char()
    country_id = fields.Many2one("res.country")
    email = fields.Char(help="The administrator's email and login.")
    phone = fields.Char()
    lang = fields.Selection(
        selection="_lang_get",
        string="Language",
        default=lambda self: self.env.lang,
    )
    tz = fields.Selection(
        selection="_tz_get",
        string="Time Zone",
        default=lambda self: self.env.user.tz,
    )

    # Plan
    allowed_product_ids = fields.Many2many(
        "product.template", compute="_compute_allowed_product_ids"
    )
    plan_id = fields.Many2one(
        "product.product",
        check_company=True,
        domain="[('comms_kind', '=', 'plan'), "
        "('product_tmpl_id', 'in', allowed_product_ids)]",
    )
    option_ids = fields.Many2many(
        "product.product",
        "comms_account_request_option_rel",
        "request_id",
        "product_id",
        string="Options",
        check_company=True,
        domain="[('comms_kind', '=', 'option'), "
        "('product_tmpl_id', 'in', allowed_product_ids)]",
    )
    device_ids = fields.Many2many(
        "product.product",
        "comms_account_request_device_rel",
        "request_id",
        "product_id",
        string="Devices",
        check_company=True,
        domain="[('comms_kind', '=', 'device'), "
        "('product_tmpl_id', 'in', allowed_product_ids)]",
    )

    # Numbers
    number_ids = fields.Many2many(
        "comms.number",
        string="Numbers to Order",
        check_company=True,
        domain="[('state', '=', 'available'), ('company_id', '=', company_id)]",
        help="Numbers of the reseller's stock; only for an account in production.",
    )
    port_numbers = fields.Text(
        string="Numbers to Port",
        help="Numbers the client brings from another carrier, one a line.",
    )

    # Billing
    billing_status = fields.Selection(
        [("trial", "Free Trial"), ("production", "Production")],
        required=True,
        default="trial",
    )
    trial_days = fields.Integer(default=30)
    payment_mode = fields.Selection(
        selection=lambda self: self.env["comms.account"]
        ._fields["payment_mode"]
        ._description_selection(self.env),
        required=True,
        default="invoice",
    )

    _sql_constraints = [
        (
            "trial_days_range",
            "CHECK(trial_days BETWEEN 15 AND 90)",
            "A free trial lasts from 15 to 90 days.",
        ),
    ]

    @api.model
    def _lang_get(self):
        return self.env["res.lang"].get_installed()

    @api.model
    def _tz_get(self):
        return self.env["res.partner"]._fields["tz"]._description_selection(self.env)

    @api.depends("company_id")
    def _compute_allowed_product_ids(self):
        for request in self:
            request.allowed_product_ids = request.company_id._comms_allowed_products()

    # Steps

    def _step_missing(self, step):
        """The labels of the required fields of a step left empty."""
        self.ensure_one()
        required = {
            "client": ["client_name", "email"],
            "plan": ["plan_id"],
            "numbers": [],
            "billing": ["billing_status", "payment_mode"],
        }[step]
        return [
            self._fields[name].get_description(self.env)["string"]
            for name in required
            if not self[name]
        ]

    def _check_step(self, step):
        self.ensure_one()
        missing = self._step_missing(step)
        if missing:
            raise UserError(
                self.env._(
                    "Fill in %(fields)s before going on.", fields=", ".join(missing)
                )
            )
        if step == "plan":
            self._check_products_allowed()
        if step == "billing":
            self._check_numbers_need_production()
            self.company_id._comms_check_payment_mode(self.payment_mode)

    def _check_products_allowed(self):
        allowed = self.company_id._comms_allowed_products()
        refused = (self.plan_id | self.option_ids | self.device_ids).filtered(
            lambda product: product.product_tmpl_id not in allowed
        )
        if refused:
            raise UserError(
                self.env._(
                    "%(company)s is not allowed to sell %(products)s.",
                    company=self.company_id.name,
                    products=", ".join(refused.mapped("display_name")),
                )
            )

    def _check_numbers_need_production(self):
        if self.billing_status != "trial":
            return
        paid_options = self.option_ids.filtered(lambda product: product.lst_price > 0)
        if self.number_ids or paid_options:
            raise UserError(
                self.env._(
                    "Numbers and paid options can be added once the account is in "
                    "production, not during its free trial: choose Production or "
                    "remove them."
                )
            )

    def action_next(self):
        for request in self:
            request._check_step(request.step)
            index = STEP_KEYS.index(request.step)
            request.step = STEP_KEYS[min(index + 1, len(STEP_KEYS) - 1)]
        return True

    def action_previous(self):
        for request in self:
            index = STEP_KEYS.index(request.step)
            request.step = STEP_KEYS[max(index - 1, 0)]
        return True

    def remaining_steps(self):
        """The steps the client may still fill in on the portal."""
        self.ensure_one()
        return STEP_KEYS[STEP_KEYS.index(self.step) :]

    # Creating the account

    def _prepare_partner_vals(self):
        self.ensure_one()
        return {
            "name": self.client_name,
            "is_company": self.kind == "company",
            "street": self.street,
            "street2": self.street2,
            "zip": self.zip,
            "city": self.city,
            "country_id": self.country_id.id,
            "email": self.email,
            "phone": self.phone,
            "lang": self.lang,
            "tz": self.tz,
            "company_id": False,
        }

    def _prepare_account_vals(self, partner):
        self.ensure_one()
        products = self.plan_id | self.option_ids | self.device_ids
        return {
            "partner_id": partner.id,
            "company_id": self.company_id.id,
            "kind": self.kind,
            "billing_status": self.billing_status,
            "trial_days": self.trial_days,
            "payment_mode": self.payment_mode,
            "user_id": self.user_id.id,
            "user_ids": [
                Command.create(
                    {
                        "name": self.admin_name or self.client_name,
                        "email": self.email,
                        "lang": self.lang,
                    }
                )
            ],
            "line_ids": [
                Command.create({"product_id": product.id}) for product in products
            ],
        }

    def action_create_account(self):
        self.ensure_one()
        if self.state in ("done", "cancel"):
            raise UserError(self.env._("This new account request is already closed."))
        for step in STEP_KEYS:
            self._check_step(step)
        partner = self.env["res.partner"].create(self._prepare_partner_vals())
        account = (
            self.env["comms.account"]
            .with_company(self.company_id)
            .create(self._prepare_account_vals(partner))
        )
        for number in self.number_ids:
            number.action_assign(account)
        account.main_number_id = self.number_ids[:1]
        if self.port_numbers:
            account.activity_schedule(
                "mail.mail_activity_data_todo",
                summary=self.env._("Port the client's numbers"),
                note=self.port_numbers,
                user_id=(self.user_id or self.env.user).id,
            )
        self.write({"state": "done", "account_id": account.id})
        account._send_welcome_email()
        return account._get_records_action()

    def _as_account_manager(self):
        """The request as its account manager, who creates the account and
        writes to the client when the client finishes it on the portal; as the
        superuser when the manager left."""
        manager = self.user_id
        if manager.active and self.company_id in manager.company_ids:
            return self.with_user(manager).with_company(self.company_id)
        return self.sudo()

    def action_view_account(self):
        self.ensure_one()
        return self.account_id._get_records_action()

    def action_cancel(self):
        return self.write({"state": "cancel"})

    # Send to client: a signed, expiring link to the portal page

    def _link_token(self, expires):
        self.ensure_one()
        # Signed with the database secret (superuser environment); the version
        # makes the links sent before a new one invalid.
        return hmac(
            self.env(su=True),
            REQUEST_LINK_SCOPE,
            (self.id, self.link_version, self.email or "", expires),
        )

    def _link_url(self, expires):
        self.ensure_one()
        token = self._link_token(expires)
        return f"{self.get_base_url()}/reseller/new-account/{self.id}/{expires}/{token}"

    def _check_link(self, expires, token):
        """'valid', 'expired', 'used' or 'invalid' for a signed link."""
        self.ensure_one()
        if not consteq(self._link_token(expires), token or ""):
            return "invalid"
        if self.state == "done":
            return "used"
        if self.state != "sent":
            return "invalid"
        if expires < time.time():
            return "expired"
        return "valid"

    def action_send_to_client(self):
        self.ensure_one()
        if self.state in ("done", "cancel"):
            raise UserError(self.env._("This new account request is already closed."))
        if not self.email:
            raise UserError(self.env._("Enter the client's email to send the link."))
        days = int(
            self.env["ir.config_parameter"]
            .sudo()
            .get_param("comms_reseller.request_link_validity_days", 7)
        )
        expires = int(time.time()) + days * 86400
        self.write(
            {
                "state": "sent",
                "link_version": self.link_version + 1,
                "link_expiry": datetime.fromtimestamp(expires, tz=UTC).replace(
                    tzinfo=None
                ),
            }
        )
        template = self.env.ref("comms_reseller.mail_template_account_request")
        request = self.with_context(comms_request_url=self._link_url(expires))
        request.message_post_with_source(
            template, message_type="comment", subtype_xmlid="mail.mt_comment"
        )
        return True

    # The client's part, on the portal

    def _portal_fields(self):
        self.ensure_one()
        return [name for step in self.remaining_steps() for name in STEP_FIELDS[step]]

    def _portal_write(self, values):
        """Write what the client entered, limited to the remaining steps."""
        self.ensure_one()
        allowed = set(self._portal_fields())
        vals = {}
        for name, value in values.items():
            if name not in allowed:
                continue
            field = self._fields[name]
            if field.type == "many2many":
                ids = [int(v) for v in value if str(v).isdigit()]
                vals[name] = [Command.set(ids)]
            elif field.type == "many2one":
                vals[name] = int(value) if str(value).isdigit() else False
            elif field.type == "integer":
                vals[name] = int(value) if str(value).lstrip("-").isdigit() else 0
            else:
                vals[name] = value or False
        self.write(vals)

    @api.constrains("number_ids", "company_id")
    def _check_numbers_available(self):
        for request in self.filtered(lambda r: r.state in ("draft", "sent")):
            taken = request.number_ids.filtered(lambda n: n.state != "available")
            if taken:
                raise ValidationError(
                    self.env._(
                        "The numbers %(numbers)s are not available any more.",
                        numbers=", ".join(taken.mapped("name")),
                    )
                )
