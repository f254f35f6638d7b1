"""One document's HTML as WeasyPrint reads it (render/pdf.py).

``document_html`` writes well-formed markup (void elements closed, every text escaped by the template), so
the PDF renderer reads it with expat, in C, rather than with WeasyPrint's HTML5 parser, written in Python,
which took about a fourteenth of the PDF time (bench/run.py). The tree is the same one: the same elements,
attributes and text; WeasyPrint drops the whitespace between blocks either way, and every word of every
example is drawn at the same place by both (tests/pdf/test_pdf_source.py). Markup expat refuses — never
written by the template today — still goes through the HTML5 parser.

The document's own ``<style>`` (its named pages and paragraph formats, document.html.j2) is taken out of the
tree and given to WeasyPrint as a stylesheet parsed once per distinct text: the documents of one batch
mostly share it. It follows the static stylesheet, and each of its rules is more specific than the static
one it overrides, so the cascade is unchanged.
"""

from __future__ import annotations

import logging
import xml.etree.ElementTree as ET
from functools import lru_cache

import cssselect2
from weasyprint import CSS, HTML
from weasyprint.text.fonts import FontConfiguration
from weasyprint.urls import URLFetcher

from .pdf_html import _resources

log = logging.getLogger("quyche")

NO_FETCH = URLFetcher(allowed_protocols=())  # the HTML refers to nothing outside itself


@lru_cache(maxsize=64)
def document_css(text: str, font_config: FontConfiguration) -> CSS:
    """The parsed ``<style>`` of a document, shared by every document with the same one."""
    return CSS(string=text, font_config=font_config, url_fetcher=NO_FETCH)


class DocumentHTML(HTML):
    """The document's HTML, with quyche's small user-agent stylesheet (templates/pdf/ua.css): WeasyPrint's
    HTML5 one matches 191 rule sets against every element, about a tenth of the render time (bench/run.py).
    ``html5=True`` reads it with WeasyPrint's own parser and keeps its ``<style>`` in place, ``small_ua=False``
    keeps WeasyPrint's HTML5 user-agent stylesheet: the bench's baselines."""

    def __init__(self, text: str, *, html5: bool = False, small_ua: bool = True) -> None:
        self.small_ua = small_ua
        root = None if html5 else _xml_tree(text)
        self.own_css: list[CSS] = []
        if root is None:
            super().__init__(string=text, url_fetcher=NO_FETCH)
            return
        head = root.find("head")
        for style in [] if head is None else head.findall("style"):
            head.remove(style)
            self.own_css.append(document_css(style.text or "", _resources().font_config))
        # What HTML.__init__ sets after parsing (weasyprint/__init__.py): no <base>, no file, print media.
        self.base_url = None
        self.url_fetcher = NO_FETCH
        self.media_type = "print"
        self.wrapper_element = cssselect2.ElementWrapper.from_html_root(root, content_language=None)
        self.etree_element = self.wrapper_element.etree_element

    def _ua_stylesheets(self, forms: bool = False) -> list:
        return [_resources().user_agent] if self.small_ua else super()._ua_stylesheets(forms)


def _xml_tree(text: str) -> ET.Element | None:
    try:
        return ET.fromstring(text)
    except ET.ParseError as exc:  # pragma: no cover - the template writes well-formed markup
        log.debug("PDF: HTML không đọc được bằng expat (%s), dùng bộ đọc HTML5", exc)
        return None
