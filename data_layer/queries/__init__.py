"""Read queries: aggregate in SQL, take the filter as arguments, return DataFrames with fixed columns."""
