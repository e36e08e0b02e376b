"""The Content-Security-Policy of every response (django-csp, csp.middleware.CSPMiddleware).

The second wall behind escaping and sanitising: pages show what candidates wrote
(answers, logs, REPORT.md, code, file names). Should a template ever let markup
through, the browser still runs no script that is not one of our static files: no
inline <script>, no onclick= / onerror= handler, no javascript: URL, no eval. Data a
script needs reaches it through data-* attributes or json_script blocks, which are
never executed. tests/e2e/test_content_security_policy.py checks it in Chromium."""

from csp.constants import NONE, SELF, UNSAFE_INLINE

CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        # Our static files only (the admin's, the API docs' and ours); nothing inline, no eval.
        "script-src": [SELF],
        # Inline styles stay allowed: the dashboard's charts and the progress bars draw with
        # style="width: ..%" geometry, and the Swagger UI page has a <style> block. A style
        # cannot run code; the cost is that injected markup could restyle a page.
        "style-src": [SELF, UNSAFE_INLINE],
        # data: for the SVG icons the Swagger UI's stylesheet embeds.
        "img-src": [SELF, "data:"],
        "object-src": [NONE],
        "frame-src": [NONE],
        # Nobody may frame our pages (clickjacking; X-Frame-Options: DENY says the same to old browsers).
        "frame-ancestors": [NONE],
        "base-uri": [SELF],
        "form-action": [SELF],
    },
}
