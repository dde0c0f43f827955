class ApplicationError(Exception):
    """A business rule said no. ``code`` names the rule; ``field`` the input at fault, if any.

    The web turns it into a message on the page (or on the field), the API into a 409
    problem+json response (400 when a field is at fault).
    """

    def __init__(
        self, message: str, *, code: str, field: str | None = None, details: dict | None = None
    ) -> None:
        super().__init__(message)
        self.message = message
        self.code = code
        self.field = field
        # Machine-readable particulars beside the message (codes a client can act on), which
        # the API adds to its problem body.
        self.details = details or {}
