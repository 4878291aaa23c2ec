"""Norway's kommune and fylke codes over time, read from ../shared/fixtures/geo.

Shared by scripts/generate-ssb-regions.py (the catalogue's region filters) and scripts/build-geo-resources.py (the
kommune_dim seed, the crosswalk and the map), so both agree on which code is in use in which year.

Sources: SSB's Klass code lists and change tables for 2013-2020 (gardenberg/kommunekoder, ISO-8859-1, `;`-separated;
the 2013 list holds for 2013-2016, 2020's for 2020-2023) and the 2024 structure (robhop/fylker-og-kommuner,
© Kartverket, CC BY 4.0). Codes that are in use in every year listed have no first or last year: "since before any
data" and "still in use".
"""
import csv, json, os, re

HERE = os.path.dirname(os.path.abspath(__file__))
GEO = os.path.join(HERE, "..", "..", "shared", "fixtures", "geo")
KLASS = os.path.join(GEO, "gardenberg-kommunekoder", "bakgrunnsdata")
ROBHOP = os.path.join(GEO, "robhop-fylker-og-kommuner")

# Each code list and the years it holds for: a list holds until the next list starts. 2024 holds until today.
PERIODS = [(2013, 2013, 2016), (2017, 2017, 2017), (2018, 2018, 2018), (2019, 2019, 2019), (2020, 2020, 2023), (2024, 2024, None)]
FIRST_YEAR = PERIODS[0][1]
# The kommune structures a map is drawn in: data of a year is drawn on the latest structure that started by then.
STRUCTURES = [2020, 2024]

# Fylke names before 2020 (Klass 104); the fixtures name only the 2020 and 2024 fylker. 03, 11, 15, 18 and 50 are
# named from the later structures.
OLD_FYLKER = {
    "01": "Østfold", "02": "Akershus", "04": "Hedmark", "05": "Oppland", "06": "Buskerud", "07": "Vestfold",
    "08": "Telemark", "09": "Aust-Agder", "10": "Vest-Agder", "12": "Hordaland", "14": "Sogn og Fjordane",
    "16": "Sør-Trøndelag", "17": "Nord-Trøndelag", "19": "Troms", "20": "Finnmark",
}

# Region codes SSB uses beside the kommuner for areas outside the kommune division, and "unknown". They are not
# kommuner: the marts report them as unmatched instead of drawing them. Not checked against the live tables.
NOT_KOMMUNER = {"2100": "Svalbard", "2111": "Longyearbyen", "2211": "Jan Mayen", "2311": "Kontinentalsokkelen", "9999": "Uoppgitt"}


def klass_list(year):
    """{code: name} of one Klass kommune list (without 9999, which is not a kommune)."""
    with open(os.path.join(KLASS, f"ssb_kommunekoder_{year}.csv"), encoding="iso-8859-1") as f:
        return {r["code"]: r["name"] for r in csv.DictReader(f, delimiter=";") if r["code"] not in NOT_KOMMUNER}


def klass_changes(first, second):
    """[(old code, new code)] of one Klass change table ("0101 - Halden;3001 - Halden;0")."""
    with open(os.path.join(KLASS, f"kommuner_med_endringer_fra{first}_til{second}.csv"), encoding="iso-8859-1") as f:
        rows = list(csv.reader(f, delimiter=";"))[1:]
    return [(r[0][:4], r[1][:4]) for r in rows if r]


def geo_2024():
    kommuner = json.load(open(os.path.join(ROBHOP, "2024", "Kommuner-S.geojson"), encoding="utf-8"))["features"]
    fylker = json.load(open(os.path.join(ROBHOP, "2024", "Fylker-S.geojson"), encoding="utf-8"))["features"]
    return kommuner, fylker


def geo_2020():
    kommuner = json.load(open(os.path.join(ROBHOP, "2020", "Kommuner-medium.json"), encoding="utf-8"))["features"]
    fylker = json.load(open(os.path.join(ROBHOP, "2020", "Fylker-small.json"), encoding="utf-8"))["features"]
    return kommuner, fylker


class History:
    """Every kommune and fylke code from 2013 on: its years of use, its name and its successors per structure."""

    def __init__(self):
        k24, f24 = geo_2024()
        k20, f20 = geo_2020()
        self.lists = {y: klass_list(y) for y, _, _ in PERIODS if y != 2024}
        self.lists[2024] = {k["properties"]["kommunenummer"]: k["properties"]["kommunenavn"] for k in k24}
        geo20 = {"%04d" % k["properties"]["kommunenummer"]: k["properties"]["navn"] for k in k20}
        if set(geo20) != set(self.lists[2020]):
            raise SystemExit(f"the 2020 boundaries and Klass 2020 differ: {sorted(set(geo20) ^ set(self.lists[2020]))}")
        # Names: the latest list's. Klass's ISO-8859-1 export lost the letters it cannot encode (ŋ, š become "?"):
        # such a name is taken from the 2024 list, where one matches it letter for letter.
        names24 = list(self.lists[2024].values())
        self.names = {}
        for y, _, _ in PERIODS:
            for code, name in self.lists[y].items():
                if "?" in name:
                    pattern = re.compile(re.escape(name).replace(r"\?", "."))
                    name = next((n for n in names24 if pattern.fullmatch(n)), name.replace("?", ""))
                self.names[code] = name
        self.years = {}
        for code in self.names:
            spans = [(a, b) for y, a, b in PERIODS if code in self.lists[y]]
            for (_, b0), (a1, _) in zip(spans, spans[1:]):
                if b0 + 1 != a1:
                    raise SystemExit(f"kommune {code} is in use in two separate periods; one filter row cannot say so")
            first, last = spans[0][0], spans[-1][1]
            self.years[code] = (None if first == FIRST_YEAR else first, last)
        self.fylke_names = dict(OLD_FYLKER)
        self.fylke_names.update({"%02d" % f["properties"]["fylkesnummer"]: f["properties"]["navn"] for f in f20})
        self.fylke_names.update({f["properties"]["fylkesnummer"]: f["properties"]["name"] for f in f24})
        self.fylke_long_names = {f["properties"]["fylkesnummer"]: f["properties"]["fylkesnavn"] for f in f24}
        self.successors = self._successors_2020()

    def name(self, code, within=None):
        """The kommune's name, with its fylke's where another kommune of the same years has the same name
        ("Herøy (Nordland)"), as SSB labels them: in the code list `within` (a structure year), else in any list."""
        name = self.names[code]
        for y, _, _ in PERIODS:
            names = self.lists[y]
            if within is not None and y != within:
                continue
            if code in names and sum(1 for c in names if self.names[c] == name) > 1:
                return f"{name} ({self.fylke_names[code[:2]]})"
        return name

    def valid(self, code, year):
        first, last = self.years[code]
        return (first is None or year >= first) and (last is None or year <= last)

    def fylker(self):
        """{fylke number: (first year, last year)}: a fylke is in use while some kommune of it is."""
        out = {}
        for code, (first, last) in self.years.items():
            nr = code[:2]
            if nr in out:
                f0, l0 = out[nr]
                first = None if f0 is None or first is None else min(f0, first)
                last = None if l0 is None or last is None else max(l0, last)
            out[nr] = (first, last)
        return out

    def _successors_2020(self):
        """{code in use before 2020: [its 2020 codes]}: the Klass change tables chained; a code not in a table kept its
        number. More than one successor means the kommune was split."""
        order = [2013, 2017, 2018, 2019, 2020]
        step = {}
        for a, b in zip(order, order[1:]):
            changes = {}
            for old, new in klass_changes(a, b):
                changes.setdefault(old, []).append(new)
            mapping = {}
            for code in self.lists[a]:
                targets = changes.get(code, [code])
                for t in targets:
                    if t not in self.lists[b]:
                        raise SystemExit(f"Klass {a}->{b}: {code} becomes {t}, which is not in the {b} list")
                mapping[code] = targets
            step[(a, b)] = mapping
        out = {}
        for i, start in enumerate(order[:-1]):
            for code in self.lists[start]:
                current = [code]
                for a, b in zip(order[i:], order[i + 1:]):
                    current = sorted({t for c in current for t in step[(a, b)][c]})
                out.setdefault(code, current)
        return out

    def crosswalk(self):
        """Rows (structure, code, first year, last year, target): every code in use up to a structure's last year and
        the structure's kommune it became (itself when it is one). A code with two targets was split."""
        rows = []
        for code in sorted(self.names):
            first, last = self.years[code]
            if code in self.lists[2020] or code in self.successors:
                for target in ([code] if code in self.lists[2020] else self.successors[code]):
                    rows.append((2020, code, first, last, target))
            if code in self.lists[2024]:
                rows.append((2024, code, first, last, code))
        return rows


def years_label(first, last):
    """SSB's suffix for a code no longer in use: " (-2019)", " (2020-2023)"; none for a code still in use."""
    return "" if last is None else f" ({first or ''}-{last})"
