"""Models of the oversight room, by concern. Each module lists its public names in its own `__all__`; this
package re-exports them, so a model is declared once."""

from .awards import *
from .evaluation import *
from .inspection import *
