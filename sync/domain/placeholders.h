// Fills {1}, {2}... in a message template: the one formatter of worded
// messages, used by the NIP rules (nip.h, NipWording) and the office client's
// catalog (client/lib/messages.h). Pure functions; thread-safe.
#pragma once

#include <initializer_list>
#include <string>
#include <string_view>

namespace latih::domain {

// `text` with each {1}..{9} replaced by the argument of that number; a
// placeholder without an argument becomes empty, other braces stay.
std::string FillPlaceholders(std::string_view text, std::initializer_list<std::string_view> args);

}  // namespace latih::domain
