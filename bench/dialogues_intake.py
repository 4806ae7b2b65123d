"""Load test of public intake: several client processes post issues for a fixed time, then every
returned tracking code is looked up in the database.

    .venv/bin/python bench/dialogues_intake.py --url http://127.0.0.1:8251 --seconds 60 --mode form \
        --dsn postgresql://root@127.0.0.1:5432/bench_dialogues

--mode form: each client thread GETs /gop-y/ once for the CSRF cookie and token, then POSTs the HTML
form (answer: 302 to /tra-cuu/<code>/?moi=1). --mode json: POSTs /gop-y/api/ (201 with the code).
Both go through services.submit_issue. Loops are bounded by time and by --max-requests.
"""

from __future__ import annotations

import argparse
import http.client
import json
import multiprocessing
import re
import statistics
import threading
import time
import urllib.parse

CODE_IN_LOCATION = re.compile(r"/tra-cuu/([0-9A-Z]{5}-[0-9A-Z]{5})/")


def _conn(host: str, port: int) -> http.client.HTTPConnection:
    return http.client.HTTPConnection(host, port, timeout=10)


def _csrf(host: str, port: int) -> tuple[str, str, int]:
    conn = _conn(host, port)
    conn.request("GET", "/gop-y/")
    response = conn.getresponse()
    body = response.read().decode()
    cookie = ""
    for header, value in response.getheaders():
        if header.lower() == "set-cookie" and value.startswith("csrftoken="):
            cookie = value.split(";", 1)[0]
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', body)
    category = re.search(r'<option value="(\d+)"', body[body.find('name="category"'):])
    conn.close()
    if not (cookie and token and category):
        raise SystemExit("could not read the form: is the server up and a category present?")
    return cookie, token.group(1), int(category.group(1))


def worker(args: argparse.Namespace, deadline: float, budget: int, queue: multiprocessing.Queue) -> None:  # type: ignore[type-arg]
    parsed = urllib.parse.urlsplit(args.url)
    host, port = parsed.hostname or "127.0.0.1", parsed.port or 80
    results: list[tuple[float, str, int]] = []
    lock = threading.Lock()
    counter = [0]

    def run(thread_no: int) -> None:
        cookie, token, category = _csrf(host, port) if args.mode == "form" else ("", "", 0)
        local: list[tuple[float, str, int]] = []
        while time.monotonic() < deadline:
            with lock:
                if counter[0] >= budget:
                    break
                counter[0] += 1
            description = f"Vỉa hè trước chợ bị lấn chiếm, cần xử lý (lượt {thread_no}-{len(local)})"
            if args.mode == "form":
                body = urllib.parse.urlencode({
                    "csrfmiddlewaretoken": token, "category": category, "description": description,
                    "address": "Kiệt 12 Lê Lợi", "consent_to_publish": "on", "website": ""})
                headers = {"Content-Type": "application/x-www-form-urlencoded", "Cookie": cookie,
                           "Referer": args.url + "/gop-y/"}
                path = "/gop-y/"
            else:
                body = json.dumps({"category": "trat-tu-do-thi", "description": description,
                                   "address": "Kiệt 12 Lê Lợi", "consent_to_publish": True})
                headers = {"Content-Type": "application/json"}
                path = "/gop-y/api/"
            started = time.perf_counter()
            code, status = "", 0
            try:
                conn = _conn(host, port)
                conn.request("POST", path, body=body.encode(), headers=headers)
                response = conn.getresponse()
                payload = response.read()
                status = response.status
                if status == 302:
                    match = CODE_IN_LOCATION.search(response.getheader("Location", ""))
                    code = match.group(1) if match else ""
                elif status == 201:
                    code = json.loads(payload)["tracking_code"]
                conn.close()
            except OSError:
                status = -1
            local.append((time.perf_counter() - started, code, status))
        with lock:
            results.extend(local)

    threads = [threading.Thread(target=run, args=(n,)) for n in range(args.threads)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    queue.put(results)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--url", default="http://127.0.0.1:8251")
    parser.add_argument("--seconds", type=float, default=60)
    parser.add_argument("--procs", type=int, default=2)
    parser.add_argument("--threads", type=int, default=8, help="threads per process")
    parser.add_argument("--mode", choices=["form", "json"], default="form")
    parser.add_argument("--max-requests", type=int, default=100_000, help="upper bound on submissions")
    parser.add_argument("--dsn", default="postgresql://root@127.0.0.1:5432/bench_dialogues")
    args = parser.parse_args()

    queue: multiprocessing.Queue = multiprocessing.Queue()  # type: ignore[type-arg]
    started = time.monotonic()
    deadline = started + args.seconds
    budget = args.max_requests // args.procs
    procs = [multiprocessing.Process(target=worker, args=(args, deadline, budget, queue)) for _ in range(args.procs)]
    for proc in procs:
        proc.start()
    results: list[tuple[float, str, int]] = []
    for _ in procs:
        results.extend(queue.get(timeout=args.seconds + 120))
    for proc in procs:
        proc.join(timeout=30)
    elapsed = time.monotonic() - started

    latencies = sorted(r[0] for r in results)
    codes = [r[1] for r in results if r[1]]
    statuses: dict[int, int] = {}
    for _lat, _code, status in results:
        statuses[status] = statuses.get(status, 0) + 1
    quantiles = statistics.quantiles(latencies, n=100) if len(latencies) > 1 else [latencies[0]] * 99

    import psycopg

    with psycopg.connect(args.dsn) as conn:
        stored = conn.execute("SELECT count(*) FROM dialogues_issue WHERE tracking_code = ANY(%s)",
                              ([c.replace("-", "") for c in codes],)).fetchone()[0]
    print(f"mode                 {args.mode} ({args.procs} client processes x {args.threads} threads, loopback)")
    print(f"duration             {elapsed:.1f} s")
    print(f"submissions          {len(results)} (HTTP statuses: {statuses})")
    print(f"submissions/s        {len(results) / elapsed:.1f}")
    p50, p95, p99 = (quantiles[i] * 1000 for i in (49, 94, 98))
    print(f"latency p50/p95/p99  {p50:.1f} / {p95:.1f} / {p99:.1f} ms")
    print(f"tracking codes       {len(codes)} returned, {stored} found in the database, "
          f"{len(results) - len(codes)} submissions without a code")


if __name__ == "__main__":
    main()
