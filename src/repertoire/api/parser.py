"""Request parsing that refuses the NUL character.

No text column holds it (PostgreSQL refuses it in any query parameter), so a request
carrying one is a bad request, not a server error: 400 in a JSON body (as any body that
cannot be read), 422 naming the parameter in a query string or a form.
"""

from ninja.errors import ValidationError
from ninja.parser import Parser

NUL = "\x00"
MESSAGE = "caractère nul (U+0000) interdit"


def has_nul(value) -> bool:
    if isinstance(value, str):
        return NUL in value
    if isinstance(value, dict):
        return any(has_nul(key) or has_nul(item) for key, item in value.items())
    if isinstance(value, list):
        return any(has_nul(item) for item in value)
    return False


class NulFreeParser(Parser):
    def parse_body(self, request):
        data = super().parse_body(request)
        if has_nul(data):
            raise ValueError(MESSAGE)
        return data

    def parse_querydict(self, data, list_fields, request):
        result = super().parse_querydict(data, list_fields, request)
        refused = [key for key, value in result.items() if has_nul(key) or has_nul(value)]
        if refused:
            raise ValidationError([{"loc": [key], "msg": MESSAGE} for key in refused])
        return result
