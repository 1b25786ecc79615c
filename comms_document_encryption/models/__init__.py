from . import comms_document_kind
from . import ir_attachment
from . import comms_document_encryption_status
