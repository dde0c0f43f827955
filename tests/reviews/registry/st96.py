"""TSDR case-status answers in ST.96 XML, as the USPTO serves them, built for the tests."""

COM = "http://www.wipo.int/standards/XMLSchema/ST96/Common"
TMK = "http://www.wipo.int/standards/XMLSchema/ST96/Trademark"


def case_status(
    *,
    serial: str = "97100001",
    registration: str = "7100001",
    status: str = "700",
    status_date: str = "2022-05-10-04:00",
    registered_on: str = "2022-05-10-04:00",
    literal: str = "BRIGHTLAMP",
    nice_classes: tuple[str, ...] = ("011",),
    owner: str = "Shenzhen Bright Lamp Technology Co., Ltd.",
    email: str = "ip@bright-lamp.example",
    events: tuple[tuple[str, str], ...] = (),
) -> bytes:
    classes = "".join(
        f"<tmk:ClassDescription><tmk:ClassNumber>{number}</tmk:ClassNumber>"
        "<tmk:ClassificationKindCode>Nice</tmk:ClassificationKindCode></tmk:ClassDescription>"
        # The US classes of the same goods come alongside and must not count as Nice classes.
        "<tmk:ClassDescription><tmk:ClassNumber>021</tmk:ClassNumber>"
        "<tmk:ClassificationKindCode>Primary</tmk:ClassificationKindCode></tmk:ClassDescription>"
        for number in nice_classes
    )
    history = "".join(
        f"<tmk:MarkEvent><tmk:MarkEventDate>{day}</tmk:MarkEventDate>"
        f"<tmk:MarkEventDescriptionText>{text}</tmk:MarkEventDescriptionText></tmk:MarkEvent>"
        for day, text in events
    )
    return f"""<?xml version="1.0" encoding="UTF-8"?>
<tmk:TrademarkTransaction xmlns:com="{COM}" xmlns:tmk="{TMK}">
 <tmk:TrademarkTransactionBody><tmk:TransactionContentBag><tmk:TransactionData>
  <tmk:TrademarkBag><tmk:Trademark>
   <com:ApplicationNumber><com:ApplicationNumberText>{serial}</com:ApplicationNumberText>
   </com:ApplicationNumber>
   <com:ApplicationDate>2021-03-15-04:00</com:ApplicationDate>
   <com:RegistrationNumber>{registration}</com:RegistrationNumber>
   <com:RegistrationDate>{registered_on}</com:RegistrationDate>
   <tmk:MarkCurrentStatusCode>{status}</tmk:MarkCurrentStatusCode>
   <tmk:MarkCurrentStatusDate>{status_date}</tmk:MarkCurrentStatusDate>
   <tmk:MarkRepresentation><tmk:MarkReproduction><tmk:WordMarkSpecification>
    <tmk:MarkVerbalElementText>{literal}</tmk:MarkVerbalElementText>
   </tmk:WordMarkSpecification></tmk:MarkReproduction></tmk:MarkRepresentation>
   <tmk:GoodsServicesBag><tmk:GoodsServices><tmk:ClassDescriptionBag>{classes}
   </tmk:ClassDescriptionBag></tmk:GoodsServices></tmk:GoodsServicesBag>
   <tmk:ApplicantBag><tmk:Applicant><com:Contact><com:Name>
    <com:EntityName><com:LegalEntityName>{owner}</com:LegalEntityName></com:EntityName>
   </com:Name></com:Contact></tmk:Applicant></tmk:ApplicantBag>
   <tmk:NationalCorrespondent><com:Contact><com:EmailAddressBag>
    <com:EmailAddressText>{email}</com:EmailAddressText>
   </com:EmailAddressBag></com:Contact></tmk:NationalCorrespondent>
   <tmk:MarkEventBag>{history}</tmk:MarkEventBag>
  </tmk:Trademark></tmk:TrademarkBag>
 </tmk:TransactionData></tmk:TransactionContentBag></tmk:TrademarkTransactionBody>
</tmk:TrademarkTransaction>""".encode()
