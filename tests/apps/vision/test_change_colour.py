"""For myopia rates a fall is good news (green), for screening coverage a rise is."""

from edubrain.vision.views import change


def test_a_fall_in_the_myopia_rate_is_coloured_good():
    assert change(-1.0)["cls"] == "up" and change(-1.0)["text"] == "▼-1.0"
    assert change(0.5)["cls"] == "down"


def test_a_rise_in_coverage_is_coloured_good():
    assert change(2.0, lower_is_better=False)["cls"] == "up"
    assert change(-2.0, lower_is_better=False)["cls"] == "down"
    assert change(0.0)["cls"] == "flat" and change(None)["cls"] == "none"
