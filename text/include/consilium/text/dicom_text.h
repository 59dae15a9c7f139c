#pragma once
// Text values of a DICOM dataset decoded by its Specific Character Set (0008,0005) into UTF-8:
// single-byte sets (ISO_IR 100 ... 166), ISO 2022 with code extensions (Japanese, Korean, Chinese),
// ISO_IR 192, GB18030 and GBK. The conversion itself is DCMTK's (DcmSpecificCharacterSet over the
// C library's iconv); this class decides what happens when it cannot convert: bytes that cannot be
// decoded become U+FFFD and a warning names the attribute - never an exception, never an empty value.
#include <string>
#include <vector>

class DcmItem;
class DcmTagKey;

namespace consilium::text {

class DicomTextDecoder {
public:
    // Reads (0008,0005) of `dataset`; `where` (a file name, "C-FIND response") starts each warning.
    DicomTextDecoder(DcmItem& dataset, std::string where);
    ~DicomTextDecoder();
    DicomTextDecoder(const DicomTextDecoder&) = delete;
    DicomTextDecoder& operator=(const DicomTextDecoder&) = delete;

    // The value of `tag` in `item` (the dataset, or an item of one of its sequences) as UTF-8, with
    // leading and trailing spaces removed; "" when absent. Several values stay joined by '\'.
    // Person names keep their groups (alphabetic=ideographic=phonetic) and components (^).
    std::string text(DcmItem& item, const DcmTagKey& tag);

    // Decodes raw bytes as a value of this dataset would be. `attribute` names it in warnings;
    // `person_name` keeps ^ and = as delimiters at which ISO 2022 returns to its default set.
    std::string decode(const std::string& raw, const std::string& attribute, bool person_name = false);

    // The Specific Character Set as written ("" when absent), and what could not be decoded.
    const std::string& character_set() const { return character_set_; }
    const std::vector<std::string>& warnings() const { return warnings_; }

private:
    struct Converter;
    Converter& converter();
    std::string lossy(const std::string& raw);
    void warn(const std::string& attribute, const std::string& what);

    std::string where_, character_set_;
    bool code_extensions_ = false;
    Converter* converter_ = nullptr;
    std::vector<std::string> warnings_;
};

// "Buc^Jérôme=..." split into its groups: alphabetic, ideographic, phonetic (each may be empty).
struct PersonNameGroups {
    std::string alphabetic, ideographic, phonetic;
};
PersonNameGroups person_name_groups(const std::string& utf8_person_name);

}  // namespace consilium::text
