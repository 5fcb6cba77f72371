"""A tiny hand-made plan for the output tests: two reps (one with an id that is no safe file name),
four customers (one named like a formula, one like a script, one without address), three rep-days."""

import datetime as dt

import routeopt
from routeopt.model import Customer, DayRoute, Horizon, Problem, ReasonCode, Rep, Stop, Unscheduled

EVIL_REP = "../R 2"
FORMULA_NAME = '=HYPERLINK("x")'
SCRIPT_NAME = "<script>alert(1)</script>"
DAY1, DAY2 = dt.date(2026, 12, 1), dt.date(2026, 12, 2)


def t(text):
    h, m = text.split(":")
    return int(h) * 60 + int(m)


def stop(kind, lat, lon, arrive, start, end, travel=0, km=0.0, cid="", name=""):
    a, s = t(arrive), t(start)
    return Stop(kind, lat, lon, a, s, t(end), travel, km, s - a, cid, name)


def tiny_plan(reps_first_name="山田 健一"):
    customers = (
        Customer("C1", 34.34, 134.05, name="山田商店", address="香川県高松市番町1-1", rep="R1"),
        Customer("C2", 34.33, 134.06, name=FORMULA_NAME, address="=1+1", rep="R1"),
        Customer("C3", 34.32, 134.04, name=SCRIPT_NAME, address="<img src=x onerror=alert(2)>", rep="R1"),
        Customer("C4", 34.30, 134.10, name="", address="", rep=EVIL_REP),
    )
    reps = (Rep("R1", 34.35, 134.05, name=reps_first_name), Rep(EVIL_REP, 34.31, 134.09, name="<b>two</b>"))
    problem = Problem(customers, reps, Horizon(DAY1, weeks=1))
    routes = (
        DayRoute("R1", DAY1, (
            stop("start", 34.35, 134.05, "09:00", "09:00", "09:00"),
            stop("visit", 34.34, 134.05, "09:10", "09:10", "09:40", 10, 4.2, "C1", "山田商店"),
            stop("visit", 34.33, 134.06, "09:55", "10:00", "10:30", 15, 5.1, "C2", FORMULA_NAME),
            stop("break", 34.33, 134.06, "10:30", "11:30", "12:15"),
            stop("visit", 34.32, 134.04, "12:35", "12:35", "13:05", 20, 6.0, "C3", SCRIPT_NAME),
            stop("end", 34.35, 134.05, "13:30", "13:30", "13:30", 25, 9.3),
        )),
        DayRoute("R1", DAY2, (
            stop("start", 34.35, 134.05, "09:00", "09:00", "09:00"),
            stop("visit", 34.34, 134.05, "09:10", "09:20", "09:50", 10, 4.2, "C1", "山田商店"),
            stop("break", 34.34, 134.05, "11:30", "11:30", "12:15"),
            stop("end", 34.35, 134.05, "12:25", "12:25", "12:25", 10, 4.2),
        )),
        DayRoute(EVIL_REP, DAY1, (
            stop("start", 34.31, 134.09, "09:05", "09:05", "09:05"),
            stop("visit", 34.30, 134.10, "09:15", "09:15", "10:00", 10, 3.9, "C4", ""),
            stop("break", 34.30, 134.10, "11:30", "11:30", "12:15"),
            stop("end", 34.31, 134.09, "12:25", "12:25", "12:25", 10, 3.9),
        )),
    )
    unscheduled = (Unscheduled("C3", dt.date(2026, 12, 2), "=closed on every allowed day", ReasonCode.CLOSED),)
    return routeopt.Plan(problem, routes, unscheduled, routeopt.PlanOptions(workers=1))
