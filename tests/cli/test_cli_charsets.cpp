// DICOM text in every Specific Character Set through the whole CLI: scan, import, patients; JSON
// writers given bytes that are not UTF-8; and the repair of a workspace an earlier version wrote
// without decoding. The files are written by pydicom (tests/support/make_charset_dicom.py).
#include "cli_harness.h"

#include <cstdlib>

using namespace consilium::test::clitest;

namespace {

// The generated files and what each must read as.
struct CharsetFiles {
    fs::path folder;
    json expected;
    explicit CharsetFiles(const fs::path& scratch) : folder(scratch / "charsets") {
        fs::create_directories(folder);
        const char* generator = std::getenv("CONSILIUM_CHARSET_GENERATOR");
        BOOST_REQUIRE_MESSAGE(generator, "CONSILIUM_CHARSET_GENERATOR is not set: run this suite through ctest");
        auto r = consilium::test::run_program({"/usr/bin/python3", generator, folder.string()});
        BOOST_REQUIRE_MESSAGE(r.exit_code == 0, "pydicom could not write the test files: " << r.err);
        expected = parse_json(r.out, "generator output");
    }
};

// "Yamada^Tarou=山田^太郎=やまだ^たろう" -> the family name of each group that has one.
std::vector<std::string> family_names(const std::string& pn) {
    std::vector<std::string> out;
    std::size_t from = 0;
    while (true) {
        const auto end = pn.find('=', from);
        const auto group = pn.substr(from, end == std::string::npos ? std::string::npos : end - from);
        const auto family = group.substr(0, group.find('^'));
        if (!family.empty()) out.push_back(family);
        if (end == std::string::npos) break;
        from = end + 1;
    }
    return out;
}

bool valid_utf8(const std::string& s) {
    try {
        (void)json(s).dump();  // nlohmann's strict writer throws on ill-formed UTF-8
        return true;
    } catch (const json::type_error&) {
        return false;
    }
}

}  // namespace

BOOST_AUTO_TEST_SUITE(charsets)

BOOST_AUTO_TEST_CASE(scan_import_and_patients_decode_every_character_set) {
    Team team;
    CharsetFiles files(team.dir.path());
    auto scan = team.cli.run({"--json", "scan", files.folder.string()});
    REQUIRE_EXIT(scan, 0);
    const json studies = parse_json(scan.out, "scan --json").at("studies");
    std::map<std::string, json> by_id;
    for (const auto& s : studies) by_id[s.at("patient_id").get<std::string>()] = s;

    REQUIRE_EXIT(team.as("admin", {"import", files.folder.string()}), 0);
    std::map<std::string, json> patients;
    for (const auto& p : team.patients()) patients[p.at("mrn").get<std::string>()] = p;

    int checked = 0;
    for (const auto& e : files.expected) {
        const auto id = e.at("patient_id").get<std::string>();
        BOOST_TEST_CONTEXT(id << " in " << e.at("charset").get<std::string>()) {
            BOOST_REQUIRE(by_id.count(id));
            BOOST_REQUIRE(patients.count(id));
            const auto& study = by_id[id];
            const auto& patient = patients[id];
            const auto name = patient.at("name").get<std::string>();
            BOOST_TEST(!name.empty());
            if (!e.at("valid").get<bool>()) {
                // Undecodable bytes: U+FFFD in the name, a warning naming file and attribute.
                BOOST_TEST(name.find("\xEF\xBF\xBD") != std::string::npos);
                const auto warnings = study.at("warnings").dump();
                CHECK_CONTAINS(warnings, id + ".dcm");
                CHECK_CONTAINS(warnings, "PatientName (0010,0010)");
                continue;
            }
            BOOST_TEST(study.at("patient_name").get<std::string>() == e.at("patient_name").get<std::string>());
            BOOST_TEST(study.at("description").get<std::string>() == e.at("study_description").get<std::string>());
            BOOST_TEST(study.at("warnings").empty());
            // The patient's name is read from the alphabetic group; the other forms are kept.
            const auto families = family_names(e.at("patient_name").get<std::string>());
            const std::string all_forms = name + " " + patient.at("name_ideographic").get<std::string>() + " " +
                                          patient.at("name_phonetic").get<std::string>();
            for (const auto& f : families) CHECK_CONTAINS(all_forms, f);
            CHECK_CONTAINS(name, families.front());
            ++checked;
        }
    }
    BOOST_TEST(checked >= 21);
    // The human listing prints the names as well (and both forms of a Japanese name).
    auto human = team.as("doc", {"patients"});
    REQUIRE_EXIT(human, 0);
    CHECK_CONTAINS(human.out, "Jérôme Buc");
    CHECK_CONTAINS(human.out, "山田 太郎");
    CHECK_CONTAINS(human.out, "Иванов");
}

BOOST_AUTO_TEST_CASE(every_json_writer_survives_bytes_that_are_not_utf8) {
    Team team;
    CharsetFiles files(team.dir.path());
    // A source folder whose own name is Latin-1 bytes ends up in the import's audit entry.
    const fs::path odd = team.dir.path() / "Hoe\xebvenaars";
    fs::create_directories(odd);
    fs::copy_file(files.folder / "CS-00.dcm", odd / "CS-00.dcm");
    REQUIRE_EXIT(team.as("admin", {"import", odd.string()}), 0);
    // What an earlier version (or a damaged record) may hold: raw Latin-1 bytes in stored text.
    const fs::path db = team.cli.workspace / "consilium.db";
    sqlite(db, "UPDATE patient SET name = CAST(X'4AE972F46D6520427563' AS TEXT), family = CAST(X'4275E3' AS TEXT)"
               " WHERE mrn = 'CS-00'");
    sqlite(db, "UPDATE timeline_event SET display = CAST(X'54686F726178FF' AS TEXT)");
    sqlite(db, "UPDATE imaging_study SET description = CAST(X'4CF66E67656E' AS TEXT)");
    const std::vector<std::pair<std::string, std::vector<std::string>>> writers = {
        {"doc", {"--json", "patients"}},
        {"doc", {"patients"}},
        {"doc", {"--json", "timeline", "CS-00"}},
        {"doc", {"timeline", "CS-00"}},
        {"doc", {"--json", "suggestions", "CS-00"}},
        {"admin", {"--json", "audit", "log"}},
        {"admin", {"audit", "export", "--format", "fhir"}},
        {"admin", {"audit", "export", "--format", "syslog"}},
    };
    for (const auto& [user, args] : writers) {
        BOOST_TEST_CONTEXT(joined(args)) {
            auto r = team.as(user, args);
            CHECK_EXIT(r, 0);
            BOOST_TEST(valid_utf8(r.out));
            if (args.front() == "--json") BOOST_CHECK_NO_THROW(parse_json(r.out, joined(args)));
        }
    }
    auto patients = team.patients();
    bool replaced = false;
    for (const auto& p : patients)
        if (p.at("mrn") == "CS-00") replaced = p.at("name").get<std::string>() == "J\xEF\xBF\xBDr\xEF\xBF\xBDme Buc";
    BOOST_TEST(replaced);
    CHECK_EXIT(team.as("admin", {"audit", "verify"}), 0);
}

BOOST_AUTO_TEST_CASE(a_workspace_written_before_decoding_is_repaired_on_opening_and_audited) {
    Team team;
    CharsetFiles files(team.dir.path());
    REQUIRE_EXIT(team.as("admin", {"import", files.folder.string()}), 0);
    const fs::path db = team.cli.workspace / "consilium.db";
    // As earlier versions stored them: the file's bytes, undecoded; no ideographic form; and the
    // repair that schema 9's migration leaves for such a workspace.
    sqlite(db, "UPDATE patient SET name = CAST(X'4AE972F46D6520427563' AS TEXT), family = CAST(X'427563' AS TEXT), "
               "given = CAST(X'4AE972F46D65' AS TEXT) WHERE mrn = 'CS-00'");
    sqlite(db, "UPDATE patient SET name = 'Tarou Yamada', name_ideographic = NULL, name_phonetic = NULL WHERE mrn = 'CS-12'");
    sqlite(db, "UPDATE imaging_study SET description = CAST(X'C3F2F3E4EDE0FF' AS TEXT) WHERE patient_id = "
               "(SELECT id FROM patient WHERE mrn = 'CS-05')");
    sqlite(db, "INSERT INTO pending_repair(name, added_at) VALUES ('dicom-text', '2026-01-01T00:00:00Z')");

    auto first = team.as("doc", {"--json", "patients"});
    REQUIRE_EXIT(first, 0);
    CHECK_CONTAINS(first.err, "workspace updated");
    std::map<std::string, json> by_mrn;
    for (const auto& p : parse_json(first.out, "patients")) by_mrn[p.at("mrn").get<std::string>()] = p;
    BOOST_TEST(by_mrn["CS-00"].at("name").get<std::string>() == "Jérôme Buc");
    BOOST_TEST(by_mrn["CS-12"].at("name_ideographic").get<std::string>() == "山田 太郎");
    BOOST_TEST(by_mrn["CS-12"].at("name_phonetic").get<std::string>() == "やまだ たろう");
    BOOST_TEST(sqlite_value(db, "SELECT description FROM imaging_study WHERE patient_id = "
                                "(SELECT id FROM patient WHERE mrn = 'CS-05')") == "Грудная клетка");
    BOOST_TEST(sqlite_value(db, "SELECT count(*) FROM pending_repair") == "0");

    // Recorded: who (the program), what, which patients; the chain still verifies.
    auto log = team.audit_log();
    json repair;
    for (const auto& e : log)
        if (e.at("action") == "workspace.repair") repair = e;
    BOOST_REQUIRE(!repair.is_null());
    BOOST_TEST(repair.at("user").get<std::string>() == "consilium");
    CHECK_CONTAINS(repair.dump(), "dicom-text");
    CHECK_CONTAINS(repair.dump(), "patients_renamed");
    CHECK_EXIT(team.as("admin", {"audit", "verify"}), 0);

    // Once only.
    auto second = team.as("doc", {"--json", "patients"});
    CHECK_EXIT(second, 0);
    BOOST_TEST(second.err.find("workspace updated") == std::string::npos);
}

BOOST_AUTO_TEST_SUITE_END()
