from . import comms_fax_send
