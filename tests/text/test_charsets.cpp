// Patient names and descriptions in every DICOM character set, written by pydicom (an independent
// encoder) and read by the header reader the scan, import and PACS retrieve use.
#include "consilium/text/dicom_text.h"
#include "consilium/text/utf8.h"
#include "consilium/viewer/dicom_header.h"

#include "test_support.h"

#include <dcmtk/dcmdata/dcdatset.h>
#include <dcmtk/dcmdata/dcdeftag.h>
#include <nlohmann/json.hpp>

#include <boost/test/unit_test.hpp>

#include <cstdlib>

namespace fs = std::filesystem;
using consilium::test::ScratchDir;

namespace {

struct Generated {
    ScratchDir dir{"charsets"};
    nlohmann::json expected;
    Generated() {
        const char* generator = std::getenv("CONSILIUM_CHARSET_GENERATOR");
        BOOST_REQUIRE_MESSAGE(generator, "CONSILIUM_CHARSET_GENERATOR is not set");
        auto r = consilium::test::run_program({"/usr/bin/python3", generator, dir.path().string()});
        BOOST_REQUIRE_MESSAGE(r.exit_code == 0, "pydicom could not write the test files: " + r.err);
        expected = nlohmann::json::parse(r.out);
    }
};

}  // namespace

BOOST_AUTO_TEST_SUITE(charsets)

BOOST_AUTO_TEST_CASE(every_character_set_decodes_to_the_text_that_was_written) {
    Generated g;
    int checked = 0;
    for (const auto& e : g.expected) {
        if (!e["valid"].get<bool>()) continue;
        const auto file = g.dir.path() / e["file"].get<std::string>();
        BOOST_TEST_CONTEXT(e["charset"].get<std::string>() << " " << e["file"].get<std::string>()) {
            const auto h = consilium::viewer::read_dicom_header(file);
            BOOST_TEST(h.patient_name == e["patient_name"].get<std::string>());
            BOOST_TEST(h.study_description == e["study_description"].get<std::string>());
            BOOST_TEST(h.series_description == e["series_description"].get<std::string>());
            BOOST_TEST(h.patient_id == e["patient_id"].get<std::string>());
            BOOST_TEST(h.specific_character_set == e["charset"].get<std::string>());
            BOOST_TEST(h.text_warnings.empty());
            ++checked;
        }
    }
    BOOST_TEST(checked >= 21);  // 11 single-byte sets, 5 ISO 2022 forms, UTF-8, GB18030, GBK
}

BOOST_AUTO_TEST_CASE(person_name_groups_are_kept_apart) {
    auto g = consilium::text::person_name_groups("Yamada^Tarou=山田^太郎=やまだ^たろう");
    BOOST_TEST(g.alphabetic == "Yamada^Tarou");
    BOOST_TEST(g.ideographic == "山田^太郎");
    BOOST_TEST(g.phonetic == "やまだ^たろう");
    g = consilium::text::person_name_groups("=王^小东");
    BOOST_TEST(g.alphabetic == "");
    BOOST_TEST(g.ideographic == "王^小东");
}

BOOST_AUTO_TEST_CASE(undecodable_text_becomes_replacement_characters_with_a_warning_naming_file_and_attribute) {
    Generated g;
    const std::string r(consilium::text::kReplacement);
    std::map<std::string, std::string> expect = {
        {"BAD-UTF8", "M" + r + "ller^Hans"},          // Latin-1 bytes under ISO_IR 192
        {"BAD-NOCHARSET", "Ho" + r + "venaars^Ingrid"},  // no set declared
        {"BAD-UNKNOWN", "Caf" + r + "^Ren" + r},      // a set nobody knows
        {"BAD-GB18030", "Wang^" + r},                  // a lead byte alone
    };
    for (const auto& [id, name] : expect) {
        BOOST_TEST_CONTEXT(id) {
            const auto file = g.dir.path() / (id + ".dcm");
            consilium::viewer::DicomFile h;
            BOOST_REQUIRE_NO_THROW(h = consilium::viewer::read_dicom_header(file));
            BOOST_TEST(h.patient_name == name);
            BOOST_TEST(consilium::text::is_valid_utf8(h.patient_name));
            BOOST_REQUIRE(!h.text_warnings.empty());
            BOOST_TEST(h.text_warnings[0].find(file.string()) != std::string::npos);
            BOOST_TEST(h.text_warnings[0].find("PatientName (0010,0010)") != std::string::npos);
            BOOST_TEST(h.study_description == "Thorax");
        }
    }
}

BOOST_AUTO_TEST_CASE(broken_iso2022_values_are_replaced_not_dropped) {
    DcmDataset ds;
    ds.putAndInsertString(DCM_SpecificCharacterSet, "\\ISO 2022 IR 87");
    // A kanji escape followed by one byte only, then an escape nobody defined.
    ds.putAndInsertString(DCM_PatientName, "Yamada^Tarou=\x1b$B;\x1b(B^\x1b%Zx");
    consilium::text::DicomTextDecoder d(ds, "memory");
    const auto name = d.text(ds, DCM_PatientName);
    BOOST_TEST(consilium::text::is_valid_utf8(name));
    BOOST_TEST(name.rfind("Yamada^Tarou=", 0) == 0);
    BOOST_TEST(name.find(consilium::text::kReplacement) != std::string::npos);
    BOOST_TEST(d.warnings().size() == 1u);
}

BOOST_AUTO_TEST_SUITE_END()
