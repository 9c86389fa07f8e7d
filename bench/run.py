#!/usr/bin/env python3
"""Lanes benchmark: seed, serve, load with wrk, report.

For each engine (SQLite, PostgreSQL) and data size, this seeds a fresh database with
`lanes seed`, starts the release server, measures start-up on the existing database, then drives
each scenario with wrk (Debian's package) over loopback and records requests/s, p50/p99 latency,
errors and the server's peak RSS. Every scenario is also given as a ratio to a trivial route
(`GET /livez`, no database) measured in the same run: the machines are shared and noisy, so the
ratios are what compares across runs.

Usage (see `make bench` and `make bench-smoke`):
  bench/run.py --bin target/release/lanes [--sizes 10000,100000,1000000] [--engines sqlite,postgres]
               [--duration 10] [--out docs/BENCHMARKS.md] [--smoke]
PostgreSQL runs need LANES_TEST_PG_URL (scripts/with-postgres.sh provides one).
"""

from __future__ import annotations

import argparse
import json
import os
import re
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path

HERE = Path(__file__).resolve().parent
ADMIN = ("bench@lanes.example", "bench-password-1")
SECRET = "bench-secret-bench-secret-bench-0123456789"
NO_LIMITS = {
    "LANES_RATE_LIMITS": "admin=100000000,manager=100000000,user=100000000,viewer=100000000,anonymous=100000000",
    "LANES_RATE_LIMITS_EXPENSIVE": "admin=100000000,manager=100000000,user=100000000,viewer=100000000",
}


@dataclass
class Scenario:
    name: str
    script: str  # a Lua file in bench/
    args: list[str] = field(default_factory=list)
    connections: int = 32


@dataclass
class Result:
    scenario: str
    connections: int
    rps: float
    p50_ms: float
    p99_ms: float
    errors: int
    requests: int


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def request(base: str, method: str, path: str, token: str | None = None, body: dict | None = None) -> dict:
    data = json.dumps(body).encode() if body is not None else None
    req = urllib.request.Request(base + path, data=data, method=method)
    req.add_header("content-type", "application/json")
    if token:
        req.add_header("authorization", f"Bearer {token}")
    with urllib.request.urlopen(req, timeout=60) as resp:
        return json.loads(resp.read() or b"null")


class Server:
    def __init__(self, binary: str, database_url: str, log: Path):
        self.port = free_port()
        self.base = f"http://127.0.0.1:{self.port}"
        env = dict(os.environ, DATABASE_URL=database_url, LANES_JWT_SECRET=SECRET, RUST_LOG="error",
                   LANES_ADMIN_EMAIL=ADMIN[0], LANES_ADMIN_PASSWORD=ADMIN[1], **NO_LIMITS)
        env.pop("LANES_METRICS_BIND", None)
        started = time.monotonic()
        self.proc = subprocess.Popen([binary, "serve", "--bind", f"127.0.0.1:{self.port}"], env=env,
                                     stdout=log.open("ab"), stderr=subprocess.STDOUT)
        for _ in range(600):
            try:
                request(self.base, "GET", "/livez")
                break
            except OSError:
                if self.proc.poll() is not None:
                    sys.exit(f"the server exited; see {log}")
                time.sleep(0.01)
        else:
            sys.exit("the server did not start within 6 s")
        self.startup_s = time.monotonic() - started

    def peak_rss_mb(self) -> float:
        status = Path(f"/proc/{self.proc.pid}/status").read_text()
        kb = int(re.search(r"VmHWM:\s+(\d+) kB", status).group(1))
        return kb / 1024

    def stop(self) -> None:
        self.proc.terminate()
        try:
            self.proc.wait(timeout=30)
        except subprocess.TimeoutExpired:
            self.proc.kill()


def parse_duration_ms(text: str) -> float:
    value, unit = re.fullmatch(r"([\d.]+)(us|ms|s|m)", text).groups()
    return float(value) * {"us": 0.001, "ms": 1.0, "s": 1000.0, "m": 60000.0}[unit]


def wrk(base: str, scenario: Scenario, duration: int, env: dict) -> Result:
    cmd = ["wrk", "-t2", f"-c{scenario.connections}", f"-d{duration}s", "--latency", "--timeout", "10s",
           "-s", str(HERE / scenario.script), base, "--", *scenario.args]
    out = subprocess.run(cmd, capture_output=True, text=True, env=dict(os.environ, LANES_BENCH_DIR=str(HERE), **env), check=True).stdout
    latency = dict(re.findall(r"^\s+(50|99)%\s+(\S+)\s*$", out, re.M))
    requests = int(re.search(r"(\d+) requests in", out).group(1))
    errors = sum(int(n) for n in re.findall(r"Non-2xx or 3xx responses: (\d+)", out))
    socket_errors = re.search(r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", out)
    if socket_errors:
        errors += sum(int(n) for n in socket_errors.groups())
    # When every request timed out, wrk prints no distribution: report the latencies as unknown.
    p50, p99 = (parse_duration_ms(latency[p]) if p in latency else float("nan") for p in ("50", "99"))
    return Result(scenario.name, scenario.connections, float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1)),
                  p50, p99, errors, requests)


def sample_ids(base: str, token: str, path: str, key: str, query: str = "", limit: int = 200) -> list[str]:
    body = request(base, "GET", f"{path}?limit={limit}{query}", token)
    items = next(v for v in body.values() if isinstance(v, list))
    return [item[key] for item in items]


def run_size(binary: str, engine: str, size: int, duration: int, work: Path, reuse: str | None = None) -> dict:
    if reuse:
        # A database this harness seeded before ("URL,SECONDS-IT-TOOK"): measure it again.
        database_url, seed_s = reuse.rsplit(",", 1)[0], float(reuse.rsplit(",", 1)[1])
    else:
        if engine == "sqlite":
            database_url = f"sqlite://{work}/bench-{size}.db?mode=rwc"
        else:
            database_url = fresh_postgres_database(f"lanes_bench_{size}_{os.getpid()}")
        started = time.monotonic()
        subprocess.run([binary, "seed", "--accounts", str(size), "--quiet"], check=True,
                       env=dict(os.environ, DATABASE_URL=database_url, LANES_JWT_SECRET=SECRET, RUST_LOG="error"))
        seed_s = time.monotonic() - started
    log = work / f"server-{engine}-{size}.log"
    # First start creates the admin; the measured start-up is a second one on the existing data.
    Server(binary, database_url, log).stop()
    server = Server(binary, database_url, log)
    try:
        token = request(server.base, "POST", "/auth/login", body={"email": ADMIN[0], "password": ADMIN[1]})["access_token"]
        ids_dir = work / f"ids-{engine}-{size}"
        ids_dir.mkdir(exist_ok=True)
        accounts = sample_ids(server.base, token, "/accounts", "account_id")
        opportunities = sample_ids(server.base, token, "/opportunities", "opportunity_id", "&is_closed=false")
        contacts = sample_ids(server.base, token, "/contacts", "contact_id")
        (ids_dir / "accounts.txt").write_text("\n".join(accounts) + "\n")
        (ids_dir / "opportunities.txt").write_text("\n".join(opportunities) + "\n")
        (ids_dir / "contacts.txt").write_text("\n".join(contacts) + "\n")
        env = {"LANES_TOKEN": token, "LANES_IDS": str(ids_dir)}
        scenarios = [
            Scenario("trivial: GET /livez", "get.lua", ["/livez"]),
            # The contract's account read carries its contacts, deals and activities (four
            # statements); a contact is a plain one-record read.
            Scenario("GET /accounts/{id}", "get.lua", ["/accounts/{account}"]),
            Scenario("GET /contacts/{id}", "get.lua", ["/contacts/{contact}"]),
            Scenario("GET /accounts?industry=…&limit=50", "get.lua", ["/accounts?industry=Manufacturing&limit=50"]),
            Scenario("POST /accounts", "post_account.lua", connections=64),
            Scenario("POST /activities", "post_activity.lua"),
            Scenario("PUT /opportunities/{id}/stage", "put_stage.lua"),
            Scenario("GET /dashboard/crm", "get.lua", ["/dashboard/crm"]),
            Scenario("GET /account/view/{id}", "get.lua", ["/account/view/{account}"]),
            Scenario("GET /lead/pipeline", "get.lua", ["/lead/pipeline"]),
        ]
        results = []
        for scenario in scenarios:
            result = wrk(server.base, scenario, duration, env)
            print(f"  {engine:8} {size:>8} {result.scenario:38} {result.rps:9.0f} req/s  p50 {result.p50_ms:7.2f} ms"
                  f"  p99 {result.p99_ms:7.2f} ms  errors {result.errors}", flush=True)
            results.append(result)
        return {"engine": engine, "size": size, "seed_s": seed_s, "startup_s": server.startup_s,
                "peak_rss_mb": server.peak_rss_mb(), "results": [r.__dict__ for r in results]}
    finally:
        server.stop()


def fresh_postgres_database(name: str) -> str:
    base = os.environ.get("LANES_TEST_PG_URL")
    if not base:
        sys.exit("PostgreSQL runs need LANES_TEST_PG_URL (run through scripts/with-postgres.sh)")
    subprocess.run(["psql", base, "-qc", f"DROP DATABASE IF EXISTS {name}"], check=True)
    subprocess.run(["psql", base, "-qc", f"CREATE DATABASE {name}"], check=True)
    return base.rsplit("/", 1)[0] + "/" + name


def wasm_sizes() -> dict | None:
    wasm = Path("target/site/pkg/lanes.wasm")
    if not wasm.exists():
        return None
    script = ("const z=require('zlib'),b=require('fs').readFileSync(process.argv[1]);"
              "console.log(JSON.stringify({raw:b.length,gzip:z.gzipSync(b,{level:9}).length,"
              "brotli:z.brotliCompressSync(b,{params:{[z.constants.BROTLI_PARAM_QUALITY]:11}}).length}))")
    return json.loads(subprocess.run(["node", "-e", script, str(wasm)], capture_output=True, text=True,
                                     check=True).stdout)


def render(runs: list[dict], wasm: dict | None, machine: str, commit: str, duration: int) -> str:
    lines = [
        "# Benchmarks",
        "",
        f"Commit `{commit}` on {machine}; wrk, 2 threads, {duration} s per scenario, 32 connections"
        " (64 for `POST /accounts`), over loopback, release build. Made by `make bench`"
        " (`bench/run.py`); the machine is shared and noisy, so compare the **ratio** column (requests/s"
        " relative to the trivial `GET /livez` in the same run) across runs, not absolute numbers.",
        "",
    ]
    for run in runs:
        trivial = run["results"][0]["rps"] or 1.0
        lines += [
            f"## {run['engine']}, {run['size']:,} accounts",
            "",
            f"Seeded in {run['seed_s']:.0f} s; start-up on the existing database {run['startup_s'] * 1000:.0f} ms;"
            f" server peak RSS {run['peak_rss_mb']:.0f} MB.",
            "",
            "| scenario | conns | req/s | ratio | p50 ms | p99 ms | errors |",
            "|---|---:|---:|---:|---:|---:|---:|",
        ]
        for r in run["results"]:
            if not r["requests"]:
                lines.append(f"| {r['scenario']} | {r['connections']} | 0 | 0 | no answer within 10 s | — | all |")
                continue
            lines.append(f"| {r['scenario']} | {r['connections']} | {r['rps']:.0f} | {r['rps'] / trivial:.2f} |"
                         f" {r['p50_ms']:.2f} | {r['p99_ms']:.2f} | {r['errors']} |")
        lines.append("")
    if wasm:
        lines += [f"WASM bundle: {wasm['raw'] / 1024:.0f} KB raw, {wasm['gzip'] / 1024:.0f} KB gzip,"
                  f" {wasm['brotli'] / 1024:.0f} KB brotli.", ""]
    return "\n".join(lines)


def render_summary(runs: list[dict], commit: str) -> str:
    """One compact table for the README: each scenario's p99 and ratio to the trivial route, per
    engine and size."""
    columns = [f"{run['engine']} {run['size']:,}" for run in runs]
    lines = [
        f"Commit `{commit}`, p99 latency and (in brackets) requests/s as a ratio to the trivial route"
        " of the same run; details in `docs/BENCHMARKS.md`.",
        "",
        "| scenario | " + " | ".join(columns) + " |",
        "|---|" + "---:|" * len(columns),
    ]
    for i, scenario in enumerate(r["scenario"] for r in runs[0]["results"]):
        cells = []
        for run in runs:
            r, trivial = run["results"][i], run["results"][0]["rps"] or 1.0
            cells.append("no answer" if not r["requests"] else f"{r['p99_ms']:.1f} ms ({r['rps'] / trivial:.2f}×)")
        lines.append(f"| {scenario} | " + " | ".join(cells) + " |")
    lines.append("| server peak RSS | " + " | ".join(f"{run['peak_rss_mb']:.0f} MB" for run in runs) + " |")
    lines.append("| start-up | " + " | ".join(f"{run['startup_s'] * 1000:.0f} ms" for run in runs) + " |")
    return "\n".join(lines)


BEGIN, END = "<!-- bench:begin (written by bench/run.py) -->", "<!-- bench:end -->"


def write_between_markers(path: Path, text: str) -> None:
    """Replaces the part of `path` between the bench markers (what people wrote around it stays);
    a file without markers is written whole, with them."""
    block = f"{BEGIN}\n{text}\n{END}"
    old = path.read_text() if path.exists() else ""
    if BEGIN in old and END in old:
        head, rest = old.split(BEGIN, 1)
        path.write_text(head + block + rest.split(END, 1)[1])
    else:
        path.write_text(block + "\n" + old)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--bin", default="target/release/lanes")
    parser.add_argument("--sizes", default="10000,100000,1000000")
    parser.add_argument("--engines", default="sqlite,postgres")
    parser.add_argument("--duration", type=int, default=10)
    parser.add_argument("--out", help="write the Markdown tables here (between the bench markers)")
    parser.add_argument("--readme", help="write a summary table here (between the bench markers)")
    parser.add_argument("--json", help="write the raw numbers here")
    parser.add_argument("--smoke", action="store_true", help="fail unless every scenario ran without errors")
    parser.add_argument("--reuse", metavar="URL,SECONDS",
                        help="measure a database an earlier run seeded (one engine and size) instead of seeding")
    args = parser.parse_args()
    if not shutil.which("wrk"):
        sys.exit("wrk is missing: scripts/install-tools.sh installs it (apt-get install wrk)")
    commit = subprocess.run(["git", "rev-parse", "--short", "HEAD"], capture_output=True, text=True).stdout.strip()
    cpu = next((line.split(":", 1)[1].strip() for line in Path("/proc/cpuinfo").read_text().splitlines()
                if line.startswith("model name")), "unknown CPU")
    machine = f"{os.cpu_count()} cores ({cpu}), {os.sysconf('SC_PAGE_SIZE') * os.sysconf('SC_PHYS_PAGES') / 2**30:.0f} GiB"
    runs = []
    with tempfile.TemporaryDirectory(prefix="lanes-bench-") as tmp:
        # Smallest sizes first on every engine, and the report rewritten after each run: a long
        # run that is stopped still leaves every finished measurement.
        for size in (int(s) for s in args.sizes.split(",")):
            for engine in args.engines.split(","):
                print(f"==> {engine}, {size:,} accounts", flush=True)
                runs.append(run_size(args.bin, engine, size, args.duration, Path(tmp), args.reuse))
                if args.out:
                    write_between_markers(Path(args.out), render(runs, wasm_sizes(), machine, commit, args.duration))
                if args.readme:
                    write_between_markers(Path(args.readme), render_summary(runs, commit))
                if args.json:
                    Path(args.json).write_text(json.dumps(runs, indent=2))
                if engine == "sqlite":
                    for leftover in Path(tmp).glob(f"bench-{size}.db*"):
                        leftover.unlink()
    if args.smoke:
        failed = [(run["engine"], r["scenario"]) for run in runs for r in run["results"] if r["errors"] or not r["requests"]]
        if failed:
            sys.exit(f"bench smoke run: errors in {failed}")
        print("bench smoke run: every scenario answered without errors")


if __name__ == "__main__":
    main()
