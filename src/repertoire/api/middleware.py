"""Every error under /api/ has the API's JSON shape, even those Django answers itself."""

import logging

from django.http import JsonResponse

logger = logging.getLogger(__name__)

API_PREFIX = "/api/"
# Errors raised outside the API's own handlers: an unknown route, a wrong method.
HTML_ERRORS = {
    404: ("not_found", "Introuvable"),
    405: ("method_not_allowed", "Méthode non permise"),
}


def _error(status: int, code: str, message: str) -> JsonResponse:
    return JsonResponse({"error": {"code": code, "message": message, "details": []}}, status=status)


class JsonApiErrors:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        is_json = response.get("Content-Type", "").startswith("application/json")
        if (
            request.path.startswith(API_PREFIX)
            and response.status_code in HTML_ERRORS
            and not is_json
        ):
            error = _error(response.status_code, *HTML_ERRORS[response.status_code])
            if response.has_header("Allow"):
                error["Allow"] = response["Allow"]
            return error
        return response

    def process_exception(self, request, exception):
        if not request.path.startswith(API_PREFIX):
            return None
        logger.exception("API error on %s %s", request.method, request.path)
        return _error(500, "server_error", "Erreur interne du serveur")
