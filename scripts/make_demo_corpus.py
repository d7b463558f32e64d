"""Build the bundled demo corpus (src/inbrief/data/demo/) from ../shared/demo.

Keeps every article's text and metadata, a few original HTML pages and both feeds, and
writes ATTRIBUTION.md naming, for each item, its source, URL, authors and licence — the
condition under which the corpus may be shipped.

    python scripts/make_demo_corpus.py [--shared ../shared]
"""

from __future__ import annotations

import argparse
import json
import shutil
from pathlib import Path

KEEP_FIELDS = (
    "id",
    "language",
    "title",
    "date",
    "url",
    "source_site",
    "license",
    "license_url",
    "attribution",
    "body",
)
# A handful of real pages (three languages, two sites) is enough for `make run` and the
# extraction tests; the other pages would add 2 MB for little.
HTML_PAGES = (
    "en-globalvoices-001-brazil-amplified-conversations-to-fight-the-digita",
    "en-globalvoices-004-china-a-leaking-dam",
    "fr-wikinews-011-lancement-du-projet-wikidata",
    "de-globalvoices-001-ein-jahr-voller-proteste-nicaragua",
)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--shared", type=Path, default=Path(__file__).parents[2] / "shared")
    parser.add_argument("--out", type=Path, default=Path("src/inbrief/data/demo"))
    args = parser.parse_args()
    demo = args.shared / "demo"
    out: Path = args.out
    if out.exists():
        shutil.rmtree(out)
    (out / "html").mkdir(parents=True)
    (out / "feeds").mkdir()

    rows = [json.loads(line) for line in (demo / "articles.jsonl").open(encoding="utf-8")]
    with (out / "articles.jsonl").open("w", encoding="utf-8") as sink:
        for row in rows:
            kept = {key: row.get(key) for key in KEEP_FIELDS}
            sink.write(json.dumps(kept, ensure_ascii=False) + "\n")
    for row in rows:
        if row["id"] in HTML_PAGES:
            shutil.copyfile(demo / row["html_file"], out / "html" / f"{row['id']}.html")
    for feed in sorted((demo / "feeds").iterdir()):
        shutil.copyfile(feed, out / "feeds" / feed.name)

    lines = [
        "# Demo corpus: sources and licences",
        "",
        "These openly licensed news articles ship with inbrief as its demo corpus and test",
        "fixtures. Texts are unchanged but for whitespace (see each source's notes upstream).",
        "Wikinews articles are CC BY 2.5 (authors: Wikinews contributors, listed in each",
        "article's page history); Global Voices posts are CC BY 3.0. Images and quoted",
        "third-party material are not included.",
        "",
        "| id | title | source | URL | authors | licence |",
        "|---|---|---|---|---|---|",
    ]
    for row in rows:
        cells = [
            row["id"],
            row["title"],
            row["source_site"],
            row.get("url") or "(not recorded)",
            row["attribution"],
            f"[{row['license']}]({row['license_url']})",
        ]
        lines.append("| " + " | ".join(str(c).replace("|", "\\|") for c in cells) + " |")
    lines += [
        "",
        "Feeds: `feeds/globalvoices-feature-2009-06-11.rss` is the original Global Voices",
        "RSS feed of the 15 posts above (CC BY 3.0); `feeds/wikinews-en-sample.generated.atom` is",
        "an Atom feed generated from the English Wikinews items (CC BY 2.5).",
    ]
    (out / "ATTRIBUTION.md").write_text("\n".join(lines) + "\n", encoding="utf-8")
    print(f"wrote {len(rows)} articles, {len(HTML_PAGES)} pages to {out}")


if __name__ == "__main__":
    main()
