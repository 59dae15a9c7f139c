#include "consilium/text/dicom_text.h"

#include "consilium/text/utf8.h"
#include "iso2022.h"

#include <dcmtk/dcmdata/dcdeftag.h>
#include <dcmtk/dcmdata/dcelem.h>
#include <dcmtk/dcmdata/dcitem.h>
#include <dcmtk/dcmdata/dcspchrs.h>
#include <dcmtk/dcmdata/dcvr.h>

#include <utility>

namespace consilium::text {
namespace {

std::string trimmed(std::string s) {
    auto pad = [](char c) { return c == ' ' || c == '\0'; };
    while (!s.empty() && pad(s.back())) s.pop_back();
    std::size_t i = 0;
    while (i < s.size() && s[i] == ' ') ++i;
    return s.substr(i);
}

// Value representations whose text is in the dataset's character set; all others are ASCII.
bool is_character_text(DcmEVR vr) {
    return vr == EVR_PN || vr == EVR_LO || vr == EVR_SH || vr == EVR_ST || vr == EVR_LT || vr == EVR_UT || vr == EVR_UC;
}

bool has_escape(const std::string& s) { return s.find('\x1B') != std::string::npos; }

}  // namespace

struct DicomTextDecoder::Converter {
    DcmSpecificCharacterSet set;
    bool ok = false;
    std::string error;
};

DicomTextDecoder::DicomTextDecoder(DcmItem& dataset, std::string where) : where_(std::move(where)) {
    OFString value;
    if (dataset.findAndGetOFStringArray(DCM_SpecificCharacterSet, value).good()) character_set_ = trimmed(value.c_str());
    // Several values (or an ISO 2022 term) mean escape sequences may switch sets within a value.
    code_extensions_ = character_set_.find('\\') != std::string::npos || character_set_.rfind("ISO 2022", 0) == 0;
}

DicomTextDecoder::~DicomTextDecoder() { delete converter_; }

DicomTextDecoder::Converter& DicomTextDecoder::converter() {
    if (!converter_) {
        converter_ = new Converter;
        OFCondition status = converter_->set.selectCharacterSet(character_set_.c_str());
        converter_->ok = status.good();
        if (!converter_->ok) converter_->error = status.text();
    }
    return *converter_;
}

void DicomTextDecoder::warn(const std::string& attribute, const std::string& what) {
    warnings_.push_back(where_ + ": " + attribute + ": " + what);
}

// Undeclared or unknown sets: UTF-8 if it is UTF-8, else ASCII kept and every other byte U+FFFD.
std::string DicomTextDecoder::lossy(const std::string& raw) {
    if (is_valid_utf8(raw)) return raw;
    std::string out;
    for (char c : raw) {
        if (static_cast<unsigned char>(c) < 0x80) out += c;
        else out += kReplacement;
    }
    return out;
}

std::string DicomTextDecoder::decode(const std::string& raw_value, const std::string& attribute, bool person_name) {
    const std::string raw = trimmed(raw_value);
    if (raw.empty()) return raw;
    // Every DICOM character set agrees with ASCII until an escape sequence or a byte above 0x7F.
    if (is_ascii(raw) && !has_escape(raw)) return raw;
    if (character_set_.empty()) {
        const std::string out = lossy(raw);
        warn(attribute, is_valid_utf8(raw) ? "no Specific Character Set (0008,0005) is declared; the text was read as UTF-8"
                                           : "no Specific Character Set (0008,0005) is declared; bytes outside ASCII "
                                             "replaced by U+FFFD");
        return out;
    }
    const std::string delimiter_set = person_name ? "\\^=" : "\\";
    if (code_extensions_) {
        auto r = detail::decode_iso2022(character_set_, raw, delimiter_set);
        if (!r.complete) warn(attribute, "bytes not valid in '" + character_set_ + "' replaced by U+FFFD");
        return trimmed(r.utf8);
    }
    Converter& c = converter();
    if (!c.ok) {
        warn(attribute, "Specific Character Set '" + character_set_ + "' cannot be decoded (" + c.error +
                            "); bytes outside ASCII " + (is_valid_utf8(raw) ? "read as UTF-8" : "replaced by U+FFFD"));
        return lossy(raw);
    }
    const OFString delimiters = delimiter_set.c_str();
    OFString out;
    if (c.set.convertString(raw.data(), raw.size(), out, delimiters).good())
        return trimmed(valid_utf8(std::string(out.c_str(), out.length())));

    // Something in the value is not valid in its set: decode what can be, replace the rest.
    warn(attribute, "bytes not valid in '" + character_set_ + "' replaced by U+FFFD");
    std::string result;
    if (character_set_ == "ISO_IR 192") {
        result = valid_utf8(raw);
    } else {
        // Stateless sets (single-byte, GB18030, GBK): the shortest decodable sequence at each byte.
        for (std::size_t i = 0; i < raw.size();) {
            if (static_cast<unsigned char>(raw[i]) < 0x80) {
                result += raw[i++];
                continue;
            }
            bool decoded = false;
            for (std::size_t n = 1; n <= 4 && i + n <= raw.size() && !decoded; ++n) {
                OFString part;
                if (c.set.convertString(raw.data() + i, n, part).good() && part.length() > 0) {
                    result.append(part.c_str(), part.length());
                    i += n;
                    decoded = true;
                }
            }
            if (!decoded) {
                result += kReplacement;
                ++i;
            }
        }
    }
    return trimmed(valid_utf8(result));
}

std::string DicomTextDecoder::text(DcmItem& item, const DcmTagKey& tag) {
    DcmElement* element = nullptr;
    if (item.findAndGetElement(tag, element).bad() || !element) return {};
    OFString raw;
    if (element->getOFStringArray(raw).bad()) return {};
    const DcmEVR vr = element->ident();
    std::string value(raw.c_str(), raw.length());
    if (!is_character_text(vr)) return valid_utf8(trimmed(value));
    DcmTag t(tag);
    const std::string attribute = std::string(t.getTagName()) + " " + tag.toString().c_str();
    return decode(value, attribute, vr == EVR_PN);
}

PersonNameGroups person_name_groups(const std::string& name) {
    PersonNameGroups g;
    const auto first = name.find('=');
    g.alphabetic = name.substr(0, first);
    if (first == std::string::npos) return g;
    const auto second = name.find('=', first + 1);
    g.ideographic = name.substr(first + 1, second == std::string::npos ? std::string::npos : second - first - 1);
    if (second != std::string::npos) g.phonetic = name.substr(second + 1);
    return g;
}

}  // namespace consilium::text
