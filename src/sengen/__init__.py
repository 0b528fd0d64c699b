"""Sengen（宣言）: department heads' goal declarations and strategic-plan KPIs as data."""

__version__ = "0.1.0"
