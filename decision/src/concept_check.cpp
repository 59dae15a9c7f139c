// SNOMED CT identifiers (SNOMED CT Release File Specification, "SCTID Representation") and
// ICD-10 codes by their form. See concept_check.h.
#include "consilium/decision/concept_check.h"

#include <algorithm>
#include <cctype>
#include <regex>

namespace consilium::decision {
namespace {

// Verhoeff's dihedral group D5 multiplication and the position permutation.
constexpr int kD[10][10] = {{0, 1, 2, 3, 4, 5, 6, 7, 8, 9}, {1, 2, 3, 4, 0, 6, 7, 8, 9, 5},
                            {2, 3, 4, 0, 1, 7, 8, 9, 5, 6}, {3, 4, 0, 1, 2, 8, 9, 5, 6, 7},
                            {4, 0, 1, 2, 3, 9, 5, 6, 7, 8}, {5, 9, 8, 7, 6, 0, 4, 3, 2, 1},
                            {6, 5, 9, 8, 7, 1, 0, 4, 3, 2}, {7, 6, 5, 9, 8, 2, 1, 0, 4, 3},
                            {8, 7, 6, 5, 9, 3, 2, 1, 0, 4}, {9, 8, 7, 6, 5, 4, 3, 2, 1, 0}};
constexpr int kP[8][10] = {{0, 1, 2, 3, 4, 5, 6, 7, 8, 9}, {1, 5, 7, 6, 2, 8, 3, 0, 9, 4},
                           {5, 8, 0, 3, 7, 9, 6, 1, 4, 2}, {8, 9, 1, 6, 0, 4, 3, 5, 2, 7},
                           {9, 4, 5, 3, 1, 2, 6, 8, 7, 0}, {4, 2, 8, 6, 5, 7, 3, 9, 0, 1},
                           {2, 7, 9, 3, 8, 0, 6, 4, 1, 5}, {7, 0, 4, 6, 9, 1, 3, 2, 5, 8}};

std::string lower(std::string_view s) {
    std::string out(s);
    std::transform(out.begin(), out.end(), out.begin(), [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
    return out;
}

bool all_digits(std::string_view s) {
    return !s.empty() && std::all_of(s.begin(), s.end(), [](unsigned char c) { return std::isdigit(c); });
}

}  // namespace

bool verhoeff_valid(std::string_view digits) {
    if (!all_digits(digits)) return false;
    int c = 0;
    std::size_t i = 0;
    for (auto it = digits.rbegin(); it != digits.rend(); ++it, ++i) c = kD[c][kP[i % 8][*it - '0']];
    return c == 0;
}

std::string snomed_concept_id_problem(std::string_view id) {
    if (!all_digits(id)) return "a SNOMED CT identifier has digits only";
    if (id.size() < 6 || id.size() > 18)
        return "a SNOMED CT identifier has 6 to 18 digits, this one " + std::to_string(id.size());
    if (id.front() == '0') return "a SNOMED CT identifier does not start with 0";
    const std::string partition(id.substr(id.size() - 3, 2));
    if (partition == "01" || partition == "11") return "partition " + partition + " is a description's identifier, not a concept's";
    if (partition == "02" || partition == "12") return "partition " + partition + " is a relationship's identifier, not a concept's";
    if (partition != "00" && partition != "10") return "partition identifier " + partition + " is not a SNOMED CT concept's (00 or 10)";
    if (!verhoeff_valid(id)) return "the check digit " + std::string(1, id.back()) + " is wrong (Verhoeff)";
    return "";
}

std::string icd10_code_problem(std::string_view code) {
    static const std::regex pattern("[A-Z][0-9][0-9A-Z](\\.[0-9A-Z]{1,4})?");
    if (!std::regex_match(code.begin(), code.end(), pattern))
        return "an ICD-10 code is a capital letter, two digits and optionally a dot with up to four more (e.g. C34.1)";
    return "";
}

bool is_snomed_ct(std::string_view system) {
    const auto s = lower(system);
    return s == kSnomedCt || s == "sct" || s == "snomed" || s == "snomed ct" || s == "snomed-ct";
}

bool is_icd10(std::string_view system) {
    const auto s = lower(system);
    return s == "http://hl7.org/fhir/sid/icd-10" || s == "http://hl7.org/fhir/sid/icd-10-cm" || s == "icd-10" ||
           s == "icd10" || s == "icd-10-cm";
}

std::string concept_problem(const Coding& c) {
    const auto blank = [](const std::string& t) { return t.find_first_not_of(" \t\r\n") == std::string::npos; };
    if (blank(c.code)) return "the concept needs its code (say it in words in the reason when you have no code)";
    if (blank(c.system)) return "code '" + c.code + "' needs its code system";
    if (is_snomed_ct(c.system)) {
        if (auto why = snomed_concept_id_problem(c.code); !why.empty())
            return "'" + c.code + "' is not a SNOMED CT concept identifier: " + why;
    } else if (is_icd10(c.system)) {
        if (auto why = icd10_code_problem(c.code); !why.empty()) return "'" + c.code + "' is not an ICD-10 code: " + why;
    }
    return "";
}

}  // namespace consilium::decision
