#include "client/lib/cards.h"

#include <qrencode.h>

#include <cstdio>
#include <memory>

#include "client/lib/messages.h"

namespace latih::client {
namespace {

constexpr int kQuietZone = 4;  // modules of white around the code (ISO/IEC 18004)

std::string Escape(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  for (char c : text) {
    switch (c) {
      case '&': out += "&amp;"; break;
      case '<': out += "&lt;"; break;
      case '>': out += "&gt;"; break;
      case '"': out += "&quot;"; break;
      case '\'': out += "&#39;"; break;
      default: out += c;
    }
  }
  return out;
}

std::string Mm(double v) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.1fmm", v);
  return buf;
}

}  // namespace

Result<CardsPage> CardsForTraining(OfficeDb& db, const std::string& training_id) {
  LATIH_ASSIGN_OR_RETURN(sync::sqlite::Stmt * s, db.store().db().Prepare(
      "SELECT t.title, t.start_date, t.end_date, coalesce(t.office_id, ''), coalesce(o.name, '') "
      "FROM training t LEFT JOIN office o ON o.id = coalesce(t.office_id, ?2) WHERE t.id = ?1"));
  s->Bind(1, training_id).Bind(2, db.office_id());
  LATIH_ASSIGN_OR_RETURN(bool found, s->Step());
  if (!found) {
    s->Reset();
    return Status::NotFound(Say(Msg::kTrainingMissingSeeList, {training_id}));
  }
  CardsPage page;
  page.title = s->ColumnText(0);
  const std::string start = s->ColumnText(1), end = s->ColumnText(2), office_name = s->ColumnText(4);
  std::string office = s->ColumnText(3);
  s->Reset();
  if (office.empty()) office = db.office_id();
  page.subtitle = (start == end ? start : start + " - " + end) + (office_name.empty() ? "" : " \xC2\xB7 " + office_name);
  LATIH_ASSIGN_OR_RETURN(page.people, LoadRoster(db, training_id, office, ""));
  return page;
}

Result<std::string> QrSvg(std::string_view text, double size_mm) {
  const std::string s(text);
  std::unique_ptr<QRcode, void (*)(QRcode*)> code(QRcode_encodeString(s.c_str(), 0, QR_ECLEVEL_M, QR_MODE_8, 1),
                                                  QRcode_free);
  if (!code) return Status::Invalid(Say(Msg::kQrFailed, {s}));
  const int n = code->width, side = n + 2 * kQuietZone;
  // One path of unit squares, row by row (a run of dark modules is one rectangle).
  std::string path;
  for (int y = 0; y < n; ++y) {
    for (int x = 0; x < n;) {
      if (!(code->data[y * n + x] & 1)) {
        ++x;
        continue;
      }
      int run = 1;
      while (x + run < n && (code->data[y * n + x + run] & 1)) ++run;
      path += "M" + std::to_string(x + kQuietZone) + " " + std::to_string(y + kQuietZone) + "h" +
              std::to_string(run) + "v1h-" + std::to_string(run) + "z";
      x += run;
    }
  }
  return "<svg class=\"qr\" xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 " + std::to_string(side) + " " +
         std::to_string(side) + "\" width=\"" + Mm(size_mm) + "\" height=\"" + Mm(size_mm) +
         "\" shape-rendering=\"crispEdges\"><rect width=\"100%\" height=\"100%\" fill=\"#fff\"/><path d=\"" + path +
         "\" fill=\"#000\"/></svg>";
}

std::string SpacedNip(std::string_view nip) {
  return std::string(nip.substr(0, 8)) + " " + std::string(nip.substr(8, 6)) + " " + std::string(nip.substr(14, 1)) +
         " " + std::string(nip.substr(15, 3));
}

Result<std::string> RenderCardsHtml(std::string_view title, std::string_view subtitle,
                                    const std::vector<DeskPerson>& people) {
  std::string html =
      "<!DOCTYPE html>\n<html lang=\"id\"><head><meta charset=\"utf-8\"><title>Kartu peserta: " + Escape(title) +
      "</title>\n<style>\n"
      "@page { size: A4; margin: 10mm; }\n"
      "body { font-family: sans-serif; margin: 0; }\n"
      "h1 { font-size: 12pt; margin: 0 0 4mm; } .sub { font-size: 9pt; color: #444; margin: 0 0 4mm; }\n"
      ".cards { display: grid; grid-template-columns: repeat(2, 85.6mm); gap: 4mm; }\n"
      ".card { width: 85.6mm; height: 54mm; box-sizing: border-box; border: 0.3mm dashed #888; padding: 4mm;\n"
      "        display: grid; grid-template-columns: 1fr 30mm; gap: 3mm; break-inside: avoid; }\n"
      ".card .t { font-size: 7pt; color: #444; } .card .n { font-size: 12pt; font-weight: bold; margin: 2mm 0; }\n"
      ".card .nip { font-family: monospace; font-size: 10pt; } .card .qr { align-self: center; }\n"
      "@media print { h1, .sub { display: none; } }\n"
      "</style></head><body>\n<h1>" +
      Escape(title) + "</h1>\n<p class=\"sub\">" + Escape(subtitle) + " &middot; " + std::to_string(people.size()) +
      " kartu</p>\n<div class=\"cards\">\n";
  for (const auto& p : people) {
    LATIH_ASSIGN_OR_RETURN(std::string qr, QrSvg(p.nip, 28));
    html += "<div class=\"card\"><div><div class=\"t\">" + Escape(title) + "</div><div class=\"n\">" +
            Escape(p.name) + "</div><div class=\"nip\">NIP " + SpacedNip(p.nip) + "</div></div>" + qr + "</div>\n";
  }
  html += "</div>\n</body></html>\n";
  return html;
}

}  // namespace latih::client
