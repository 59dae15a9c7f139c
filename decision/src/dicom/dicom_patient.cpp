// Who a DICOM file belongs to: the stored patient its PatientID names, or a new one made from the
// demographics in its header.
#include "dicom_internal.h"

#include "consilium/decision/errors.h"

#include <cctype>

namespace consilium::decision {
namespace dicom {

std::string trim(std::string s) {
    auto blank = [](char c) { return c == ' ' || c == '\t' || c == '\0'; };
    while (!s.empty() && blank(s.back())) s.pop_back();
    std::size_t i = 0;
    while (i < s.size() && blank(s[i])) ++i;
    return s.substr(i);
}

std::optional<std::string> dicom_date(const std::string& da) {
    auto d = trim(da);
    if (d.size() != 8) return std::nullopt;
    for (char c : d)
        if (!std::isdigit(static_cast<unsigned char>(c))) return std::nullopt;
    int month = std::stoi(d.substr(4, 2)), day = std::stoi(d.substr(6, 2));
    if (month < 1 || month > 12 || day < 1 || day > 31) return std::nullopt;
    return d.substr(0, 4) + "-" + d.substr(4, 2) + "-" + d.substr(6, 2);
}

std::optional<Patient> patient_for_id(Store& store, const std::string& patient_id, const std::string& where) {
    const auto id = trim(patient_id);
    if (auto by_mrn = store.patients().find_by_mrn(id)) return by_mrn;
    auto holders = store.patients().find_by_identifier_value(id);
    if (holders.size() > 1) {
        std::string ids;
        for (const auto& h : holders) ids += (ids.empty() ? "" : ", ") + std::to_string(h.id);
        throw InputError(where, "its PatientID '" + id + "' is an identifier of several patients (ids " + ids +
                                    "); not linking the images to any of them");
    }
    if (holders.empty()) return std::nullopt;
    return holders[0];
}

}  // namespace dicom

namespace {

// "O'BRIEN-SMITH" -> "O'Brien-Smith"; a part already in mixed case is kept as written.
std::string name_case(const std::string& part) {
    bool has_lower = false, has_upper = false;
    for (unsigned char c : part) {
        has_lower = has_lower || std::islower(c);
        has_upper = has_upper || std::isupper(c);
    }
    if (has_lower || !has_upper) return part;
    std::string out = part;
    bool start = true;
    for (auto& ch : out) {
        auto c = static_cast<unsigned char>(ch);
        if (std::isalpha(c)) {
            ch = static_cast<char>(start ? std::toupper(c) : std::tolower(c));
            start = false;
        } else {
            start = true;
        }
    }
    return out;
}

}  // namespace

Patient patient_from_dicom(const DicomPatient& dicom) {
    Patient p;
    p.mrn = dicom::trim(dicom.patient_id);
    // PN: the alphabetic group (before any '='), components FAMILY^GIVEN^MIDDLE^PREFIX^SUFFIX.
    const std::string alphabetic = dicom.name.substr(0, dicom.name.find('='));
    std::vector<std::string> parts;
    std::size_t from = 0;
    for (std::size_t caret; (caret = alphabetic.find('^', from)) != std::string::npos; from = caret + 1)
        parts.push_back(name_case(dicom::trim(alphabetic.substr(from, caret - from))));
    parts.push_back(name_case(dicom::trim(alphabetic.substr(from))));
    p.family = parts[0];
    if (parts.size() > 1) p.given = parts[1];
    if (parts.size() > 2 && !parts[2].empty()) p.given += (p.given.empty() ? "" : " ") + parts[2];
    p.name = p.given.empty() ? p.family : p.family.empty() ? p.given : p.given + " " + p.family;
    p.birth_date = dicom::dicom_date(dicom.birth_date);
    const auto sex = dicom::trim(dicom.sex);
    if (sex == "M") p.sex = "male";
    else if (sex == "F") p.sex = "female";
    else if (sex == "O") p.sex = "other";
    // The issuer of a DICOM PatientID is seldom known: the identifier has no system.
    p.identifiers.push_back({"", p.mrn, "MR"});
    return p;
}

}  // namespace consilium::decision
