"""The rules of the system, in plain Python: no Django import below this package."""
