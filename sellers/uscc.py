"""What the first two characters of a Unified Social Credit Code say (GB 32100-2015): the
registering authority and the type of entity it registered.

The check character is python-stdnum's business (sellers.validators); this module only reads
the prefix, so that an individual business (个体工商户, ``92``) is not taken for a company.
"""

from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

AUTHORITIES = {
    "1": _("establishment administration (机构编制)"),
    "2": _("foreign affairs (外交)"),
    "3": _("judicial administration (司法行政)"),
    "4": _("culture (文化)"),
    "5": _("civil affairs (民政)"),
    "6": _("tourism (旅游)"),
    "7": _("religious affairs (宗教)"),
    "8": _("trade unions (工会)"),
    "9": _("industry and commerce (工商)"),
}

ENTITY_TYPES = {
    "11": _("a government body (机关)"),
    "12": _("a public institution (事业单位)"),
    "13": _("a mass organisation (群众团体)"),
    "19": _("another body registered by the establishment administration"),
    "21": _("a resident office of a foreign news agency"),
    "29": _("another body registered by foreign affairs"),
    "31": _("a law firm (律师执业机构)"),
    "32": _("a notary office (公证处)"),
    "33": _("a grassroots legal service office"),
    "34": _("a forensic examination institution"),
    "35": _("an arbitration commission (仲裁委员会)"),
    "39": _("another body registered by judicial administration"),
    "41": _("a foreign cultural centre in China"),
    "49": _("another body registered by culture"),
    "51": _("a social organisation (社会团体)"),
    "52": _("a private non-enterprise unit (民办非企业单位)"),
    "53": _("a foundation (基金会)"),
    "59": _("another body registered by civil affairs"),
    "61": _("a resident office of a foreign tourism department"),
    "62": _("a resident office of a Hong Kong, Macao or Taiwan tourism department"),
    "69": _("another body registered by tourism"),
    "71": _("a place of religious activity (宗教活动场所)"),
    "72": _("a religious college (宗教院校)"),
    "79": _("another body registered by religious affairs"),
    "81": _("a grassroots trade union (基层工会)"),
    "89": _("another body registered by trade unions"),
    "91": _("an enterprise (企业)"),
    "92": _("an individual business (个体工商户)"),
    "93": _("a farmers' specialised cooperative (农民专业合作社)"),
}


def entity_type(code: str) -> str:
    """What a (valid) code's first two characters say, in words."""
    prefix = code[:2]
    if prefix in ENTITY_TYPES:
        return str(ENTITY_TYPES[prefix])
    authority = AUTHORITIES.get(code[:1])
    if authority:
        return gettext("a body registered by %(authority)s") % {"authority": authority}
    return gettext("an entity of unknown type")
