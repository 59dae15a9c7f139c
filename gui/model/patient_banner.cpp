#include "model/patient_banner.h"

#include <cctype>
#include <chrono>
#include <cstdio>

namespace consilium::gui {
namespace {

bool ascii(const std::string& s) {
    for (unsigned char c : s)
        if (c >= 0x80) return false;
    return true;
}

// The ideographic and phonetic forms that differ from the main name, joined by " · ".
std::string other_forms(const decision::Patient& p) {
    std::string out;
    for (const auto* form : {&p.name_ideographic, &p.name_phonetic})
        if (!form->empty() && *form != p.name) out += (out.empty() ? "" : " \u00b7 ") + *form;
    return out;
}

}  // namespace

std::optional<int> age_in_years(const std::string& birth, const std::string& today) {
    int by = 0, bm = 1, bd = 1, ty = 0, tm = 0, td = 0;
    if (std::sscanf(birth.c_str(), "%d-%d-%d", &by, &bm, &bd) < 1) return std::nullopt;
    if (std::sscanf(today.c_str(), "%d-%d-%d", &ty, &tm, &td) != 3) return std::nullopt;
    int age = ty - by;
    if (tm < bm || (tm == bm && td < bd)) --age;
    if (age < 0) return std::nullopt;
    return age;
}

std::string today_iso() {
    const auto today = std::chrono::floor<std::chrono::days>(std::chrono::system_clock::now());
    const std::chrono::year_month_day ymd{today};
    char text[16];
    std::snprintf(text, sizeof text, "%04d-%02u-%02u", static_cast<int>(ymd.year()), static_cast<unsigned>(ymd.month()),
                  static_cast<unsigned>(ymd.day()));
    return text;
}

BannerColour banner_colour(std::int64_t patient_id) {
    static constexpr BannerColour palette[] = {
        {0x1f, 0x4e, 0x79}, {0x7a, 0x2e, 0x5e}, {0x2e, 0x6b, 0x30}, {0x8a, 0x4b, 0x08},
        {0x4b, 0x2e, 0x83}, {0x00, 0x5f, 0x6b}, {0x8b, 0x1e, 0x1e}, {0x4a, 0x4a, 0x1a},
    };
    const auto n = static_cast<std::int64_t>(sizeof palette / sizeof palette[0]);
    return palette[((patient_id % n) + n) % n];
}

PatientBanner make_banner(const decision::Patient& p, const std::string& today) {
    PatientBanner b;
    // The family name in capitals, as banners write it; only where capitals are plain ASCII (a name
    // in another script is shown as recorded rather than half converted).
    std::string family = p.family;
    if (ascii(family))
        for (auto& c : family) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
    b.name = family.empty() ? p.name : (p.given.empty() ? family : family + ", " + p.given);
    b.other_names = other_forms(p);
    b.birth_date = p.birth_date.value_or("unknown");
    if (p.birth_date) b.age = age_in_years(*p.birth_date, today);
    b.sex = p.sex.value_or("unknown");
    b.identifier = p.mrn.empty() ? "id " + std::to_string(p.id) : "MRN " + p.mrn;
    b.colour = banner_colour(p.id);
    return b;
}

std::string shown_name(const decision::Patient& p) {
    const std::string others = other_forms(p);
    if (p.name.empty()) return others;
    return others.empty() ? p.name : p.name + " (" + others + ")";
}

}  // namespace consilium::gui
