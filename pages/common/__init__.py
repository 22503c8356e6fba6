"""What every page shares: the view context, number formats, small render helpers."""
