"""Deep links to the outlet's page: text fragments encoded per the URL Fragment Text Directives
spec, with context only where the quoted words occur more than once."""

from __future__ import annotations

from site_builder.pages.text_fragment import encode_term, text_fragment_url

URL = "https://outlet.example/news/talks"


def link(text: str, words: str, occurrence: int = 1) -> str:
    start = -1
    for _ in range(occurrence):
        start = text.index(words, start + 1)
    return text_fragment_url(URL, text, ((start, start + len(words)),))


def test_spaces_commas_dashes_and_ampersands_are_encoded() -> None:
    assert encode_term("a, b - c & d") == "a%2C%20b%20%2D%20c%20%26%20d"
    text = "Talks ended. Both sides agreed to exchange 6,000 bodies – a step-by-step deal & more.\n"
    assert link(text, "6,000 bodies – a step-by-step deal & more") == (
        URL + "#:~:text=6%2C000%20bodies%20%E2%80%93%20a%20step%2Dby%2Dstep%20deal%20%26%20more"
    )


def test_non_ascii_is_percent_encoded_as_utf8() -> None:
    text = "Zelenskyy met Erdoğan in İstanbul; “no ceasefire”, he said.\n"
    assert link(text, "Erdoğan in İstanbul") == (URL + "#:~:text=Erdo%C4%9Fan%20in%20%C4%B0stanbul")
    assert link(text, "“no ceasefire”") == URL + "#:~:text=%E2%80%9Cno%20ceasefire%E2%80%9D"


def test_repeated_words_get_the_prefix_and_suffix_that_single_them_out() -> None:
    text = (
        "The talks lasted an hour. Kyiv said the talks lasted an hour too.\n\n"
        "Moscow said the talks lasted longer.\n"
    )
    # "the talks lasted" occurs three times (once as "The"): one word each side singles out
    # the second.
    assert link(text, "the talks lasted", 1) == (URL + "#:~:text=said-,the%20talks%20lasted,-an")
    assert link(text, "the talks lasted", 2) == (
        URL + "#:~:text=said-,the%20talks%20lasted,-longer."
    )
    # Words that occur once need no context; line breaks and doubled spaces collapse.
    assert link("Kyiv  said\nthe memo was an ultimatum.", "said\nthe memo") == (
        URL + "#:~:text=said%20the%20memo"
    )


def test_a_long_quote_is_given_by_its_first_and_last_words() -> None:
    words = (
        "Ukraine handed over a record of hundreds of children it claims were forcefully taken"
        " to Russia during the war"
    )
    text = f"Before that. {words}. After that.\n"
    assert link(text, words) == (
        URL + "#:~:text=Ukraine%20handed%20over%20a%20record,to%20Russia%20during%20the%20war"
    )


def test_an_elided_quote_spans_from_its_first_word_to_its_last() -> None:
    text = "Russia said 6,000 bodies would be handed over next week.\n"
    first, second = text.index("6,000 bodies"), text.index("handed over")
    spans = ((first, first + 12), (second, second + 11))
    assert text_fragment_url(URL + "#top", text, spans) == (
        URL + "#:~:text=6%2C000%20bodies%20would%20be%20handed%20over"
    )
