// Who a DICOM file belongs to: the stored patient its PatientID names, or a new one made from the
// demographics in its header.
#include "dicom_internal.h"

#include "consilium/decision/errors.h"
#include "consilium/text/dicom_text.h"
#include "consilium/text/utf8.h"

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

// "O'BRIEN-SMITH" -> "O'Brien-Smith"; a part already in mixed case, or with letters beyond ASCII
// (whose case this cannot change safely: "MÜLLER", "ΠΑΠΑΔΟΠΟΥΛΟΣ"), is kept as written.
std::string name_case(const std::string& part) {
    if (!text::is_ascii(part)) return part;
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

// One group of a PN (components FAMILY^GIVEN^MIDDLE^PREFIX^SUFFIX): family, given (+ middle).
struct NameParts {
    std::string family, given;
};

NameParts name_parts(const std::string& group, bool change_case) {
    std::vector<std::string> parts;
    std::size_t from = 0;
    auto part = [&](std::string s) { return change_case ? name_case(dicom::trim(s)) : dicom::trim(s); };
    for (std::size_t caret; (caret = group.find('^', from)) != std::string::npos; from = caret + 1)
        parts.push_back(part(group.substr(from, caret - from)));
    parts.push_back(part(group.substr(from)));
    NameParts n{parts[0], parts.size() > 1 ? parts[1] : ""};
    if (parts.size() > 2 && !parts[2].empty()) n.given += (n.given.empty() ? "" : " ") + parts[2];
    return n;
}

// Ideographic and phonetic forms are written family first, as their scripts are read: "山田 太郎".
std::string family_first(const NameParts& n) {
    return n.family.empty() ? n.given : n.given.empty() ? n.family : n.family + " " + n.given;
}

}  // namespace

Patient patient_from_dicom(const DicomPatient& dicom) {
    Patient p;
    p.mrn = dicom::trim(dicom.patient_id);
    // PN: alphabetic=ideographic=phonetic. The alphabetic group names the patient; when it is empty
    // (a name written only in kanji, say) the ideographic group does, so a name is never lost.
    const auto groups = text::person_name_groups(text::valid_utf8(dicom.name));
    const NameParts alphabetic = name_parts(groups.alphabetic, true);
    const NameParts ideographic = name_parts(groups.ideographic, false);
    const NameParts phonetic = name_parts(groups.phonetic, false);
    p.name_ideographic = family_first(ideographic);
    p.name_phonetic = family_first(phonetic);
    const NameParts& main = !alphabetic.family.empty() || !alphabetic.given.empty() ? alphabetic
                            : !p.name_ideographic.empty()                            ? ideographic
                                                                                     : phonetic;
    p.family = main.family;
    p.given = main.given;
    if (&main == &alphabetic)
        p.name = p.given.empty() ? p.family : p.family.empty() ? p.given : p.given + " " + p.family;
    else
        p.name = family_first(main);
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
