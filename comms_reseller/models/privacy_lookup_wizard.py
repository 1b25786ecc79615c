from odoo import models

# Invoices and what they are made of are kept for the accounting: their records
# go on pointing to the (anonymised, or kept for the invoices) customer.
KEPT_MODEL_PREFIXES = ("account.", "contract.", "payment.transaction")
ANONYMISED_MODELS = ("res.partner", "res.users")
CORRESPONDENCE_TYPES = ("email", "comment", "email_outgoing")
# Records made of the subscriber's personal data, useless once the account is gone.
DELETED_MODELS = ("comms.account.request",)


class PrivacyLookupWizard(models.TransientModel):
    _inherit = "privacy.lookup.wizard"

    def _comms_lookup(self, people):
        """Odoo's lookup, keeping only what points to `people`: the lookup also
        finds other contacts of the same name, who are not concerned."""
        self.ensure_one()
        self.action_lookup()
        concerned = self.line_ids.filtered(lambda line: line._comms_concerns(people))
        (self.line_ids - concerned).unlink()

    def _comms_apply(self, people):
        """Act on each record found, once `people` and their users are anonymised,
        and write what was done to the privacy log."""
        self.ensure_one()
        for line in self.line_ids:
            line._comms_apply(people)
        # The log is written when the execution details are computed.
        self.flush_recordset(["execution_details"])
        return self.log_id


class PrivacyLookupWizardLine(models.TransientModel):
    _inherit = "privacy.lookup.wizard.line"

    def _comms_record(self):
        # The lookup is the administrator's tool: it reads everything.
        return self.env[self.res_model].sudo().browse(self.res_id).exists()

    def _comms_concerns(self, people):
        """Whether the record found is one of `people`, their user, their message,
        or points to one of them."""
        self.ensure_one()
        record = self._comms_record()
        if not record:
            return False
        if self.res_model == "res.partner":
            return record in people
        if self.res_model == "res.users":
            return record.partner_id in people
        if self.res_model == "mail.message":
            return record.author_id in people
        emails = set(people.mapped("email_normalized")) - {False}
        for name, field in record._fields.items():
            if field.type == "many2one" and field.comodel_name == "res.partner":
                if field.store and record[name] & people:
                    return True
            elif name in ("email_normalized", "email", "email_from") and field.store:
                if record[name] and record[name].strip().lower() in emails:
                    return True
        return False

    def _comms_apply(self, people):
        self.ensure_one()
        record = self._comms_record()
        label = f"{self.res_model_id.name} #{self.res_id}"
        if not record:
            self.execution_details = self.env._(
                "Already removed: %(record)s", record=label
            )
        elif self.res_model in ANONYMISED_MODELS:
            self.execution_details = self.env._("Anonymised %(record)s", record=label)
        elif self.res_model == "mail.message":
            self._comms_apply_message(record, label)
        elif self.res_model in DELETED_MODELS:
            self.action_unlink()
        elif self.res_model.startswith(KEPT_MODEL_PREFIXES):
            self.execution_details = self.env._(
                "Kept for the accounting %(record)s", record=label
            )
        elif self.has_active and self.is_active:
            self.action_archive_all()
        else:
            self.execution_details = self.env._(
                "Kept, pointing to an anonymised contact: %(record)s", record=label
            )

    def _comms_apply_message(self, message, label):
        """Correspondence goes; a notification (tracked changes) stays without its
        author, as the history of its document."""
        if message.message_type in CORRESPONDENCE_TYPES:
            self.action_unlink()
            return
        message.write({"author_id": False, "email_from": False})
        self.execution_details = self.env._(
            "Author removed from %(record)s", record=label
        )
