"""bench/live.py: the facilitator's ticks, against a small local HTTP server."""

import itertools
import types
from urllib.parse import parse_qs

from bench.live import Ticker


def test_the_ticker_posts_ticks_with_an_id_each_until_stopped(local_server):
    meeting = types.SimpleNamespace(pk=7)
    ticker = Ticker(
        local_server.server_address[1],
        meeting,
        itertools.cycle([11, 12, 13]),
        rate=40,
        headers={"Content-Type": "application/x-www-form-urlencoded", "Accept": "application/json"},
        token="secret",
    )
    ticker.start()
    while len(local_server.posts) < 6:
        ticker.stopping.wait(0.05)

    rate = ticker.stop()

    sent = [parse_qs(body) for _path, body in local_server.posts]
    assert {path for path, _body in local_server.posts} == {"/meetings/7/attendance/tick/"}
    assert ticker.recorded == len(sent) >= 6
    assert rate > 0
    assert len({tick["client_id"][0] for tick in sent}) == len(sent)
    assert sorted(ticker.client_ids) == sorted(tick["client_id"][0] for tick in sent)
    assert {tick["csrfmiddlewaretoken"][0] for tick in sent} == {"secret"}
    # The people in turn (from several connections at once, so not in order).
    assert {tick["person"][0] for tick in sent} == {"11", "12", "13"}
