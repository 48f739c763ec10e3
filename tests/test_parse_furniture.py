from propscope.parse.furniture import find_furniture

PAGE = """Title

Pyongyang, July 14 (KCNA) -- Body text.

Image credit: https://www.flickr.com/photos/x/1/

Share this:
Related posts:
Another story
Yet another"""


def test_furniture_kinds_and_offsets() -> None:
    found = find_furniture(PAGE, 7)
    kinds = [f.kind for f in found]
    assert kinds == ["image_credit", "share", "related_posts"]
    credit = found[0]
    assert PAGE[credit.start : credit.end] == "Image credit: https://www.flickr.com/photos/x/1/"
    related = found[-1]
    assert PAGE[related.start :].startswith("Related posts:") and related.end == len(PAGE)


def test_article_text_is_not_furniture() -> None:
    text = "T\n\nThe print media of many countries carried articles.\nEmail was sent."
    assert find_furniture(text, 3) == []
