"""The public pages in a real server (issue 9, pages 1 and 2, "Feeds, links"): the search page
(facets that add a filter, active filters removed one by one, sorting, pages, "did you mean",
the feed and the permalink, the subscription form, the empty and no-hit states, a plugin's
rewrite searched but never shown); hostile text in every field shown as text."""
import html.parser
import json
import os
import re
import subprocess
import sys
import tempfile
import time
import unittest
import urllib.parse
import xml.etree.ElementTree as ElementTree

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from harness import Server, login_cookie  # noqa: E402

XSS = '<script>alert("x")</script><img src=x onerror=alert(1)>'

# a few practices of our own: enough for pages of two, facets with several values, and one of
# each status that is not public
PRACTICES = [
    {"uid": "wp-sv-1", "title": "Språkcafé i Kristianstad", "summary": "Nyanlända träffas på ett språkcafé.",
     "body": "Biblioteket ordnar ett **språkcafé**.\n\n# Hur\n\nSå här.\n\n### Vem\n\nAlla.",
     "city": "Kristianstad", "country": "SE",
     "organisation": "Kristianstads kommun", "project": "ELAINE", "focus_areas": ["interact"],
     "themes": ["language-learning", "volunteering"], "language": "sv", "year": 2021,
     "contact": "kontakt@kristianstad.example", "region": "Skåne", "goals": "Fler samtal.\nPå svenska."},
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


# Debian's python3-feedparser and python3-extruct, with the interpreter they were built for
DEBIAN_PYTHON = "/usr/bin/python3"
READ_FEED = """
import feedparser, json, sys
feed = feedparser.parse(sys.stdin.buffer.read())
print(json.dumps({"bozo": feed.bozo, "bozo_exception": str(feed.get("bozo_exception", "")),
                  "version": feed.version, "title": feed.feed.get("title"),
                  "id": feed.feed.get("id"), "links": feed.feed.get("links", []),
                  "entries": [{"id": e.id, "title": e.title, "link": e.link,
                               "summary": e.get("summary"), "updated": e.get("updated"),
                               "published": e.get("published")} for e in feed.entries]}))
"""
READ_JSON_LD = """
import extruct, json, sys
data = extruct.extract(sys.stdin.read(), base_url=sys.argv[1], syntaxes=["json-ld"])
print(json.dumps(data["json-ld"]))
"""


def debian_python(script, text, *args):
    result = subprocess.run([DEBIAN_PYTHON, "-c", script, *args], input=text, capture_output=True,
                            text=True, timeout=60, check=True)
    return json.loads(result.stdout)


def read_feed(text):
    return debian_python(READ_FEED, text)


def read_json_ld(text, url):
    return debian_python(READ_JSON_LD, text, url)


PASSWORD = "correct horse battery staple"


def sign_in(server, email):
    """A session of @email (its password set here), through the sign-in form."""
    subprocess.run([os.environ["PRAXIS_BIN"], "user", "passwd", "--db", server.db, email],
                   input=PASSWORD + "\n", capture_output=True, text=True, timeout=60, check=True)
    _, got, page = server.request("GET", "/login")
    csrf = re.search(r'name="csrf" value="([^"]+)"', page).group(1)
    status, got, body = server.request(
        "POST", "/login", body=urllib.parse.urlencode({"csrf": csrf, "email": email, "password": PASSWORD}),
        headers={"Content-Type": "application/x-www-form-urlencoded", "Cookie": login_cookie(got)})
    assert status == 303, (status, body)
    return re.match(r"praxis_session=([^;]*);", got["set-cookie"]).group(1)


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
        sweden = [link for link in page.links if link["text"].startswith("Sweden")]
        self.assertTrue(sweden, page.links)
        self.assertEqual(" ".join(sweden[0]["text"].split()), "Sweden (1)")
        self.assertEqual(sweden[0]["href"], "/?country=SE&focus=interact")
        # the facet link is the API's query: the same practices
        api = self.server.search("focus=interact&country=SE")
        page, body = self.get(sweden[0]["href"])
        self.assertEqual(self.result_titles(page), [hit["title"] for hit in api["results"]])
        self.assertIn("1 practice found", body)
        # it is listed as active, and its removal link is the search without it
        self.assertEqual(page.link("Remove filter Country: Sweden ✕")["href"], "/?focus=interact")
        # the selected value in the facet removes it too
        selected = [link for link in page.links if link.get("aria-current") == "true"
                    and "facet-on" in link.get("class", "")]
        self.assertEqual([link["href"] for link in selected],
                         ["/?focus=interact", "/?country=SE"])
        # a second filter: each removal keeps the others
        theme = [link for link in page.links if link["text"].startswith("Language learning")][0]
        page, _ = self.get(theme["href"])
        self.assertEqual(page.link("Remove filter Country: Sweden ✕")["href"],
                         "/?focus=interact&theme=language-learning")
        self.assertEqual(page.link("Remove filter Theme: Language learning ✕")["href"],
                         "/?country=SE&focus=interact")
        self.assertEqual(page.link("Remove filter Focus area: Interaction ✕")["href"],
                         "/?country=SE&theme=language-learning")
        self.assertEqual(page.link("Remove all filters")["href"], "/")

    def test_year_and_focus_facets(self):
        page, _ = self.get("/")
        year = [link for link in page.links if link["text"].startswith("2021")][0]
        self.assertEqual(query_of(year["href"]), [("year_from", "2021"), ("year_to", "2021")])
        page, body = self.get(year["href"])
        self.assertEqual(len(self.result_titles(page)), 2)
        self.assertEqual(page.link("Remove filter Year: 2021 ✕")["href"], "/")
        interact = [link for link in page.links if link["text"].startswith("Interaction")][0]
        self.assertIn(("focus", "interact"), query_of(interact["href"]))

    def test_city_facet(self):
        page, body = self.get("/?country=SE")
        self.assertIn('<h3 id="facet-city">City</h3>', body)
        malmo = page.link("Malmö (1)")
        self.assertEqual(query_of(malmo["href"]), [("country", "SE"), ("city", "Malmö")])
        page, _ = self.get(malmo["href"])
        self.assertEqual(self.result_titles(page), ["Mentorer för nyanlända i Malmö"])
        self.assertEqual(page.link("Remove filter City: Malmö ✕")["href"], "/?country=SE")

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
        # a filter keeps the size of the pages and goes back to the first
        sweden = [link for link in page.links if link["text"].startswith("Sweden")][0]
        self.assertEqual(sweden["href"], "/?country=SE&per_page=2")
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
        self.assertIn("Country (country): must be", page.texts["error-summary"])
        # a query the search cannot run says why, under the box that holds it
        page, body = self.get("/?q=-language", status=400)
        self.assertIn("Words to search for (q): the query only excludes words", body)
        self.assertIn('value="-language"', body)

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
        # the names of countries and languages too
        self.assertIn("Danmark <span class=\"count\">(1)</span>", body)
        self.assertIn("Engelska <span class=\"count\">(2)</span>", body)
        self.assertTrue(page.link("Nästa sida ›"))

    # the practice page

    def practice_id(self, uid):
        status, _, body = self.server.request("GET", "/api/practices?per_page=100", token="admin")
        self.assertEqual(status, 200)
        ids = {hit["uid"]: hit["id"] for hit in body["results"]}
        if uid in ids:
            return ids[uid]
        for other in range(1, 50):
            status, _, practice = self.server.request("GET", f"/api/practices/{other}", token="admin")
            if status == 200 and practice["uid"] == uid:
                return other
        raise AssertionError(uid)

    def base(self):
        return f"http://{self.server.host}:{self.server.port}"

    def test_practice_page(self):
        number = self.practice_id("wp-sv-1")
        page, body = self.get(f"/practices/{number}")
        self.assertEqual(page.headings[0], [1, "Språkcafé i Kristianstad"])
        self.assertIn('lang="sv"', body)
        self.assertIn("Nyanlända träffas på ett språkcafé.", body)
        self.assertIn("<strong>språkcafé</strong>", body)
        # the body's headings come under the page's: its "#" and "###" are h3 and h4
        self.assertIn([3, "Hur"], page.headings)
        self.assertIn([4, "Vem"], page.headings)
        self.assertIn("Fler samtal.\nPå svenska.", body)
        for label, value in (("Organisation", "Kristianstads kommun"), ("Region", "Skåne"),
                             ("Country", "Sweden"), ("Language", "Swedish"), ("Year", "2021"),
                             ("Identifier", "wp-sv-1"), ("Project", "ELAINE")):
            self.assertIn(f"<dt>{label}</dt><dd>{value}</dd>", body)
        # focus areas and themes link to their searches
        self.assertEqual(page.link("Interaction")["href"], "/?focus=interact")
        self.assertEqual(page.link("Language learning")["href"], "/?theme=language-learning")
        self.assertEqual(page.link("Volunteering")["href"], "/?theme=volunteering")
        canonical = [link for link in page.heads if link.get("rel") == "canonical"][0]
        self.assertEqual(canonical["href"], f"{self.base()}/practices/{number}")
        # related: the published ones that share a theme, the most shared first, never itself
        related = [" ".join(link["text"].split()) for link in page.links
                   if link.get("href", "").startswith("/practices/")]
        # (a theme and the focus area before a theme and the country)
        self.assertEqual(set(related[:2]), {"Language café in Vejle", "Discussion clubs in Riga"})
        self.assertEqual(related[2:], ["Mentorer för nyanlända i Malmö"])
        levels = [level for level, _ in page.headings]
        for before, after in zip(levels, levels[1:]):
            self.assertLessEqual(after, before + 1, page.headings)

    def test_contact_for_members_only(self):
        number = self.practice_id("wp-sv-1")
        _, body = self.get(f"/practices/{number}")
        self.assertNotIn("kontakt@kristianstad.example", body)
        self.assertIn("Contact addresses are shown to signed-in members only.", body)
        self.assertNotIn("kontakt@", json.dumps(read_json_ld(body, self.base())))
        session = sign_in(self.server, "partner@example.org")
        _, body = self.get(f"/practices/{number}", headers={"Cookie": "praxis_session=" + session})
        self.assertIn("kontakt@kristianstad.example", body)
        self.assertNotIn("shown to signed-in members only", body)

    def test_unpublished_is_not_found(self):
        for uid in ("wp-pending", "wp-rejected"):
            number = self.practice_id(uid)
            _, body = self.get(f"/practices/{number}", status=404)
            self.assertIn("There is no published practice at this address.", body)
            self.assertNotIn("Quokka", body)
        self.get("/practices/9999", status=404)
        status, _, _ = self.server.request("GET", "/practices/abc")
        self.assertEqual(status, 404)

    def test_json_ld(self):
        number = self.practice_id("wp-sv-1")
        _, body = self.get(f"/practices/{number}")
        url = f"{self.base()}/practices/{number}"
        documents = read_json_ld(body, url)
        self.assertEqual(len(documents), 1)
        work = documents[0]
        self.assertEqual(work["@context"], "https://schema.org")
        self.assertEqual(work["@type"], "CreativeWork")
        self.assertEqual(work["name"], "Språkcafé i Kristianstad")
        self.assertEqual(work["description"], "Nyanlända träffas på ett språkcafé.")
        self.assertEqual(work["url"], url)
        self.assertEqual(work["inLanguage"], "sv")
        self.assertRegex(work["datePublished"], r"^\d{4}-\d\d-\d\dT")
        self.assertRegex(work["dateModified"], r"^\d{4}-\d\d-\d\dT")
        self.assertEqual(work["keywords"], ["interact", "language-learning", "volunteering"])
        self.assertEqual(work["spatialCoverage"]["address"],
                         {"@type": "PostalAddress", "addressLocality": "Kristianstad",
                          "addressRegion": "Skåne", "addressCountry": "SE"})
        self.assertEqual(work["contentLocation"]["name"], "Kristianstad")
        self.assertEqual(work["publisher"], {"@type": "Organization", "name": "Kristianstads kommun"})

    # the feed and the sitemap

    def test_feed(self):
        status, got, text = self.server.request("GET", "/feed.atom?focus=interact&sort=relevance&lang=x")
        self.assertEqual(status, 200)
        self.assertEqual(got["content-type"], "application/atom+xml; charset=utf-8")
        feed = read_feed(text)
        self.assertEqual(feed["bozo"], 0, feed["bozo_exception"])
        self.assertEqual(feed["version"], "atom10")
        api = self.server.search("focus=interact&sort=newest")
        self.assertEqual([entry["title"] for entry in feed["entries"]],
                         [hit["title"] for hit in api["results"]])
        self.assertEqual([entry["id"] for entry in feed["entries"]],
                         [f"tag:praxis,2026:practice:{hit['uid']}" for hit in api["results"]])
        self.assertEqual([entry["link"] for entry in feed["entries"]],
                         [f"{self.base()}/practices/{hit['id']}" for hit in api["results"]])
        self.assertEqual(feed["entries"][0]["summary"], api["results"][0]["summary"])
        self.assertTrue(all(entry["updated"] and entry["published"] for entry in feed["entries"]))
        self.assertEqual(feed["id"], f"{self.base()}/feed.atom?focus=interact")
        self.assertIn({"rel": "self", "type": "application/atom+xml",
                       "href": f"{self.base()}/feed.atom?focus=interact"}, feed["links"])
        # the ids do not depend on the address the feed was asked at
        _, _, other = self.server.request("GET", "/feed.atom?focus=interact",
                                          headers={"Host": "elsewhere.example"})
        again = read_feed(other)
        self.assertEqual([entry["id"] for entry in again["entries"]],
                         [entry["id"] for entry in feed["entries"]])
        self.assertTrue(again["entries"][0]["link"].startswith("http://elsewhere.example/practices/"))
        # every published practice, newest first, without a search
        _, _, text = self.server.request("GET", "/feed.atom")
        self.assertEqual(len(read_feed(text)["entries"]), 5)
        self.assertNotIn("Quokka", text)
        status, got, _ = self.server.request("GET", "/feed.atom?country=Nowhere")
        self.assertEqual(status, 400)

    def test_sitemap(self):
        status, got, text = self.server.request("GET", "/sitemap.xml")
        self.assertEqual(status, 200)
        self.assertEqual(got["content-type"], "application/xml; charset=utf-8")
        namespace = {"s": "http://www.sitemaps.org/schemas/sitemap/0.9"}
        root = ElementTree.fromstring(text.encode())
        self.assertEqual(root.tag, "{http://www.sitemaps.org/schemas/sitemap/0.9}urlset")
        urls = [url.find("s:loc", namespace).text for url in root.findall("s:url", namespace)]
        published = [self.practice_id(practice["uid"]) for practice in PRACTICES
                     if practice.get("status") is None]
        self.assertEqual(sorted(urls), sorted([f"{self.base()}/"] + [f"{self.base()}/practices/{n}"
                                                                      for n in published]))
        for url in root.findall("s:url", namespace)[1:]:
            self.assertRegex(url.find("s:lastmod", namespace).text, r"^\d{4}-\d\d-\d\dT")


class HostileTextTest(unittest.TestCase):
    """A payload in every text field is text wherever a page shows it."""

    @classmethod
    def setUpClass(cls):
        cls.tmp = tempfile.TemporaryDirectory(prefix="praxis-xss-")
        data = os.path.join(cls.tmp.name, "xss.jsonl")
        practice = {"uid": "xss-1", "title": "Hostile " + XSS, "summary": "Summary " + XSS,
                    "body": "Body " + XSS + "\n\n[click](javascript:alert(1)) <b>raw</b> "
                            "[two](JaVaScRiPt:alert(2)) [three](vbscript:x) "
                            "[four](data:text/html,<script>alert(4)</script>) <!-- c -->",
                    "city": "City" + XSS, "region": "Region" + XSS, "organisation": "Org" + XSS,
                    "project": "Project" + XSS, "country": "SE", "language": "en",
                    "themes": ["language-learning"], "focus_areas": ["interact"], "year": 2024,
                    "target_groups": "Groups" + XSS, "goals": "Goals" + XSS,
                    "results": "Results" + XSS, "evaluation": "Evaluation" + XSS,
                    "funding": "Funding" + XSS, "contact": "contact" + XSS,
                    "url": "https://example.org/?a=<script>"}
        # what XML 1.0 has no character for, and the model lets through
        odd = {"uid": "xss-2", "title": "Noncharacters \ufffe here", "summary": "Odd \ufffe\uffff end",
               "country": "SE", "language": "en"}
        with open(data, "w") as out:
            out.write(json.dumps(practice) + "\n")
            out.write(json.dumps(odd) + "\n")
        cls.server = Server(data=data)

    @classmethod
    def tearDownClass(cls):
        cls.server.stop()
        cls.tmp.cleanup()

    def assert_no_markup(self, body):
        # the JSON-LD holds the text as JSON, its "<" escaped (test_json_ld_stays_in_its_script)
        body = re.sub(r'<script type="application/ld\+json">[^<]*</script>', "", body)
        self.assertNotIn("<script", body)
        self.assertNotIn("<img src=x", body)
        self.assertNotIn("onerror=alert(1)>", body)
        self.assertNotIn("<b>raw</b>", body)
        self.assertNotIn("javascript:", body.lower())

    def test_search_page(self):
        for path in ("/", "/?q=hostile", "/?q=" + urllib.parse.quote(XSS),
                     "/?project=" + urllib.parse.quote("Project" + XSS)):
            status, _, body = self.server.request("GET", path)
            self.assertEqual(status, 200, path)
            self.assert_no_markup(body)
        _, _, body = self.server.request("GET", "/?q=hostile")
        self.assertIn("&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;", body)
        self.assertIn("Org&lt;script&gt;", body)

    def practice_page(self):
        found = self.server.search("q=hostile")
        self.assertEqual(found["total"], 1)
        number = found["results"][0]["id"]
        status, _, body = self.server.request("GET", f"/practices/{number}")
        self.assertEqual(status, 200)
        return number, body

    def test_practice_page(self):
        _, body = self.practice_page()
        self.assert_no_markup(body)
        for field in ("Hostile", "Summary", "City", "Region", "Org", "Project", "Groups",
                      "Goals", "Results", "Evaluation", "Funding"):
            self.assertIn(field + " &lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;"
                          if field in ("Hostile", "Summary") else field + "&lt;script&gt;", body)
        # Markdown's raw HTML is left out, a javascript: link loses its address
        self.assertIn("<!-- raw HTML omitted -->", body)
        self.assertIn('<a href="">click</a>', body)
        for text in ("two", "three", "four"):
            self.assertIn(f'<a href="">{text}</a>', body)
        self.assertNotIn("vbscript", body.lower())
        self.assertNotIn("data:text", body)
        self.assertNotIn("contact<", body)
        self.assertIn('href="https://example.org/?a=&lt;script&gt;"', body)

    def test_json_ld_stays_in_its_script(self):
        number, body = self.practice_page()
        scripts = re.findall(r"<script[^>]*>(.*?)</script>", body, re.S)
        self.assertEqual(len(scripts), 1)
        self.assertNotIn("<", scripts[0])
        work = json.loads(scripts[0])
        self.assertEqual(work["name"], "Hostile " + XSS)
        self.assertEqual(read_json_ld(body, "http://x/")[0]["description"], "Summary " + XSS)

    def test_feed(self):
        status, _, text = self.server.request("GET", "/feed.atom?q=hostile")
        self.assertEqual(status, 200)
        self.assertNotIn("<script>", text)
        self.assertNotIn("<img", text)
        feed = read_feed(text)
        self.assertEqual(feed["bozo"], 0, feed["bozo_exception"])
        self.assertEqual(len(feed["entries"]), 1)
        self.assertIn("Hostile", feed["entries"][0]["title"])
        # a query's own markup is text in the feed's title too
        status, _, text = self.server.request("GET", "/feed.atom?q=" + urllib.parse.quote(XSS))
        self.assertEqual(status, 200)
        self.assertNotIn("<script>", text)
        self.assertEqual(read_feed(text)["bozo"], 0)

    def test_feed_without_noncharacters(self):
        status, _, text = self.server.request("GET", "/feed.atom?q=noncharacters")
        self.assertEqual(status, 200)
        self.assertNotIn("\ufffe", text)
        self.assertNotIn("\uffff", text)
        feed = read_feed(text)
        self.assertEqual(feed["bozo"], 0, feed["bozo_exception"])
        self.assertEqual(feed["entries"][0]["summary"], "Odd  end")
        ElementTree.fromstring(text.encode())

    def test_sitemap(self):
        _, _, text = self.server.request("GET", "/sitemap.xml")
        self.assertEqual(len(ElementTree.fromstring(text.encode())), 3)


class FeedCacheTest(unittest.TestCase):
    """The feed is cached as the API's answers are: a change of the practices is in the next
    one, and each site address gets links of its own."""

    @classmethod
    def setUpClass(cls):
        cls.server = Server()

    @classmethod
    def tearDownClass(cls):
        cls.server.stop()

    def entries(self, path, headers=None):
        status, _, text = self.server.request("GET", path, headers=headers)
        self.assertEqual(status, 200)
        feed = read_feed(text)
        self.assertEqual(feed["bozo"], 0, feed["bozo_exception"])
        return feed["entries"]

    def test_a_publication_is_in_the_next_feed(self):
        before = self.entries("/feed.atom?country=SE")
        self.assertEqual(self.entries("/feed.atom?country=SE"), before)
        elsewhere = self.entries("/feed.atom?country=SE", headers={"Host": "other.example"})
        self.assertTrue(elsewhere[0]["link"].startswith("http://other.example/"))
        status, _, created = self.server.request(
            "POST", "/api/practices", token="partner",
            body={"title": "Fresh feed entry", "summary": "Just published.", "country": "SE"})
        self.assertEqual(status, 201, created)
        status, _, _ = self.server.request("POST", f"/api/practices/{created['id']}/publish",
                                           token="admin")
        self.assertEqual(status, 200)
        after = self.entries("/feed.atom?country=SE")
        self.assertEqual(after[0]["title"], "Fresh feed entry")
        self.assertEqual(after[1:], before)


class VisitorPageCacheTest(unittest.TestCase):
    """A visitor's search page (no session) is kept in the search cache with the API's answers:
    each answer from it carries a form token made for it, and is otherwise the page itself; a
    change of the practices is in the next page; a language, a site address and a signed-in
    member each get a page of their own."""

    @classmethod
    def setUpClass(cls):
        cls.server = Server()

    @classmethod
    def tearDownClass(cls):
        cls.server.stop()

    def page(self, path, headers=None):
        status, _, body = self.server.request("GET", path, headers=headers)
        self.assertEqual(status, 200, body[:1000])
        return body

    def test_pages_from_the_cache(self):
        path = "/?q=integration"
        self.assertNotIn("Quokka", self.page(path))
        first = self.page(path)
        time.sleep(1.1)
        second = self.page(path)
        tokens = [re.search(r'name="csrf" value="([^"]+)"', body).group(1) for body in (first, second)]
        self.assertGreater(int(tokens[1].split(".")[0]), int(tokens[0].split(".")[0]),
                           "a page from the cache carries a token made for its answer")
        self.assertEqual(first.replace(tokens[0], "TOKEN"), second.replace(tokens[1], "TOKEN"))

        # a search for the token's own text, made in the second its pages carry that token:
        # from the cache, a later page shows the words searched, and only its form a new token
        for _ in range(5):
            token = re.search(r'name="csrf" value="([^"]+)"', self.page("/?q=x")).group(1)
            words = self.page("/?q=" + urllib.parse.quote(token))
            if f'name="csrf" value="{token}"' in words:
                break
        time.sleep(1.1)
        later = self.page("/?q=" + urllib.parse.quote(token))
        self.assertIn(f'name="q" value="{token}"', later)
        self.assertNotIn(f'name="csrf" value="{token}"', later)

        self.assertIn('<html lang="sv">', self.page(path, {"Accept-Language": "sv"}))
        self.assertIn('<html lang="en">', self.page(path))
        self.assertIn("http://other.example/?q=integration", self.page(path, {"Host": "other.example"}))
        self.assertNotIn("other.example", self.page(path))
        session = sign_in(self.server, "partner@example.org")
        self.assertIn("partner@example.org", self.page(path, {"Cookie": "praxis_session=" + session}))
        self.assertNotIn("partner@example.org", self.page(path))

        status, _, created = self.server.request(
            "POST", "/api/practices", token="partner",
            body={"title": "Quokka days of integration", "summary": "Just published.",
                  "country": "SE"})
        self.assertEqual(status, 201, created)
        status, _, _ = self.server.request("POST", f"/api/practices/{created['id']}/publish",
                                           token="admin")
        self.assertEqual(status, 200)
        self.assertIn(">Quokka days of <mark>", self.page(path))


if __name__ == "__main__":
    unittest.main()
