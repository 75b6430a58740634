"""Script-injection payloads, and the formula payloads spreadsheets would run.

Each script payload, if it ever ran, would call alert/confirm/prompt (a
dialog) or be blocked by the CSP (a violation report): the browser tests
watch for both. Template payloads would print TEMPLATE_MARKERS if evaluated.
"""

from __future__ import annotations

SCRIPT_PAYLOADS = [
    # tags
    "<script>alert(1)</script>",
    "<SCRIPT SRC=//evil.example/x.js></SCRIPT>",
    "<scr<script>ipt>alert(2)</scr</script>ipt>",
    "</textarea><script>alert(3)</script>",
    "</title><script>alert(4)</script>",
    "</script><script>alert(5)</script>",
    "<script type=module>alert(6)</script>",
    '<iframe src="javascript:alert(7)"></iframe>',
    '<iframe srcdoc="<script>parent.alert(8)</script>"></iframe>',
    '<object data="javascript:alert(9)"></object>',
    '<embed src="javascript:alert(10)">',
    '<base href="//evil.example/">',
    '<meta http-equiv="refresh" content="0;url=javascript:alert(11)">',
    "<link rel=import href=//evil.example/x.html>",
    # event handlers
    "<img src=x onerror=alert(12)>",
    "<img src=x oNeRrOr=alert`13`>",
    "<body onload=alert(14)>",
    "<svg onload=alert(15)>",
    "<details open ontoggle=alert(16)>",
    "<input autofocus onfocus=alert(17)>",
    "<video><source onerror=alert(18)></video>",
    "<marquee onstart=alert(19)>x</marquee>",
    "<div onpointerenter=alert(20) style=position:fixed;inset:0>x</div>",
    "<form><button formaction=javascript:alert(21)>x</button></form>",
    # javascript: and data: URLs
    '<a href="javascript:alert(22)">click</a>',
    '<a href="jav&#x09;ascript:alert(23)">click</a>',
    '<a href=" JaVaScRiPt:alert(24)">click</a>',
    '<a href="data:text/html;base64,PHNjcmlwdD5hbGVydCgyNSk8L3NjcmlwdD4=">x</a>',
    "javascript:alert(26)",
    # SVG and MathML
    "<svg><script>alert(27)</script></svg>",
    '<svg><a xlink:href="javascript:alert(28)"><text x=9 y=9>x</text></a></svg>',
    "<svg><animate onbegin=alert(29) attributeName=x dur=1s>",
    "<math><mtext><table><mglyph><style><img src=x onerror=alert(30)>",
    # Markdown links and images
    "[click](javascript:alert(31))",
    "[click](JAVASCRIPT:alert(32))",
    "![x](javascript:alert(33))",
    '![x](x "onerror=alert(34)")',
    "[x](data:text/html;base64,PHNjcmlwdD5hbGVydCgzNSk8L3NjcmlwdD4=)",
    "<javascript:alert(36)>",
    "[x](<javascript:alert(37)>)",
    # attribute breakers
    '" onmouseover="alert(38)',
    "' onfocus='alert(39)' autofocus='",
    '"><script>alert(40)</script>',
    "'><img src=x onerror=alert(41)>",
    "` onload=alert(42) `",
    # CSS
    "<style>@import 'http://evil.example/x.css';</style>",
    '<div style="background:url(javascript:alert(43))">x</div>',
    '<style>*{background:url("javascript:alert(44)")}</style>',
    '<p style="behavior:url(x.htc);color:red">x</p>',
    # encodings
    "&lt;script&gt;alert(45)&lt;/script&gt;",
    "%3Cscript%3Ealert(46)%3C/script%3E",
    "\\u003cscript\\u003ealert(47)\\u003c/script\\u003e",
    "<img src=x onerror=&#97;&#108;&#101;&#114;&#116;(48)>",
    # template syntax (Jinja, JS templates, others)
    "zz{{7*7}}zz",
    "{{ 1337*1337 }}",
    "{% print(1337*1337) %}",
    "${1337*1337}",
    "#{1337*1337}",
    "<%= 1337*1337 %>",
]
# What a template engine would print for the payloads above.
TEMPLATE_MARKERS = ("zz49zz", "1787569")

# Cells a spreadsheet would run as formulas unless neutralised.
FORMULA_PAYLOADS = [
    '=HYPERLINK("http://evil.example","click")',
    "+cmd|' /C calc'!A0",
    "-2+3+cmd|' /C calc'!A0",
    "@SUM(1+1)*cmd|' /C calc'!A0",
    "\t=1+1",
    "\r=1+1",
]

PAYLOADS = SCRIPT_PAYLOADS + FORMULA_PAYLOADS
assert len(SCRIPT_PAYLOADS) >= 50
