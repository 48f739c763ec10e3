"""Trends: metrics named and checked in the library's own words, series as the store counts them."""

from __future__ import annotations

import pytest

from propscope.analyze.trends import Metric, parse_metric
from propscope.errors import UsageError


def test_metrics_parse_and_name_themselves() -> None:
    assert parse_metric("Hostility") == Metric("hostility") and parse_metric("mentions").spec == "mentions"
    technique = parse_metric("technique:name_calling,labeling")
    assert technique == Metric("technique", "Name_Calling,Labeling")
    assert technique.spec == "technique:Name_Calling,Labeling" and "spans per article" in technique.label


@pytest.mark.parametrize("value", ["loudness", "hostility:JP", "technique:"])
def test_unknown_metrics_are_usage_errors_naming_no_option(value: str) -> None:
    with pytest.raises(UsageError) as raised:
        parse_metric(value)
    assert "--" not in str(raised.value)
