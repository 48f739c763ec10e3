import pytest

from propscope.model import Relay
from propscope.parse.genre import classify_genre


@pytest.mark.parametrize(
    ("title", "lead", "genre"),
    [
        ("Japan's Discharge of Nuclear-polluted Water Is Crime: KCNA Commentary", "Japan continues", "commentary"),
        ("FM Spokesman Answers Question Raised by KCNA", "A spokesman for the Foreign Ministry", "statement"),
        ("Memorandum of DPRK Foreign Ministry", "The Foreign Ministry issued a memorandum", "statement"),
        ("Kim Jong Il Sends Greetings to Lao President", "Kim Jong Il sent a message", "message"),
        ("Condolences to Cuban Leader", "Kim Jong Un sent a message of condolence", "message"),
        ("New Year Address Made by Kim Jong Un", "Kim Jong Un made a New Year address", "speech"),
        ("Farm Harvests Bumper Crop", "Farmers of the county harvested", "news_report"),
    ],
)
def test_genres(title: str, lead: str, genre: str) -> None:
    assert classify_genre(title, lead, []) == genre


def test_relayed_text_wins() -> None:
    assert (
        classify_genre("Rodong Sinmun Commentary", "x", [Relay("Rodong Sinmun", "commentary", 0, 1)])
        == "relayed_article"
    )
