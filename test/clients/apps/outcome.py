# Shared by the client apps: read the JSON argument, print one JSON line with the outcome.
# Each app is what a user would write against Azure, with nothing lab-specific in it.
import base64
import json
import sys


def args():
    return json.loads(sys.argv[1]) if len(sys.argv) > 1 else {}


def claims(token):
    payload = token.split(".")[1]
    return json.loads(base64.urlsafe_b64decode(payload + "=" * (-len(payload) % 4)))


def failure(error):
    # azure-core's HttpResponseError: the status, the service's error code, the message.
    out = {"ok": False, "type": type(error).__name__, "message": str(error)[:2000]}
    status = getattr(error, "status_code", None)
    if status is not None:
        out["status"] = status
    code = getattr(error, "error_code", None)
    if code:
        out["code"] = code
    return out


def report(result):
    print(json.dumps(result))
