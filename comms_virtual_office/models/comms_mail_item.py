import time
from datetime import timedelta

import psycopg2

from odoo import api, fields, models
from odoo.exceptions import UserError
from odoo.tools import consteq
from odoo.tools.misc import hmac

SCAN_LINK_SCOPE = "comms_virtual_office-scan-request"
# A client notified this recently is not notified again: a double click, not a wish.
NOTIFY_AGAIN_AFTER = timedelta(minutes=2)


class CommsMailItem(models.Model):
    _name = "comms.mail.item"
    _description = "Mail Item"
    _inherit = ["portal.mixin", "mail.thread", "mail.activity.mixin"]
    _order = "date desc, id desc"
    _check_company_auto = True

    name = fields.Char(
        string="Reference",
        required=True,
        readonly=True,
        copy=False,
        index="trigram",
        default=lambda self: self.env._("New"),
        help="Internal reference, printable as a barcode on the envelope.",
    )
    carrier_ref = fields.Char(
        string="Tracking Number",
        index="btree_not_null",
        copy=False,
        help="Carrier barcode or tracking number, as scanned from the item.",
    )
    company_id = fields.Many2one(
        "res.company", required=True, index=True, default=lambda self: self.env.company
    )
    partner_id = fields.Many2one(
        "res.partner",
        string="Client",
        required=True,
        index=True,
        tracking=True,
        check_company=True,
    )
    commercial_partner_id = fields.Many2one(
        related="partner_id.commercial_partner_id", store=True, index=True
    )
    direction = fields.Selection(
        [("incoming", "Incoming"), ("outgoing", "Outgoing")],
        required=True,
        default="incoming",
        tracking=True,
    )
    sender_name = fields.Char(string="Sender", tracking=True)
    recipient_name = fields.Char(string="Recipient")
    date = fields.Datetime(
        string="Received / Sent On",
        required=True,
        default=fields.Datetime.now,
        index=True,
    )
    kind = fields.Selection(
        [
            ("letter", "Letter"),
            ("registered", "Registered letter"),
            ("parcel", "Parcel"),
            ("magazine", "Magazine / advertising"),
            ("other", "Other"),
        ],
        required=True,
        default="letter",
    )
    state = fields.Selection(
        [
            ("to_collect", "To collect"),
            ("collected", "Collected"),
            ("forwarded", "Forwarded"),
            ("returned", "Returned to sender"),
            ("sent", "Sent"),
        ],
        required=True,
        default="to_collect",
        tracking=True,
        index=True,
    )
    note = fields.Text(string="Notes")
    scan_ids = fields.Many2many(
        "ir.attachment",
        "comms_mail_item_scan_rel",
        "item_id",
        "attachment_id",
        string="Scans",
        copy=False,
    )
    has_scan = fields.Boolean(compute="_compute_has_scan", store=True)
    scan_request_ids = fields.One2many(
        "comms.scan.request", "mail_item_id", string="Scan Requests"
    )
    scan_request_state = fields.Selection(
        [("new", "Requested"), ("done", "Scanned"), ("cancel", "Cancelled")],
        string="Scan Request",
        compute="_compute_scan_request_state",
    )
    can_request_scan = fields.Boolean(compute="_compute_can_request_scan")
    scan_request_url = fields.Char(
        compute="_compute_scan_request_url",
        groups="comms_virtual_office.group_office_user",
    )
    cost_ids = fields.One2many("comms.mail.item.cost", "mail_item_id", string="Costs")
    currency_id = fields.Many2one(related="company_id.currency_id")
    cost_total = fields.Monetary(compute="_compute_cost_total", string="Extra Costs")
    notified_date = fields.Datetime(
        string="Client Notified On", readonly=True, copy=False
    )

    _sql_constraints = [
        (
            "name_company_uniq",
            "UNIQUE(name, company_id)",
            "The reference of a mail item must be unique per company.",
        ),
    ]

    @api.model_create_multi
    def create(self, vals_list):
        for vals in vals_list:
            if vals.get("direction") == "outgoing":
                vals.setdefault("state", "sent")
            if vals.get("name", self.env._("New")) == self.env._("New"):
                company = self.env["res.company"].browse(vals.get("company_id"))
                vals["name"] = (
                    self.env["ir.sequence"]
                    .with_company(company or self.env.company)
                    .next_by_code("comms.mail.item")
                )
        return super().create(vals_list)

    @api.onchange("direction")
    def _onchange_direction(self):
        if self.direction == "outgoing" and self.state == "to_collect":
            self.state = "sent"
        elif self.direction == "incoming" and self.state == "sent":
            self.state = "to_collect"

    @api.depends("scan_ids")
    def _compute_has_scan(self):
        for item in self:
            item.has_scan = bool(item.scan_ids)

    @api.depends("scan_request_ids.state")
    def _compute_scan_request_state(self):
        for item in self:
            last = item.scan_request_ids.sorted("id")[-1:]
            item.scan_request_state = last.state

    @api.depends("state", "has_scan", "scan_request_ids.state", "partner_id")
    def _compute_can_request_scan(self):
        for item in self:
            item.can_request_scan = not item._scan_request_refusal()

    @api.depends("partner_id", "company_id")
    def _compute_scan_request_url(self):
        params_sudo = self.env["ir.config_parameter"].sudo()
        validity = int(
            params_sudo.get_param("comms_virtual_office.scan_link_validity_days", 14)
        )
        expires = int(time.time()) + validity * 86400
        for item in self:
            item.scan_request_url = item._scan_link_url(expires) if item.id else False

    @api.depends("cost_ids.amount")
    def _compute_cost_total(self):
        for item in self:
            item.cost_total = sum(item.cost_ids.mapped("amount"))

    def _compute_access_url(self):
        for item in self:
            item.access_url = f"/my/mail/{item.id}"

    @api.ondelete(at_uninstall=False)
    def _unlink_except_invoiced(self):
        if self.cost_ids.filtered("invoiced"):
            raise UserError(
                self.env._("You cannot delete a mail item whose costs were invoiced.")
            )

    # Scan requests

    def _scan_request_refusal(self):
        """Why a scan of this item cannot be requested, or False if it can."""
        self.ensure_one()
        if self.direction != "incoming" or self.state != "to_collect":
            return self.env._(
                "A scan can only be requested for an item waiting at the office."
            )
        if self.has_scan:
            return self.env._("This item has already been scanned.")
        if self.scan_request_ids.filtered(lambda r: r.state == "new"):
            return self.env._("A scan of this item has already been requested.")
        if not self.partner_id._office_scan_allowed():
            return self.env._("Scan requests are not available for your account.")
        return False

    def _request_scan(self, channel="portal"):
        """Open a scan request for this item and tell the staff. The partial
        unique index on open requests turns a concurrent double click into a
        clear message instead of a second request."""
        self.ensure_one()
        refusal = self._scan_request_refusal()
        if refusal:
            raise UserError(refusal)
        try:
            with self.env.cr.savepoint():
                scan_request = self.env["comms.scan.request"].create(
                    {"mail_item_id": self.id, "channel": channel}
                )
        except psycopg2.errors.UniqueViolation:
            raise UserError(
                self.env._("A scan of this item has already been requested.")
            ) from None
        scan_request._notify_staff()
        return scan_request

    def _scan_link_token(self, expires):
        self.ensure_one()
        return hmac(
            self.env(su=True), SCAN_LINK_SCOPE, (self.id, self.partner_id.id, expires)
        )

    def _scan_link_url(self, expires):
        self.ensure_one()
        token = self._scan_link_token(expires)
        return f"{self.get_base_url()}/office/scan/{self.id}/{expires}/{token}"

    def _check_scan_link(self, expires, token):
        """'valid', 'expired' or 'invalid' for a signed scan request link."""
        self.ensure_one()
        if not consteq(self._scan_link_token(expires), token or ""):
            return "invalid"
        if expires < time.time():
            return "expired"
        return "valid"

    # Client notification

    def action_notify_client(self):
        """Email each client about their item, once per click whatever the clicks.

        The items are locked first: a second request for the same items (a double
        click, another tab) waits for the first, then fails as a serialization
        failure that Odoo retries, and the retry finds the items just notified.
        """
        template = self.env.ref("comms_virtual_office.mail_template_mail_item_received")
        items = self._lock_for_notification()
        just_notified = items.filtered(
            lambda item: item.notified_date
            and item.notified_date > fields.Datetime.now() - NOTIFY_AGAIN_AFTER
        )
        to_notify = items - just_notified
        for item in to_notify:
            item.message_post_with_source(
                template,
                subtype_xmlid="mail.mt_comment",
                message_type="comment",
                attachment_ids=item.scan_ids.ids,
            )
        to_notify.notified_date = fields.Datetime.now()
        return self._notification_feedback(to_notify, just_notified)

    def _lock_for_notification(self):
        if not self:
            return self
        self.flush_recordset(["notified_date"])
        # A rival request's serialization failure is expected, and retried.
        self.env.cr.execute(
            "SELECT id FROM comms_mail_item WHERE id IN %s ORDER BY id FOR UPDATE",
            [tuple(self.ids)],
            log_exceptions=False,
        )
        self.invalidate_recordset(["notified_date"])
        return self

    def _notification_feedback(self, notified, skipped):
        """The toast telling staff what was sent, then the view reloaded."""
        messages = []
        if notified:
            messages.append(
                self.env._(
                    "Client notified by email: %(items)s",
                    items=", ".join(notified.mapped("name")),
                )
            )
        if skipped:
            messages.append(
                self.env._(
                    "Already notified a moment ago, not sent again: %(items)s",
                    items=", ".join(skipped.mapped("name")),
                )
            )
        return {
            "type": "ir.actions.client",
            "tag": "display_notification",
            "params": {
                "type": "warning" if skipped else "success",
                "message": " ".join(messages),
                "next": {"type": "ir.actions.client", "tag": "soft_reload"},
            },
        }

    # State buttons

    def action_set_collected(self):
        self.state = "collected"

    def action_set_forwarded(self):
        self.state = "forwarded"

    def action_set_returned(self):
        self.state = "returned"

    def action_set_to_collect(self):
        self.state = "to_collect"
