"""Facts and helpers every layer uses: errors, paths, languages, number and date formats."""
