"""The grassroots room's models, one module a concern (meetings, members, field work, ceremonies, feeds). Each
module lists its public names in its own `__all__`; this package re-exports them, so a model is declared once."""

from .ceremonies import *
from .feeds import *
from .fieldwork import *
from .meetings import *
from .members import *
