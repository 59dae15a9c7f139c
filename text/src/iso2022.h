#pragma once
// DICOM's ISO 2022 code extensions (PS3.5 6.1.2.5, PS3.3 C.12.1.1.2): escape sequences designate a
// character set to G0 or G1, delimiters return both to the value's initial sets. DCMTK over the C
// library's iconv (Debian's build) refuses the Japanese sets (IR 87, IR 159), so the escapes are
// followed here and each run of bytes is converted by iconv from the encoding that carries exactly
// those characters (EUC-JP for JIS X 0208/0212 and half-width katakana, EUC-KR, GB2312, ISO 8859-n).
#include <string>

namespace consilium::text::detail {

struct Iso2022Result {
    std::string utf8;
    bool complete = true;  // false: something could not be decoded and became U+FFFD
};

// `character_set` is (0008,0005) as written, e.g. "\ISO 2022 IR 87"; `delimiters` are the
// characters after which the initial sets apply again ("\^=" for person names, "\" otherwise).
Iso2022Result decode_iso2022(const std::string& character_set, const std::string& raw, const std::string& delimiters);

}  // namespace consilium::text::detail
