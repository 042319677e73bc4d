"""A WSGI app for the request-timeout test: /stuck never finishes in time, / answers at once."""

import time


def application(environ, start_response):
    if environ["PATH_INFO"] == "/stuck":
        time.sleep(120)
    start_response("200 OK", [("Content-Type", "text/plain")])
    return [b"ok"]
