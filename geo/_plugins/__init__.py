"""Custom folium elements, one per module."""
