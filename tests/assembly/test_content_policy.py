"""assembly/content_policy.py: the header django-csp would write, built once; a view's own
policy, an exemption and a nonce still go through django-csp."""

import pytest
from csp.middleware import CSPMiddleware
from django.http import HttpResponse
from django.test import RequestFactory, override_settings

from assembly.content_policy import ContentSecurityPolicyMiddleware

HEADER = "Content-Security-Policy"


def _headers(middleware_class, prepare=lambda request, response: None):
    request = RequestFactory().get("/decisions/")
    response = HttpResponse("page")
    middleware = middleware_class(lambda request: response)
    middleware.process_request(request)
    prepare(request, response)
    return middleware.process_response(request, response), request


def _exempt(request, response):
    response._csp_exempt = True


def _replaced(request, response):
    response._csp_replace = {"frame-ancestors": ["https://voisins.example.org"]}


def _nonce(request, response):
    str(request.csp_nonce)


@pytest.mark.parametrize("prepare", [lambda request, response: None, _exempt, _replaced, _nonce])
def test_the_same_headers_as_django_csp(prepare):
    ours, _request = _headers(ContentSecurityPolicyMiddleware, prepare)
    theirs, _request = _headers(CSPMiddleware, prepare)
    assert ours.get(HEADER) == theirs.get(HEADER)
    assert dict(ours.items()) == dict(theirs.items())


def test_a_nonce_asked_for_after_the_header_raises():
    _response, request = _headers(ContentSecurityPolicyMiddleware)
    with pytest.raises(Exception, match="csp_nonce"):
        str(request.csp_nonce)


def test_a_changed_setting_builds_the_header_again():
    before, _request = _headers(ContentSecurityPolicyMiddleware)
    with override_settings(CONTENT_SECURITY_POLICY={"DIRECTIVES": {"default-src": ["'none'"]}}):
        during, _request = _headers(ContentSecurityPolicyMiddleware)
    assert during[HEADER] == "default-src 'none'" != before[HEADER]
