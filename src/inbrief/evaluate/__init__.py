"""Measuring inbrief against real data: extraction quality and summary quality."""
