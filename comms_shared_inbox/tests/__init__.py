from . import test_group
