from odoo import api, fields, models
from odoo.exceptions import UserError


class CommsScanRequest(models.Model):
    _name = "comms.scan.request"
    _description = "Scan Request"
    _inherit = ["mail.thread"]
    _order = "request_date desc, id desc"
    _check_company_auto = True

    name = fields.Char(
        string="Reference",
        required=True,
        readonly=True,
        copy=False,
        default=lambda self: self.env._("New"),
    )
    mail_item_id = fields.Many2one(
        "comms.mail.item",
        required=True,
        ondelete="cascade",
        index=True,
        check_company=True,
    )
    company_id = fields.Many2one(
        related="mail_item_id.company_id", store=True, index=True
    )
    partner_id = fields.Many2one(
        related="mail_item_id.partner_id", store=True, index=True, string="Client"
    )
    commercial_partner_id = fields.Many2one(
        related="mail_item_id.commercial_partner_id", store=True, index=True
    )
    sender_name = fields.Char(related="mail_item_id.sender_name")
    item_date = fields.Datetime(related="mail_item_id.date", string="Received On")
    request_date = fields.Datetime(
        string="Requested On", required=True, default=fields.Datetime.now, readonly=True
    )
    channel = fields.Selection(
        [("portal", "Portal"), ("email", "Email link"), ("backend", "Office")],
        required=True,
        default="backend",
        readonly=True,
    )
    state = fields.Selection(
        [("new", "New"), ("done", "Done"), ("cancel", "Cancelled")],
        required=True,
        default="new",
        tracking=True,
        index=True,
    )
    scan_ids = fields.Many2many(
        "ir.attachment",
        "comms_scan_request_attachment_rel",
        "request_id",
        "attachment_id",
        string="Scans",
        copy=False,
    )
    additional_info = fields.Text(string="Additional Information")
    currency_id = fields.Many2one(related="company_id.currency_id")
    additional_cost = fields.Monetary(
        compute="_compute_additional_cost",
        store=True,
        readonly=False,
        help="Billed to the client when the scan is done. Defaults from the "
        "client's package.",
    )
    cost_id = fields.Many2one(
        "comms.mail.item.cost",
        string="Billed Cost",
        readonly=True,
        copy=False,
        check_company=True,
    )
    done_date = fields.Datetime(string="Done On", readonly=True, copy=False)

    _sql_constraints = [
        (
            "additional_cost_positive",
            "CHECK(additional_cost >= 0)",
            "The additional cost of a scan cannot be negative.",
        ),
    ]

    def init(self):
        # One open request per item, enforced by the database so that two
        # simultaneous clicks cannot both succeed.
        self.env.cr.execute(
            """
            CREATE UNIQUE INDEX IF NOT EXISTS comms_scan_request_open_item_uniq
            ON comms_scan_request (mail_item_id) WHERE state = 'new'
            """
        )

    @api.model_create_multi
    def create(self, vals_list):
        for vals in vals_list:
            if vals.get("name", self.env._("New")) == self.env._("New"):
                item = self.env["comms.mail.item"].browse(vals.get("mail_item_id"))
                vals["name"] = (
                    self.env["ir.sequence"]
                    .with_company(item.company_id or self.env.company)
                    .next_by_code("comms.scan.request")
                )
        return super().create(vals_list)

    @api.depends("mail_item_id.partner_id")
    def _compute_additional_cost(self):
        for scan_request in self:
            # The client's package may belong to a company the user cannot read.
            partner_sudo = scan_request.mail_item_id.partner_id.sudo()
            scan_request.additional_cost = partner_sudo._office_package().scan_cost

    # Staff notification

    def _office_users(self):
        # Clients asking for a scan cannot read the groups and users.
        group_sudo = self.env.ref("comms_virtual_office.group_office_user").sudo()
        return group_sudo.users.filtered(
            lambda user: not user.share and self.company_id in user.company_ids
        )

    def _notify_staff(self):
        """Tell the staff of each company about its new requests, on the channels
        switched on, at the office email and number of that company."""
        params_sudo = self.env["ir.config_parameter"].sudo()
        for company, scan_requests in self.grouped("company_id").items():
            if params_sudo.get_param("comms_virtual_office.notify_email"):
                scan_requests._notify_staff_email(company.office_email)
            if params_sudo.get_param("comms_virtual_office.notify_sms"):
                scan_requests._notify_staff_sms(company.office_sms_number)
            if params_sudo.get_param("comms_virtual_office.notify_inapp"):
                scan_requests._notify_staff_inapp()

    def _notify_staff_email(self, email):
        if not email:
            return
        # Clients asking for a scan cannot read mail templates.
        template_sudo = self.env.ref(
            "comms_virtual_office.mail_template_scan_request_staff"
        ).sudo()
        for scan_request in self:
            template_sudo.send_mail(scan_request.id, email_values={"email_to": email})

    def _notify_staff_sms(self, number):
        """Queue the texts to the office: Odoo's SMS queue sends them after this
        transaction, so that a rollback cannot send them twice."""
        if not number:
            return
        # Clients asking for a scan can neither read SMS templates nor create SMS.
        template_sudo = self.env.ref(
            "comms_virtual_office.sms_template_scan_request_staff"
        ).sudo()
        bodies = template_sudo._render_field("body", self.ids, compute_lang=True)
        self.env["sms.sms"].sudo().create(
            [
                {"number": number, "body": bodies[rec.id], "state": "outgoing"}
                for rec in self
            ]
        )
        self.env.ref("sms.ir_cron_sms_scheduler_action")._trigger()

    def _notify_staff_inapp(self):
        for scan_request in self:
            partners = scan_request._office_users().partner_id
            if not partners:
                continue
            # Clients asking for a scan cannot post on the request.
            scan_request_sudo = scan_request.sudo()
            scan_request_sudo.message_notify(
                partner_ids=partners.ids,
                author_id=scan_request.partner_id.id,
                subject=self.env._(
                    "Scan requested: %(item)s", item=scan_request.mail_item_id.name
                ),
                body=self.env._(
                    "%(client)s asks for a scan of %(item)s from %(sender)s.",
                    client=scan_request.partner_id.display_name,
                    item=scan_request.mail_item_id.name,
                    sender=scan_request.sender_name or "-",
                ),
                email_layout_xmlid="mail.mail_notification_light",
            )

    # Workflow

    def action_done(self):
        for scan_request in self:
            if scan_request.state != "new":
                raise UserError(self.env._("Only new scan requests can be completed."))
            if not scan_request.scan_ids:
                raise UserError(
                    self.env._("Attach the scan before marking the request as done.")
                )
        for scan_request in self:
            scan_request._complete()
        return True

    def _complete(self):
        self.ensure_one()
        item = self.mail_item_id
        # The scans become the item's: moved as superuser, since the staff member
        # may not own the uploaded files; their rights on both records are checked
        # by the writes below.
        self.scan_ids.sudo().write({"res_model": item._name, "res_id": item.id})
        item.scan_ids = [fields.Command.link(att.id) for att in self.scan_ids]
        if self.additional_cost:
            self.cost_id = self.env["comms.mail.item.cost"].create(
                {
                    "mail_item_id": item.id,
                    "name": self.env._("Scan of %(item)s", item=item.name),
                    "amount": self.additional_cost,
                    "scan_request_id": self.id,
                }
            )
        self.write({"state": "done", "done_date": fields.Datetime.now()})
        self.message_post_with_source(
            "comms_virtual_office.mail_template_scan_done",
            subtype_xmlid="mail.mt_comment",
            message_type="comment",
            attachment_ids=self.scan_ids.ids,
        )

    def action_cancel(self):
        if self.filtered(lambda r: r.state == "done"):
            raise UserError(self.env._("A done scan request cannot be cancelled."))
        self.state = "cancel"
        return True

    def action_open_mail_item(self):
        self.ensure_one()
        return self.mail_item_id.get_formview_action()
