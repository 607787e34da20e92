"""The smallest repair sections a report test needs: one fleet and yard, one engine type."""

SHIPS = {
    "fleets": {"west": {"homeport": "US", "ships": 3, "cycle_days": 400, "planned_days": 90}},
    "yards": {"san-diego": {"country": "US", "berths": 1}},
}
ENGINES = {
    "F100": {
        "installed": 10,
        "removals_per_engine_year": 1,
        "depots": {"depot": {"country": "US", "lines": 1, "turnaround_days": 60}},
    }
}
