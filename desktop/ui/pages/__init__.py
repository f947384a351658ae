"""The main window's pages: Home, the record lists, search, a record on its own, and their parts."""
