"""Where the data live: the read-only files of data/ or the database, as one Snapshot."""
