from . import comms_account_message
