#include "demo_findings.h"

#include <memory>

namespace consilium::test::exporting {

using namespace clitest;

json DemoFindings::suggestion(std::int64_t id) const {
    for (const auto& s : json_as("radiologist", {"suggestions", patient}))
        if (s["id"] == id) return s;
    BOOST_FAIL("suggestion " << id << " not listed");
    return {};
}

DemoFindings& demo() {
    static std::unique_ptr<DemoFindings> made;  // removed with its scratch folder at exit
    if (made) return *made;
    {
        auto f = std::make_unique<DemoFindings>();
        REQUIRE_EXIT(f->cli.run({"init", "--demo"}), 0);
        f->series_uid = sqlite_value(f->cli.db(), "SELECT series_uid FROM imaging_series WHERE modality = 'CT' LIMIT 1");
        f->study_uid = sqlite_value(f->cli.db(), "SELECT s.study_uid FROM imaging_study s JOIN imaging_series r ON r.study_id = s.id "
                                                 "WHERE r.series_uid = '" + f->series_uid + "'");
        f->patient = sqlite_value(f->cli.db(), "SELECT s.patient_id FROM imaging_study s WHERE s.study_uid = '" + f->study_uid + "'");
        f->series_folder = f->cli.workspace / sqlite_value(f->cli.db(), "SELECT folder FROM imaging_series WHERE series_uid = '" +
                                                                            f->series_uid + "'");
        BOOST_REQUIRE(!f->series_uid.empty() && !f->patient.empty());
        auto run = f->json_as("radiologist", {"plugins", "run", "org.consilium.lung-nodules", "--patient", f->patient,
                                              "--series", f->series_uid});
        BOOST_REQUIRE_EQUAL(run["status"], "succeeded");
        BOOST_REQUIRE_EQUAL(run["suggestions"].size(), 3u);  // the demo CT's three nodules
        const auto a = run["suggestions"][0].get<std::int64_t>(), b = run["suggestions"][1].get<std::int64_t>();
        REQUIRE_EXIT(f->as("radiologist", {"review", std::to_string(a), "accept"}), 0);
        REQUIRE_EXIT(f->as("physician", {"review", std::to_string(b), "modify", "--reason", "a granuloma, calcified on the old film",
                                         "--concept", "http://snomed.info/sct|45647009|Granuloma"}),
                     0);
        f->accepted = f->suggestion(a);
        f->modified = f->suggestion(b);
        f->proposed = f->suggestion(run["suggestions"][2].get<std::int64_t>());
        made = std::move(f);
    }
    return *made;
}

}  // namespace consilium::test::exporting
