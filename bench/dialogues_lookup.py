"""Lookup page by tracking code with 1,000,000 issues in PostgreSQL.

Fills the benchmark database up to --rows issues (each with its 'received' step) with COPY, then
times GET /tra-cuu/<code>/ for random existing codes, one request at a time, against a running
server (gunicorn, RATELIMIT_ENABLE=0 so the per-address lookup limit does not answer 429):

    .venv/bin/python bench/dialogues_lookup.py --url http://127.0.0.1:8251 \
        --dsn postgresql://root@127.0.0.1:5432/bench_dialogues
"""

from __future__ import annotations

import argparse
import datetime as dt
import http.client
import random
import statistics
import time
import urllib.parse

import psycopg

ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"
STATUSES = ["received", "accepted", "assigned", "in_progress", "answered", "closed", "rejected"]
COLUMNS = ["tracking_code", "channel", "category_id", "description", "area", "address", "reporter_name",
           "reporter_contact", "consent_to_publish", "status", "status_reason", "organisation_id", "escalated_stage",
           "received_at", "ack_due_on", "answer_due_on", "due_on", "answer", "rating_comment", "updated_at",
           "search_text"]


def fill(dsn: str, rows: int) -> None:
    rng = random.Random(5)
    with psycopg.connect(dsn) as conn:
        have = conn.execute("SELECT count(*) FROM dialogues_issue").fetchone()[0]  # type: ignore[index]
        missing = rows - have
        if missing <= 0:
            print(f"issues in the database  {have}")
            return
        category = conn.execute("SELECT id FROM dialogues_issuecategory ORDER BY id LIMIT 1").fetchone()[0]  # type: ignore[index]
        unit = conn.execute("SELECT id FROM orgs_organisation ORDER BY path LIMIT 1").fetchone()[0]  # type: ignore[index]
        existing = {r[0] for r in conn.execute("SELECT tracking_code FROM dialogues_issue")}
        started = time.monotonic()
        # The trigram index is rebuilt once at the end: cheaper than maintaining it row by row.
        conn.execute("DROP INDEX IF EXISTS dialogues_issue_search_text_trgm")
        now = dt.datetime.now(dt.UTC)
        with conn.cursor().copy(f"COPY dialogues_issue ({', '.join(COLUMNS)}) FROM STDIN") as copy:
            made = 0
            while made < missing:
                code = "".join(rng.choices(ALPHABET, k=10))
                if code in existing:
                    continue
                existing.add(code)
                received = now - dt.timedelta(minutes=rng.randint(0, 60 * 24 * 900))
                status = rng.choice(STATUSES)
                day = received.date()
                description = f"Phản ánh số {made}: vỉa hè bị lấn chiếm, cống thoát nước bị tắc"
                copy.write_row((code, "web", category, description, "Phường Đông Hà", f"Số {made % 300} Lê Lợi",
                                "", "", made % 3 == 0, status, "", unit, "", received, day + dt.timedelta(days=2),
                                day + dt.timedelta(days=14), day + dt.timedelta(days=14), "", "", received,
                                f"{code.lower()} trat tu do thi via he bi lan chiem"))
                made += 1
        conn.execute("""INSERT INTO dialogues_issueevent (issue_id, at, kind, actor_name, reason, public)
                        SELECT i.id, i.received_at, 'received', '', '', true FROM dialogues_issue i
                        WHERE NOT EXISTS (SELECT 1 FROM dialogues_issueevent e WHERE e.issue_id = i.id)""")
        conn.commit()  # the deferred foreign-key checks run here, before the index is built
        conn.execute("CREATE INDEX IF NOT EXISTS dialogues_issue_search_text_trgm ON dialogues_issue "
                     "USING gin (search_text gin_trgm_ops)")
        conn.commit()
        conn.execute("ANALYZE dialogues_issue")
        conn.execute("ANALYZE dialogues_issueevent")
        print(f"inserted               {missing} issues (and their steps) in {time.monotonic() - started:.1f} s")
        print(f"issues in the database  {rows}")


def timed_lookups(url: str, dsn: str, samples: int) -> None:
    with psycopg.connect(dsn) as conn:
        total = conn.execute("SELECT max(id) FROM dialogues_issue").fetchone()[0]  # type: ignore[index]
        ids = random.Random(7).sample(range(1, total + 1), samples * 2)
        codes = [r[0] for r in conn.execute("SELECT tracking_code FROM dialogues_issue WHERE id = ANY(%s)", (ids,))]
    codes = codes[:samples]
    parsed = urllib.parse.urlsplit(url)
    times: list[float] = []
    statuses: dict[int, int] = {}
    for code in codes:
        path = f"/tra-cuu/{code[:5]}-{code[5:]}/"
        conn_http = http.client.HTTPConnection(parsed.hostname or "127.0.0.1", parsed.port or 80, timeout=10)
        started = time.perf_counter()
        conn_http.request("GET", path)
        response = conn_http.getresponse()
        response.read()
        times.append(time.perf_counter() - started)
        statuses[response.status] = statuses.get(response.status, 0) + 1
        conn_http.close()
    conn_http = http.client.HTTPConnection(parsed.hostname or "127.0.0.1", parsed.port or 80, timeout=10)
    conn_http.request("GET", "/tra-cuu/ZZZZZ-ZZZZZ/")
    unknown = conn_http.getresponse().status
    quantiles = statistics.quantiles(times, n=100)
    print(f"lookups                {len(times)} sequential GET /tra-cuu/<code>/ "
          f"(statuses {statuses}; unknown code: {unknown})")
    print(f"latency median         {statistics.median(times) * 1000:.1f} ms")
    print(f"latency p95 / p99      {quantiles[94] * 1000:.1f} / {quantiles[98] * 1000:.1f} ms")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--url", default="http://127.0.0.1:8251")
    parser.add_argument("--dsn", default="postgresql://root@127.0.0.1:5432/bench_dialogues")
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--samples", type=int, default=500)
    args = parser.parse_args()
    fill(args.dsn, args.rows)
    timed_lookups(args.url, args.dsn, args.samples)


if __name__ == "__main__":
    main()
