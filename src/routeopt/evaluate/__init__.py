from .validate import RULES as RULES
from .validate import ValidationReport as ValidationReport
from .validate import Violation as Violation
from .validate import validate_files as validate_files
from .validate import validate_plan as validate_plan
