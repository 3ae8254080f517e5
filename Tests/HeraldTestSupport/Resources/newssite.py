#!/usr/bin/env python3
"""Generates a realistic static news site for crawl tests and the crawl benchmark.

The site has a home page, section pages with pagination, article pages, RSS 2.0 / Atom / RDF
feeds, a sitemap index with a Google News sitemap and a gzip urlset, robots.txt with a Disallow
and a Sitemap line, the same article under tracking-parameter URLs, AMP copies pointing back with
rel=canonical, exact duplicates and near-duplicates (same story, changed credit line).

Article bodies come from the evaluation corpus (zyte-dev ground truth), or from a few built-in
stories when the corpus is not there (`make demo` on a fresh clone); copies beyond the first
of each corpus text get every word replaced through a per-copy mapping, so every article is a
distinct story for exact and near-duplicate detection alike, while keeping realistic lengths.

  --mode template   small pages: our own news template around the body (fast tests)
  --mode corpus     the corpus pages' own HTML (about 200 KB each) with the words rewritten (bench)

Writes manifest.json: every article URL with its expected body group, so tests can assert that
each distinct article is delivered exactly once.
"""
import argparse
import gzip
import hashlib
import html
import json
import os
import random
import re
import sys

SECTIONS = ["world", "business", "tech"]
# Each section announces its own feed, one of each format.
FEED_TYPES = {"world": ("rss", "application/rss+xml"), "business": ("atom", "application/atom+xml"),
              "tech": ("rdf", "application/rdf+xml")}
# Letters of any script: a copy of a Cyrillic or Greek text must differ from its original too.
WORD_RE = re.compile(r"[^\W\d_]{3,}")


# Stories for a site built without the evaluation corpus (`make demo` on a fresh clone).
BUILTIN_STORIES = [
    ("Harbour council approves new ferry timetable",
     "The harbour council voted on Tuesday evening to approve a new ferry timetable that adds two early crossings to the islands and moves the last evening boat an hour later. Councillors said the change answers years of complaints from commuters who work in the old town and from shop owners on the islands, who lose customers when the last boat leaves before the cafes close. The operator will hire six more crew members and lease a second vessel for the summer months. Residents of the northern quay raised concerns about noise from early departures, and the council promised to review the timetable after one season. The first crossings under the new schedule begin on the first Monday of March."),
    ("University study finds lake water much cleaner",
     "Researchers at the university published a study this week showing that the water of the lake has become markedly cleaner in the ten years since the paper mill on its eastern shore closed. Samples taken every month at twelve points found far lower levels of phosphorus and heavy metals, and the number of fish species counted by divers nearly doubled. The authors warn that fertiliser washed from nearby farms during heavy rain still causes algae blooms in late summer. They recommend planting wider strips of grass along the streams that feed the lake and say the regional government should keep funding the monitoring programme for at least another decade."),
    ("Retired teacher opens free chess school",
     "A retired mathematics teacher has opened a free chess school in the community hall, where more than forty children now meet every Wednesday afternoon to play, study openings and solve puzzles. She started with two borrowed boards and a handful of pupils from her old school; today local businesses have donated clocks, books and a projector. Older pupils help the beginners, and parents take turns bringing fruit and tea. The school will send its first team to the regional junior championship in April. The teacher says the game teaches patience and honest defeat better than any lesson she gave in forty years, and that anyone willing to help is welcome."),
    ("Regional airline adds three island routes",
     "The regional airline announced three new routes to the islands starting in spring, using smaller propeller aircraft that can land on the short runway near the fishing harbour. Tickets go on sale next week, with introductory fares for residents of the islands and students at the mainland college. The airline expects the routes to carry about forty thousand passengers a year and to create twenty jobs at the island airports, which will extend their opening hours. Environmental groups criticised the plan, arguing that better ferry connections would serve the islands with far lower emissions. The airline replied that its new aircraft burn a third less fuel than the jets they replace."),
    ("Old quarter residents protest new parking rules",
     "Several hundred residents of the old quarter gathered in the main square on Sunday to protest against new parking rules, which they say will drive customers away from the small shops along the river. Under the rules, visitors may park for only one hour during the day, and residents must pay for a yearly permit that used to be free. The mayor defended the measure as a way to reduce traffic in narrow streets and to make room for a new bus line. Shop owners collected signatures for a petition asking the council to allow two hours of parking on Saturdays. The council will debate the petition at its next meeting in three weeks."),
    ("Valley farmers report early harvest and low prices",
     "Farmers in the valley reported an unusually early harvest after weeks of warm weather, but traders at the weekly market complained that prices for apples and pears have fallen sharply as supply outpaced demand. Several growers said they would leave part of their crop on the trees rather than sell below cost. A cooperative of twenty farms now plans to build a cold store near the railway station so that fruit can be kept for the winter months, when prices are higher. The project needs a loan from the regional development bank, which will decide in December. Meanwhile the cooperative is asking schools and hospitals to buy directly from local farms."),
    ("Football club signs young goalkeeper",
     "The football club confirmed on Friday the signing of a young goalkeeper from a second division team, ending months of speculation among supporters. The twenty year old, who played every match of last season and kept fourteen clean sheets, signed a four year contract. The coach said the squad still needs an experienced defender before the winter transfer window closes next month and that the club is talking to several players. Supporters welcomed the news but questioned whether the club can afford another signing after the costly renovation of the stadium roof. The new goalkeeper will be presented to fans before the home match against the league leaders."),
    ("Library extends opening hours after petition",
     "The city library will open on Sunday afternoons and stay open until nine on weekday evenings from next month, after more than three thousand people signed a petition asking for longer hours. The council found the money by sharing the building's reading room with the adult education centre, which will run language classes there in the mornings. Librarians said students preparing for exams and parents with young children were the groups most eager for the change. The library will also lend laptops and offer free help with online forms for older residents every Thursday. The director said visitor numbers have risen by a fifth since the renovated children's section opened last year."),
]


def builtin_corpus():
    stories = []
    for i, (title, body) in enumerate(BUILTIN_STORIES):
        sentences = re.split(r"(?<=\.) ", body)
        paras = [" ".join(sentences[k:k + 3]) for k in range(0, len(sentences), 3)]
        stories.append(("builtin-%d" % i, "https://herald.example/demo/%d" % i, "\n".join(paras)))
    return stories


def load_corpus(corpus):
    if not os.path.exists(os.path.join(corpus, "zyte-dev", "ground-truth.json")):
        return builtin_corpus()
    with open(os.path.join(corpus, "zyte-dev", "ground-truth.json"), encoding="utf-8") as f:
        truth = json.load(f)
    items = []
    for key in sorted(truth):
        body = truth[key]["articleBody"].strip()
        if len(body.split()) < 80:
            continue
        items.append((key, truth[key]["url"], body))
    return items


class WordMap:
    """A deterministic word -> word mapping per copy number (copy 0 is the identity)."""

    def __init__(self, vocabulary):
        self.vocab_by_len = {}
        for w in vocabulary:
            self.vocab_by_len.setdefault(len(w), []).append(w)
        self.cache = {}

    def mapper(self, copy):
        if copy == 0:
            return lambda text: text
        table = self.cache.setdefault(copy, {})

        def sub(m):
            word = m.group(0)
            low = word.lower()
            out = table.get(low)
            if out is None:
                pool = self.vocab_by_len.get(len(low)) or self.vocab_by_len[max(self.vocab_by_len)]
                h = int(hashlib.blake2b(f"{copy}:{low}".encode(), digest_size=8).hexdigest(), 16)
                out = pool[h % len(pool)]
                table[low] = out
            if word[0].isupper():
                out = out[0].upper() + out[1:]
            return out

        return lambda text: WORD_RE.sub(sub, text)


def slugify(text):
    s = re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")
    return s[:60] or "story"


PAGE_CHROME_TOP = """<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8">
<title>{title} | Herald Test Times</title>
<link rel="canonical" href="{canonical}">
{amp_link}
<meta property="og:title" content="{title}">
<meta property="og:site_name" content="Herald Test Times">
<meta property="og:type" content="article">
<meta property="article:published_time" content="{published}">
<meta property="article:section" content="{section_title}">
<meta name="author" content="{author}">
<link rel="alternate" type="{feed_type}" href="/feeds/{section}.{feed_ext}">
</head><body>
<div class="cookie-banner">We use cookies to improve your experience. Accept all cookies</div>
<header><nav><a href="/">Home</a> <a href="/news/world/">World</a> <a href="/news/business/">Business</a>
<a href="/news/tech/">Tech</a> <a href="/private/staff.html">Staff</a></nav></header>
<main><article>
<h1>{title}</h1>
<div class="byline">By {author}</div>
<time datetime="{published}">{published_text}</time>
<div class="share"><a href="https://twitter.example/share">Share on Twitter</a> <a href="https://facebook.example/share">Facebook</a></div>
<div class="article-body">
"""

PAGE_CHROME_BOTTOM = """</div>
<p class="credit">{credit}</p>
</article>
<aside class="related"><h2>Related stories</h2><ul>{related}</ul></aside>
</main>
<footer><p>Copyright Herald Test Times. All rights reserved.</p><a href="/about.html">About</a></footer>
</body></html>
"""


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--out", required=True)
    ap.add_argument("--base", required=True, help="e.g. http://127.0.0.1:8080 (no trailing slash)")
    ap.add_argument("--articles", type=int, default=60)
    ap.add_argument("--corpus", default=os.path.join(os.path.dirname(__file__), "..", "..", "..", "..", "shared", "corpus"))
    ap.add_argument("--mode", choices=["template", "corpus"], default="template")
    ap.add_argument("--duplicates", type=int, default=None, help="exact duplicates (default: articles/20)")
    ap.add_argument("--near-duplicates", type=int, default=None, help="near duplicates (default: articles/20)")
    ap.add_argument("--per-page", type=int, default=20)
    args = ap.parse_args()

    base = args.base.rstrip("/")
    out = args.out
    corpus = load_corpus(args.corpus)
    vocabulary = sorted({w.lower() for _, _, body in corpus for w in WORD_RE.findall(body)})
    words = WordMap(vocabulary)
    rng = random.Random(7)

    n = args.articles
    n_dup = n // 20 if args.duplicates is None else args.duplicates
    n_near = n // 20 if args.near_duplicates is None else args.near_duplicates

    def write(path, data):
        full = os.path.join(out, path.lstrip("/"))
        os.makedirs(os.path.dirname(full), exist_ok=True)
        mode = "wb" if isinstance(data, bytes) else "w"
        with open(full, mode, **({} if mode == "wb" else {"encoding": "utf-8"})) as f:
            f.write(data)

    corpus_html = {}

    def raw_corpus_page(key):
        if key not in corpus_html:
            with gzip.open(os.path.join(args.corpus, "zyte-dev", "html", key + ".html.gz"), "rt",
                           encoding="utf-8", errors="replace") as f:
                corpus_html[key] = f.read()
        return corpus_html[key]

    articles = []  # dicts: id, section, path, title, body_paras, group, kind, published
    for i in range(n):
        key, orig_url, body = corpus[i % len(corpus)]
        copy = i // len(corpus)
        m = words.mapper(copy)
        paras = [m(p.strip()) for p in body.split("\n") if p.strip()]
        title = m(" ".join(paras[0].split()[:9])).rstrip(".,;:")
        section = SECTIONS[i % len(SECTIONS)]
        day = 1 + (i % 28)
        published = f"2026-10-{day:02d}T{8 + i % 12:02d}:{i % 60:02d}:00+00:00"
        aid = 100000 + i
        path = f"/news/{section}/{aid}-{slugify(title)}.html"
        articles.append(dict(id=aid, section=section, path=path, title=title, paras=paras,
                             group=i, kind="original", published=published, key=key,
                             orig_url=orig_url, copy=copy, credit="Reporting by the newsroom; editing by the desk"))
    # Exact duplicates: same story (same body) republished under another URL.
    for j in range(n_dup):
        src = articles[(j * 7) % n]
        aid = 200000 + j
        path = f"/news/{src['section']}/{aid}-republished-{slugify(src['title'])}.html"
        articles.append(dict(src, id=aid, path=path, kind="duplicate"))
    # Near-duplicates: the same story with a changed credit line / typo fix.
    for j in range(n_near):
        src = articles[(j * 11 + 3) % n]
        aid = 300000 + j
        paras = list(src["paras"])
        paras[-1] = paras[-1] + " (Updated with a corrected credit line.)"
        if len(paras) > 2:
            paras[1] = paras[1].replace(" the ", " teh ", 1)
        path = f"/news/{src['section']}/{aid}-update-{slugify(src['title'])}.html"
        articles.append(dict(src, id=aid, path=path, paras=paras, kind="near_duplicate",
                             credit="Reporting by the newsroom; additional reporting by a correspondent"))

    def related_links(a):
        picks = [articles[(a["id"] * 31 + k) % len(articles)] for k in range(4)]
        return "".join(f'<li><a href="{p["path"]}">{html.escape(p["title"])}</a></li>' for p in picks)

    def template_page(a, canonical, amp=False):
        amp_link = "" if amp else f'<link rel="amphtml" href="/amp{a["path"]}">'
        top = PAGE_CHROME_TOP.format(
            title=html.escape(a["title"]), canonical=canonical, amp_link=amp_link,
            published=a["published"], published_text=a["published"][:10],
            section=a["section"], section_title=a["section"].title(), author="Dana Writer",
            feed_ext=FEED_TYPES[a["section"]][0], feed_type=FEED_TYPES[a["section"]][1])
        body = "".join(f"<p>{html.escape(p)}</p>\n" for p in a["paras"])
        return top + body + PAGE_CHROME_BOTTOM.format(credit=a["credit"], related=related_links(a))

    def corpus_page(a, canonical):
        page = raw_corpus_page(a["key"])
        m = words.mapper(a["copy"])
        # Drop the original site's identity so copies do not collapse onto its canonical URL.
        page = re.sub(r'<link[^>]+rel=["\']?(canonical|amphtml)["\']?[^>]*>', "", page, flags=re.I)
        page = re.sub(r'<meta[^>]+property=["\']og:url["\'][^>]*>', "", page, flags=re.I)
        page = page.replace(a["orig_url"], canonical)
        page = re.sub(r"<head([^>]*)>", lambda mm: f'<head{mm.group(1)}><link rel="canonical" href="{canonical}">',
                      page, count=1, flags=re.I)
        if a["copy"]:
            # Rewrite words in text outside tags, scripts and styles.
            parts = re.split(r"(<script.*?</script>|<style.*?</style>|<[^>]*>)", page, flags=re.S | re.I)
            page = "".join(p if p.startswith("<") else m(p) for p in parts)
        if a["kind"] == "near_duplicate":
            page = page.replace("</body>", "<p>Updated with a corrected credit line.</p></body>", 1)
        return page

    for a in articles:
        canonical = base + a["path"]
        if args.mode == "corpus" and a["kind"] != "near_duplicate":
            write(a["path"], corpus_page(a, canonical))
        else:
            write(a["path"], template_page(a, canonical))
        write("/amp" + a["path"], template_page(a, canonical, amp=True))

    originals = [a for a in articles]
    # Section pages with pagination, newest first.
    for s in SECTIONS:
        items = [a for a in originals if a["section"] == s]
        pages = max(1, (len(items) + args.per_page - 1) // args.per_page)
        for p in range(pages):
            chunk = items[p * args.per_page:(p + 1) * args.per_page]
            links = "".join(f'<li><a href="{a["path"]}">{html.escape(a["title"])}</a></li>' for a in chunk)
            nav = ""
            if p + 1 < pages:
                nav += f'<a rel="next" href="/news/{s}/page/{p + 2}/">Next page</a>'
            path = f"/news/{s}/index.html" if p == 0 else f"/news/{s}/page/{p + 1}/index.html"
            write(path, f"<!DOCTYPE html><html lang=en><head><title>{s.title()} news</title>"
                        f'<link rel="alternate" type="{FEED_TYPES[s][1]}" href="/feeds/{s}.{FEED_TYPES[s][0]}"></head>'
                        f"<body><nav><a href=/>Home</a></nav><h1>{s.title()}</h1><ul>{links}</ul>{nav}</body></html>")

    # Home: sections, latest stories, a tracking-parameter and an AMP variant, a disallowed page.
    latest = originals[:20]
    home_links = "".join(f'<li><a href="{a["path"]}">{html.escape(a["title"])}</a></li>' for a in latest)
    variants = ""
    for a in originals[:3]:
        variants += f'<a href="{a["path"]}?utm_source=home&amp;utm_medium=web">{html.escape(a["title"])}</a> '
        variants += f'<a href="{a["path"]}#comments">Comments</a> '
        variants += f'<a href="/amp{a["path"]}">AMP</a> '
    write("/index.html", "<!DOCTYPE html><html lang=en><head><title>Herald Test Times</title>"
                         '<link rel="alternate" type="application/rss+xml" title="Latest" href="/feeds/world.rss"></head>'
                         "<body><nav><a href=/news/world/>World</a> <a href=/news/business/>Business</a> "
                         "<a href=/news/tech/>Tech</a> <a href=/private/staff.html>Staff</a></nav>"
                         f"<ul>{home_links}</ul><div class=promos>{variants}</div></body></html>")
    write("/private/staff.html", "<html><body><p>Staff only: this page is disallowed by robots.txt.</p></body></html>")
    write("/about.html", "<html><body><p>About us.</p></body></html>")
    write("/robots.txt", f"User-agent: *\nDisallow: /private/\nAllow: /\n\nSitemap: {base}/sitemap_index.xml\n")

    def rfc822(iso):
        import datetime
        d = datetime.datetime.fromisoformat(iso)
        return d.strftime("%a, %d %b %Y %H:%M:%S +0000")

    by_section = {s: [a for a in originals if a["section"] == s][:50] for s in SECTIONS}
    rss_items = "".join(
        f"<item><title>{html.escape(a['title'])}</title><link>{base}{a['path']}</link>"
        f"<guid>{base}{a['path']}</guid><pubDate>{rfc822(a['published'])}</pubDate></item>"
        for a in by_section["world"])
    write("/feeds/world.rss", f'<?xml version="1.0" encoding="UTF-8"?><rss version="2.0"><channel>'
                              f"<title>World</title><link>{base}/news/world/</link>{rss_items}</channel></rss>")
    atom_entries = "".join(
        f'<entry><title>{html.escape(a["title"])}</title><link href="{base}{a["path"]}"/>'
        f"<id>{base}{a['path']}</id><updated>{a['published']}</updated></entry>"
        for a in by_section["business"])
    write("/feeds/business.atom", f'<?xml version="1.0" encoding="utf-8"?><feed xmlns="http://www.w3.org/2005/Atom">'
                                  f"<title>Business</title><id>{base}/news/business/</id>{atom_entries}</feed>")
    rdf_items = "".join(
        f'<item rdf:about="{base}{a["path"]}"><title>{html.escape(a["title"])}</title><link>{base}{a["path"]}</link>'
        f"<dc:date>{a['published']}</dc:date></item>" for a in by_section["tech"])
    write("/feeds/tech.rdf", '<?xml version="1.0"?><rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#" '
                             'xmlns="http://purl.org/rss/1.0/" xmlns:dc="http://purl.org/dc/elements/1.1/">'
                             f'<channel rdf:about="{base}/feeds/tech.rdf"><title>Tech</title></channel>{rdf_items}</rdf:RDF>')

    news = "".join(
        f"<url><loc>{base}{a['path']}</loc><news:news><news:publication><news:name>Herald Test Times</news:name>"
        f"<news:language>en</news:language></news:publication><news:publication_date>{a['published']}"
        f"</news:publication_date><news:title>{html.escape(a['title'])}</news:title></news:news></url>"
        for a in originals[-100:])
    write("/sitemaps/news.xml", '<?xml version="1.0" encoding="UTF-8"?><urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9" '
                                f'xmlns:news="http://www.google.com/schemas/sitemap-news/0.9">{news}</urlset>')
    urls = "".join(f"<url><loc>{base}{a['path']}</loc><lastmod>{a['published'][:10]}</lastmod></url>" for a in articles)
    write("/sitemaps/articles-1.xml.gz", gzip.compress(
        ('<?xml version="1.0" encoding="UTF-8"?><urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">'
         f"{urls}</urlset>").encode()))
    write("/sitemap_index.xml", '<?xml version="1.0" encoding="UTF-8"?><sitemapindex xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">'
                                f"<sitemap><loc>{base}/sitemaps/news.xml</loc></sitemap>"
                                f"<sitemap><loc>{base}/sitemaps/articles-1.xml.gz</loc></sitemap></sitemapindex>")

    manifest = {
        "base": base,
        "articles": [dict(url=base + a["path"], group=a["group"], kind=a["kind"], title=a["title"]) for a in articles],
        "distinct_groups": len({a["group"] for a in articles}),
        "disallowed": [base + "/private/staff.html"],
    }
    write("/manifest.json", json.dumps(manifest, indent=1))
    print(f"{len(articles)} articles ({n} distinct stories, {n_dup} duplicates, {n_near} near-duplicates) in {out}",
          file=sys.stderr)


if __name__ == "__main__":
    main()
