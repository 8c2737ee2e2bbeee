"""After-sales records analytics: clean every source, layer the cost, find the vital few.

``records`` (reading and cleaning case records; nothing is lost: every row is clean or set
aside with its reason), ``generate`` (seeded synthetic records of a scenario's brand),
``analysis`` (layers, Pareto, customer tiers, strategy), ``charts`` and ``explorers``.
"""
__all__ = ["records", "generate", "analysis", "charts", "explorers"]
