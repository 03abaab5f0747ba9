#!/usr/bin/env python3
"""planlens side by side with checkov on the same generated inputs; writes bench/RESULTS.md.

    python3 bench/compare.py                      # sizes 100 1000 10000 50000, ~40 min budget
    python3 bench/compare.py --sizes 1000 10000 --budget-min 20
    python3 bench/compare.py --reuse-checkov      # re-time planlens only, keep checkov's cached rows

What it does:
  1. creates bench/.venv (ignored by git) and `pip install checkov` from PyPI (once);
  2. builds planlens (`cargo build --release`) unless --planlens BIN is given;
  3. generates bench/out/plan-N.json and bench/out/hcl-N/ with bench/gen.py (once per N);
  4. times `planlens check plan.json --format json` against
     `checkov -f plan.json --framework terraform_plan -o json`, and
     `planlens check hcl-N --format json` against `checkov -d hcl-N --framework terraform -o json`,
     each wrapped in /usr/bin/time for wall time and peak RSS (of the process and the
     children it waited for); medians over several runs, fewer for checkov when one run
     takes minutes, and none where the budget would be exceeded (the row says so).
Checkov runs with --skip-download and BC_SKIP_MAPPING=TRUE: no network (there is none here).
Checkov's rows are cached in bench/out/checkov-cache.json keyed by input hash and version.
"""

import argparse
import hashlib
import json
import os
import platform
import statistics
import subprocess
import sys
import time

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)
OUT = os.path.join(HERE, "out")
VENV = os.path.join(HERE, ".venv")
CACHE = os.path.join(OUT, "checkov-cache.json")
TIME = "/usr/bin/time"


def sh(cmd, **kw):
    print("+", " ".join(cmd), file=sys.stderr, flush=True)
    return subprocess.run(cmd, check=True, **kw)


def ensure_checkov():
    checkov = os.path.join(VENV, "bin", "checkov")
    if not os.path.exists(checkov):
        sh([sys.executable, "-m", "venv", VENV])
        sh([os.path.join(VENV, "bin", "pip"), "install", "-q", "--upgrade", "pip"])
        # The version the published table was made with; CHECKOV_VERSION picks another.
        version = os.environ.get("CHECKOV_VERSION", "3.3.30")
        sh([os.path.join(VENV, "bin", "pip"), "install", "-q", f"checkov=={version}"])
    version = subprocess.run([checkov, "--version"], capture_output=True, text=True).stdout.strip()
    return checkov, version


def ensure_inputs(n):
    plan = os.path.join(OUT, f"plan-{n}.json")
    hcl = os.path.join(OUT, f"hcl-{n}")
    if not (os.path.exists(plan) and os.path.isdir(hcl)):
        sh([sys.executable, os.path.join(HERE, "gen.py"), str(n), OUT])
    return plan, hcl


def digest(path):
    h = hashlib.sha256()
    if os.path.isdir(path):
        for d, _, files in sorted(os.walk(path)):
            for f in sorted(files):
                with open(os.path.join(d, f), "rb") as fh:
                    h.update(f.encode() + fh.read())
    else:
        with open(path, "rb") as fh:
            h.update(fh.read())
    return h.hexdigest()[:16]


def timed(cmd, env=None, timeout=None):
    """One run: (wall seconds, peak RSS MB, exit code)."""
    res_file = os.path.join(OUT, ".time")
    full = [TIME, "-f", "%M", "-o", res_file] + cmd
    start = time.perf_counter()
    try:
        p = subprocess.run(full, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=env, timeout=timeout)
    except subprocess.TimeoutExpired:
        return time.perf_counter() - start, None, "timeout"
    # Wall time from a monotonic clock here (time's %e has 10 ms steps, too coarse at 100
    # resources); peak RSS from time's %M.
    wall = time.perf_counter() - start
    with open(res_file) as f:
        rss_kb = f.read().split()[-1]
    return wall, int(rss_kb) / 1024, p.returncode


def runs(cmd, count, env=None, timeout=None, label="", deadline=None):
    """Up to `count` runs; no new run starts past `deadline` (time.time())."""
    walls, rss, codes = [], [], []
    for i in range(count):
        if deadline is not None and walls and time.time() + walls[-1] > deadline:
            break
        if deadline is not None:
            timeout = max(60, deadline - time.time())
        w, r, c = timed(cmd, env, timeout)
        print(f"  {label} run {i + 1}/{count}: {w:.2f}s, {r and round(r)} MB, exit {c}", file=sys.stderr, flush=True)
        walls.append(w)
        if r is not None:
            rss.append(r)
        codes.append(c)
        if c == "timeout":
            break
    return {
        "runs": len(walls),
        "wall": statistics.median(walls),
        "rss": statistics.median(rss) if rss else None,
        "codes": sorted(set(map(str, codes))),
    }


def load_cache():
    try:
        with open(CACHE) as f:
            return json.load(f)
    except (OSError, ValueError):
        return {}


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--sizes", nargs="+", type=int, default=[100, 1000, 10000, 50000])
    ap.add_argument("--budget-min", type=float, default=40.0, help="stop starting checkov runs past this")
    ap.add_argument("--planlens", help="planlens binary (default: cargo build --release)")
    ap.add_argument("--planlens-runs", type=int, default=5)
    ap.add_argument("--reuse-checkov", action="store_true")
    ap.add_argument("--no-hcl", action="store_true")
    args = ap.parse_args()
    os.makedirs(OUT, exist_ok=True)
    started = time.time()
    load_before = os.getloadavg()

    checkov, checkov_version = ensure_checkov()
    planlens = args.planlens
    if not planlens:
        sh(["cargo", "build", "--release", "--bin", "planlens"], cwd=ROOT)
        planlens = os.path.join(ROOT, "target", "release", "planlens")
    planlens_version = subprocess.run([planlens, "--version"], capture_output=True, text=True).stdout.strip()
    env = dict(os.environ, BC_SKIP_MAPPING="TRUE", LOG_LEVEL="ERROR")
    cache = load_cache()

    rows = []
    for n in args.sizes:
        plan, hcl = ensure_inputs(n)
        kinds = [("plan", plan)] + ([] if args.no_hcl else [("hcl", hcl)])
        for kind, path in kinds:
            nres = None
            if kind == "plan":
                with open(plan) as f:
                    nres = len(json.load(f)["resource_changes"])
            size = os.path.getsize(plan) if kind == "plan" else sum(
                os.path.getsize(os.path.join(d, f)) for d, _, fs in os.walk(path) for f in fs
            )
            pl = runs([planlens, "check", path, "--format", "json", "--now", "2026-11-01"],
                      args.planlens_runs, label=f"planlens {kind} {n}")
            if kind == "plan":
                ck_cmd = [checkov, "-f", path, "--framework", "terraform_plan", "-o", "json", "--skip-download", "--quiet"]
            else:
                ck_cmd = [checkov, "-d", path, "--framework", "terraform", "-o", "json", "--skip-download", "--quiet"]
            key = f"{kind}:{digest(path)}:{checkov_version}"
            ck = cache.get(key) if args.reuse_checkov else None
            if ck is None:
                spent_min = (time.time() - started) / 60
                left = args.budget_min - spent_min
                # Estimate from the previous size's row: checkov grows at least linearly.
                prev = [r for r in rows if r["kind"] == kind and r["checkov"] and r["checkov"].get("wall")]
                estimate = None
                if prev:
                    p = prev[-1]
                    estimate = p["checkov"]["wall"] * n / p["n"] / 60
                if estimate is not None and estimate > left:
                    ck = {"skipped": f"not run: one run is estimated at ≥{estimate:.0f} min, {left:.0f} min of budget left"}
                else:
                    count = 3
                    if estimate is not None and estimate * 3 > left:
                        count = 1
                    ck = runs(ck_cmd, count, env=env, label=f"checkov {kind} {n}",
                              deadline=started + args.budget_min * 60)
                    if "timeout" in ck["codes"]:
                        ck = {"skipped": f"not finished within the budget ({ck['wall'] / 60:.0f} min and counting)"}
                    cache[key] = ck
                    with open(CACHE, "w") as f:
                        json.dump(cache, f, indent=1)
            rows.append({"n": n, "kind": kind, "path": os.path.relpath(path, ROOT), "bytes": size,
                         "resources": nres, "planlens": pl, "checkov": ck})

    load_after = os.getloadavg()
    write_results(rows, planlens_version, checkov_version, load_before, load_after, time.time() - started)


def fmt_s(x):
    return f"{x:.3f}" if x < 1 else f"{x:.2f}" if x < 10 else f"{x:.1f}"


def write_results(rows, pv, cv, lb, la, took):
    lines = [
        "# planlens vs checkov",
        "",
        "Generated by `python3 bench/compare.py` (inputs from `bench/gen.py`); wall time and peak RSS",
        "from `/usr/bin/time`, medians over the runs shown. planlens: `planlens check PATH --format json`;",
        "checkov: `checkov -f plan.json --framework terraform_plan -o json` and",
        "`checkov -d DIR --framework terraform -o json` (with `--skip-download --quiet`).",
        "The two tools check different rule sets; this compares the cost of a review, not its findings.",
        "",
        f"- planlens: {pv}; checkov: {cv}; Python {platform.python_version()}",
        f"- machine: {os.cpu_count()} cores, {platform.machine()}, shared with other jobs: load average "
        f"{lb[0]:.1f} / {lb[1]:.1f} / {lb[2]:.1f} before, {la[0]:.1f} / {la[1]:.1f} / {la[2]:.1f} after",
        f"- total time of this comparison: {took / 60:.1f} min",
        "",
        "| input | size MB | resources | planlens s (runs) | planlens peak RSS MB | checkov s (runs) | checkov peak RSS MB | checkov ÷ planlens (time) |",
        "|---|---|---|---|---|---|---|---|",
    ]
    for r in rows:
        pl, ck = r["planlens"], r["checkov"]
        if "skipped" in ck:
            ck_t, ck_m, ratio = ck["skipped"], "—", "—"
        else:
            ck_t = f"{fmt_s(ck['wall'])} ({ck['runs']})" + (" timeout" if "timeout" in ck["codes"] else "")
            ck_m = f"{ck['rss']:.0f}" if ck["rss"] else "—"
            ratio = f"{ck['wall'] / pl['wall']:.0f}×"
        lines.append(
            f"| {r['kind']} {r['n']} (`{r['path']}`) | {r['bytes'] / 2**20:.2f} | {r['resources'] or '—'} | "
            f"{fmt_s(pl['wall'])} ({pl['runs']}) | {pl['rss']:.0f} | {ck_t} | {ck_m} | {ratio} |"
        )
    lines.append("")
    # Keep every section after the table (written by hand from `cargo bench` and
    # bench/browser.mjs), if any: everything from the first second-level heading on.
    path = os.path.join(HERE, "RESULTS.md")
    kept = ""
    try:
        with open(path) as f:
            old = f.read()
        if "\n## " in old:
            kept = old[old.index("\n## "):]
    except OSError:
        pass
    with open(path, "w") as f:
        f.write("\n".join(lines) + kept)
    print("\n".join(lines))


if __name__ == "__main__":
    main()
