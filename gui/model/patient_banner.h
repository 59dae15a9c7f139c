#pragma once
// The banner that says whose record is open: name, birth date and age, sex, identifier, and a
// colour of its own per patient so that switching patients is seen, not just read.
#include "consilium/decision/patient.h"

#include <array>
#include <optional>
#include <string>

namespace consilium::gui {

struct BannerColour {
    unsigned char r, g, b;
};

struct PatientBanner {
    std::string name;           // "ERDMAN, Louis"; "" when no name was recorded (the view says so)
    std::string other_names;    // the ideographic and phonetic forms: "山田 太郎 · やまだ たろう"
    std::string birth_date;     // YYYY-MM-DD or "unknown"
    std::optional<int> age;     // completed years today
    std::string sex;            // male | female | other | unknown
    std::string identifier;     // "MRN 55bbe118-..."
    BannerColour colour{};
};

// Completed years between a YYYY-MM-DD birth date and `today` (YYYY-MM-DD); none if unparsable.
std::optional<int> age_in_years(const std::string& birth_date, const std::string& today);
std::string today_iso();
// Eight well separated, dark-enough colours (white text stays readable); by patient id.
BannerColour banner_colour(std::int64_t patient_id);
PatientBanner make_banner(const decision::Patient& patient, const std::string& today);
// Every recorded form of the name for lists: "Tarou Yamada (山田 太郎 · やまだ たろう)"; "" when none.
std::string shown_name(const decision::Patient& patient);

}  // namespace consilium::gui
