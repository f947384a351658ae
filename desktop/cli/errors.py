"""Exit codes and the error type the command line turns into a message and a code."""

EXIT_OK = 0
EXIT_FAILURE = 1
EXIT_USAGE = 2
EXIT_PARTIAL = 3


class CliError(Exception):
    """A failure to report in one line, with the exit code to return."""

    def __init__(self, message: str, exit_code: int = EXIT_FAILURE):
        super().__init__(message)
        self.exit_code = exit_code
