from . import test_storage
from . import test_tampering
from . import test_rotation
from . import test_status
