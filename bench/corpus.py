"""A deterministic corpus of news-like articles and claims for the benchmarks.

Run: python bench/corpus.py OUT_DIR [--articles 5000] [--claims 2000] [--seed 0]

`generate(root, articles, claims, seed)` writes a complete site under `root` that
`site-builder build --strict` accepts without errors or warnings:

- `content/site.yaml`: the shape of the real site's settings and rating scale;
- `content/articles/<slug>.md`: articles of about 800 words with front matter (title,
  standfirst, outlet, url, published, author) and Markdown bodies with paragraphs, a heading,
  usually a list and a block quote, and sentences that carry the things news text is made of:
  abbreviations (U.S., Mr., a.m., Jan.), numbers (6,000 and 3.5), quotations and names;
- `claims.yaml`: claims (at most 75 characters) quoting 3 to 6 different articles each, every
  quote 5 to 15 words copied from one sentence of a paragraph and verified to occur exactly once
  in its article. Every article is quoted at least once: the first quotes go round-robin over a
  shuffled list of all articles.

Everything here is synthetic benchmark data: the outlets, people, places and events are
invented, and the URLs use the reserved `.example` domain. The same arguments always give
byte-identical files: one `random.Random(seed)` drives everything and iteration is ordered.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import random
import re
import sys
from collections import deque
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from string import Formatter

# --- Vocabulary. All names below are invented for synthetic benchmark data. ----------------

OUTLETS = (
    "The Halden Courier", "Eastmere Daily", "Northgate Ledger", "The Varrow Times",
    "Coastline Herald", "Brightwater Post", "The Ridgefield Observer", "Calloway Tribune",
    "Morrow Valley News", "The Ashby Sentinel", "Port Lennox Gazette", "Quillon Report",
    "The Dunmore Record", "Fairhaven Chronicle", "Westbrook Dispatch", "Silverlake Monitor",
    "The Orland Express", "Kestrel Bay Journal", "Granite State Wire", "The Harrowgate Star",
    "Pinecrest Bulletin", "Redfern Register", "The Mariner Weekly", "Lakeshore Examiner",
    "Stonebridge Voice", "The Caldwell Mercury", "Elmhurst Review", "Ironwood Press",
    "The Tamsin Guardian", "Glenrock Standard", "Hollins Point Telegraph", "Marlow Evening News",
    "The Cobalt Signal", "Southmoor Reporter", "Tidewater Current", "The Oakvale Citizen",
    "Brackenridge Journal", "Summit County Wire", "The Fenwick Leader", "Cedar Plains Echo",
)  # fmt: skip
FIRST = (
    "Maria", "James", "Aisha", "Tomas", "Helen", "Kwame", "Laura", "Dmitri", "Priya", "Samuel",
    "Ines", "Victor", "Grace", "Omar", "Elena", "Felix", "Nadia", "Hugo", "Rosa", "Arjun",
    "Claire", "Mateo", "Yuki", "Daniel", "Fatima", "Peter", "Leila", "Jonas", "Amara", "Carlos",
    "Sofia", "Ethan", "Hana", "Marcus", "Irene", "Tariq", "Olga", "Liam", "Chen", "Beatriz",
)  # fmt: skip
LAST = (
    "Albright", "Okafor", "Lindqvist", "Moreau", "Haddad", "Brennan", "Castellano", "Novak",
    "Petrov", "Whitaker", "Sandoval", "Kowalski", "Ferreira", "Achebe", "Tanaka", "Dalton",
    "Rasmussen", "Quintero", "Harcourt", "Mbeki", "Vasquez", "Oyelaran", "Sorensen", "Gallo",
    "Ibarra", "Kessler", "Nakamura", "Delacroix", "Fitzgerald", "Mendoza", "Abernathy", "Yilmaz",
    "Marchetti", "Olsen", "Barros", "Kaminski", "Lachance", "Ortega", "Pemberton", "Strand",
    "Valdez", "Wexler", "Zamora", "Bianchi", "Holloway", "Iverson", "Jankowski", "Keller",
)  # fmt: skip
TITLES = ("Mr.", "Ms.", "Dr.", "Gen.", "Sen.", "Gov.", "Rep.", "Prof.")
ROLES = (
    "the mayor", "the finance minister", "a council spokesperson", "the county executive",
    "the agency's director", "a senior official", "the committee chair", "the union leader",
    "a ministry spokesperson", "the regional governor", "the opposition leader", "an economist",
)  # fmt: skip
PLACES = (
    "Port Halden", "Eastmere", "Northgate", "Varrow", "Brightwater", "Ridgefield", "Calloway",
    "Morrow Valley", "Ashby", "Port Lennox", "Dunmore", "Fairhaven", "Westbrook", "Silverlake",
    "Orland", "Kestrel Bay", "Pinecrest", "Redfern", "Stonebridge", "Glenrock", "Southmoor",
)  # fmt: skip
COUNTRIES = ("the U.S.", "the U.K.", "the E.U.", "the U.N.")
MONTHS = ("Jan.", "Feb.", "March", "April", "May", "June", "July", "Aug.", "Sept.", "Oct.")
WEEKDAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")
ROUND = ("6,000", "1,500", "12,000", "2,500", "40,000", "7,500", "3,000", "250,000", "18,000")
# Topics: (tag, nouns, verbs). Nouns read after "the"; verbs are in the past tense.
TOPICS = (
    ("housing", ("rent subsidy", "zoning plan", "housing bond", "tenant registry"),
     ("approved", "delayed", "expanded", "rejected")),
    ("transit", ("bus network", "rail extension", "fare freeze", "bridge repair"),
     ("funded", "postponed", "redesigned", "cancelled")),
    ("budget", ("spending plan", "tax rebate", "reserve fund", "pension reform"),
     ("passed", "cut", "revised", "blocked")),
    ("health", ("clinic network", "vaccine drive", "hospital merger", "nurse contract"),
     ("launched", "suspended", "extended", "reviewed")),
    ("elections", ("ballot measure", "voter roll", "district map", "recount"),
     ("certified", "challenged", "redrawn", "upheld")),
    ("energy", ("wind farm", "gas pipeline", "grid upgrade", "solar program"),
     ("approved", "halted", "expanded", "audited")),
    ("water", ("reservoir project", "water tariff", "flood barrier", "pipe replacement"),
     ("financed", "paused", "completed", "inspected")),
    ("schools", ("school levy", "teacher contract", "lunch program", "campus closure"),
     ("approved", "contested", "renewed", "reversed")),
    ("policing", ("patrol plan", "body camera rule", "oversight board", "training budget"),
     ("adopted", "suspended", "strengthened", "scrapped")),
    ("trade", ("port agreement", "tariff schedule", "export quota", "customs deal"),
     ("signed", "renegotiated", "extended", "dropped")),
    ("climate", ("emissions target", "tree canopy plan", "heat action plan", "carbon levy"),
     ("announced", "weakened", "adopted", "missed")),
    ("labor", ("minimum wage rise", "strike settlement", "overtime rule", "apprenticeship scheme"),
     ("agreed", "delayed", "approved", "rejected")),
)  # fmt: skip
STANCES = ("supports", "supports", "supports", "contradicts", "mixed", "context")

# Sentence templates. Every template that may be quoted contains {n}: a number unique within the
# article, so any window of words around it occurs exactly once (verified anyway).
QUOTABLE = (
    "{Title} {last} said the {noun} would cost about {n} dollars over the next {small} years.",
    "According to {role}, {n} residents of {place} signed a petition against the {noun}.",
    "The {noun} was {verb} on {weekday} after {n} people attended a hearing that ran past {hour} p.m.",
    "Officials in {country} said the {noun} could affect {n} households, a rise of {dec} per cent.",
    "“We were told {n} families would benefit,” {first} {last}, who lives in {place}, told the {outlet_short}.",
    "By {hour}:{minute} a.m. on {month} {day}, {n} ballots had been counted in the {place} district.",
    "{first} {last} of the {place} council said {n} jobs depended on the {noun} being {verb}.",
    "The report, released on {month} {day}, found that {n} of the city's {big} contracts were late.",
    "Critics noted that the {noun} had been {verb} twice before, most recently when {n} workers walked out.",
    "In a statement, {role} said the agency had set aside {n} dollars for the {noun} this year.",
    "The vote was {small} to {small2}, with {n} written comments submitted before the session in {place}.",
    "{Title} {last}, speaking in {place} on {weekday}, said {n} applications were still being processed.",
    "Figures from {country} show {n} permits were issued in {month}, compared with {big} a year earlier.",
    "A survey of {n} voters found {dec} per cent support for the {noun}, according to {first} {last}.",
    "The {noun} covers {n} square miles and will be reviewed again at {hour} a.m. next {weekday}.",
    "{first} {last} (a former adviser to {role}) estimated that {n} tonnes of material would be moved.",
)  # fmt: skip
FILLER = (
    "The meeting lasted just over an hour.",
    "No one was available for comment on {weekday}.",
    "The {noun} has divided the region for months.",
    "It was not immediately clear when a final decision would be made.",
    "Mr. {last} did not respond to a request for comment.",
    "The council is expected to meet again on {month} {day}.",
    "Several residents said they had not been consulted about the {noun}.",
    "Officials in {country} have followed the case closely.",
    "The figures could not be independently verified.",
    "Ms. {last} declined to say whether the {noun} would be {verb} again.",
)  # fmt: skip
HEADINGS = ("What happens next", "Background", "Reaction", "The numbers", "Who pays", "Timeline")
HEADLINES = (
    "{Place} {verb_cap} {noun_title} After Months of Debate",
    "{noun_title} {verb_cap} as {Place} Officials Weigh Costs",
    "Residents Question {noun_title} in {Place}",
    "{Place} Council Split Over {noun_title}",
    "What the {noun_title} Means for {Place}",
)  # fmt: skip
SUMMARY = (
    "The outlets agree that the {noun} was {verb} but differ on the figures they report.",
    "{k} outlets report the {noun}; their accounts of the numbers involved do not all match.",
    "Every quoted outlet mentions the {noun}, and the quotes below show each outlet's wording.",
)  # fmt: skip
CLAIMS = (
    "The {noun} in {Place} was {verb} after a public hearing.",
    "{Place} officials {verb} the {noun} this year.",
    "The {noun} was {verb} with support from {first} {last}.",
    "More than {big} people are affected by the {noun} in {Place}.",
)  # fmt: skip
RATINGS = (
    ("confirmed", "Confirmed",
     "At least two outlets report this and every outlet that reports it agrees."),
    ("mostly-confirmed", "Mostly confirmed",
     "The outlets that report this agree on the substance but differ on a detail."),
    ("disputed", "Disputed",
     "The outlets give conflicting accounts and the sources alone cannot settle which is right."),
    ("unsupported", "Unsupported",
     "Only one outlet reports this and no other source confirms it."),
    ("contradicted", "Contradicted",
     "The outlets that report on this point say something different from the claim."),
)  # fmt: skip

MIN_QUOTES, MAX_QUOTES = 3, 6
TARGET_WORDS = 800
MAX_CLAIM_LENGTH = 75
# The typography the resolver folds before matching (a subset: the characters used here).
_FOLD = (("“", '"'), ("”", '"'), ("‘", "'"), ("’", "'"), ("–", "-"), ("—", "-"))
_SLUG_JUNK = re.compile(r"[^a-z0-9]+")


@dataclass(frozen=True)
class Quotable:
    """A sentence of a plain paragraph that quotes may be taken from."""

    text: str
    token: str  # the number unique within the article


@dataclass
class GeneratedArticle:
    slug: str
    topic: int
    place: str
    source: str
    quotable: list[Quotable]
    folded: str  # the source as quotes are matched against it


def fold(text: str) -> str:
    """Typography folded as the resolver folds it (str.replace: much faster than translate)."""
    for char, plain in _FOLD:
        text = text.replace(char, plain)
    return text


def slugify(text: str) -> str:
    """Lowercase ASCII words joined by hyphens."""
    return _SLUG_JUNK.sub("-", text.lower()).strip("-")


def yaml_str(text: str) -> str:
    """A YAML double-quoted scalar (JSON strings are valid YAML)."""
    return json.dumps(text, ensure_ascii=False)


# The slots of each template, in order of appearance ({small} before {small2} where both occur).
FIELDS = {
    template: tuple(dict.fromkeys(name for _, name, _, _ in Formatter().parse(template) if name))
    for template in QUOTABLE + FILLER
}


class Writer:
    """Generates one article or claim at a time from a shared random stream."""

    def __init__(self, rng: random.Random) -> None:
        self.rng = rng

    def pick(self, items: Sequence[str]) -> str:
        """A random item: `random.choice` without its overhead (this runs ~10^6 times)."""
        return items[int(self.rng.random() * len(items))]

    def number(self, low: int, high: int) -> str:
        return str(low + int(self.rng.random() * (high - low + 1)))

    def fill(self, template: str, topic: int, place: str, outlet: str, **given: str) -> str:
        """The template with each of its slots filled (only the slots it uses are drawn)."""
        _, nouns, verbs = TOPICS[topic]
        values = dict(given)
        for field in FIELDS[template]:
            if field in values:
                continue
            if field == "noun":
                value = self.pick(nouns)
            elif field == "verb":
                value = self.pick(verbs)
            elif field == "place":
                value = place if self.rng.random() < 0.6 else self.pick(PLACES)
            elif field == "small2":
                value = self.number(1, int(values.setdefault("small", self.number(2, 9))))
            elif field == "dec":
                value = f"{self.number(1, 19)}.{self.number(1, 9)}"
            elif field == "minute":
                value = f"{5 * int(self.number(0, 11)):02d}"
            elif field == "outlet_short":
                value = outlet.removeprefix("The ").split()[0] + " newsroom"
            else:
                value = SLOT_DRAWS[field](self)
            values[field] = value
        return template.format(**values)

    def paragraph(
        self, topic: int, place: str, outlet: str, tokens: deque[str], quotable: list[Quotable]
    ) -> tuple[str, int]:
        """2 to 4 sentences, most of them quotable; returns the text and its word count."""
        r = self.rng
        sentences = []
        for _ in range(r.randint(2, 4)):
            if r.random() < 0.75:
                token = tokens.popleft()
                sentence = self.fill(self.pick(QUOTABLE), topic, place, outlet, n=token)
                quotable.append(Quotable(sentence, token))
            else:
                sentence = self.fill(self.pick(FILLER), topic, place, outlet)
            sentences.append(sentence)
        text = " ".join(sentences)
        return text, text.count(" ") + 1

    def article(self, index: int, seed_date: dt.date) -> GeneratedArticle:
        """One article of about TARGET_WORDS words."""
        r = self.rng
        topic = r.randrange(len(TOPICS))
        place = r.choice(PLACES)
        outlet = OUTLETS[index % len(OUTLETS)]
        _, nouns, verbs = TOPICS[topic]
        noun, verb = r.choice(nouns), r.choice(verbs)
        title = r.choice(HEADLINES).format(
            Place=place,
            verb_cap=verb.capitalize(),
            noun_title=noun.title(),
        )
        slug = f"{slugify(title)}-{index:05d}"
        published = seed_date + dt.timedelta(days=r.randrange(0, 730))
        author = f"{r.choice(FIRST)} {r.choice(LAST)}"
        # Numbers unique within the article: never a multiple of 100, so never one of ROUND.
        tokens = deque(f"{n:,}" for n in r.sample(range(1_001, 99_999), 80) if n % 100)
        quotable: list[Quotable] = []
        blocks: list[str] = []
        words = 0
        heading_at = r.randint(3, 5)
        extras = ["list", "quote"] if r.random() < 0.8 else ["quote"]
        r.shuffle(extras)
        while words < TARGET_WORDS - 40:
            if len(blocks) == heading_at:
                blocks.append(f"## {r.choice(HEADINGS)}")
            elif len(blocks) > heading_at and extras and r.random() < 0.4:
                block, count = self.extra(extras.pop(), topic, place, outlet)
                blocks.append(block)
                words += count
            else:
                text, count = self.paragraph(topic, place, outlet, tokens, quotable)
                blocks.append(text)
                words += count
        front = [
            "---",
            f"title: {yaml_str(title)}",
            f"standfirst: {yaml_str(self.standfirst(topic, place))}",
            f"outlet: {yaml_str(outlet)}",
            f"url: https://outlet-{index % len(OUTLETS) + 1}.example/{published:%Y/%m}/{slug}",
            f"published: {published.isoformat()}",
            f"author: {yaml_str(author)}",
            "---",
        ]
        source = "\n".join(front) + "\n" + "\n\n".join(blocks) + "\n"
        return GeneratedArticle(slug, topic, place, source, quotable, fold(source))

    def standfirst(self, topic: int, place: str) -> str:
        _, nouns, verbs = TOPICS[topic]
        return f"Officials in {place} say the {self.rng.choice(nouns)} will be {self.rng.choice(verbs)} by {self.rng.choice(MONTHS)} {self.rng.randint(1, 28)}."

    def extra(self, kind: str, topic: int, place: str, outlet: str) -> tuple[str, int]:
        """A bulleted list or a block quote (never quoted by claims)."""
        r = self.rng
        lines = []
        for _ in range(r.randint(3, 4) if kind == "list" else r.randint(1, 2)):
            noun = self.pick(TOPICS[topic][1])
            sentence = self.fill(self.pick(FILLER), topic, place, outlet, noun=noun)
            if kind == "list":
                lines.append(f"- *{noun.capitalize()}*: {sentence}")
            else:
                lines.append(f"> {sentence}")
        text = "\n".join(lines) if kind == "list" else "\n>\n".join(lines)
        return text, text.count(" ") + 1


SLOT_DRAWS: dict[str, Callable[[Writer], str]] = {
    "Title": lambda w: w.pick(TITLES),
    "first": lambda w: w.pick(FIRST),
    "last": lambda w: w.pick(LAST),
    "role": lambda w: w.pick(ROLES),
    "country": lambda w: w.pick(COUNTRIES),
    "weekday": lambda w: w.pick(WEEKDAYS),
    "month": lambda w: w.pick(MONTHS),
    "day": lambda w: w.number(1, 28),
    "hour": lambda w: w.number(1, 11),
    "small": lambda w: w.number(2, 9),
    "big": lambda w: w.pick(ROUND),
}


def quote_window(rng: random.Random, item: Quotable) -> str:
    """5 to 15 consecutive words of the sentence, including its unique number."""
    words = item.text.split(" ")
    at = next(i for i, w in enumerate(words) if item.token in w)
    size = min(len(words), rng.randint(5, 15))
    first = rng.randint(max(0, at - size + 1), min(at, len(words) - size))
    text = " ".join(words[first : first + size])
    # End on a word: trailing punctuation would make the quote read oddly.
    return text.rstrip(",;:“”\"'(").lstrip('(“”"')


def pick_quote(rng: random.Random, article: GeneratedArticle, used: set[int]) -> str:
    """An unused quotable sentence of the article, windowed and checked to be unique."""
    candidates = [i for i in range(len(article.quotable)) if i not in used]
    rng.shuffle(candidates)
    for index in candidates or range(len(article.quotable)):
        text = quote_window(rng, article.quotable[index])
        if len(text.split()) >= 5 and article.folded.count(fold(text)) == 1:
            used.add(index)
            return text
    raise RuntimeError(f"no unique quote found in {article.slug}")


def quote_counts(rng: random.Random, articles: int, claims: int) -> list[int]:
    """How many articles each claim quotes: 3 to 6, raised until every article can be covered."""
    if claims * MAX_QUOTES < articles:
        raise ValueError(f"{claims} claims quoting at most 6 articles cannot cover {articles}")
    if articles < MIN_QUOTES:
        raise ValueError(f"claims quote at least {MIN_QUOTES} different articles")
    counts = [rng.randint(MIN_QUOTES, min(MAX_QUOTES, articles)) for _ in range(claims)]
    index = 0
    while sum(counts) < articles:
        if counts[index % claims] < MAX_QUOTES:
            counts[index % claims] += 1
        index += 1
    return counts


def assign_articles(rng: random.Random, articles: int, counts: Sequence[int]) -> list[list[int]]:
    """For each claim, distinct article indices; the first pass covers every article once."""
    queue: deque[int] = deque()
    result = []
    for count in counts:
        chosen: list[int] = []
        skipped: list[int] = []
        while len(chosen) < count:
            if not queue:
                order = list(range(articles))
                rng.shuffle(order)
                queue.extend(order)
            index = queue.popleft()
            (skipped if index in chosen else chosen).append(index)
        queue.extendleft(reversed(skipped))
        result.append(chosen)
    return result


def claim_entry(
    rng: random.Random,
    number: int,
    quoted: Sequence[tuple[GeneratedArticle, str]],
) -> str:
    """One claims.yaml entry."""
    first = quoted[0][0]
    tag, nouns, verbs = TOPICS[first.topic]
    values = {
        "noun": rng.choice(nouns),
        "verb": rng.choice(verbs),
        "Place": first.place,
        "first": rng.choice(FIRST),
        "last": rng.choice(LAST),
        "big": rng.choice(ROUND),
    }
    statement = rng.choice(CLAIMS).format(**values)
    statement = statement[0].upper() + statement[1:]
    if len(statement) > MAX_CLAIM_LENGTH:
        statement = CLAIMS[1].format(**values)
    assert len(statement) <= MAX_CLAIM_LENGTH, statement
    words = slugify(statement).split("-")
    while len(words) > 3 and sum(len(w) + 1 for w in words) > 50:
        words.pop()
    claim_id = f"{'-'.join(words)}-{number:05d}"
    tags = sorted({tag, *rng.sample([t[0] for t in TOPICS], rng.randint(0, 2))})
    reviewed = dt.date(2025, 1, 1) + dt.timedelta(days=rng.randrange(0, 365))
    summary = " ".join(
        s.format(k=len(quoted), **values) for s in rng.sample(SUMMARY, rng.randint(2, 3))
    )
    lines = [
        f"  - id: {claim_id}",
        f"    claim: {yaml_str(statement)}",
        f"    verdict: {rng.choice(RATINGS)[0]}",
        f"    reviewed: {reviewed.isoformat()}",
        f"    tags: [{', '.join(tags)}]",
        "    summary: |",
        f"      {summary}",
        "    quotes:",
    ]
    for article, text in quoted:
        lines += [
            f"      - article: {article.slug}",
            f"        text: {yaml_str(text)}",
            f"        stance: {rng.choice(STANCES)}",
        ]
        if rng.random() < 0.2:
            lines.append(f"        note: {yaml_str('Attributed to ' + rng.choice(ROLES) + '.')}")
    return "\n".join(lines)


def site_yaml(articles: int, claims: int, seed: int) -> str:
    """content/site.yaml with the real site's rating scale shape."""
    lines = [
        "# Synthetic benchmark site written by bench/corpus.py: every name in it is invented.",
        "title: Benchmark Fact Check",
        f"description: {articles} synthetic articles and {claims} claims (seed {seed}).",
        "base_url: https://bench.example/",
        "language: en",
        "publisher:",
        "  name: Benchmark Fact Check",
        "  url: https://bench.example/",
        "ratings:",
    ]
    for key, label, description in RATINGS:
        lines += [f"  - key: {key}", f"    label: {label}", f"    description: {description}"]
    return "\n".join(lines) + "\n"


def write_if_changed(path: Path, text: str) -> None:
    """Write `text` unless the file already holds exactly it (keeps mtimes for warm builds)."""
    data = text.encode("utf-8")
    try:
        if path.read_bytes() == data:
            return
    except FileNotFoundError:
        pass
    path.write_bytes(data)


def generate(root: Path, articles: int, claims: int, seed: int = 0) -> None:
    """Write a benchmark site with `articles` articles and `claims` claims under `root`.

    Article files of an earlier run that this one does not produce are removed, so the folder
    always holds exactly the corpus for these arguments. Files whose bytes are unchanged are not
    rewritten.
    """
    rng = random.Random(seed)
    writer = Writer(rng)
    start = dt.date(2023, 1, 1)
    generated = [writer.article(index, start) for index in range(articles)]
    counts = quote_counts(rng, articles, claims)
    used: list[set[int]] = [set() for _ in generated]
    entries = []
    for number, indices in enumerate(assign_articles(rng, articles, counts), 1):
        quoted = [(generated[i], pick_quote(rng, generated[i], used[i])) for i in indices]
        entries.append(claim_entry(rng, number, quoted))

    folder = root / "content" / "articles"
    folder.mkdir(parents=True, exist_ok=True)
    wanted = {f"{a.slug}.md" for a in generated}
    for stale in sorted(folder.glob("*.md")):
        if stale.name not in wanted:
            stale.unlink()
    for article in generated:
        write_if_changed(folder / f"{article.slug}.md", article.source)
    write_if_changed(root / "content" / "site.yaml", site_yaml(articles, claims, seed))
    header = f"# Synthetic benchmark claims written by bench/corpus.py (seed {seed}).\nclaims:\n"
    write_if_changed(root / "claims.yaml", header + "\n\n".join(entries) + "\n")


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("out", type=Path, metavar="OUT_DIR", help="the site folder to write")
    parser.add_argument("--articles", type=int, default=5000)
    parser.add_argument("--claims", type=int, default=2000)
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args(argv)
    try:
        generate(args.out, args.articles, args.claims, args.seed)
    except ValueError as error:
        print(f"corpus.py: {error}", file=sys.stderr)
        return 2
    return 0


if __name__ == "__main__":
    sys.exit(main())
