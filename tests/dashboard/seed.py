"""The browser test's dataset, made the way offices make it: the real
`latih` CLI on office device databases, enrolled with and synced to a real
`latih-server` (as tests/integration/server_sync_test.cc does).

Four kelurahan record trainings, sessions, attendance, evaluations, SKM
responses, training costs and SKP ratings in year `year`; a global (BKPSDM) training is attended from two
offices; two desks of one office edit the same names offline (two
conflicts); a fifth office's device is enrolled but never syncs (silent).
"""

import subprocess

SELATAN, TENGAH, PEJERUK, TAMAN_SARI = "52.71.01.1004", "52.71.01.1005", "52.71.01.1006", "52.71.01.1008"


def nip(n):
    """A valid number: n < 500 a PNS NIP (as tests/support TestNip(n) makes
    them), n >= 500 an NI PPPK (DOMAIN.md §3: digits 13-14 are 2x)."""
    if n >= 500:
        return f"19900512202221{1 + n % 2}{n % 1000:03d}"
    serial, block = 1 + (n - 1) % 999, 2 + (n - 1) // 999
    return f"198501{1 + n % 28:02d}{2010 + block // 12:04d}{1 + block % 12:02d}1{serial:03d}"


class Seeder:
    def __init__(self, latih, server_bin, server_db, url, tmp):
        self.latih, self.server_bin, self.server_db, self.url, self.tmp = latih, server_bin, server_db, url, tmp

    def _run(self, args, ok=(0,)):
        r = subprocess.run(args, capture_output=True, text=True, timeout=60)
        if r.returncode not in ok:
            raise RuntimeError(f"{' '.join(args)}: exit {r.returncode}\n{r.stdout}{r.stderr}")
        return r.stdout.split("\n", 1)[0].strip()

    def cli(self, db, *args, ok=(0,)):
        return self._run([self.latih, "--db", db, *args], ok)

    def admin(self, *args):
        return self._run([self.server_bin, "--db", self.server_db, *args])

    def device(self, file, office, name):
        db = f"{self.tmp}/{file}"
        token = self.admin("device", "enroll", "--office", office, "--name", name)
        self.cli(db, "init", "--office", office)
        self.cli(db, "enroll", "--server", self.url, "--token", token)
        return db

    def employees(self, db, people):
        for n, name, kind in people:
            self.cli(db, "employee", "add", "--nip", nip(n), "--name", name, "--type", kind)

    def training(self, db, title, competency, jp, start, end, *extra):
        return self.cli(db, "training", "add", "--title", title, "--form", "4", "--competency", competency,
                        "--jp", str(jp), "--start", start, "--end", end, *extra)

    def session(self, db, training, date, jp):
        return self.cli(db, "session", "add", "--training", training, "--date", date, "--start", "08:00",
                        "--jp", str(jp))

    def attend(self, db, session, marks):
        for n, status in marks:
            self.cli(db, "attend", "--session", session, "--nip", nip(n), "--status", status)

    def evaluate(self, db, training, scores):
        for n, kind, score, *aspects in scores:
            self.cli(db, "evaluate", "--training", training, "--nip", nip(n), "--kind", kind, "--score", str(score),
                     *(["--aspects", aspects[0]] if aspects else []))

    def surveys(self, db, period, responses):
        for scores in responses:
            self.cli(db, "survey", "add", "--period", period, "--scores", scores)


def seed(latih, server_bin, server_db, url, tmp, year):
    """Fills the running server at `url`; returns the dashboard's HR token."""
    s = Seeder(latih, server_bin, server_db, url, tmp)
    y = str(year)
    dashboard_token = s.admin("user", "add", "--name", "Analis BKPSDM", "--role", "hr")
    hr = f"{tmp}/hr.db"
    s.cli(hr, "init", "--office", "52.71")
    s.cli(hr, "enroll", "--server", url, "--token", s.admin("user", "add", "--name", "BKPSDM", "--role", "hr"))
    a1 = s.device("a1.db", SELATAN, "Meja 1")
    a2 = s.device("a2.db", SELATAN, "Meja 2")
    b1 = s.device("b1.db", PEJERUK, "Meja 1")
    c1 = s.device("c1.db", TENGAH, "Meja 1")
    s.device("d1.db", TAMAN_SARI, "Meja 1")  # enrolled, never synced: a silent office

    # Ampenan Selatan: a two-day workshop, a leadership course, an app course.
    s.employees(a1, [(101, "Lalu Ahmad Zaini", "pns"), (102, "Baiq Nurul Aini", "pns"),
                     (103, "I Made Suarta", "pns"), (104, "Siti Aminah", "pns"), (505, "Hendra Gunawan", "pppk")])
    ws = s.training(a1, "Workshop Pelayanan Publik", "teknis", 16, f"{y}-03-02", f"{y}-03-03")
    s1, s2 = s.session(a1, ws, f"{y}-03-02", 8), s.session(a1, ws, f"{y}-03-03", 8)
    s.attend(a1, s1, [(101, "hadir"), (102, "terlambat"), (103, "hadir"), (104, "izin"), (505, "hadir")])
    s.attend(a1, s2, [(101, "hadir"), (102, "hadir"), (103, "alpa"), (104, "izin"), (505, "hadir")])
    s.evaluate(a1, ws, [(101, "pre_test", 55), (101, "post_test", 80), (102, "pre_test", 60), (102, "post_test", 85),
                        (103, "pre_test", 40), (103, "post_test", 70), (104, "pre_test", 50),
                        (101, "reaction", 85, "materi=80,fasilitator=90,sarana=85"),
                        (102, "reaction", 90, "materi=90,fasilitator=95,sarana=80"),
                        (103, "reaction", 70, "materi=70,fasilitator=75,sarana=65")])
    lead = s.training(a1, "Pelatihan Kepemimpinan Pengawas", "manajerial", 6, f"{y}-05-12", f"{y}-05-12")
    s.attend(a1, s.session(a1, lead, f"{y}-05-12", 6), [(101, "hadir"), (102, "hadir"), (505, "hadir")])
    app = s.training(a1, "Pelatihan Aplikasi SRIKANDI", "teknis", 4, f"{y}-08-20", f"{y}-08-20")
    s.attend(a1, s.session(a1, app, f"{y}-08-20", 4), [(505, "hadir")])  # PPPK: 26 JP, above the cap
    s.surveys(a1, f"{y}-S1", ["4,3,4,4,3,4,4,3,4", "3,3,3,4,3,3,4,3,3", "4,4,4,4,4,4,4,4,4"])
    s.surveys(a1, f"{y}-S2", ["4,4,3,4,4,4,4,3,4", "3,4,3,4,3,4,4,4,3"])

    # Pejeruk: a records-management course.
    s.employees(b1, [(201, "Ni Luh Putu Sari", "pns"), (202, "Muhammad Rizal", "pns"), (203, "Baiq Sri Wahyuni", "pns"),
                     (504, "Ahmad Fauzi", "pppk")])
    arsip = s.training(b1, "Bimtek Pengelolaan Arsip Dinamis", "manajerial", 8, f"{y}-06-15", f"{y}-06-15")
    s.attend(b1, s.session(b1, arsip, f"{y}-06-15", 8),
             [(201, "hadir"), (202, "hadir"), (203, "pulang_awal"), (504, "sakit")])
    s.evaluate(b1, arsip, [(201, "pre_test", 65), (201, "post_test", 90), (202, "pre_test", 70), (202, "post_test", 75),
                           (201, "reaction", 80, "materi=80,fasilitator=85")])
    s.surveys(b1, f"{y}-S1", ["3,2,3,4,2,3,3,2,3", "2,3,3,3,2,3,3,2,3"])
    s.surveys(b1, f"{y}-S2", ["3,3,3,4,3,3,3,3,3", "3,3,4,4,3,3,4,3,3"])

    # Ampenan Tengah: a three-day course on national insight.
    s.employees(c1, [(301, "Lalu Wira Pratama", "pns"), (302, "Dewi Anggraini", "pns"), (303, "Agus Salim", "pns")])
    wk = s.training(c1, "Pelatihan Wawasan Kebangsaan", "sosial_kultural", 24, f"{y}-07-01", f"{y}-07-03")
    for day, marks in (("01", [(301, "hadir"), (302, "hadir"), (303, "alpa")]),
                       ("02", [(301, "hadir"), (302, "hadir")]), ("03", [(301, "hadir")])):
        s.attend(c1, s.session(c1, wk, f"{y}-07-{day}", 8), marks)
    s.surveys(c1, f"{y}-S2", ["4,4,4,4,3,4,4,3,4", "4,3,4,4,4,4,4,4,4"])

    # What the trainings cost, and the year's SKP ratings (wire schema 2).
    s.cli(a1, "training", "cost", ws, "--planned", "12.000.000", "--actual", "10.400.000", "--funding", "apbd_kota")
    s.cli(a1, "training", "cost", lead, "--planned", "5000000", "--actual", "4500000", "--funding", "apbn")
    s.cli(b1, "training", "cost", arsip, "--planned", "3000000", "--funding", "apbd_kota")  # not spent yet
    s.cli(c1, "training", "cost", wk, "--actual", "7200000", "--funding", "hibah")
    for db, n, hasil, perilaku in ((a1, 101, "di_atas", "di_atas"), (a1, 102, "sesuai", "sesuai"),
                                   (a1, 103, "di_bawah", "sesuai"), (b1, 201, "sesuai", "di_atas"),
                                   (b1, 202, "sesuai", "sesuai"), (c1, 301, "di_atas", "sesuai")):
        s.cli(db, "skp", "add", "--nip", nip(n), "--year", y, "--hasil", hasil, "--perilaku", perilaku)

    # BKPSDM's global training, hosted by Selatan, attended from Selatan and Pejeruk.
    siasn = s.training(hr, "Bimtek SIASN", "teknis", 8, f"{y}-04-10", f"{y}-04-10", "--global")
    # Planned for the year's last days: what the reminder list suggests.
    s.training(hr, "Seminar SPBE", "teknis", 6, f"{y}-12-30", f"{y}-12-30", "--global")
    s.cli(hr, "sync")
    for db in (a1, a2, b1, c1):
        s.cli(db, "sync")
    g = s.session(a1, siasn, f"{y}-04-10", 8)
    s.attend(a1, g, [(103, "hadir")])
    s.cli(a1, "sync")
    s.cli(b1, "sync")
    s.attend(b1, g, [(201, "hadir")])
    s.cli(b1, "sync")

    # Two desks of Selatan correct the same names offline: two conflicts.
    s.cli(a2, "sync")
    s.cli(a1, "employee", "update", "--nip", nip(104), "--name", "Siti Aminah, S.Pd.")
    s.cli(a1, "employee", "update", "--nip", nip(103), "--name", "I Made Suarta, S.E.")
    s.cli(a2, "employee", "update", "--nip", nip(104), "--name", "Siti Aminah S.Pd")
    s.cli(a2, "employee", "update", "--nip", nip(103), "--name", "I Made Suarta SE")
    s.cli(a1, "sync")
    s.cli(a2, "sync")
    for db in (a1, b1, c1, hr):
        s.cli(db, "sync")
    return dashboard_token
