from .fax_api import FAX_APIS, FaxApi, FaxApiError, FaxEvent, FaxPayloadError
from .fax_api import FaxNoAnswerError, FaxUnreachableError
from .fax_api import FaxReplayError, FaxSignatureError, get_fax_api
from . import pdf

# Each provider module registers its FaxApi class in FAX_APIS when imported.
from . import telnyx
from . import sinch
