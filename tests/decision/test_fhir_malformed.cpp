// Every malformed input is refused with a message naming the file and the place, and leaves the
// workspace byte-for-byte unchanged in content. One case per kind of defect.
#include "fhir_samples.h"
#include "store_fixture.h"

#include "consilium/decision/errors.h"
#include "consilium/decision/fhir_import.h"

#include <boost/test/unit_test.hpp>

#include <fstream>
#include <random>

using namespace consilium::decision;
using namespace consilium::test::fhir;

namespace {

struct MalformedFixture : consilium::test::StoreFixture {
    MalformedFixture() {
        // Something already stored, which must survive every refused import.
        FhirImport import(*store);
        import.read_text("good.json", bundle("batch", Json::array({entry(patient("g", "MRN-G", "Good", "Data"), "urn:uuid:g"),
                                                                   entry(observation("go", "urn:uuid:g", "2020-01-01", 70))}))
                                          .dump());
        import.commit(physician);
        before = content_digest();
    }

    // Refused with a message containing each of `expected`, and nothing changed.
    void refused(const std::vector<std::pair<std::string, std::string>>& files, std::vector<std::string> expected) {
        try {
            FhirImport import(*store);
            for (const auto& [name, text] : files) import.read_text(name, text);
            import.commit(physician);
            BOOST_FAIL("a malformed import was accepted");
        } catch (const InputError& e) {
            for (const auto& part : expected)
                BOOST_TEST(std::string(e.what()).find(part) != std::string::npos, "'" << part << "' in: " << e.what());
        }
        BOOST_TEST(content_digest() == before);
    }
    std::string before;
};

Json good_bundle() {
    return bundle("transaction", Json::array({entry(patient("n", "MRN-N", "New", "Patient"), "urn:uuid:n"),
                                              entry(observation("no", "urn:uuid:n", "2020-01-01", 70))}));
}

}  // namespace

BOOST_AUTO_TEST_SUITE(fhir_malformed)

BOOST_FIXTURE_TEST_CASE(truncated_file, MalformedFixture) {
    auto text = good_bundle().dump(2);
    refused({{"cut.json", text.substr(0, text.size() / 2)}}, {"cut.json", "line ", "column", "not valid JSON"});
}

BOOST_FIXTURE_TEST_CASE(empty_and_blank_files, MalformedFixture) {
    refused({{"empty.json", ""}}, {"empty.json", "empty"});
    refused({{"blank.json", " \n\t\n"}}, {"blank.json", "empty"});
}

BOOST_FIXTURE_TEST_CASE(text_that_is_not_json, MalformedFixture) {
    refused({{"notes.json", "Patient: Ada Lovelace\nHR 72\n"}}, {"notes.json", "not JSON"});
    refused({{"num.json", "12"}}, {"num.json", "not JSON"});
}

BOOST_FIXTURE_TEST_CASE(wrong_type_birth_date, MalformedFixture) {
    auto b = good_bundle();
    b["entry"][0]["resource"]["birthDate"] = 12;
    refused({{"t.json", b.dump()}}, {"t.json", "entry 0", "Patient/n", "birthDate", "expected a string"});
}

BOOST_FIXTURE_TEST_CASE(invalid_birth_date, MalformedFixture) {
    auto b = good_bundle();
    b["entry"][0]["resource"]["birthDate"] = "1950-02-30";
    refused({{"t.json", b.dump()}}, {"birthDate", "not a FHIR date"});
}

BOOST_FIXTURE_TEST_CASE(wrong_type_quantity_value, MalformedFixture) {
    auto b = good_bundle();
    b["entry"][1]["resource"]["valueQuantity"]["value"] = "seventy";
    refused({{"t.json", b.dump()}}, {"entry 1", "Observation/no", "valueQuantity.value", "expected a number"});
}

BOOST_FIXTURE_TEST_CASE(wrong_type_coding_list, MalformedFixture) {
    auto b = good_bundle();
    b["entry"][1]["resource"]["code"]["coding"] = {{"code", "x"}};
    refused({{"t.json", b.dump()}}, {"code.coding", "expected an array"});
}

BOOST_FIXTURE_TEST_CASE(invalid_effective_time, MalformedFixture) {
    auto b = good_bundle();
    b["entry"][1]["resource"]["effectiveDateTime"] = "last tuesday";
    refused({{"t.json", b.dump()}}, {"effectiveDateTime", "not a FHIR date"});
}

BOOST_FIXTURE_TEST_CASE(entries_that_are_not_objects, MalformedFixture) {
    auto b = good_bundle();
    b["entry"].push_back("oops");
    refused({{"t.json", b.dump()}}, {"entry 2", "expected a Bundle entry"});
    auto c = good_bundle();
    c["entry"] = {{"resource", 1}};
    refused({{"t.json", c.dump()}}, {"entry", "expected an array"});
}

BOOST_FIXTURE_TEST_CASE(missing_resource_type, MalformedFixture) {
    auto b = good_bundle();
    b["entry"][1]["resource"].erase("resourceType");
    refused({{"t.json", b.dump()}}, {"entry 1", "resourceType"});
    refused({{"r.json", Json{{"resourceType", 7}}.dump()}}, {"r.json", "resourceType", "expected a string"});
}

BOOST_FIXTURE_TEST_CASE(unknown_bundle_type, MalformedFixture) {
    auto b = good_bundle();
    b["type"] = "pile";
    refused({{"t.json", b.dump()}}, {"'pile' is not a FHIR Bundle type"});
}

BOOST_FIXTURE_TEST_CASE(dangling_patient_reference, MalformedFixture) {
    auto b = good_bundle();
    b["entry"][1]["resource"]["subject"]["reference"] = "urn:uuid:nobody";
    refused({{"t.json", b.dump()}}, {"t.json", "entry 1", "urn:uuid:nobody", "neither in the imported files nor in the workspace"});
}

BOOST_FIXTURE_TEST_CASE(one_bad_file_refuses_the_whole_import, MalformedFixture) {
    auto bad = good_bundle();
    bad["entry"][1]["resource"]["valueQuantity"]["value"] = "x";
    auto other = bundle("batch", Json::array({entry(patient("o2", "MRN-O2", "Other", "Patient"), "urn:uuid:o2")}));
    refused({{"a-good.json", other.dump()}, {"b-bad.json", bad.dump()}}, {"b-bad.json"});
}

BOOST_FIXTURE_TEST_CASE(files_read_in_parallel_report_the_first_bad_one, MalformedFixture) {
    consilium::test::ScratchDir scratch("parallel");
    std::vector<std::filesystem::path> files;
    for (int i = 0; i < 12; ++i) {
        auto b = bundle("batch", Json::array({entry(patient("p" + std::to_string(i), "MRN-P" + std::to_string(i), "P", "Q"))}));
        if (i == 5 || i == 9) b["entry"][0]["resource"]["birthDate"] = 5;  // two bad files
        files.push_back(scratch / ("f" + std::to_string(i) + ".json"));
        consilium::test::write_file(files.back(), b.dump());
    }
    try {
        FhirImport import(*store);
        import.read_files(files);
        import.commit(physician);
        BOOST_FAIL("bad files accepted");
    } catch (const InputError& e) {
        BOOST_TEST(std::string(e.what()).find("f5.json") != std::string::npos, e.what());
    }
    BOOST_TEST(content_digest() == before);
}

BOOST_FIXTURE_TEST_CASE(ndjson_with_a_bad_line_names_the_line, MalformedFixture) {
    std::string text = patient("n", "MRN-N", "New", "P").dump() + "\n" + observation("a", "Patient/n", "2020-01-01", 1).dump() +
                       "\n{\"resourceType\": \"Observation\", \"id\": \n";
    refused({{"x.ndjson", text}}, {"x.ndjson", "line 3"});
    std::string typed = patient("n", "MRN-N", "New", "P").dump() + "\n" + R"({"resourceType":"Observation","id":"q","subject":{"reference":5}})" + "\n";
    refused({{"y.ndjson", typed}}, {"y.ndjson", "line 2", "subject.reference"});
}

BOOST_FIXTURE_TEST_CASE(mrn_belonging_to_another_patient, MalformedFixture) {
    // Patient/g exists with MRN-G; a different FHIR patient claiming MRN-G would merge two people.
    {
        auto tx = store->begin();
        Patient other;
        other.mrn = "MRN-X";
        other.name = "X";
        store->patients().insert(other);
        tx->commit();
    }
    before = content_digest();
    auto g = patient("g", "MRN-X", "Good", "Data");
    refused({{"m.json", g.dump()}}, {"m.json", "belongs to another patient"});
}

BOOST_FIXTURE_TEST_CASE(absurd_nesting, MalformedFixture) {
    refused({{"deep.json", std::string(1'000'000, '[')}}, {"deep.json", "nested deeper"});
    refused({{"deep2.json", "{\"resourceType\":\"Bundle\",\"entry\":" + std::string(500'000, '[')}}, {"nested deeper"});
}

BOOST_FIXTURE_TEST_CASE(a_100_megabyte_file_of_garbage, MalformedFixture) {
    consilium::test::ScratchDir scratch("garbage");
    std::mt19937 rng(20261127);
    for (char first : {'x', '{'}) {
        auto path = scratch / (std::string("garbage-") + first + ".json");
        {
            std::ofstream out(path, std::ios::binary);
            std::string chunk(1 << 20, '\0');
            out.put(first);
            for (int mb = 0; mb < 100; ++mb) {
                for (auto& c : chunk) c = static_cast<char>(rng());
                out.write(chunk.data(), static_cast<std::streamsize>(chunk.size()));
            }
        }
        try {
            FhirImport import(*store);
            import.read_file(path);
            import.commit(physician);
            BOOST_FAIL("garbage accepted");
        } catch (const InputError& e) {
            BOOST_TEST(std::string(e.what()).find(path.filename().string()) != std::string::npos, e.what());
        }
        BOOST_TEST(content_digest() == before);
    }
}

BOOST_FIXTURE_TEST_CASE(a_missing_file_or_a_folder_is_named, MalformedFixture) {
    FhirImport import(*store);
    BOOST_CHECK_THROW(import.read_file(dir / "no-such.json"), InputError);
    BOOST_TEST(content_digest() == before);
}

BOOST_FIXTURE_TEST_CASE(truncated_shared_bundles, MalformedFixture, CONSILIUM_SHARED_DATA) {
    // Real Synthea bundles cut at several points: each refused, nothing changed.
    auto files = fhir_files(*consilium::test::shared_data() / "fhir");
    BOOST_REQUIRE(!files.empty());
    auto text = consilium::test::read_file(files.front());
    for (std::size_t cut : {std::size_t{1}, std::size_t{3000}, text.size() / 2, text.size() - 2})
        refused({{"cut.json", text.substr(0, cut)}}, {"cut.json"});
}

BOOST_AUTO_TEST_SUITE_END()
