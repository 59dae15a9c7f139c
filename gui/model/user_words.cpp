#include "model/user_words.h"

#include <regex>

namespace consilium::gui {

std::string in_users_words(const std::string& message, const std::string& seen) {
    static const std::regex record(R"(^(suggestion|patient|meeting|run) \d+(, (patient|case) \d+)?: )");
    std::smatch m;
    if (seen.empty() || !std::regex_search(message, m, record)) return message;
    return seen + ": " + m.suffix().str();
}

}  // namespace consilium::gui
