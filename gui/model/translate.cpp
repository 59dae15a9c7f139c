#include "model/translate.h"

#include <vector>

namespace consilium::gui {

std::string tr(const Translate& translate, const std::string& text) { return translate ? translate(text) : text; }

std::string fill(const std::string& format, std::initializer_list<std::string> parts) {
    const std::vector<std::string> p(parts);
    std::string out;
    std::size_t next = 0;
    for (std::size_t i = 0; i < format.size(); ++i) {
        if (format[i] != '%' || i + 1 == format.size()) {
            out += format[i];
            continue;
        }
        if (format[i + 1] == '%') {
            out += '%';
            ++i;
        } else if (format[i + 1] == 's') {
            if (next < p.size()) out += p[next];
            ++next;
            ++i;
        } else if (format[i + 1] >= '1' && format[i + 1] <= '9' && i + 3 < format.size() && format[i + 2] == '$' &&
                   format[i + 3] == 's') {
            const auto n = static_cast<std::size_t>(format[i + 1] - '1');
            if (n < p.size()) out += p[n];
            i += 3;
        } else {
            out += format[i];
        }
    }
    return out;
}

}  // namespace consilium::gui
