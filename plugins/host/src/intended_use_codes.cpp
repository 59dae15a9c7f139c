// falls_under: whether a recorded code is an excluded condition. The host holds no terminology
// server, so the descendants and equivalents of the conditions manifests exclude today are listed
// here by hand: the usual ones (SNOMED CT international edition, ICD-10), not a full expansion of
// the hierarchy. A condition not listed matches its own code only (and, for ICD-10, its subcodes).
#include "consilium/plugins/intended_use.h"

#include <algorithm>
#include <array>
#include <cctype>
#include <string_view>

namespace consilium::plugins {
namespace {

constexpr std::string_view kSnomed = "http://snomed.info/sct";

struct Icd10Range {
    std::string_view first, last;  // three-character categories, inclusive
};

// An excluded concept and what else means it.
struct KnownCondition {
    std::string_view snomed_code;
    std::vector<std::string_view> snomed_descendants;
    std::vector<Icd10Range> icd10;
};

const std::array<KnownCondition, 1>& known_conditions() {
    static const std::array<KnownCondition, 1> table = {{
        // Pregnancy: 77386006 |Pregnant (finding)|.
        {"77386006",
         {"72892002",    // Normal pregnancy (the code Synthea records)
          "47200007",    // High risk pregnancy
          "16356006",    // Multiple pregnancy
          "237240001",   // Teenage pregnancy
          "65727000",    // Intrauterine pregnancy
          "34801009"},   // Ectopic pregnancy
         // ICD-10 chapter XV, pregnancy, childbirth and the puerperium (O9A: ICD-10-CM), and
         // Z33 pregnant state.
         {{"O00", "O9A"}, {"Z33", "Z33"}}},
    }};
    return table;
}

std::string lower(std::string_view s) {
    std::string out(s);
    for (auto& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    return out;
}

bool is_icd10(std::string_view system) {
    const auto s = lower(system);
    return s.find("icd-10") != std::string::npos || s.find("icd10") != std::string::npos;
}

bool is_snomed(std::string_view system) { return system == kSnomed || lower(system).find("snomed") != std::string::npos; }

// "o24.4" -> "O244": upper case, no dot or spaces.
std::string icd10_key(std::string_view code) {
    std::string out;
    for (char c : code)
        if (c != '.' && c != ' ') out += static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
    return out;
}

// The recorded ICD-10 code lies in "O24" (a category or a code: itself and its subcodes) or in a
// range of categories "O00-O9A".
bool icd10_within(std::string_view rule, std::string_view recorded) {
    const auto code = icd10_key(recorded);
    if (code.size() < 3) return false;
    if (auto dash = rule.find('-'); dash != std::string_view::npos) {
        const auto first = icd10_key(rule.substr(0, dash)), last = icd10_key(rule.substr(dash + 1));
        const auto category = code.substr(0, 3);
        return first.size() >= 3 && last.size() >= 3 && category >= first.substr(0, 3) && category <= last.substr(0, 3);
    }
    const auto key = icd10_key(rule);
    return !key.empty() && code.compare(0, key.size(), key) == 0;
}

}  // namespace

bool falls_under(const ExcludedCondition& excluded, const decision::Coding& recorded) {
    if (recorded.code.empty()) return false;
    if (is_snomed(excluded.system) && is_snomed(recorded.system) && excluded.code == recorded.code) return true;
    if (is_icd10(excluded.system) && is_icd10(recorded.system) && icd10_within(excluded.code, recorded.code)) return true;
    if (excluded.system == recorded.system && excluded.code == recorded.code) return true;
    if (!is_snomed(excluded.system)) return false;
    for (const auto& known : known_conditions()) {
        if (known.snomed_code != excluded.code) continue;
        if (is_snomed(recorded.system))
            return std::find(known.snomed_descendants.begin(), known.snomed_descendants.end(), recorded.code) !=
                   known.snomed_descendants.end();
        if (is_icd10(recorded.system))
            for (const auto& range : known.icd10)
                if (icd10_within(std::string(range.first) + "-" + std::string(range.last), recorded.code)) return true;
    }
    return false;
}

}  // namespace consilium::plugins
