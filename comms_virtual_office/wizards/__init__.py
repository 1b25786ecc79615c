from . import comms_office_invoice_wizard
