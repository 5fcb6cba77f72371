"""Input layer: customers and reps tables (CSV in UTF-8 or CP932, or XLSX) → routeopt's types."""

from routeopt.input.customers import customers_from_frame as customers_from_frame
from routeopt.input.customers import read_customers as read_customers
from routeopt.input.problem import read_problem as read_problem
from routeopt.input.reps import read_reps as read_reps
from routeopt.input.reps import reps_from_frame as reps_from_frame
