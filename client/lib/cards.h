// Printable participant cards (issue 8, docs/DESK.md "Cards"): each with
// the name, the NIP and a QR code of the NIP (libqrencode), which a scanner
// at `latih desk` reads as the NIP and Enter. One self-contained HTML page
// (inline SVG, print CSS): ID-1 cards, 85.6 x 54 mm, ten to an A4 page, to
// print from any browser. Thread-safe but for CardsForTraining, which
// uses the OfficeDb (one per thread).
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "client/lib/desk.h"

namespace latih::client {

// The QR code of `text` (error correction M) as an SVG element `size_mm`
// wide, with the standard quiet zone of 4 modules. kInvalidArgument if it
// cannot be encoded.
Result<std::string> QrSvg(std::string_view text, double size_mm);

// The NIP as it is printed: "19850115 201003 1 002" (birth date, first
// appointment, sex, serial). REQUIRES: 18 digits.
std::string SpacedNip(std::string_view nip);

// What a training's page of cards shows: its title, its dates and office,
// and its people (LoadRoster: the training's office, this device's office
// for a global training). kNotFound for an unknown training.
struct CardsPage {
  std::string title, subtitle;
  std::vector<DeskPerson> people;
};
Result<CardsPage> CardsForTraining(OfficeDb& db, const std::string& training_id);

// The page of cards for `people`, headed by `title` (the training) and
// `subtitle` (its dates, the office). Text is HTML-escaped.
Result<std::string> RenderCardsHtml(std::string_view title, std::string_view subtitle,
                                    const std::vector<DeskPerson>& people);

}  // namespace latih::client
