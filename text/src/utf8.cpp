#include "consilium/text/utf8.h"

namespace consilium::text {
namespace {

// Length of the well-formed sequence starting at s[i], or 0 when ill-formed; `bad` is then the
// length of the maximal ill-formed subpart to replace by one U+FFFD (Unicode 15, section 3.9).
std::size_t sequence(std::string_view s, std::size_t i, std::size_t& bad) {
    const auto b = [&](std::size_t k) { return static_cast<unsigned char>(s[k]); };
    const unsigned char c = b(i);
    bad = 1;
    if (c < 0x80) return 1;
    std::size_t n = 0;
    unsigned char lo = 0x80, hi = 0xBF;  // the range allowed for the second byte
    if (c >= 0xC2 && c <= 0xDF) n = 2;
    else if (c >= 0xE0 && c <= 0xEF) {
        n = 3;
        if (c == 0xE0) lo = 0xA0;         // no overlong forms
        if (c == 0xED) hi = 0x9F;         // no surrogates
    } else if (c >= 0xF0 && c <= 0xF4) {
        n = 4;
        if (c == 0xF0) lo = 0x90;
        if (c == 0xF4) hi = 0x8F;         // nothing above U+10FFFF
    } else {
        return 0;
    }
    for (std::size_t k = 1; k < n; ++k) {
        if (i + k >= s.size()) return 0;
        const unsigned char t = b(i + k);
        const bool ok = k == 1 ? (t >= lo && t <= hi) : (t >= 0x80 && t <= 0xBF);
        if (!ok) return 0;
        bad = k + 1;
    }
    return n;
}

}  // namespace

bool is_ascii(std::string_view s) {
    for (char c : s)
        if (static_cast<unsigned char>(c) >= 0x80) return false;
    return true;
}

bool is_valid_utf8(std::string_view s) {
    for (std::size_t i = 0, bad = 0; i < s.size();) {
        const std::size_t n = sequence(s, i, bad);
        if (n == 0) return false;
        i += n;
    }
    return true;
}

std::string valid_utf8(std::string_view s) {
    if (is_valid_utf8(s)) return std::string(s);
    std::string out;
    out.reserve(s.size() + 8);
    for (std::size_t i = 0, bad = 0; i < s.size();) {
        const std::size_t n = sequence(s, i, bad);
        if (n == 0) {
            out += kReplacement;
            i += bad;  // a truncated sequence is one subpart; a stray byte is one
        } else {
            out.append(s.substr(i, n));
            i += n;
        }
    }
    return out;
}

}  // namespace consilium::text
