"""routeopt: weekly plans for route-sales reps (territories, visit days, daily routes)."""

from .compare import compare_splits as compare_splits
from .errors import InfeasibleError as InfeasibleError
from .errors import InputError as InputError
from .errors import RouteoptError as RouteoptError
from .input import customers_from_frame as customers_from_frame
from .input import read_customers as read_customers
from .input import read_problem as read_problem
from .input import read_reps as read_reps
from .input import reps_from_frame as reps_from_frame
from .model import Appointment as Appointment
from .model import Customer as Customer
from .model import Horizon as Horizon
from .model import Problem as Problem
from .model import Rep as Rep
from .model import VisitRule as VisitRule
from .model.calendar import make_horizon as make_horizon
from .options import PlanOptions as PlanOptions
from .output.extras import OutputOptions as OutputOptions
from .planner import plan as plan
from .replan import replan as replan
from .result import Plan as Plan
from .territory.design import TerritoryOptions as TerritoryOptions
from .territory.tables import design_territories as design_territories
from .travel import GreatCircle as GreatCircle
from .travel import MatrixFile as MatrixFile
from .version import __version__ as __version__
