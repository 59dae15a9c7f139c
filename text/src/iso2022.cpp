#include "iso2022.h"

#include "consilium/text/utf8.h"

#include <iconv.h>

#include <cerrno>
#include <map>
#include <memory>

namespace consilium::text::detail {
namespace {

// What a designated set is, and how its bytes are handed to iconv.
enum class Set {
    none,
    ascii,          // ISO 2022 IR 6
    romaji,         // IR 14, JIS X 0201 Roman (G0)
    katakana,       // IR 13, JIS X 0201 Katakana (G1)
    jis_x0208,      // IR 87 (G0, two bytes)
    jis_x0212,      // IR 159 (G0, two bytes)
    ks_x1001,       // IR 149 (G1, two bytes)
    gb2312,         // IR 58 (G1, two bytes)
    single_byte,    // ISO 8859-n or TIS-620 in G1
};

struct Designation {
    Set set = Set::none;
    const char* encoding = nullptr;  // for single_byte
};

// The first value of (0008,0005) fixes the initial G0 and G1.
void initial_sets(const std::string& first, Designation& g0, Designation& g1) {
    g0 = {Set::ascii};
    g1 = {Set::none};
    static const std::map<std::string, const char*> single = {
        {"ISO 2022 IR 100", "ISO-8859-1"}, {"ISO 2022 IR 101", "ISO-8859-2"}, {"ISO 2022 IR 109", "ISO-8859-3"},
        {"ISO 2022 IR 110", "ISO-8859-4"}, {"ISO 2022 IR 144", "ISO-8859-5"}, {"ISO 2022 IR 127", "ISO-8859-6"},
        {"ISO 2022 IR 126", "ISO-8859-7"}, {"ISO 2022 IR 138", "ISO-8859-8"}, {"ISO 2022 IR 148", "ISO-8859-9"},
        {"ISO 2022 IR 166", "TIS-620"}};
    if (auto it = single.find(first); it != single.end()) g1 = {Set::single_byte, it->second};
    else if (first == "ISO 2022 IR 13") g0 = {Set::romaji}, g1 = {Set::katakana};
    else if (first == "ISO 2022 IR 149") g1 = {Set::ks_x1001};
    else if (first == "ISO 2022 IR 58") g1 = {Set::gb2312};
}

// The escape sequence at raw[i] (ESC included): its length, and what it designates to G0 or G1.
std::size_t escape(const std::string& raw, std::size_t i, Designation& g0, Designation& g1) {
    const std::string rest = raw.substr(i + 1, 3);
    auto starts = [&](const char* s) { return rest.rfind(s, 0) == 0; };
    static const std::map<char, const char*> g1_single = {
        {'A', "ISO-8859-1"}, {'B', "ISO-8859-2"}, {'C', "ISO-8859-3"}, {'D', "ISO-8859-4"}, {'L', "ISO-8859-5"},
        {'G', "ISO-8859-6"}, {'F', "ISO-8859-7"}, {'H', "ISO-8859-8"}, {'M', "ISO-8859-9"}, {'T', "TIS-620"}};
    if (starts("(B")) return g0 = {Set::ascii}, 3;
    if (starts("(J")) return g0 = {Set::romaji}, 3;
    if (starts(")I")) return g1 = {Set::katakana}, 3;
    if (starts("$B") || starts("$@")) return g0 = {Set::jis_x0208}, 3;
    if (starts("$(D")) return g0 = {Set::jis_x0212}, 4;
    if (starts("$)C")) return g1 = {Set::ks_x1001}, 4;
    if (starts("$)A")) return g1 = {Set::gb2312}, 4;
    if (rest.size() >= 2 && rest[0] == '-')
        if (auto it = g1_single.find(rest[1]); it != g1_single.end()) return g1 = {Set::single_byte, it->second}, 3;
    return 0;
}

class Converters {
public:
    ~Converters() {
        for (auto& [name, cd] : open_) iconv_close(cd);
    }
    // Converts bytes from `encoding` to UTF-8; false when iconv cannot (or does not know it).
    bool convert(const char* encoding, const std::string& in, std::string& out) {
        auto it = open_.find(encoding);
        if (it == open_.end()) it = open_.emplace(encoding, iconv_open("UTF-8", encoding)).first;
        iconv_t cd = it->second;
        if (cd == reinterpret_cast<iconv_t>(-1)) return false;
        iconv(cd, nullptr, nullptr, nullptr, nullptr);
        std::string buffer(in.size() * 4 + 8, '\0');
        char* src = const_cast<char*>(in.data());
        std::size_t src_left = in.size();
        char* dst = buffer.data();
        std::size_t dst_left = buffer.size();
        if (iconv(cd, &src, &src_left, &dst, &dst_left) == static_cast<std::size_t>(-1) || src_left != 0) return false;
        out.append(buffer.data(), buffer.size() - dst_left);
        return true;
    }

private:
    std::map<std::string, iconv_t> open_;
};

}  // namespace

Iso2022Result decode_iso2022(const std::string& character_set, const std::string& raw, const std::string& delimiters) {
    Iso2022Result r;
    Converters iconv_for;
    const std::string first = character_set.substr(0, character_set.find('\\'));
    Designation g0, g1;
    initial_sets(first, g0, g1);
    auto replace = [&] {
        r.utf8 += kReplacement;
        r.complete = false;
    };
    for (std::size_t i = 0; i < raw.size();) {
        const unsigned char c = static_cast<unsigned char>(raw[i]);
        if (c == 0x1B) {
            const std::size_t n = escape(raw, i, g0, g1);
            if (n == 0) {  // an escape this decoder does not know: its byte is lost, say so
                replace();
                ++i;
            } else {
                i += n;
            }
            continue;
        }
        if (c == '\r' || c == '\n' || c == '\f' || c == '\t' || delimiters.find(static_cast<char>(c)) != std::string::npos) {
            r.utf8 += static_cast<char>(c);
            initial_sets(first, g0, g1);
            ++i;
            continue;
        }
        const Designation& d = c < 0x80 ? g0 : g1;
        const bool two_bytes = d.set == Set::jis_x0208 || d.set == Set::jis_x0212 || d.set == Set::ks_x1001 || d.set == Set::gb2312;
        if (two_bytes && (i + 1 >= raw.size() || (static_cast<unsigned char>(raw[i + 1]) < 0x80) != (c < 0x80))) {
            replace();
            ++i;
            continue;
        }
        std::string bytes;
        const char* encoding = nullptr;
        const auto hi = [](unsigned char b) { return static_cast<char>(b | 0x80); };
        const unsigned char c2 = two_bytes ? static_cast<unsigned char>(raw[i + 1]) : 0;
        switch (d.set) {
        case Set::ascii: bytes = std::string(1, static_cast<char>(c)); break;
        case Set::romaji: bytes = std::string(1, static_cast<char>(c)), encoding = "JIS_C6220-1969-RO"; break;
        case Set::katakana: bytes = {'\x8E', static_cast<char>(c)}, encoding = "EUC-JP"; break;
        case Set::jis_x0208: bytes = {hi(c), hi(c2)}, encoding = "EUC-JP"; break;
        case Set::jis_x0212: bytes = {'\x8F', hi(c), hi(c2)}, encoding = "EUC-JP"; break;
        case Set::ks_x1001: bytes = {static_cast<char>(c), static_cast<char>(c2)}, encoding = "EUC-KR"; break;
        case Set::gb2312: bytes = {static_cast<char>(c), static_cast<char>(c2)}, encoding = "GB2312"; break;
        case Set::single_byte: bytes = std::string(1, static_cast<char>(c)), encoding = d.encoding; break;
        case Set::none: break;
        }
        i += two_bytes ? 2 : 1;
        if (bytes.empty() || (d.set == Set::ascii && c >= 0x80)) {
            replace();
        } else if (!encoding) {
            r.utf8 += bytes;
        } else if (!iconv_for.convert(encoding, bytes, r.utf8)) {
            replace();
        }
    }
    r.utf8 = valid_utf8(r.utf8);
    return r;
}

}  // namespace consilium::text::detail
