"""Random query strings at every public URL: a page, a 400 that says why, or a redirect; never
a 5xx. `test_hostile_params.py` keeps the cases written by hand; hypothesis draws the rest from
each page's real parameter names (filters, sort, paging, exports) and arbitrary ones, with
values from real slugs and column names to NUL bytes, huge numbers, `%`, `__` and long text.

The requests only read, so the data of `world` is built once per test and shared by every
example (hence the function-scoped fixture check is switched off for these tests only).
"""

import os
from urllib.parse import quote, urlencode

from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from cesdash import filters, tables
from cesdash.exports import FORMATS

# About 10 seconds a test on SQLite and on PostgreSQL; FUZZ_EXAMPLES=2000 searches longer.
EXAMPLES = int(os.environ.get("FUZZ_EXAMPLES", 30))
fuzz = settings(
    max_examples=EXAMPLES,
    deadline=None,
    database=None,  # failures found become explicit @example()s below, not a local cache
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)

# The pages, their JSON twins, and the query parameters each reads.
PAGES = {
    "/": ["city", "compare"],
    "/index.json": ["city", "compare"],
    "/cities/daegu/": [],
    "/cities/daegu.json": [],
    "/editions/2024/": [],
    "/editions/2024.json": [],
    "/editions/2024/daegu/": [],
    "/editions/2024/daegu.json": [],
    "/companies/enercamp/": [],
    "/companies/enercamp.json": [],
    "/sources/": [],
    "/sources.json": [],
    "/sources/{source}/": ["figure"],
    "/sources/{source}.json": ["figure"],
    "/language/en/": ["next"],
    "/language/ko/": ["next"],
    "/healthz": [],
}
TABLES = {
    "/results/": (filters.ResultsFilter, tables.ResultsTable),
    "/pavilions/": (filters.PavilionFilter, tables.PavilionTable),
    "/companies/": (filters.CompanyFilter, tables.CompanyTable),
    "/exhibits/": (filters.ExhibitFilter, tables.ExhibitTable),
    "/contracts/": (filters.ContractFilter, tables.ContractTable),
    "/agreements/": (filters.AgreementFilter, tables.AgreementTable),
    "/awards/": (filters.AwardFilter, tables.AwardTable),
    "/participation/": (filters.ParticipationFilter, tables.ParticipationTable),
}
TABLE_PARAMS = {
    url: [*filterset.base_filters, "sort", "page", "per_page", "_export"]
    for url, (filterset, _table) in TABLES.items()
}
COLUMNS = sorted(
    {name for _filters, table in TABLES.values() for name in table.base_columns}
    | {"y2019", "y2024"}
)

# Values that mean something to some page, and values that mean trouble.
MEANINGFUL = [
    "2024",
    "2019",
    "daegu",
    "jeonbuk",
    "enercamp",
    "Daegu",
    "대구",
    "companies",
    "mou",
    "signed",
    "USD",
    "KRW",
    "true",
    "false",
    "unknown",
    *FORMATS,
    *COLUMNS,
    *(f"-{column}" for column in COLUMNS),
]
TROUBLE = [
    "",
    "\x00",
    "dae\x00gu",
    "%",
    "%%",
    "_",
    "__",
    "__class__",
    "company__name_ko",
    "-",
    "--",
    "-1",
    "0",
    "1.5",
    "1e309",
    "NaN",
    "inf",
    "99999999999999999999",
    "' OR 1=1 --",
    "../../etc/passwd",
    "//evil.example/",
    "https://evil.example/",
    "\\\\evil.example",
    "javascript:alert(1)",
    "<script>alert(1)</script>",
    "\u202e\ufeff\u200b",
    "𝔡𝔞𝔢𝔤𝔲",
    "\ud7a3" * 50,
]
values = st.one_of(
    st.sampled_from(MEANINGFUL),
    st.sampled_from(TROUBLE),
    st.text(max_size=30),  # any unicode, NUL and control characters included
    st.integers(min_value=-(10**30), max_value=10**30).map(str),
    st.integers(min_value=101, max_value=20_000).map(lambda n: "x" * n),
    st.builds(
        lambda word, n: word * n, st.sampled_from(["%", "__", "a b ", "대구"]), st.integers(1, 500)
    ),
)
# Raw pieces added to the query string unencoded: broken escapes and separators.
RAW = st.sampled_from(["", "%", "%ff%fe", "%zz", "&&", "=", "==", ";", "%00", "&=&", "%C0%80"])


def keys_for(names):
    """A page's own parameter names, variants of them (`year__gte`), and anything at all."""
    real = st.sampled_from([*names, "sort", "page", "per_page", "_export", "q", "city"])
    return st.one_of(
        real,
        real,
        st.builds(
            lambda name, suffix: name + suffix,
            real,
            st.sampled_from(["__gte", "__in", "[]", "%00", "\x00", " "]),
        ),
        st.text(max_size=20),
    )


def query_strings(names):
    """Up to eight key=value pairs (keys may repeat) and maybe a broken tail."""
    pairs = st.lists(st.tuples(keys_for(names), values), max_size=8)
    return st.builds(lambda pairs, tail: urlencode(pairs) + tail, pairs, RAW)


def answered_without_a_server_error(client, url, query):
    response = client.get(f"{url}?{query}", headers={"accept-language": "en"})
    assert response.status_code < 500, (url, query)
    if response.streaming:
        b"".join(response.streaming_content)  # a download must also finish without an error
    elif response.status_code == 400:
        assert response.content.strip(), (url, query)  # a 400 always says why
    else:
        assert response.status_code in (200, 301, 302, 304, 404), (url, query)
    return response


def cases(urls, params):
    """(url, query string) for one of `urls`, the query drawn from its own parameter names."""
    return st.sampled_from(sorted(urls)).flatmap(
        lambda url: st.tuples(st.just(url), query_strings(params[url]))
    )


@fuzz
@given(case=cases(PAGES, PAGES))
def test_pages_and_their_json_twins_survive_any_query_string(client, world, case):
    page, query = case
    answered_without_a_server_error(client, page.format(source=world["p24"].source.key), query)


@fuzz
@given(case=cases(TABLES, TABLE_PARAMS))
# Coverage columns are read only when sorted by: the view once looked at `?sort=` with its NUL
# byte, or at the last sort of several, and the table sorted by a column it did not have.
@example(case=("/pavilions/", "%00sort=-mous_recorded"))
@example(case=("/pavilions/", "sort=mous_recorded%00"))
@example(case=("/pavilions/", "sort=-companies_named&sort=city"))
@example(case=("/participation/", "sort=y2019&sort=y2024"))
@example(case=("/participation/", "sort=y2024&sort=company"))
def test_tables_survive_any_query_string(client, world, case):
    answered_without_a_server_error(client, *case)


@fuzz
@given(case=cases(TABLES, TABLE_PARAMS), fmt=st.sampled_from(FORMATS))
@example(case=("/pavilions/", "%00sort=-mous_recorded"), fmt="xlsx")
@example(case=("/participation/", "sort=y2019&sort=y2024"), fmt="csv")
def test_exports_survive_any_query_string(client, world, case, fmt):
    table, query = case
    answered_without_a_server_error(client, table, f"_export={fmt}&{query}")


def test_the_examples_reach_the_filters_sort_and_exports(client, world):
    """The pools are not all noise: a drawn filter, sort and export can really apply."""
    query = f"year=2024&sort=-amount&_export=csv&q={quote('에너캠프')}"
    response = client.get(f"/contracts/?{query}", headers={"accept-language": "en"})
    assert response.status_code == 200
    assert b"".join(response.streaming_content).decode().count("\r\n") == 2  # header and a row
