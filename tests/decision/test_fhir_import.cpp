#include "fhir_samples.h"
#include "store_fixture.h"

#include "consilium/decision/errors.h"
#include "consilium/decision/fhir_import.h"

#include <boost/test/unit_test.hpp>

#include <map>
#include <set>

using namespace consilium::decision;
using namespace consilium::test::fhir;
using consilium::test::StoreFixture;

namespace {

ImportSummary import_texts(StoreFixture& f, const std::vector<std::pair<std::string, std::string>>& files) {
    FhirImport import(*f.store);
    for (const auto& [name, text] : files) import.read_text(name, text);
    return import.commit(f.physician);
}

std::map<std::string, int> kinds_of(StoreFixture& f, std::int64_t patient) {
    std::map<std::string, int> out;
    for (const auto& e : f.store->timeline().events(patient, {})) ++out[std::string(to_string(e.kind))];
    return out;
}

// The oracle for the shared files: counts by the FHIR spec's own field names, written apart from
// the importer's mapping code.
const std::map<std::string, std::string> kKindOfType = {
    {"Encounter", "encounter"},         {"Condition", "condition"},
    {"Observation", "observation"},     {"MedicationRequest", "medication"},
    {"MedicationStatement", "medication"}, {"MedicationAdministration", "medication"},
    {"Procedure", "procedure"},         {"ImagingStudy", "imaging"},
    {"DiagnosticReport", "report"},     {"Immunization", "immunization"},
    {"AllergyIntolerance", "allergy"}};

}  // namespace

BOOST_AUTO_TEST_SUITE(fhir_import)

// Issue 12, item 10: they were skipped as "not a timeline type".
BOOST_FIXTURE_TEST_CASE(immunizations_and_allergies_become_timeline_events, StoreFixture) {
    Json entries = Json::array({entry(patient("p1", "MRN-1", "Ada", "Lovelace"), "urn:uuid:p1"),
                                entry(immunization("im1", "urn:uuid:p1", "2012-02-09T16:24:37+00:00")),
                                entry(allergy("al1", "Patient/p1", "1991-01-02"))});
    auto s = import_texts(*this, {{"b.json", bundle("collection", entries).dump()}});
    BOOST_TEST(s.events_added == 2);
    BOOST_TEST(s.skipped.empty());
    auto p = store->patients().find_by_mrn("MRN-1");
    BOOST_REQUIRE(p.has_value());
    auto events = store->timeline().events(p->id, {});
    BOOST_REQUIRE(events.size() == 2u);
    const auto& a = events[0];  // 1991 before 2012
    BOOST_TEST((a.kind == EventKind::allergy));
    BOOST_TEST(a.resource_type == "AllergyIntolerance");
    BOOST_TEST(a.code.code == "91935009");
    BOOST_TEST(a.code.display == "Allergy to peanuts");
    BOOST_TEST(a.start.value() == "1991-01-02");
    BOOST_TEST(a.status.value() == "active");
    BOOST_TEST(a.value_text.value() == "food, criticality high; Anaphylaxis (severe)");
    const auto& i = events[1];
    BOOST_TEST((i.kind == EventKind::immunization));
    BOOST_TEST(i.code.system == "http://hl7.org/fhir/sid/cvx");
    BOOST_TEST(i.code.code == "140");
    BOOST_TEST(i.start.value() == "2012-02-09T16:24:37Z");
    BOOST_TEST(i.status.value() == "completed");
    // The kinds are stored and read back by name, and filter like any other.
    TimelineFilter only;
    only.kinds = {EventKind::immunization};
    BOOST_TEST(store->timeline().events(p->id, only).size() == 1u);
    BOOST_TEST(to_string(EventKind::allergy) == "allergy");
    BOOST_TEST((event_kind_from_string("immunization") == EventKind::immunization));
}

BOOST_FIXTURE_TEST_CASE(an_allergy_with_a_malformed_reaction_names_the_field, StoreFixture) {
    auto bad = allergy("al1", "urn:uuid:p1", "1991-01-02");
    bad["reaction"][0]["manifestation"] = "hives";
    Json entries = Json::array({entry(patient("p1", "MRN-1", "Ada", "Lovelace"), "urn:uuid:p1"), entry(bad)});
    try {
        import_texts(*this, {{"b.json", bundle("collection", entries).dump()}});
        BOOST_FAIL("a malformed reaction was accepted");
    } catch (const InputError& e) {
        BOOST_TEST(std::string(e.what()).find("reaction[0].manifestation") != std::string::npos, e.what());
    }
}

BOOST_FIXTURE_TEST_CASE(a_bundle_becomes_a_patient_and_a_timeline, StoreFixture) {
    Json entries = Json::array({entry(patient("p1", "MRN-1", "Ada", "Lovelace"), "urn:uuid:p1"),
                                entry(observation("o1", "urn:uuid:p1", "2020-01-02T10:00:00+01:00", 72)),
                                entry(blood_pressure("bp1", "urn:uuid:p1", "2020-01-01T08:00:00Z", 128, 84)),
                                entry(simple("Encounter", "e1", "urn:uuid:p1", "period", "2019-12-31T23:00:00Z")),
                                entry(simple("Procedure", "pr1", "urn:uuid:p1", "performedDateTime", "2020-02-01")),
                                entry(Json{{"resourceType", "Claim"}, {"id", "c1"}})});
    auto s = import_texts(*this, {{"b.json", bundle("transaction", entries).dump()}});
    BOOST_TEST(s.patients == 1);
    BOOST_TEST(s.events == 4);
    BOOST_TEST(s.events_added == 4);
    BOOST_REQUIRE(s.skipped.size() == 1u);
    BOOST_TEST(s.skipped[0].reason.find("Claim") != std::string::npos);

    auto p = store->patients().find_by_mrn("MRN-1");
    BOOST_REQUIRE(p.has_value());
    BOOST_TEST(p->name == "Ada Lovelace");
    BOOST_TEST(p->birth_date.value() == "1950-02-03");
    BOOST_TEST(p->sex.value() == "female");
    BOOST_TEST(p->identifiers.size() == 2u);

    auto events = store->timeline().events(p->id, {});
    BOOST_REQUIRE(events.size() == 4u);
    BOOST_TEST(to_string(events[0].kind) == "encounter");  // time order, UTC
    BOOST_TEST(to_string(events[1].kind) == "observation");
    BOOST_TEST(events[1].value_text.value() == "128/84");
    BOOST_TEST(events[1].unit.value() == "mm[Hg]");
    BOOST_TEST(events[1].components.size() == 2u);
    BOOST_TEST(events[2].start.value() == "2020-01-02T09:00:00Z");
    BOOST_TEST(events[2].value_num.value() == 72.0);
    BOOST_TEST(events[2].code.code == "8867-4");
    BOOST_TEST(events[3].start.value() == "2020-02-01");

    TimelineFilter only_obs;
    only_obs.kinds = {EventKind::observation};
    BOOST_TEST(store->timeline().events(p->id, only_obs).size() == 2u);
    TimelineFilter january;
    january.from = "2020-01-01";
    january.to = "2020-01-01";
    BOOST_TEST(store->timeline().events(p->id, january).size() == 1u);  // a date bound covers the whole day
    BOOST_TEST(store->audit().verify().intact);
    BOOST_TEST(store->audit().entries({.action = "import.fhir"}).size() == 1u);
}

BOOST_FIXTURE_TEST_CASE(blood_pressure_reads_systolic_first_whatever_the_source_order, StoreFixture) {
    auto bp = blood_pressure("bp", "Patient/s", "2020-01-01", 129.3145812, 85.59061487);
    std::swap(bp["component"][0], bp["component"][1]);  // diastolic first, as some sources send it
    import_texts(*this, {{"s.json", bundle("collection", Json::array({entry(patient("s", "MRN-S", "S", "S")), entry(bp)})).dump()}});
    auto events = store->timeline().events(store->patients().find_by_mrn("MRN-S")->id, {});
    BOOST_REQUIRE(events.size() == 1u);
    BOOST_TEST(events[0].value_text.value() == "129.3/85.59");
    BOOST_TEST(events[0].components[0].code.code == "8462-4");  // the parts themselves stay as sent
}

BOOST_FIXTURE_TEST_CASE(every_bundle_type_and_reference_form_resolves, StoreFixture) {
    int n = 0;
    for (std::string type : {"transaction", "batch", "collection", "searchset"}) {
        std::string id = "p-" + type;
        Json entries = Json::array({entry(patient(id, "M-" + type, "G", type), "http://example.org/fhir/Patient/" + id),
                                    entry(observation("a-" + type, "Patient/" + id, "2020-01-01", 1)),
                                    entry(observation("b-" + type, "http://example.org/fhir/Patient/" + id, "2020-01-01", 2)),
                                    entry(observation("c-" + type, "Patient/" + id + "/_history/3", "2020-01-01", 3))});
        import_texts(*this, {{type + ".json", bundle(type, entries).dump()}});
        auto p = store->patients().find_by_mrn("M-" + type);
        BOOST_REQUIRE(p.has_value());
        BOOST_TEST(store->timeline().events(p->id, {}).size() == 3u, type);
        ++n;
    }
    BOOST_TEST(store->patients().list().size() == static_cast<std::size_t>(n));
}

BOOST_FIXTURE_TEST_CASE(ndjson_and_single_resources_and_references_across_files, StoreFixture) {
    std::string ndjson = patient("nd", "MRN-ND", "Nora", "Line").dump() + "\n" +
                         observation("nd1", "Patient/nd", "2021-05-05", 10).dump() + "\n\n" +
                         observation("nd2", "Patient/nd", "2021-05-06", 11).dump() + "\n";
    // The observation file comes first: files that bring patients are written first.
    import_texts(*this, {{"single.json", observation("single", "Patient/nd", "2021-05-07", 12).dump()},
                         {"all.ndjson", ndjson}});
    auto p = store->patients().find_by_mrn("MRN-ND");
    BOOST_REQUIRE(p.has_value());
    BOOST_TEST(store->timeline().events(p->id, {}).size() == 3u);
    // Later, a lone resource referring to the stored patient.
    import_texts(*this, {{"later.json", observation("later", "Patient/nd", "2021-06-01", 13).dump()}});
    BOOST_TEST(store->timeline().events(p->id, {}).size() == 4u);
}

BOOST_FIXTURE_TEST_CASE(reimport_changes_nothing_and_a_new_version_updates, StoreFixture) {
    Json entries = Json::array({entry(patient("p", "MRN-R", "Re", "Import"), "urn:uuid:p"),
                                entry(observation("o", "urn:uuid:p", "2020-01-01", 80))});
    auto text = bundle("batch", entries).dump();
    import_texts(*this, {{"r.json", text}});
    auto again = import_texts(*this, {{"r.json", text}});
    BOOST_TEST(again.events_added == 0);
    BOOST_TEST(again.events_updated == 0);
    BOOST_TEST(again.events_unchanged == 1);
    BOOST_TEST(again.patients_added == 0);
    entries[1]["resource"]["valueQuantity"]["value"] = 95;
    auto changed = import_texts(*this, {{"r.json", bundle("batch", entries).dump()}});
    BOOST_TEST(changed.events_updated == 1);
    auto p = store->patients().find_by_mrn("MRN-R");
    auto events = store->timeline().events(p->id, {});
    BOOST_REQUIRE(events.size() == 1u);
    BOOST_TEST(events[0].value_num.value() == 95.0);
}

BOOST_FIXTURE_TEST_CASE(a_patient_known_by_mrn_is_linked_not_duplicated, StoreFixture) {
    // As the viewer does for a DICOM-only patient: known by PatientID (= MRN), no FHIR source yet.
    Patient from_dicom;
    from_dicom.mrn = "MRN-D";
    from_dicom.name = "DOE^JANE";
    std::int64_t id;
    {
        auto tx = store->begin();
        id = store->patients().insert(from_dicom);
        tx->commit();
    }
    import_texts(*this, {{"d.json", bundle("batch", Json::array({entry(patient("d", "MRN-D", "Jane", "Doe"))})).dump()}});
    auto all = store->patients().list();
    BOOST_TEST(all.size() == 1u);
    BOOST_TEST(all[0].id == id);
    BOOST_TEST(all[0].name == "Jane Doe");
}

BOOST_FIXTURE_TEST_CASE(resources_without_a_subject_are_skipped_and_listed, StoreFixture) {
    Json orphan = observation("x", "Patient/none", "2020-01-01", 1);
    orphan.erase("subject");
    auto s = import_texts(*this, {{"o.json", orphan.dump()}});
    BOOST_TEST(s.events == 0);
    BOOST_REQUIRE(s.skipped.size() == 1u);
    BOOST_TEST(s.skipped[0].reason.find("without a patient reference") != std::string::npos);
}

BOOST_FIXTURE_TEST_CASE(shared_synthea_bundles_match_an_independent_count, StoreFixture, CONSILIUM_SHARED_DATA) {
    auto root = *consilium::test::shared_data() / "fhir";
    // Oracle: walk the files with plain JSON, count per patient and kind.
    std::map<std::string, std::string> alias;                      // reference -> patient FHIR id
    std::map<std::string, std::map<std::string, int>> expected;    // patient FHIR id -> kind -> n
    std::vector<std::pair<std::string, std::string>> pending;      // reference, kind
    FhirImport import(*store);
    for (const auto& file : fhir_files(root)) {
        import.read_file(file);
        auto doc = Json::parse(consilium::test::read_file(file));
        for (const auto& e : doc["entry"]) {
            const auto& r = e["resource"];
            std::string type = r["resourceType"];
            if (type == "Patient") {
                std::string id = r["id"];
                expected[id];
                alias[e.value("fullUrl", "")] = id;
                alias["Patient/" + id] = id;
            } else if (kKindOfType.count(type) && (r.contains("subject") || r.contains("patient"))) {
                pending.emplace_back(r.contains("subject") ? r["subject"]["reference"] : r["patient"]["reference"],
                                     kKindOfType.at(type));
            }
        }
    }
    for (const auto& [ref, kind] : pending) ++expected[alias.at(ref)][kind];
    auto summary = import.commit(physician);
    BOOST_TEST(summary.patients == static_cast<int>(expected.size()));
    BOOST_TEST(store->patients().list().size() == expected.size());
    for (const auto& [id, kinds] : expected) {
        auto p = store->patients().find_by_source("Patient/" + id);
        BOOST_REQUIRE_MESSAGE(p.has_value(), "patient " << id);
        BOOST_TEST((kinds_of(*this, p->id) == kinds), "patient " << p->name);
    }
    // And again: nothing new.
    FhirImport again(*store);
    for (const auto& file : fhir_files(root)) again.read_file(file);
    auto second = again.commit(physician);
    BOOST_TEST(second.events_added == 0);
    BOOST_TEST(second.patients_added == 0);
    BOOST_TEST(second.events_updated == 0);
    BOOST_TEST(store->audit().verify().intact);
}

BOOST_AUTO_TEST_SUITE_END()
