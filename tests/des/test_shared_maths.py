"""The continuous-time helpers the DES engine takes from the shared modules."""

from __future__ import annotations

import datetime as dt

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from sim.calendar import Calendar
from sim.network import compile_network
from sim.production.allocation import dispatch, dispatch_one
from sim.production.capacity import rate_schedule
from sim.production.demand import Requirements
from sim.production.units import whole_units
from sim.sampling import sample_parameters
from sim.vector.production import run_tallies
from tests.agreement.scenarios import demand_with_backorders, yield_and_disruptions


@settings(max_examples=60, deadline=None)
@given(
    shares=st.lists(
        st.lists(st.floats(0, 1), min_size=3, max_size=3).filter(lambda s: sum(s) > 0),
        min_size=1,
        max_size=80,
    )
)
def test_dispatch_one_is_dispatch_of_one_unit(shares):
    owed_array, owed_list = np.zeros((1, 3)), [0.0, 0.0, 0.0]
    for row in shares:
        row = list(np.array(row) / np.sum(row))
        given_array = dispatch(np.array([1]), np.array([row]), owed_array)
        assert dispatch_one(row, owed_list) == int(np.argmax(given_array[0]))
        assert owed_list == owed_array[0].tolist()


def test_days_from_years_inverts_years_elapsed():
    calendar = Calendar(dt.date(2026, 1, 1), 4)
    days = np.linspace(0, calendar.horizon_days, 997)
    assert np.allclose(calendar.days_from_years(calendar.years_elapsed(days)), days)
    assert [calendar.year_of(day) for day in (0, 364.9, 365, 1460.5)] == [0, 0, 1, 3]


def test_due_days_are_when_whole_units_first_count_them():
    network = compile_network(demand_with_backorders())
    parameters = sample_parameters(network, 2, range(3))
    requirements = Requirements(network, parameters)
    for rep in range(3):
        for stream in range(len(network.streams)):
            due = requirements.due_days(rep, stream)
            before = whole_units(
                np.array([requirements.by(day - 1e-6)[rep, stream] for day in due])
            )
            after = whole_units(np.array([requirements.by(day + 1e-6)[rep, stream] for day in due]))
            assert np.array_equal(after, np.arange(1, due.size + 1))
            assert np.array_equal(before, np.arange(0, due.size))


def test_rate_schedule_integrates_to_the_vector_engines_capacity():
    # without a funded cap both engines integrate the same rate exactly
    network = compile_network(yield_and_disruptions())
    parameters = sample_parameters(network, 4, range(20))
    tallies = run_tallies(network, parameters)
    for node in network.lines:
        i = node.index
        events = parameters.disruptions[i]
        for rep in range(20):
            schedule = rate_schedule(
                network.calendar,
                parameters.ramp_edges[i][rep],
                parameters.rates[i][rep],
                float(parameters.opens[rep, i]),
                float(parameters.funded[rep, i]),
                (events.start[rep], events.end[rep], events.lost[rep]),
            )
            assert schedule.capacity() == pytest.approx(tallies.line_capacity[rep, i], rel=1e-9)
            assert schedule.disrupted_days() == pytest.approx(
                tallies.line_disrupted_days[rep, i], abs=1e-6
            )
            for amount in (0.5, 1.0, 17.0, schedule.capacity() / 2):
                assert schedule.accrued(schedule.reaches(amount)) == pytest.approx(amount)
            assert schedule.reaches(schedule.capacity() + 1) == np.inf
