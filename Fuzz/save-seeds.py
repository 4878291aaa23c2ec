#!/usr/bin/env python3
"""Saves the seeds of bris-answer-fuzz and brask-page-fuzz: real answers of the simulator (DEMO DATA).

  Fuzz/save-seeds.py http://127.0.0.1:PORT      (a running `kilde sim --port PORT`)

BRIS: the POST bodies the adapter sends (YEAR, MONTH and DAY histograms, a mission type, a building group), each
answer prefixed by the two selector bytes of the fuzz target. BRASK: the form of a fresh session, result pages of
several shapes and both metrics (posted with the form's hidden fields and session cookie, as the adapter does), the
message page of equal axes, and the error page of a stale __VIEWSTATE. Standard library only.
"""
import html.parser
import http.cookiejar
import json
import os
import sys
import urllib.parse
import urllib.request

here = os.path.dirname(os.path.abspath(__file__))


def save(directory, name, data):
    os.makedirs(directory, exist_ok=True)
    with open(os.path.join(directory, name), "wb") as f:
        f.write(data)


def bris(base):
    out = os.path.join(here, "corpus", "bris-answer")
    hist = lambda interval: {"name": f"MISSION_CALL_TIME_{interval}", "type": "DATE_HISTOGRAM", "interval": interval}
    asks = [
        # (name, selector bytes: adapter 0 police yearly, 1 police daily, 2 brigade yearly; slice 0, endpoint, body)
        ("police-year", b"\x00\x00", "aggregate", {"questionId": 407, "nextLevelAggregationDefinition": hist("YEAR"),
                                                   "dateRange": {"start": "2015-01-01", "end": "2024-12-31"}}),
        ("police-year-building", b"\x00\x05", "aggregate", {"questionId": 407, "nextLevelAggregationDefinition": hist("YEAR"),
                                                            "revisedMissionTypes": {"ids": ["10086"]}, "buildingTypes": ["0"]}),
        ("police-day", b"\x01\x00", "aggregate", {"questionId": 407, "nextLevelAggregationDefinition": hist("DAY"),
                                                  "dateRange": {"start": "2024-01-01", "end": "2024-03-31"}}),
        ("police-month", b"\x01\x01", "aggregate", {"questionId": 410, "nextLevelAggregationDefinition": hist("MONTH"),
                                                    "dateRange": {"start": "2023-01-01", "end": "2024-12-31"}}),
        ("brigade-year", b"\x02\x00", "restrictedaggregation", {"questionId": 269, "nextLevelAggregationDefinition": hist("YEAR")}),
    ]
    for name, selector, endpoint, body in asks:
        request = urllib.request.Request(f"{base}/bris/api/v1/missionreports/{endpoint}", data=json.dumps(body).encode(),
                                         headers={"Content-Type": "application/json"}, method="POST")
        with urllib.request.urlopen(request) as response:
            save(out, name + ".bin", selector + response.read())


class Fields(html.parser.HTMLParser):
    """The form's hidden inputs (the __ state fields)."""

    def __init__(self):
        super().__init__()
        self.hidden = {}

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "input" and a.get("type") == "hidden" and a.get("name"):
            self.hidden[a["name"]] = a.get("value") or ""


def brask(base):
    out = os.path.join(here, "corpus", "brask-page")
    opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(http.cookiejar.CookieJar()))
    url = f"{base}/brask/"
    form = opener.open(url).read()
    save(out, "form.html", form)
    fields = Fields()
    fields.feed(form.decode("utf-8"))

    def post(query):
        pairs = list(fields.hidden.items()) + [("ctl00$Innhold$btnVis", "Vis tabell")]
        for key, values in query.items():
            pairs += [(f"ctl00$Innhold${key}", v) for v in values]
        try:
            return opener.open(url, data=urllib.parse.urlencode(pairs).encode()).read()
        except urllib.error.HTTPError as e:  # ASP.NET's error pages are answers too
            return e.read()

    queries = {
        "result-arsak-dag": {"ddlRad": ["arsak"], "ddlKolonne": ["dag"], "lbAar": ["2024"], "lbMaaned": ["1"], "rblVerdi": ["1"]},
        "result-kilde-maned-kr": {"ddlRad": ["kilde"], "ddlKolonne": ["maned"], "lbAar": ["2023"], "rblVerdi": ["2"]},
        "result-naering-type": {"ddlRad": ["naering"], "ddlKolonne": ["type"], "lbAar": ["2022", "2023"]},
        "result-dag-bygningsalder-feb": {"ddlRad": ["dag"], "ddlKolonne": ["bygningsalder"], "lbAar": ["2023"], "lbMaaned": ["2"]},
        "message-same-axes": {"ddlRad": ["arsak"], "ddlKolonne": ["arsak"]},
    }
    for name, query in queries.items():
        save(out, name + ".html", post(query))
    # A recycle makes every earlier __VIEWSTATE stale: the next post gets ASP.NET's error page.
    opener.open(urllib.request.Request(f"{base}/_sim/brask/rotate", method="POST")).read()
    save(out, "error-stale-viewstate.html", post(queries["result-arsak-dag"]))


if __name__ == "__main__":
    if len(sys.argv) != 2:
        print(__doc__, file=sys.stderr)
        sys.exit(2)
    bris(sys.argv[1].rstrip("/"))
    brask(sys.argv[1].rstrip("/"))
