"""How a search snippet marks the words that matched: shared by the index, the command line and the UI.

Kept in the core (not beside the highlighter in ``desktop.search``) so the window can render
snippets without importing Whoosh before it is shown.
"""

MARK_START = "[["
MARK_END = "]]"
