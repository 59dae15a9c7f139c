// Codes and times as DICOM writes them.
#include "finding_internal.h"

#include <algorithm>
#include <cctype>
#include <ctime>

namespace consilium::pacs::detail {
namespace {

std::string lower(std::string s) {
    std::transform(s.begin(), s.end(), s.begin(), [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
    return s;
}

// Code Meaning is LO: at most 64 characters.
std::string meaning(const std::string& display, const std::string& code) {
    std::string m = display.empty() ? code : display;
    if (m.size() > 64) m = m.substr(0, 61) + "...";
    return m;
}

}  // namespace

DicomCode dicom_code(const decision::Coding& coding) {
    // DICOM PS3.16 Table 8-1: the designators of the systems our plugins and clinicians use.
    const std::string system = lower(coding.system);
    std::string scheme;
    if (system == "http://snomed.info/sct" || system == "sct" || system == "snomed" || system == "snomed ct") scheme = "SCT";
    else if (system == "http://loinc.org" || system == "ln" || system == "loinc") scheme = "LN";
    else if (system == "http://dicom.nema.org/resources/ontology/dcm" || system == "dcm") scheme = "DCM";
    else if (system == "http://radlex.org" || system == "radlex" || system == "rad") scheme = "RADLEX";
    else if (system == "http://hl7.org/fhir/sid/icd-10" || system == "icd-10" || system == "icd10") scheme = "I10";
    else if (system == "http://unitsofmeasure.org" || system == "ucum") scheme = "UCUM";
    else scheme = kLocalScheme;  // anything else: a local code, its system named in the SR's coding schemes
    return {coding.code, scheme, meaning(coding.display, coding.code)};
}

std::string dicom_datetime(const std::string& iso) {
    // 2024-05-01T10:00:00[.mmm]Z (the store keeps UTC) -> local time, as DT values without an
    // offset are read (DCMTK 3.6.7 refuses an offset in an SR's observation time).
    std::string digits;
    for (char c : iso) {
        if (c == '.' || c == 'Z' || c == '+') break;
        if (std::isdigit(static_cast<unsigned char>(c))) digits += c;
    }
    if (digits.size() < 14) return digits.size() >= 8 ? digits.substr(0, 8) : std::string();
    std::tm utc{};
    utc.tm_year = std::stoi(digits.substr(0, 4)) - 1900;
    utc.tm_mon = std::stoi(digits.substr(4, 2)) - 1;
    utc.tm_mday = std::stoi(digits.substr(6, 2));
    utc.tm_hour = std::stoi(digits.substr(8, 2));
    utc.tm_min = std::stoi(digits.substr(10, 2));
    utc.tm_sec = std::stoi(digits.substr(12, 2));
    const std::time_t t = ::timegm(&utc);
    std::tm local{};
    if (t == static_cast<std::time_t>(-1) || !::localtime_r(&t, &local)) return digits.substr(0, 14);
    char buf[32];
    std::strftime(buf, sizeof buf, "%Y%m%d%H%M%S", &local);
    return buf;
}

}  // namespace consilium::pacs::detail
