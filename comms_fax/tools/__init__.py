from .fax_api import FaxApi, FaxApiError, FaxEvent, FaxPayloadError, FaxSignatureError
from .fax_api import get_fax_api
from . import pdf
