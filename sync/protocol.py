"""Wire format shared by the sync client and the central server.

Only the protocol version lives here for now; the sync issue fills in the
envelope and payload types.
"""

PROTOCOL_VERSION = 1
