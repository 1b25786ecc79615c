from . import call_restriction
from . import sms_segments
