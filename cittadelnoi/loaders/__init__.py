"""Reading and validating the data files: one loader per file, Italian messages per row and column."""
