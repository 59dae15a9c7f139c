// The shipped lung-nodule plugin (plugins/lung_nodules), run through the real host on the synthetic
// chest CT of chest_phantom.h, the volume in a memfd as the CLI hands it over: every nodule found
// near its centre with about its size, nothing for the vessel, the mass or the air around the
// patient, and the label mask kept in the evidence folder with the volume's geometry.
#include "approval_fixture.h"
#include "chest_phantom.h"
#include "evidence_fixture.h"

#include "consilium/plugins/discovery.h"
#include "consilium/plugins/intended_use.h"

#include <boost/test/unit_test.hpp>
#include <nlohmann/json.hpp>
#include <zlib.h>

#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <map>
#include <set>

namespace {

using namespace consilium::decision;
using consilium::test::ChestPhantom;
using consilium::test::evidence::SharedVolume;
using nlohmann::json;
namespace cp = consilium::plugins;
namespace fs = std::filesystem;

double distance(const std::array<double, 3>& a, const std::array<double, 3>& b) {
    return std::sqrt((a[0] - b[0]) * (a[0] - b[0]) + (a[1] - b[1]) * (a[1] - b[1]) + (a[2] - b[2]) * (a[2] - b[2]));
}

// A NRRD file: its header fields and its gzip-decoded voxels.
struct NrrdFile {
    std::map<std::string, std::string> fields;
    std::string voxels;
};

NrrdFile read_gzip_nrrd(const fs::path& file) {
    const auto text = consilium::test::read_file(file);
    const auto end = text.find("\n\n");
    BOOST_REQUIRE(end != std::string::npos);
    NrrdFile out;
    std::size_t pos = 0;
    while (pos < end) {
        const auto nl = text.find('\n', pos);
        const auto line = text.substr(pos, nl - pos);
        if (const auto colon = line.find(": "); colon != std::string::npos) out.fields[line.substr(0, colon)] = line.substr(colon + 2);
        pos = nl + 1;
    }
    BOOST_REQUIRE_EQUAL(out.fields["encoding"], "gzip");
    z_stream z{};
    BOOST_REQUIRE(inflateInit2(&z, 15 + 32) == Z_OK);
    z.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(text.data() + end + 2));
    z.avail_in = static_cast<uInt>(text.size() - end - 2);
    std::vector<char> buf(1 << 20);
    int rc = Z_OK;
    while (rc == Z_OK) {
        z.next_out = reinterpret_cast<Bytef*>(buf.data());
        z.avail_out = static_cast<uInt>(buf.size());
        rc = inflate(&z, Z_NO_FLUSH);
        out.voxels.append(buf.data(), buf.size() - z.avail_out);
    }
    inflateEnd(&z);
    BOOST_REQUIRE_EQUAL(rc, Z_STREAM_END);
    return out;
}

std::array<double, 3> triple(const json& v) { return {v[0].get<double>(), v[1].get<double>(), v[2].get<double>()}; }

struct NoduleFixture : consilium::test::evidence::StoreFixture {
    // The shipped plugin from the build tree, laid out like the product (<prefix>/lib/consilium/plugins).
    cp::DiscoveredPlugin shipped() {
        const char* bin = std::getenv("CONSILIUM_BIN");
        BOOST_REQUIRE(bin);
        const auto folder = fs::path(bin).parent_path() / "lib" / "consilium" / "plugins";
        for (auto& p : cp::discover_plugins(cp::SearchPath{{folder}}))
            if (p.id == "org.consilium.lung-nodules") {
                BOOST_REQUIRE_MESSAGE(p.available, p.reason);
                return p;
            }
        BOOST_FAIL("org.consilium.lung-nodules not found in " << folder);
        return {};
    }
};

BOOST_FIXTURE_TEST_SUITE(lung_nodules, NoduleFixture)

BOOST_AUTO_TEST_CASE(manifest_declares_a_ct_finding_plugin_with_a_model_card) {
    const auto p = shipped();
    BOOST_TEST(p.manifest->inputs.volume);
    BOOST_TEST((p.manifest->inputs.modalities == std::vector<std::string>{"CT"}));
    BOOST_TEST((p.manifest->outputs == std::vector<std::string>{"finding"}));
    BOOST_TEST(p.manifest->model.intended_use.find("radiologist") != std::string::npos);
    BOOST_TEST(p.manifest->model.training_data.find("not a trained network") != std::string::npos);
    BOOST_TEST(p.manifest->model.limitations.find("vessels") != std::string::npos);
}

BOOST_AUTO_TEST_CASE(finds_every_nodule_of_the_chest_phantom_and_nothing_else) {
    const ChestPhantom phantom;
    SharedVolume volume(phantom.dims, phantom.spacing, phantom.origin, phantom.voxels());
    cp::RunOptions options;
    options.evidence_dir = dir / "evidence";
    std::vector<std::string> logs;
    options.log = [&](const std::string& level, const std::string& text) { logs.push_back(level + " " + text); };
    const auto r = consilium::test::run_approved(*store, *session, shipped(), patient, volume.input, options);
    for (const auto& l : logs) BOOST_TEST_MESSAGE(l);
    BOOST_TEST_INFO("reason: " << r.reason);
    BOOST_REQUIRE(r.status == RunStatus::succeeded);

    const auto stored = store->suggestions().list_for_patient(patient);
    BOOST_TEST(stored.size() == phantom.nodules.size());
    const std::string mask_name = "evidence/run-" + std::to_string(r.run_id) + "/mask.nrrd";
    std::set<const Suggestion*> matched;
    for (const auto& nodule : phantom.nodules) {
        BOOST_TEST_CONTEXT("nodule of " << nodule.diameter << " mm at " << nodule.centre[0] << ", " << nodule.centre[1]
                                        << ", " << nodule.centre[2]) {
            const Suggestion* found = nullptr;
            double error = 1e9;
            for (const auto& s : stored)
                for (const auto& e : json::parse(s.evidence_json))
                    if (e["type"] == "roi" && distance(triple(e["center_lps"]), nodule.centre) < error) {
                        error = distance(triple(e["center_lps"]), nodule.centre);
                        found = &s;
                    }
            BOOST_REQUIRE(found);
            BOOST_TEST_MESSAGE("nodule " << nodule.diameter << " mm: \"" << found->summary << "\", centre error " << error
                                         << " mm, confidence " << found->confidence.value_or(-1));
            BOOST_TEST(error <= 1.5);
            BOOST_TEST(matched.insert(found).second);
            int mm = 0;
            BOOST_REQUIRE(std::sscanf(found->summary.c_str(), "Lung nodule candidate, %d mm", &mm) == 1);
            BOOST_TEST(std::abs(mm - nodule.diameter) <= 0.25 * nodule.diameter);
            BOOST_TEST(found->summary.find(nodule.centre[0] > 0 ? "left" : "right") != std::string::npos);
            BOOST_TEST(found->kind == SuggestionKind::finding);
            BOOST_TEST(found->coding.system == "http://snomed.info/sct");
            BOOST_TEST(found->coding.code == "786838002");
            BOOST_TEST(found->confidence.value_or(-1) > 0.0);
            BOOST_TEST(found->confidence.value_or(2) <= 1.0);
            BOOST_TEST(found->rationale.find("mean") != std::string::npos);
            BOOST_TEST(found->evidence_json.find("\"file\":\"" + mask_name + "\"") != std::string::npos);
        }
    }
    // Nothing on the vessel, the mass or outside the body.
    for (const auto& s : stored)
        for (const auto& e : json::parse(s.evidence_json))
            if (e["type"] == "roi") {
                const auto c = triple(e["center_lps"]);
                BOOST_TEST(phantom.distance_to_vessel(c[0], c[1], c[2]) > 5.0, s.summary);
                BOOST_TEST(distance(c, phantom.mass.centre) > 20.0, s.summary);
                BOOST_TEST(phantom.hu(c[0], c[1], c[2]) == 60, s.summary);
            }

    // The mask outlived the run's scratch folder and has exactly the volume's geometry.
    const auto mask = read_gzip_nrrd(dir / mask_name);
    BOOST_TEST(mask.fields.at("space") == "left-posterior-superior");
    BOOST_TEST(mask.fields.at("sizes") == "360 300 160");
    double o[3] = {}, d[9] = {};
    BOOST_REQUIRE(std::sscanf(mask.fields.at("space origin").c_str(), "(%lf,%lf,%lf)", &o[0], &o[1], &o[2]) == 3);
    BOOST_REQUIRE(std::sscanf(mask.fields.at("space directions").c_str(), "(%lf,%lf,%lf) (%lf,%lf,%lf) (%lf,%lf,%lf)", &d[0],
                              &d[1], &d[2], &d[3], &d[4], &d[5], &d[6], &d[7], &d[8]) == 9);
    for (int a = 0; a < 3; ++a) {
        BOOST_TEST(std::abs(o[a] - phantom.origin[static_cast<std::size_t>(a)]) < 1e-6);
        for (int c = 0; c < 3; ++c)
            BOOST_TEST(std::abs(d[a * 3 + c] - (a == c ? phantom.spacing[static_cast<std::size_t>(a)] : 0.0)) < 1e-6);
    }
    BOOST_REQUIRE(mask.voxels.size() == static_cast<std::size_t>(360 * 300 * 160));
    auto label_at = [&](const std::array<double, 3>& p) {
        std::size_t idx[3];
        for (std::size_t a = 0; a < 3; ++a)
            idx[a] = static_cast<std::size_t>(std::lround((p[a] - phantom.origin[a]) / phantom.spacing[a]));
        return static_cast<unsigned char>(mask.voxels[idx[0] + 360 * (idx[1] + 300 * idx[2])]);
    };
    std::set<int> labels;
    for (const auto& n : phantom.nodules) labels.insert(label_at(n.centre));
    BOOST_TEST((labels == std::set<int>{1, 2, 3, 4}));
    BOOST_TEST(label_at(phantom.mass.centre) == 0);
    std::array<double, 3> vessel_middle{};
    for (std::size_t a = 0; a < 3; ++a) vessel_middle[a] = (phantom.vessel_from[a] + phantom.vessel_to[a]) / 2;
    BOOST_TEST(label_at(vessel_middle) == 0);
    BOOST_TEST(store->audit().verify().intact);
}

// The manifest reads CT only: the host refuses another modality before the plugin starts (the
// plugin's own check, "not CT", is for hosts that do not).
BOOST_AUTO_TEST_CASE(a_series_other_than_ct_is_refused_before_the_plugin_starts) {
    ChestPhantom phantom;
    phantom.dims = {64, 64, 8};
    SharedVolume volume(phantom.dims, phantom.spacing, phantom.origin, phantom.voxels());
    volume.input.modality = "MR";
    const auto r = consilium::test::run_approved(*store, *session, shipped(), patient, volume.input);
    BOOST_TEST_INFO("reason: " << r.reason);
    BOOST_TEST(r.status == RunStatus::rejected);
    BOOST_TEST(r.reason.find("reads CT series; this series is MR") != std::string::npos);
    BOOST_TEST(!r.exit_code.has_value());  // never started
    BOOST_TEST(store->suggestions().list_for_patient(patient).empty());
}

// A child's chest CT: refused by the host (the manifest states adults, 18 and over); with a
// clinician's explicit --outside-intended-use it runs, and the plugin, told so in the context,
// does not decline it: every finding is marked.
BOOST_AUTO_TEST_CASE(a_childs_scan_is_refused_unless_a_clinician_asks_for_it) {
    {
        auto tx = store->begin();
        auto p = *store->patients().find(patient);
        p.birth_date = std::to_string(std::stoi(cp::today_utc().substr(0, 4)) - 9) + "-01-01";
        store->patients().update(p);
        tx->commit();
    }
    const ChestPhantom phantom;
    SharedVolume volume(phantom.dims, phantom.spacing, phantom.origin, phantom.voxels());
    auto refused = consilium::test::run_approved(*store, *session, shipped(), patient, volume.input);
    BOOST_TEST_INFO("reason: " << refused.reason);
    BOOST_TEST(refused.status == RunStatus::rejected);
    BOOST_TEST(refused.reason.find("outside intended use: age 9 years is below the minimum 18") != std::string::npos);
    cp::RunOptions options;
    options.outside_intended_use = true;
    auto ran = consilium::test::run_approved(*store, *session, shipped(), patient, volume.input, options);
    BOOST_TEST_INFO("reason: " << ran.reason);
    BOOST_REQUIRE(ran.status == RunStatus::succeeded);
    BOOST_TEST(ran.suggestions.size() == phantom.nodules.size());
    for (const auto& s : store->suggestions().list_for_patient(patient)) BOOST_TEST(s.outside_intended_use);
}

BOOST_AUTO_TEST_SUITE_END()

}  // namespace
