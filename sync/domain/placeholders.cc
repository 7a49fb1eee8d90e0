#include "sync/domain/placeholders.h"

namespace latih::domain {

std::string FillPlaceholders(std::string_view text, std::initializer_list<std::string_view> args) {
  std::string out;
  out.reserve(text.size() + 32);
  for (size_t i = 0; i < text.size(); ++i) {
    if (text[i] == '{' && i + 2 < text.size() && text[i + 1] >= '1' && text[i + 1] <= '9' && text[i + 2] == '}') {
      const size_t k = static_cast<size_t>(text[i + 1] - '1');
      if (k < args.size()) out.append(*(args.begin() + k));
      i += 2;
      continue;
    }
    out += text[i];
  }
  return out;
}

}  // namespace latih::domain
