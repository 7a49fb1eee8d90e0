#!/usr/bin/env python3
"""The BKPSDM dashboard in a real browser (issue 6), run by ctest.

Seeds a real latih-server through the real CLI (seed.py), starts it on
loopback, opens the dashboard in Debian's headless `chromium` (cdp.py),
signs in through the form with an HR token, visits every page and checks
that the numbers shown (the data-value of each cell, chart data, cards)
equal the report API's JSON for the same request, fetched directly. Also:
sorting, filtering, a CSV download byte for byte, resolving a conflict, the
language toggle, the phone layout, sign-out, no token in any URL or in the
server's log, no script error or CSP violation. Saves a screenshot per page
in --out and prints the first page's load time (a figure, not a check).

  browser_test.py --latih L --server S --chromium C --out DIR
"""

import argparse
import datetime
import json
import os
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from cdp import Browser  # noqa: E402
from seed import SELATAN, nip, seed  # noqa: E402

failures = []
checks = 0


def check(ok, what):
    global checks
    checks += 1
    if not ok:
        failures.append(what)
        print(f"FAIL: {what}", flush=True)
    return ok


def same_number(shown, expected):
    """A cell's data-value (a JS String(number), '' for null) against the API's number."""
    if expected is None:
        return shown == ""
    try:
        return float(shown) == float(expected)
    except (TypeError, ValueError):
        return False


class Server:
    """`latih-server serve` on 127.0.0.1 and a free port."""

    def __init__(self, binary, db, log_path):
        self.log_path = log_path
        self.log = open(log_path, "wb")
        self.proc = subprocess.Popen([binary, "--db", db, "serve", "--listen", "127.0.0.1:0"],
                                     stdout=self.log, stderr=self.log)
        deadline = time.monotonic() + 20
        while True:
            m = re.search(r"listening on (http://127\.0\.0\.1:\d+)", self.text())
            if m:
                self.url = m.group(1)
                return
            if self.proc.poll() is not None or time.monotonic() > deadline:
                raise RuntimeError(f"latih-server did not start:\n{self.text()}")
            time.sleep(0.05)

    def text(self):
        with open(self.log_path, "rb") as f:
            return f.read().decode(errors="replace")

    def stop(self):
        self.proc.send_signal(signal.SIGTERM)
        try:
            self.proc.wait(timeout=15)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait()
        self.log.close()


class Api:
    def __init__(self, url, token):
        self.url, self.token = url, token

    def raw(self, path, params=None):
        q = "&".join(f"{k}={v}" for k, v in (params or {}).items() if v not in (None, ""))
        req = urllib.request.Request(self.url + path + ("?" + q if q else ""),
                                     headers={"Authorization": f"Bearer {self.token}"})
        with urllib.request.urlopen(req, timeout=30) as r:
            return r.read()

    def get(self, path, params=None):
        return json.loads(self.raw(path, params))


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--latih", required=True)
    ap.add_argument("--server", required=True)
    ap.add_argument("--chromium", default="chromium")
    ap.add_argument("--out", required=True, help="screenshots, downloads and logs go here")
    ap.add_argument("--pg", help="the server on a fresh database of the PostgreSQL cluster started in this "
                                 "directory (tests/tools/pg_throwaway.sh start DIR) instead of an SQLite file")
    a = ap.parse_args()
    chromium = shutil.which(a.chromium)
    if not chromium:
        print(f"chromium not found ({a.chromium}): apt-get install chromium (make deps does)")
        return 1
    os.makedirs(a.out, exist_ok=True)
    for f in os.listdir(a.out):
        if f.endswith((".png", ".csv")):
            os.remove(os.path.join(a.out, f))
    year = datetime.datetime.now(datetime.timezone.utc).year
    with tempfile.TemporaryDirectory(prefix="latih-dash-") as tmp:
        t0 = time.monotonic()
        db = f"{tmp}/server.db"
        if a.pg:
            with open(os.path.join(a.pg, "url")) as f:
                cluster = f.read().strip()
            name = f"latih_dash_{os.getpid()}"
            subprocess.run(["psql", cluster, "-qc", f"CREATE DATABASE {name}"], check=True)
            db = cluster.rsplit("/", 1)[0] + "/" + name
        server = Server(a.server, db, os.path.join(a.out, "server.log"))
        check(("(database postgres" in server.text()) == bool(a.pg), f"the server opened {db}")
        browser = None
        try:
            token = seed(a.latih, a.server, db, server.url, tmp, year)
            print(f"seeded in {time.monotonic() - t0:.1f} s: {server.url}", flush=True)
            browser = Browser(chromium, f"{tmp}/profile", os.path.join(a.out, "chromium.log"))
            try:
                run(browser, server, Api(server.url, token), token, year, a.out)
            except Exception:
                browser.screenshot(os.path.join(a.out, "failure.png"))
                print(f"the page at the failure (failure.png): {browser.evaluate('location.hash')}\n"
                      f"{browser.evaluate('document.body.innerText')[:2000]}", flush=True)
                raise
        finally:
            if browser:
                browser.close()
            server.stop()
            if a.pg:
                subprocess.run(["psql", cluster, "-qc", f"DROP DATABASE IF EXISTS {name} WITH (FORCE)"])
        check(token not in server.text(), "the HR token appears in the server's log")
    print(f"browser test: {time.monotonic() - t0:.1f} s in all", flush=True)
    if failures:
        print(f"{len(failures)} of {checks} checks failed")
        return 1
    print(f"all {checks} checks passed")
    return 0


# --- page helpers ----------------------------------------------------------------

def js(s):
    return json.dumps(s)


def column(b, table, col):
    """{row key: data-value} of column `col` in table `table`."""
    return b.evaluate(f"""Object.fromEntries([...document.querySelectorAll('#{table} tbody tr[data-key]')]
        .map(tr => [tr.dataset.key, tr.querySelector('td[data-col={js(col)}]')?.dataset.value ?? null]))""")


def texts(b, table, col):
    return b.evaluate(f"""Object.fromEntries([...document.querySelectorAll('#{table} tbody tr[data-key]')]
        .map(tr => [tr.dataset.key, tr.querySelector('td[data-col={js(col)}]')?.textContent ?? null]))""")


def column_list(b, table, col):
    """The data-values of column `col`, in the order shown."""
    return b.evaluate(f"""[...document.querySelectorAll('#{table} tbody tr[data-key] td[data-col={js(col)}]')]
        .map(td => td.dataset.value)""")


def row_keys(b, table):
    return b.evaluate(f"[...document.querySelectorAll('#{table} tbody tr[data-key]')].map(tr => tr.dataset.key)")


def card(b, key):
    return b.evaluate(f"document.querySelector('.card[data-key={js(key)}] .card-value')?.dataset.value ?? null")


def chart_data(b, canvas_id):
    return b.evaluate(f"""(() => {{ const c = Chart.getChart(document.getElementById({js(canvas_id)}));
        return c ? {{labels: c.data.labels, data: c.data.datasets.map(d => d.data)}} : null; }})()""")


def wait_page(b, page, extra="true"):
    """Waits until `page` shows its data and `extra` holds; an error shown instead fails at once."""
    state = b.wait_for(f"""(document.body.dataset.page === {js(page)} && document.body.dataset.ready === '1' && ({extra}))
        ? 'ok' : document.body.dataset.ready === 'error' || document.querySelector('#sign-in-message.error')
        ? 'error' : ''""", f"page {page}")
    if state != "ok":
        shown = b.evaluate("document.querySelector('main').innerText")
        raise RuntimeError(f"page {page} shows an error: {shown}")


def go(b, hash_, page, extra="true"):
    b.evaluate(f"location.hash = {js(hash_)}")
    wait_page(b, page, extra)


def choose(b, select_id, value, page):
    b.evaluate(f"""(() => {{ const s = document.getElementById({js(select_id)}); s.value = {js(value)};
        s.dispatchEvent(new Event('change')); }})()""")
    wait_page(b, page)


def compare_rows(b, table, rows, key, cols, what):
    keys = row_keys(b, table)
    check(sorted(keys) == sorted(str(key(r)) for r in rows), f"{what}: rows shown {sorted(keys)}")
    for col, field in cols:
        shown = column(b, table, col)
        for r in rows:
            v = field(r) if callable(field) else r[field]
            check(same_number(shown.get(str(key(r))), v), f"{what}: {key(r)} {col} shows {shown.get(str(key(r)))}, API {v}")


def id_number(v, digits=2):
    """How the id-ID locale writes v: '.' groups thousands, ',' before decimals."""
    s = f"{round(v, digits):,.{digits}f}".rstrip("0").rstrip(".")
    return s.replace(",", "_").replace(".", ",").replace("_", ".")


# --- the scenario ------------------------------------------------------------------

def run(b, server, api, token, year, out):
    for domain in ("Page", "Runtime", "Log", "Network"):
        b.call(f"{domain}.enable")
    b.call("Browser.setDownloadBehavior", {"behavior": "allow", "downloadPath": out, "eventsEnabled": True},
           browser=True)
    b.set_viewport(1366, 768)
    # The dashboard's default year is the browser's; the test asks the API for the UTC year.
    b.call("Emulation.setTimezoneOverride", {"timezoneId": "UTC"})

    def shot(name):
        b.evaluate("window.scrollTo(0, 0)")
        b.screenshot(os.path.join(out, name))

    # Sign-in: the first page, cold.
    b.navigate(server.url + "/")
    wait_page(b, "masuk")
    nav = b.evaluate("performance.getEntriesByType('navigation')[0].toJSON()")
    print(f"sign-in page (cold cache): DOMContentLoaded {nav['domContentLoadedEventEnd']:.0f} ms, "
          f"load {nav['loadEventEnd']:.0f} ms", flush=True)
    check(b.evaluate("document.documentElement.lang") == "id", "Bahasa Indonesia is the default")
    shot("masuk.png")
    b.evaluate("document.getElementById('token').focus()")
    b.insert_text("lt_not_a_real_token")
    b.evaluate("document.querySelector('#sign-in button[type=submit]').click()")
    b.wait_for("document.querySelector('#sign-in-message.error')?.textContent", "a refused token is said")
    b.evaluate("document.getElementById('token').value = ''; document.getElementById('token').focus()")
    b.insert_text(token)
    b.evaluate("document.querySelector('#sign-in button[type=submit]').click()")
    wait_page(b, "ringkasan")
    check(b.evaluate("sessionStorage.getItem('latih.hr_token')") == token, "the token is kept in sessionStorage")
    check(token not in b.evaluate("location.href"), "the token is not in the URL")

    # The first page with its data, reloaded with an empty cache.
    b.call("Network.clearBrowserCache")
    since = len(b.events)
    b.call("Page.reload", {"ignoreCache": True})
    b.wait_event("Page.loadEventFired", since=since)
    wait_page(b, "ringkasan")
    first = b.evaluate("performance.getEntriesByName('latih-first-page')[0].startTime")
    print(f"FIRST PAGE (Ringkasan with its data, cold cache, loopback): {first:.0f} ms", flush=True)

    ringkasan(b, api, year)
    shot("ringkasan.png")
    b.set_viewport(390, 844, mobile=True)
    b.wait_for("innerWidth === 390", "the phone viewport")
    check(b.evaluate("getComputedStyle(document.getElementById('nav')).display") == "none",
          "phone: the nav is collapsed")
    check(b.evaluate("document.documentElement.scrollWidth") <= 390, "phone: the page does not scroll sideways")
    shot("ringkasan-phone.png")
    b.evaluate("document.getElementById('menu-toggle').click()")
    check(b.evaluate("getComputedStyle(document.getElementById('nav')).display") != "none", "phone: the menu opens")
    b.evaluate("document.getElementById('menu-toggle').click()")
    b.set_viewport(1366, 768)
    b.wait_for("innerWidth === 1366", "the office viewport")

    kepatuhan(b, api, year, out)
    shot("kepatuhan.png")
    pelatihan(b, api, year, shot)
    ikm(b, api)
    shot("ikm.png")
    pengingat(b, api, year)
    shot("pengingat.png")
    dampak(b, api, year)
    shot("dampak.png")
    anggaran(b, api, year)
    shot("anggaran.png")
    konflik(b, api, shot)
    language(b, api)
    # Sign-out forgets the token.
    b.evaluate("document.getElementById('sign-out').click()")
    wait_page(b, "masuk")
    check(b.evaluate("sessionStorage.getItem('latih.hr_token')") is None, "sign-out clears the token")

    urls = [p["request"]["url"] for m, p, _ in b.events if m == "Network.requestWillBeSent"]
    check(len(urls) > 10 and not [u for u in urls if token in u], "the token never travels in a URL")
    errors = [p for m, p, _ in b.events if m == "Runtime.exceptionThrown"]
    errors += [p["entry"] for m, p, _ in b.events
               if m == "Log.entryAdded" and p["entry"]["level"] == "error" and p["entry"]["source"] != "network"]
    errors += [p for m, p, _ in b.events if m == "Runtime.consoleAPICalled" and p["type"] == "error"]
    check(not errors, f"no script error or CSP violation: {errors[:3]}")


def ringkasan(b, api, year):
    offices = api.get("/v1/reports/offices")["offices"]
    jp = api.get("/v1/reports/jp", {"year": year})
    trainings = api.get("/v1/reports/trainings", {"year": year})["trainings"]
    fresh = api.get("/v1/reports/freshness")
    conflicts = api.get("/v1/reports/conflicts", {"status": "open"})["conflicts"]
    ikm_rows = api.get("/v1/reports/ikm")["rows"]
    pns = [e for e in jp["employees"] if e["type"] == "pns"]
    met = [e for e in pns if e["standing"] == "memenuhi"]
    check(same_number(card(b, "offices"), len([o for o in offices if o["level"] == "kelurahan"])), "card: kelurahan")
    check(same_number(card(b, "employees"), len(jp["employees"])), "card: employees")
    check(same_number(card(b, "jp_met"), len(met) / len(pns)), "card: share of PNS meeting 20 JP")
    check(same_number(card(b, "trainings"), len(trainings)), "card: trainings this year")
    check(same_number(card(b, "conflicts"), len(conflicts)), "card: open conflicts")
    check(same_number(card(b, "silent"), len([o for o in fresh["offices"] if o["silent"]])), "card: silent offices")
    check(len(jp["employees"]) == 12 and len(trainings) == 6 and len(conflicts) == 2,
          f"the seeded dataset: {len(jp['employees'])} employees, {len(trainings)} trainings, "
          f"{len(conflicts)} conflicts")
    compare_rows(b, "freshness-offices", fresh["offices"], lambda r: r["office_id"],
                 [("devices", "devices"), ("silent", lambda r: 1 if r["silent"] else 0)], "freshness per office")
    silent_rows = b.evaluate("[...document.querySelectorAll('#freshness-offices tr.silent')].map(tr => tr.dataset.key)")
    check(sorted(silent_rows) == sorted(o["office_id"] for o in fresh["offices"] if o["silent"]),
          "silent offices are highlighted")
    check(any(o["silent"] and o["devices"] > 0 for o in fresh["offices"]), "a silent office with a device (seeded)")
    compare_rows(b, "freshness-devices", fresh["devices"], lambda r: r["device_id"],
                 [("pending_changes", "pending_changes"), ("quarantined", "quarantined")], "freshness per device")
    latest = {r["office_id"]: r for r in ikm_rows}
    compare_rows(b, "ringkasan-ikm", list(latest.values()), lambda r: r["office_id"],
                 [("ikm", "ikm"), ("respondents", "respondents")], "latest IKM")


def pengingat(b, api, year):
    go(b, "#/pengingat", "pengingat")
    rem = api.get("/v1/reports/reminders", {"year": year})
    jp = api.get("/v1/reports/jp", {"year": year})
    below = sorted(e["nip"] for e in jp["employees"] if e["standing"] == "belum_memenuhi")
    check(sorted(p["nip"] for p in rem["people"]) == below, "reminders: the PNS below 20 JP")
    compare_rows(b, "reminders-people", rem["people"], lambda r: r["nip"],
                 [("jp", "jp"), ("jp_needed", "jp_needed"), ("jp_suggested", "jp_suggested")], "reminders per employee")
    compare_rows(b, "reminders-offices", rem["offices"], lambda r: r["office_id"],
                 [("below_minimum", "below_minimum"), ("jp_needed", "jp_needed"), ("covered", "covered")],
                 "reminders per office")
    check(sorted(row_keys(b, "reminders-upcoming")) == sorted(t["training_id"] for t in rem["upcoming"]),
          "reminders: the trainings still to start")
    if rem["today"] < f"{year}-12-31":  # the seed plans a global seminar on 30 December
        check([t["title"] for t in rem["upcoming"]] == ["Seminar SPBE"], f"upcoming: {rem['upcoming']}")
        check(all(p["suggested"] == "Seminar SPBE" for p in rem["people"]), "every office may join a global training")
    c = chart_data(b, "reminders-chart")
    check(c and c["data"][0] == [o["covered"] for o in rem["offices"]], f"reminders chart: covered {c}")


def dampak(b, api, year):
    go(b, "#/dampak", "dampak")
    imp = api.get("/v1/reports/impact", {"year": year})
    jp = api.get("/v1/reports/jp", {"year": year})
    mine = [r for r in imp["years"] if r["year"] == year]
    city = [r for r in mine if r["office_id"] is None]
    check(len(city) == 1 and same_number(city[0]["employees"], len(jp["employees"])), f"impact: the city row {city}")
    for o in jp["offices"]:
        row = [r for r in mine if r["office_id"] == o["office_id"]]
        check(len(row) == 1 and same_number(row[0]["mean_jp"], o["mean_jp"]),
              f"impact: {o['office_id']}'s JP per employee equals the JP report's")
    key = lambda r: f"{r['office_id'] or 'kota'}/{r['year']}"
    compare_rows(b, "impact-years", imp["years"], key,
                 [("mean_jp", "mean_jp"), ("ikm", "ikm"), ("employees", "employees")], "impact per office and year")
    c = chart_data(b, "impact-ikm-chart")
    check(c and c["data"][0] == [r["ikm"] for r in imp["years"] if r["office_id"] is None], f"impact IKM chart {c}")
    check(sum(r["skp_assessed"] for r in city) > 0, "impact: the seeded SKP ratings are counted")
    c = chart_data(b, "impact-skp-chart")
    check(c and c["data"][0] == [r["skp_sangat_baik"] for r in imp["years"] if r["office_id"] is None]
          and len(c["data"]) == 5, f"impact SKP chart: Sangat Baik per year, five predicates {c}")
    trainings = api.get("/v1/reports/trainings", {"year": year})["trainings"]
    compare_rows(b, "impact-trainings", trainings, lambda r: r["training_id"],
                 [("mean_reaction", "mean_reaction"), ("gain", "gain")], "Kirkpatrick levels")


def anggaran(b, api, year):
    go(b, "#/anggaran", "anggaran")
    costs = api.get("/v1/reports/costs", {"year": year})
    check(len(costs["trainings"]) >= 2 and costs["total"]["per_jp"] is not None,
          f"costs: the seeded costs are in the report {costs['total']}")
    compare_rows(b, "costs-trainings", costs["trainings"], lambda r: r["training_id"],
                 [("participants", "participants"), ("jp", "jp"), ("per_participant", "per_participant"),
                  ("per_jp", "per_jp")], "cost per training")
    compare_rows(b, "costs-by-office", costs["by_office"], lambda r: r["office_name"],
                 [("actual", "actual"), ("per_jp", "per_jp")], "cost by office")
    compare_rows(b, "costs-by-funding", costs["by_funding"], lambda r: r["funding_source"] or "-",
                 [("planned", "planned"), ("realization", "realization")], "cost by funding source")
    for key in ("planned", "actual", "realization", "per_participant", "per_jp"):
        check(same_number(card(b, key), costs["total"][key]), f"card: {key}")
    c = chart_data(b, "costs-office-chart")
    check(c and c["data"][0] == [r["per_jp"] for r in costs["by_office"] if r["per_jp"] is not None],
          f"cost per JP chart {c}")


def kepatuhan(b, api, year, out):
    go(b, "#/kepatuhan", "kepatuhan")
    jp = api.get("/v1/reports/jp", {"year": year})
    compare_rows(b, "jp-offices", jp["offices"], lambda r: r["office_id"],
                 [("below_minimum", "below_minimum"), ("total_jp", "total_jp"), ("mean_jp", "mean_jp"),
                  ("employees", "employees"), ("above_cap", "above_cap")], "JP per office")
    compare_rows(b, "jp-employees", jp["employees"], lambda r: r["nip"],
                 [("jp", "jp"), ("jp_needed", "jp_needed")], "JP per employee")
    c = chart_data(b, "jp-chart")
    check(c and c["data"][1] == [o["below_minimum"] for o in jp["offices"]], f"JP chart: below minimum {c}")
    # Filters: standing, then text; sorting by JP.
    choose_standing = """(() => { const s = document.getElementById('standing'); s.value = 'belum_memenuhi';
        s.dispatchEvent(new Event('change')); })()"""
    b.evaluate(choose_standing)
    below = sorted(e["nip"] for e in jp["employees"] if e["standing"] == "belum_memenuhi")
    check(sorted(row_keys(b, "jp-employees")) == below, "filter by standing")
    b.evaluate("""(() => { const s = document.getElementById('standing'); s.value = '';
        s.dispatchEvent(new Event('change')); })()""")
    b.evaluate("document.querySelector('[data-table=jp-employees] input.filter').focus()")
    b.insert_text("wahyuni")
    check(row_keys(b, "jp-employees") == [nip(203)], "text filter")
    b.evaluate("""(() => { const f = document.querySelector('[data-table=jp-employees] input.filter');
        f.value = ''; f.dispatchEvent(new Event('input')); })()""")
    b.evaluate("document.querySelector('#jp-employees th[data-col=jp] button').click()")
    shown = [float(v) for v in column_list(b, "jp-employees", "jp")]
    check(shown == sorted(e["jp"] for e in jp["employees"]), f"sort by JP ascending: {shown}")
    b.evaluate("document.querySelector('#jp-employees th[data-col=jp] button').click()")
    shown = [float(v) for v in column_list(b, "jp-employees", "jp")]
    check(shown == sorted((e["jp"] for e in jp["employees"]), reverse=True), "sort by JP descending")
    # One office only (the report's office parameter).
    choose(b, "office", SELATAN, "kepatuhan")
    one = api.get("/v1/reports/jp", {"year": year, "office": SELATAN})
    check(sorted(row_keys(b, "jp-employees")) == sorted(e["nip"] for e in one["employees"]), "office selector")
    # "Unduh CSV": the same bytes as the API's CSV.
    since = len(b.events)
    b.evaluate("document.querySelector('[data-table=jp-employees] button.csv').click()")
    done = b.wait_event("Browser.downloadProgress", lambda p: p["state"] in ("completed", "canceled"), since=since)
    begin = b.wait_event("Browser.downloadWillBegin", since=since)
    expected = api.raw("/v1/reports/jp", {"year": year, "office": SELATAN, "format": "csv", "table": "employees"})
    path = os.path.join(out, begin["suggestedFilename"])
    check(done["state"] == "completed" and os.path.exists(path), f"CSV downloaded: {begin['suggestedFilename']}")
    if os.path.exists(path):
        with open(path, "rb") as f:
            check(f.read() == expected, "the downloaded CSV equals the API's")
    choose(b, "office", "", "kepatuhan")
    # "Unduh ekspor SIASN": every page of the export, joined (pages of 2
    # records here, so that the joining is what is checked), equals the
    # API's CSV of the whole year.
    b.evaluate("window.latihSiasnPageSize = 2")
    since = len(b.events)
    b.evaluate("document.querySelector('#siasn-download').click()")
    done = b.wait_event("Browser.downloadProgress", lambda p: p["state"] in ("completed", "canceled"), since=since)
    begin = b.wait_event("Browser.downloadWillBegin", since=since)
    expected = api.raw("/v1/reports/siasn", {"year": year, "format": "csv"})
    path = os.path.join(out, begin["suggestedFilename"])
    check(done["state"] == "completed" and os.path.exists(path), f"SIASN downloaded: {begin['suggestedFilename']}")
    if os.path.exists(path):
        with open(path, "rb") as f:
            got = f.read()
        records = expected.count(b"\n") - 1
        check(got == expected and records > 2, f"the SIASN export joined from pages equals the API's ({records} records)")


def pelatihan(b, api, year, shot):
    go(b, "#/pelatihan", "pelatihan")
    trainings = api.get("/v1/reports/trainings", {"year": year})["trainings"]
    compare_rows(b, "trainings", trainings, lambda r: r["training_id"],
                 [("attendance_rate", "attendance_rate"), ("gain", "gain"), ("participants", "participants"),
                  ("mean_reaction", "mean_reaction")], "trainings")
    shot("pelatihan.png")
    ws = next(t for t in trainings if t["title"] == "Workshop Pelayanan Publik")
    b.evaluate(f"document.querySelector('#trainings tr[data-key={js(ws['training_id'])}] a').click()")
    wait_page(b, "pelatihan", "document.getElementById('training-title')")
    d = api.get(f"/v1/reports/trainings/{ws['training_id']}")
    for key in ("participants", "attendance_rate", "mean_pre", "mean_post", "gain", "normalized_gain",
                "mean_reaction"):
        check(same_number(card(b, key), d[key]), f"training detail: {key} shows {card(b, key)}, API {d[key]}")
    compare_rows(b, "training-sessions", d["sessions"], lambda r: r["session_id"],
                 [("attended", "attended"), ("rate", "rate"), ("hadir", "hadir"), ("terlambat", "terlambat")],
                 "sessions")
    compare_rows(b, "training-by-office", d["by_office"], lambda r: r["office_id"],
                 [("attendance_rate", "attendance_rate"), ("attended", "attended")], "attendance by office")
    compare_rows(b, "training-aspects", d["reaction_aspects"], lambda r: r["aspect"], [("mean", "mean")], "aspects")
    c = chart_data(b, "reaction-chart")
    check(c and c["data"][0] == [a["mean"] for a in d["reaction_aspects"]], f"reaction chart {c}")
    shot("pelatihan-detail.png")
    # The global training: attended from two offices.
    go(b, "#/pelatihan", "pelatihan")
    g = next(t for t in trainings if t["title"] == "Bimtek SIASN")
    b.evaluate(f"document.querySelector('#trainings tr[data-key={js(g['training_id'])}] a').click()")
    wait_page(b, "pelatihan", "document.getElementById('training-title')")
    gd = api.get(f"/v1/reports/trainings/{g['training_id']}")
    check(len(gd["by_office"]) == 2, "the global training was attended from two offices")
    compare_rows(b, "training-by-office", gd["by_office"], lambda r: r["office_id"],
                 [("attendance_rate", "attendance_rate")], "global training by office")


def ikm(b, api):
    go(b, "#/ikm", "ikm")
    rows = api.get("/v1/reports/ikm")["rows"]
    key = lambda r: f"{r['office_id']}/{r['period']}"  # noqa: E731
    cols = [("ikm", "ikm"), ("respondents", "respondents")]
    cols += [(f"u{i + 1}", (lambda i: lambda r: r["nrr"][i])(i)) for i in range(9)]
    compare_rows(b, "ikm", rows, key, cols, "IKM")
    shown = texts(b, "ikm", "category")
    for r in rows:
        check(shown[key(r)].startswith(r["category"] + " ("), f"IKM category of {key(r)}: {shown[key(r)]}")
    c = chart_data(b, "ikm-chart")
    check(c and len(c["data"]) == len({r["office_id"] for r in rows}), "IKM trend: one line per office")
    periods = sorted({r["period"] for r in rows})
    check(c and c["labels"] == periods, f"IKM trend periods {c and c['labels']}")


def konflik(b, api, shot):
    go(b, "#/konflik", "konflik")
    conflicts = api.get("/v1/reports/conflicts", {"status": "open"})["conflicts"]
    check(same_number(b.evaluate("document.getElementById('open-count').dataset.value"), len(conflicts)),
          "open conflicts count")
    check(sorted(row_keys(b, "conflicts")) == sorted(str(c["id"]) for c in conflicts), "conflict rows")
    shown = b.evaluate("""Object.fromEntries([...document.querySelectorAll('#conflicts tbody tr[data-key]')].map(tr =>
        [tr.dataset.key, [...tr.querySelectorAll('.value')].map(v => v.textContent)]))""")
    for c in conflicts:
        check(shown.get(str(c["id"])) == [c["winner_value"], c["loser_value"]], f"conflict {c['id']}: both values")
    shot("konflik.png")
    # Keep the losing value of the first one.
    c = conflicts[0]
    b.evaluate(f"document.querySelector('button[data-conflict=\"{c['id']}\"][data-keep=loser]').click()")
    wait_page(b, "konflik", f"document.getElementById('open-count')?.dataset.value === '{len(conflicts) - 1}'")
    after = {x["id"]: x for x in api.get("/v1/reports/conflicts", {"status": "all"})["conflicts"]}
    check(after[c["id"]]["resolved_at"] is not None, "the resolved conflict has resolved_at")
    check(after[c["id"]]["current_value"] == c["loser_value"], "keeping the loser writes its value again")


def language(b, api):
    # IKM values have decimals: Indonesian writes them with a comma, English with a dot.
    go(b, "#/ikm", "ikm")
    rows = api.get("/v1/reports/ikm")["rows"]
    r = next(x for x in rows if x["ikm"] != int(x["ikm"]))
    key = f"{r['office_id']}/{r['period']}"
    check(texts(b, "ikm", "ikm")[key] == id_number(r["ikm"]), f"id-ID number format: {texts(b, 'ikm', 'ikm')[key]}")
    b.evaluate("document.getElementById('lang-toggle').click()")
    wait_page(b, "ikm")
    check(b.evaluate("document.querySelector('#nav a[data-page=ringkasan]').textContent") == "Overview", "English nav")
    check(texts(b, "ikm", "ikm")[key] == f"{round(r['ikm'], 2):.2f}".rstrip("0").rstrip("."), "English number format")
    since = len(b.events)
    b.call("Page.reload")
    b.wait_event("Page.loadEventFired", since=since)
    wait_page(b, "ikm")
    check(b.evaluate("document.documentElement.lang") == "en", "the language choice is remembered")
    b.evaluate("document.getElementById('lang-toggle').click()")
    wait_page(b, "ikm")
    check(b.evaluate("document.documentElement.lang") == "id", "back to Bahasa Indonesia")


if __name__ == "__main__":
    sys.exit(main())
