"""cadre-rules: executable procedure for selecting and appointing leading cadres (干部选拔任用)."""
__version__ = "0.1.0"
