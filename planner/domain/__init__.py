"""The domain: cost rules, staffing gaps and the unit ceiling, a scenario's parameters and their
checks, the data contract and its schemas."""
