"""The public pages in a real server (issue 9, pages 1 and 2, "Feeds, links"): the search page
(facets that add a filter, active filters removed one by one, sorting, pages, "did you mean",
the feed and the permalink, the subscription form, the empty and no-hit states, a plugin's
rewrite searched but never shown); hostile text in every field shown as text."""
import html.parser
import json
import os
import sys
import tempfile
import unittest
import urllib.parse

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from harness import Server  # noqa: E402

XSS = '<script>alert("x")</script><img src=x onerror=alert(1)>'

# a few practices of our own: enough for pages of two, facets with several values, and one of
# each status that is not public
PRACTICES = [
    {"uid": "wp-sv-1", "title": "Språkcafé i Kristianstad", "summary": "Nyanlända träffas på ett språkcafé.",
     "body": "Biblioteket ordnar ett **språkcafé**.", "city": "Kristianstad", "country": "SE",
     "organisation": "Kristianstads kommun", "project": "ELAINE", "focus_areas": ["interact"],
     "themes": ["language-learning", "volunteering"], "language": "sv", "year": 2021},
    {"uid": "wp-sv-2", "title": "Mentorer för nyanlända i Malmö", "summary": "Volontärer blir mentorer.",
     "city": "Malmö", "country": "SE", "project": "EPI", "focus_areas": ["participation"],
     "themes": ["volunteering"], "language": "sv", "year": 2022},
    {"uid": "wp-dk-1", "title": "Language café in Vejle", "summary": "A weekly language café for newcomers.",
     "city": "Vejle", "country": "DK", "project": "EPI", "focus_areas": ["interact"],
     "themes": ["language-learning"], "language": "en", "year": 2020},
    {"uid": "wp-dk-2", "title": "Job coaching in Aarhus", "summary": "Coaches help newcomers find jobs.",
     "city": "Aarhus", "country": "DK", "project": "ELAINE", "focus_areas": ["governance"],
     "themes": ["employment"], "language": "en", "year": 2019},
    {"uid": "wp-lv-1", "title": "Discussion clubs in Riga", "summary": "Language clubs meet weekly.",
     "city": "Riga", "country": "LV", "project": "EPI", "focus_areas": ["interact"],
     "themes": ["language-learning"], "language": "en", "year": 2021},
    {"uid": "wp-pending", "title": "Pending practice Quokka", "summary": "Quokka is only here.",
     "country": "SE", "language": "en", "status": "pending"},
    {"uid": "wp-rejected", "title": "Rejected practice Quokka", "summary": "Quokka is here too.",
     "country": "SE", "language": "en", "status": "rejected"},
]

REWRITE_PLUGIN = """local px = ...
px.on("search.rewrite", function(q)
  if q == "zebra" then return "Kristianstad" end
end)
"""


class Page(html.parser.HTMLParser):
    """What the tests look at in a page: links with their text and attributes, forms and
    their fields, the text of elements with a class, headings."""

    def __init__(self, text):
        super().__init__(convert_charrefs=True)
        self.links, self.forms, self.headings, self.heads = [], [], [], []
        self.texts = {}
        self.stack = []
        self.open_link = None
        self.open_heading = None
        self.feed(text)

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        self.stack.append((tag, attrs.get("class", "")))
        if tag == "a":
            self.open_link = dict(attrs, text="")
            self.links.append(self.open_link)
        elif tag == "form":
            self.forms.append(dict(attrs, fields=[]))
        elif tag in ("input", "textarea", "select", "button") and self.forms:
            self.forms[-1]["fields"].append(dict(attrs, tag=tag))
        elif tag in ("h1", "h2", "h3", "h4", "h5", "h6"):
            self.open_heading = [int(tag[1]), ""]
            self.headings.append(self.open_heading)
        elif tag == "link":
            self.heads.append(attrs)
        if tag in ("input", "link", "meta", "img", "br"):
            self.stack.pop()

    def handle_endtag(self, tag):
        while self.stack:
            if self.stack.pop()[0] == tag:
                break
        if tag == "a":
            self.open_link = None
        if tag.startswith("h") and len(tag) == 2:
            self.open_heading = None

    def handle_data(self, data):
        if self.open_link is not None:
            self.open_link["text"] += data
        if self.open_heading is not None:
            self.open_heading[1] += data
        for _, classes in self.stack:
            for name in classes.split():
                self.texts[name] = self.texts.get(name, "") + data

    def link(self, text):
        found = [link for link in self.links if " ".join(link["text"].split()) == text]
        assert found, f"no link {text!r} in {[link['text'] for link in self.links]}"
        return found[0]


def query_of(href):
    return urllib.parse.parse_qsl(urllib.parse.urlsplit(href).query)


class PagesTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.tmp = tempfile.TemporaryDirectory(prefix="praxis-pages-")
        data = os.path.join(cls.tmp.name, "pages.jsonl")
        with open(data, "w") as out:
            for practice in PRACTICES:
                out.write(json.dumps(practice, ensure_ascii=False) + "\n")
        plugins = os.path.join(cls.tmp.name, "plugins")
        os.mkdir(plugins)
        with open(os.path.join(plugins, "rewrite.lua"), "w") as out:
            out.write(REWRITE_PLUGIN)
        cls.server = Server(data=data, config=f"[plugins]\ndir = {plugins}\nenabled = rewrite\n")

    @classmethod
    def tearDownClass(cls):
        cls.server.stop()
        cls.tmp.cleanup()

    def get(self, path, status=200, headers=None):
        got_status, got, body = self.server.request("GET", path, headers=headers)
        self.assertEqual(got_status, status, (path, body[:2000]))
        self.assertTrue(got["content-type"].startswith("text/html"), got)
        return Page(body), body

    def result_titles(self, page):
        return [" ".join(link["text"].split()) for link in page.links
                if link.get("href", "").startswith("/practices/")]

    def test_browsing(self):
        page, body = self.get("/")
        self.assertEqual(page.headings[0], [1, "Search good practices"])
        self.assertIn("Newest practices", body)
        # newest first: the published ones only
        self.assertEqual(len(self.result_titles(page)), 5)
        self.assertNotIn("Quokka", body)
        search = [form for form in page.forms if form.get("role") == "search"][0]
        self.assertEqual(search["method"], "get")
        self.assertEqual(search["action"], "/")
        self.assertIn("q", [field.get("name") for field in search["fields"]])
        # no search, nothing to subscribe to
        self.assertFalse([form for form in page.forms if form.get("action") == "/subscribe"])
        # the levels of the headings never skip one
        levels = [level for level, _ in page.headings]
        for before, after in zip(levels, levels[1:]):
            self.assertLessEqual(after, before + 1, page.headings)

    def test_facet_adds_and_removal_removes(self):
        page, _ = self.get("/?focus=interact")
        sweden = [link for link in page.links if link["text"].startswith("SE")]
        self.assertTrue(sweden, page.links)
        self.assertEqual(" ".join(sweden[0]["text"].split()), "SE (1)")
        self.assertEqual(sweden[0]["href"], "/?country=SE&focus=interact")
        # the facet link is the API's query: the same practices
        api = self.server.search("focus=interact&country=SE")
        page, body = self.get(sweden[0]["href"])
        self.assertEqual(self.result_titles(page), [hit["title"] for hit in api["results"]])
        self.assertIn("1 practice found", body)
        # it is listed as active, and its removal link is the search without it
        self.assertEqual(page.link("Remove filter Country: SE ✕")["href"], "/?focus=interact")
        # the selected value in the facet removes it too
        selected = [link for link in page.links if link.get("aria-current") == "true"
                    and "facet-on" in link.get("class", "")]
        self.assertEqual([link["href"] for link in selected],
                         ["/?focus=interact", "/?country=SE"])
        # a second filter: each removal keeps the others
        theme = [link for link in page.links if link["text"].startswith("Language learning")][0]
        page, _ = self.get(theme["href"])
        self.assertEqual(page.link("Remove filter Country: SE ✕")["href"],
                         "/?focus=interact&theme=language-learning")
        self.assertEqual(page.link("Remove filter Theme: Language learning ✕")["href"],
                         "/?country=SE&focus=interact")
        self.assertEqual(page.link("Remove filter Focus area: Interact ✕")["href"],
                         "/?country=SE&theme=language-learning")
        self.assertEqual(page.link("Remove all filters")["href"], "/")

    def test_year_and_focus_facets(self):
        page, _ = self.get("/")
        year = [link for link in page.links if link["text"].startswith("2021")][0]
        self.assertEqual(query_of(year["href"]), [("year_from", "2021"), ("year_to", "2021")])
        page, body = self.get(year["href"])
        self.assertEqual(len(self.result_titles(page)), 2)
        self.assertEqual(page.link("Remove filter Year: 2021 ✕")["href"], "/")
        interact = [link for link in page.links if link["text"].startswith("Interact")][0]
        self.assertIn(("focus", "interact"), query_of(interact["href"]))

    def test_sorting(self):
        page, _ = self.get("/?q=language")
        self.assertIn("Sort by:", page.texts["sorting"])
        newest = page.link("Newest")
        self.assertEqual(newest["href"], "/?q=language&sort=newest")
        page, _ = self.get(newest["href"])
        titles = self.result_titles(page)
        api = self.server.search("q=language&sort=newest")
        self.assertEqual(titles, [hit["title"] for hit in api["results"]])
        self.assertEqual(page.link("Relevance")["href"], "/?q=language")

    def test_pagination(self):
        page, _ = self.get("/?per_page=2")
        current = [link for link in page.links if link.get("aria-current") == "page"]
        self.assertEqual(len(current), 1)
        self.assertEqual(" ".join(current[0]["text"].split()), "Page 1")
        nav_pages = [link for link in page.links if link["text"].startswith("Page ")]
        self.assertEqual([link["text"] for link in nav_pages], ["Page 1", "Page 2", "Page 3"])
        following = page.link("Next page ›")
        self.assertEqual(following["href"], "/?per_page=2&page=2")
        page, _ = self.get(following["href"])
        self.assertEqual(page.link("‹ Previous page")["href"], "/?per_page=2")
        self.assertEqual(len(self.result_titles(page)), 2)
        # the last page has no next one
        page, _ = self.get("/?per_page=2&page=3")
        self.assertEqual(len(self.result_titles(page)), 1)
        self.assertFalse([link for link in page.links if link["text"].startswith("Next page")])
        # a page past the end says so and links back
        page, body = self.get("/?per_page=2&page=9")
        self.assertIn("No practice matches this search.", body)
        self.assertEqual(page.link("Page 1")["href"], "/?per_page=2")

    def test_did_you_mean(self):
        page, body = self.get("/?q=Kristinstad")
        self.assertIn("Did you mean:", body)
        suggestion = page.link("kristianstad")
        self.assertEqual(suggestion["href"], "/?q=kristianstad")
        page, _ = self.get(suggestion["href"])
        self.assertEqual(self.result_titles(page), ["Språkcafé i Kristianstad"])

    def test_no_hits_says_what_to_try(self):
        page, body = self.get("/?q=xylophonia&country=DK")
        self.assertIn("No practice matches this search.", body)
        self.assertIn("Check the spelling", body)
        self.assertIn("Remove a filter above", body)
        self.assertEqual(page.link("See all practices")["href"], "/")
        self.assertEqual(self.result_titles(page), [])

    def test_feed_permalink_and_subscription(self):
        page, _ = self.get("/?q=language&country=SE&sort=newest&page=1&lang=xx")
        feeds = [link for link in page.heads if link.get("rel") == "alternate"]
        self.assertEqual(feeds[0]["type"], "application/atom+xml")
        self.assertEqual(feeds[0]["href"], "/feed.atom?q=language&country=SE")
        self.assertEqual(page.link("Atom feed of this search")["href"], feeds[0]["href"])
        permalink = [link for link in page.links if "permalink" in link.get("class", "")][0]
        base = f"http://{self.server.host}:{self.server.port}"
        self.assertEqual(permalink["href"], base + "/?q=language&country=SE&sort=newest")
        self.assertEqual(permalink["text"], permalink["href"])
        form = [form for form in page.forms if form.get("action") == "/subscribe"][0]
        self.assertEqual(form["method"], "post")
        fields = {field.get("name"): field for field in form["fields"] if field.get("name")}
        self.assertEqual(fields["search"]["value"], "q=language&country=SE")
        self.assertEqual(fields["email"]["type"], "email")
        self.assertEqual(fields["website"]["value"] if "value" in fields["website"] else "", "")
        self.assertTrue(fields["csrf"]["value"])
        self.assertEqual({field["value"] for field in form["fields"] if field.get("name") == "frequency"},
                         {"immediate", "daily", "weekly"})
        # every field has its label
        _, body = self.get("/?q=language")
        for field_id in ("q", "subscribe-email", "subscribe-website"):
            self.assertIn(f'for="{field_id}"', body)

    def test_bad_parameters(self):
        page, body = self.get("/?q=language&country=Sweden&per_page=0", status=400)
        self.assertIn("There is a problem with this search", body)
        self.assertIn("country", page.texts["error-summary"])
        self.assertIn("per_page", page.texts["error-summary"])
        self.assertIn('value="language"', body)

    def test_rewrite_is_searched_not_shown(self):
        page, body = self.get("/?q=zebra")
        self.assertEqual(self.result_titles(page), ["Språkcafé i Kristianstad"])
        self.assertIn('value="zebra"', body)
        self.assertNotIn('value="Kristianstad"', body)
        self.assertIn("<title>zebra · Praxis</title>", body)
        form = [form for form in page.forms if form.get("action") == "/subscribe"][0]
        self.assertIn({"type": "hidden", "name": "search", "value": "q=zebra", "tag": "input"},
                      form["fields"])

    def test_swedish(self):
        page, body = self.get("/?q=language&per_page=1", headers={"Accept-Language": "sv"})
        self.assertIn("Filtrera resultaten", body)
        self.assertIn("exempel hittades", body)
        self.assertTrue(page.link("Nästa sida ›"))


class HostileTextTest(unittest.TestCase):
    """A payload in every text field is text wherever a page shows it."""

    @classmethod
    def setUpClass(cls):
        cls.tmp = tempfile.TemporaryDirectory(prefix="praxis-xss-")
        data = os.path.join(cls.tmp.name, "xss.jsonl")
        practice = {"uid": "xss-1", "title": "Hostile " + XSS, "summary": "Summary " + XSS,
                    "body": "Body " + XSS + "\n\n[click](javascript:alert(1)) <b>raw</b>",
                    "city": "City" + XSS, "region": "Region" + XSS, "organisation": "Org" + XSS,
                    "project": "Project" + XSS, "country": "SE", "language": "en",
                    "themes": ["language-learning"], "focus_areas": ["interact"], "year": 2024,
                    "target_groups": "Groups" + XSS, "goals": "Goals" + XSS,
                    "results": "Results" + XSS, "evaluation": "Evaluation" + XSS,
                    "funding": "Funding" + XSS, "contact": "contact" + XSS,
                    "url": "https://example.org/?a=<script>"}
        with open(data, "w") as out:
            out.write(json.dumps(practice) + "\n")
        cls.server = Server(data=data)

    @classmethod
    def tearDownClass(cls):
        cls.server.stop()
        cls.tmp.cleanup()

    def assert_no_markup(self, body):
        self.assertNotIn("<script>alert", body)
        self.assertNotIn("<img src=x", body)
        self.assertNotIn("onerror=alert(1)>", body)
        self.assertNotIn("<b>raw</b>", body)
        self.assertNotIn("javascript:", body)

    def test_search_page(self):
        for path in ("/", "/?q=hostile", "/?q=" + urllib.parse.quote(XSS),
                     "/?project=" + urllib.parse.quote("Project" + XSS)):
            status, _, body = self.server.request("GET", path)
            self.assertEqual(status, 200, path)
            self.assert_no_markup(body)
        _, _, body = self.server.request("GET", "/?q=hostile")
        self.assertIn("&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;", body)
        self.assertIn("Org&lt;script&gt;", body)


if __name__ == "__main__":
    unittest.main()
