"""Recruitment and staffing gap planner (see README.md). Layers: io, domain, optimise, present,
export, store; fronts: cli, ui; the scenario API in planner.api."""
