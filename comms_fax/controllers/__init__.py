from . import fax_webhook
