// Least data (run_scope.h): the context Bundle holds what the manifest's inputs ask for, and a
// series of another patient is refused before the plugin starts, naming both patients.
#include "approval_fixture.h"
#include "run_fixture.h"

#include <boost/test/unit_test.hpp>

namespace {

using namespace consilium::test::runtest;

struct LeastDataFixture : RunFixture {
    void observation(const std::string& id, const std::string& loinc, const std::string& component = "") {
        TimelineEvent e;
        e.patient_id = patient;
        e.kind = EventKind::observation;
        e.code = {"http://loinc.org", loinc, loinc};
        e.start = "2026-11-01T08:00:00Z";
        e.resource_type = "Observation";
        e.source_ref = "Observation/" + id;
        json r = {{"resourceType", "Observation"}, {"id", id},
                  {"code", {{"coding", {{{"system", "http://loinc.org"}, {"code", loinc}}}}}}};
        if (!component.empty())
            r["component"] = json::array({{{"code", {{"coding", {{{"system", "http://loinc.org"}, {"code", component}}}}}}}});
        e.resource_json = r.dump();
        auto tx = store->begin();
        store->timeline().insert(e);
        tx->commit();
    }
    std::vector<std::string> ids_in(const cp::ManifestInputs* inputs) {
        std::vector<std::string> out;
        const auto bundle = json::parse(cp::patient_context_bundle(*store, patient, inputs));
        for (const auto& entry : bundle.at("entry"))
            out.push_back(entry.at("resource").at("resourceType").get<std::string>() + "/" +
                          entry.at("resource").value("id", std::string()));
        return out;
    }
};

}  // namespace

BOOST_FIXTURE_TEST_SUITE(least_data, LeastDataFixture)

BOOST_AUTO_TEST_CASE(the_context_holds_only_what_the_inputs_ask_for) {
    observation("hr", "8867-4");
    observation("bp", "85354-9", "8480-6");
    observation("rr", "9279-1");
    cp::ManifestInputs none;  // timeline: false
    BOOST_TEST(ids_in(&none).size() == 1u);
    BOOST_TEST(ids_in(&none).at(0).rfind("Patient/", 0) == 0u);
    cp::ManifestInputs some;
    some.timeline = true;
    some.observation_codes = {"8867-4", "8480-6"};  // a code, and a component's code
    const auto got = ids_in(&some);
    BOOST_TEST((std::vector<std::string>(got.begin() + 1, got.end()) == std::vector<std::string>{"Observation/hr", "Observation/bp"}));
    cp::ManifestInputs all;
    all.timeline = true;
    BOOST_TEST(ids_in(&all).size() == 4u);
    BOOST_TEST(ids_in(nullptr).size() == 4u);
}

BOOST_AUTO_TEST_CASE(a_series_of_another_patient_is_refused_naming_both) {
    Patient other;
    other.mrn = "MRN2";
    other.family = "Other";
    other.given = "Bea";
    std::int64_t other_id = 0;
    {
        auto tx = store->begin();
        other_id = store->patients().insert(other);
        ImagingStudy study;
        study.patient_id = other_id;
        study.study_uid = "1.2.3";
        study.id = store->imaging().insert_study(study);
        ImagingSeries series;
        series.study_id = study.id;
        series.series_uid = "1.2.3.4";
        series.folder = "images/1.2.3/1.2.3.4";
        store->imaging().insert_series(series);
        tx->commit();
    }
    auto p = command_plugin("never", "touch \"$out/ran\"\n");
    cp::VolumeInput v;
    v.series_uid = "1.2.3.4";
    v.modality = "CT";
    auto r = consilium::test::run_approved(*store, *session, p, patient, v);
    BOOST_TEST(r.status == RunStatus::rejected);
    BOOST_TEST(r.reason.find("series 1.2.3.4 belongs to patient " + std::to_string(other_id) + " (Other, Bea)") != std::string::npos);
    BOOST_TEST(r.reason.find("not to patient " + std::to_string(patient) + " (Test, Pat)") != std::string::npos);
    BOOST_TEST(!r.exit_code.has_value());  // the plugin never started
}

BOOST_AUTO_TEST_SUITE_END()
