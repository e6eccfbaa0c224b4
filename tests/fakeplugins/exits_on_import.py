"""A plugin module that ends the process when imported."""

import sys

sys.exit("the plugin quit at import")
