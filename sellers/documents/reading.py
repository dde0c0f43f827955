"""What reading a document yields, in a shape that survives a round trip through JSON."""

from dataclasses import dataclass, field

# Field names per evidence kind. Values are strings: dates as ISO 8601, numbers as the office or
# issuer prints them without spaces, Nice classes as ascending numbers joined by commas.
FIELDS_BY_KIND = {
    "trademark_certificate": (
        "office",
        "registration_number",
        "mark",
        "owner",
        "nice_classes",
        "registration_date",
        "valid_until",
    ),
    "business_licence": (
        "uscc",
        "legal_name",
        "legal_representative",
        "established_on",
        "business_scope",
    ),
    "authorization_letter": (
        "grantor",
        "grantee",
        "brand",
        "products",
        "territory",
        "channel",
        "valid_from",
        "valid_until",
    ),
    "quality_certificate": ("certificate_number", "holder", "standard", "valid_until"),
    "test_report": ("certificate_number", "holder", "standard", "valid_until"),
}


class Status:
    READ = "read"
    # Nothing legible came out of the file (a blank page, a photo too blurred to read).
    UNREADABLE = "unreadable"
    # A kind of document whose contents are not read (product photos, warehouse records).
    NOT_READ = "not_read"


@dataclass(frozen=True)
class Box:
    """Where on which page a field was read: fractions of the page's width and height."""

    page: int
    x0: float
    y0: float
    x1: float
    y1: float


@dataclass(frozen=True)
class ReadField:
    name: str
    value: str
    box: Box | None
    # How sure the engine was of the characters, 0 to 1 (1.0 for a PDF text layer).
    confidence: float


@dataclass(frozen=True)
class Reading:
    kind: str
    status: str
    # "text layer" when the PDF carried its own text, otherwise the OCR engine's name.
    source: str = ""
    language: str = ""
    page_count: int = 0
    text: str = ""
    fields: tuple[ReadField, ...] = field(default_factory=tuple)

    def field(self, name: str) -> ReadField | None:
        return next((read for read in self.fields if read.name == name), None)

    def as_json(self) -> dict:
        return {
            "kind": self.kind,
            "status": self.status,
            "source": self.source,
            "language": self.language,
            "page_count": self.page_count,
            "text": self.text,
            "fields": [
                {
                    "name": read.name,
                    "value": read.value,
                    "box": None if read.box is None else vars(read.box),
                    "confidence": read.confidence,
                }
                for read in self.fields
            ],
        }

    @classmethod
    def from_json(cls, data: dict) -> "Reading":
        return cls(
            kind=data["kind"],
            status=data["status"],
            source=data.get("source", ""),
            language=data.get("language", ""),
            page_count=data.get("page_count", 0),
            text=data.get("text", ""),
            fields=tuple(
                ReadField(
                    name=item["name"],
                    value=item["value"],
                    box=None if item["box"] is None else Box(**item["box"]),
                    confidence=item["confidence"],
                )
                for item in data.get("fields", ())
            ),
        )
