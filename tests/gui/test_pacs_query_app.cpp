// File > Query PACS in the real workstation under Xvfb, with real X input: a real Orthanc holding a
// generated CT study, the node configured through the CLI in a fresh demo workspace, a radiologist
// searches, retrieves, and the study opens in the viewer. Asserted on the store (study and images
// held), the audit trail (pacs.retrieve succeeded, as the CLI records it) and the screen (the
// viewer is not blank). The same dialog in Dutch. Screenshots in <build>/test-artifacts/gui.
#include "../cli/dicom_series.h"
#include "../pacs/orthanc.h"
#include "app_driver.h"

#include "consilium/decision/store.h"
#include "consilium/decision/workspace.h"

#include <boost/test/unit_test.hpp>

#include <chrono>
#include <cstdlib>
#include <fstream>
#include <sstream>
#include <thread>

namespace fs = std::filesystem;
using namespace consilium;
using namespace consilium::test;
using namespace consilium::test::gui;

namespace {

std::string cli() { return std::string(std::getenv("CONSILIUM_BIN")) + "/consilium-cli"; }

// The axial quadrant of the viewer in the default layout on a 1600x1000 screen.
constexpr int kAxialX = 460, kAxialY = 130, kAxialW = 330, kAxialH = 260;

void log_in(const std::string& user) {
    const auto login = find_window("Log in|Aanmelden", 30);
    BOOST_REQUIRE_MESSAGE(!login.empty(), "no log-in window within 30 s");
    settle(500);
    xdo({"windowfocus", "--sync", login});
    type(user);
    key("Tab");
    type(user);  // demo users: password = name
    key("Return");
}

// Opens File > Query PACS with its shortcut and searches for `patient_id`; returns the first row.
Widget search(const fs::path& map, const std::string& patient_id, const fs::path& shot) {
    key("ctrl+shift+p");
    auto field = wait_widget(map, "text", "patient-id", 15);
    BOOST_REQUIRE_MESSAGE(field, "the Query PACS dialog did not open");
    settle(500);
    click(*field);
    type(patient_id);
    auto go = wait_widget(map, "button", "search", 5);
    BOOST_REQUIRE(go);
    click(*go);
    auto row = wait_widget(map, "list-row", patient_id, 20, true);
    BOOST_REQUIRE_MESSAGE(row, "no study row for " << patient_id);
    settle(500);
    screenshot(shot);
    return *row;
}

struct Held {
    bool study = false;
    std::int64_t instances = 0;
};
Held held(const fs::path& ws, const std::string& study_uid) {
    auto w = decision::Workspace::open(ws);
    Held h;
    if (auto s = w.store().imaging().find_study(study_uid)) {
        h.study = true;
        for (const auto& series : w.store().imaging().series_of(s->id)) h.instances += series.instances;
    }
    return h;
}

}  // namespace

BOOST_AUTO_TEST_CASE(a_radiologist_retrieves_a_study_from_the_pacs_and_sees_it) {
    ScratchDir dir("pacs-gui");
    const fs::path ws = dir / "ws";
    auto init = run_program({cli(), "--workspace", ws.string(), "init", "--demo"});
    BOOST_REQUIRE_MESSAGE(init.exit_code == 0, init.err);

    pacs::Orthanc orthanc;
    dicom::SeriesSpec spec;
    spec.patient_id = "PACS-0042";
    spec.patient_name = "VAN DAM^ANNA";
    spec.study_description = "CT THORAX";
    spec.slices = 40;
    spec.rows = spec.columns = 128;
    const auto files = dicom::write_series(dir / "local", spec);
    BOOST_REQUIRE_EQUAL(orthanc.upload(files), spec.slices);
    auto add = run_program({cli(), "--workspace", ws.string(), "--user", "admin", "pacs", "add", "radiology", "--dimse",
                            "ORTHANC@127.0.0.1:" + std::to_string(orthanc.dicom_port()), "--calling-aet", "CONSILIUM"},
                           {{"CONSILIUM_PASSWORD", "admin"}});
    BOOST_REQUIRE_MESSAGE(add.exit_code == 0, add.err);

    const auto shots = artifacts();
    fs::create_directories(shots);
    const fs::path map = dir / "widgets.tsv";
    ::setenv("CONSILIUM_WIDGET_MAP", map.c_str(), 1);
    {
        App app({"--workspace", ws.string(), "--lang", "en"}, shots / "pacs-query.log");
        log_in("radiologist");
        BOOST_REQUIRE_MESSAGE(!find_window("^Consilium", 30).empty(),
                              "the main window did not open: " << read_all(shots / "pacs-query.log"));
        settle(3000);
        auto row = search(map, spec.patient_id, shots / "pacs-01-search.png");
        click(row.x + 40, row.cy());
        auto retrieve = wait_widget(map, "button", "retrieve", 5);
        BOOST_REQUIRE(retrieve);
        click(*retrieve);

        // The study arrives in the workspace and the viewer opens it (the title names the patient).
        const auto patient_window = find_window("Consilium - .*Anna", 60);
        settle(1500);
        screenshot(shots / "pacs-02-retrieved.png");
        BOOST_REQUIRE_MESSAGE(!patient_window.empty(), "the retrieved study was not opened: " << read_all(shots / "pacs-query.log"));
        auto close = wait_widget(map, "button", "close", 5);
        BOOST_REQUIRE(close);
        click(*close);
        settle(5000);  // the series loads and the views draw
        auto s = screenshot(shots / "pacs-03-viewer.png");
        BOOST_TEST(s.spread(kAxialX, kAxialY, kAxialW, kAxialH) > 10.0, "the axial view looks blank");
        xdo({"windowfocus", "--sync", patient_window});
        key("ctrl+q");
        BOOST_TEST(app.wait_exit(20) == 0);
    }

    const auto h = held(ws, spec.study_uid);
    BOOST_TEST(h.study, "the study is not in the workspace");
    BOOST_TEST(h.instances == spec.slices);
    {
        auto w = decision::Workspace::open(ws);
        bool retrieved = false, imported = false;
        for (const auto& e : w.store().audit().entries({})) {
            if (e.record.user != "radiologist") continue;
            if (e.record.action == "pacs.retrieve" && e.record.object_id == spec.study_uid &&
                e.record.details.find("\"status\":\"succeeded\"") != std::string::npos &&
                e.record.details.find("\"node\":\"radiology\"") != std::string::npos)
                retrieved = true;
            imported = imported || e.record.action == "import.dicom";
        }
        BOOST_TEST(retrieved, "no pacs.retrieve audit entry");
        BOOST_TEST(imported, "no import.dicom audit entry");
        BOOST_TEST(w.store().audit().verify().intact);
    }

    // The same dialog in Dutch: the study is held now, so a second retrieve fetches nothing.
    {
        App app({"--workspace", ws.string(), "--lang", "nl"}, shots / "pacs-query-nl.log");
        log_in("radiologist");
        BOOST_REQUIRE(!find_window("^Consilium", 30).empty());
        settle(3000);
        auto row = search(map, spec.patient_id, shots / "pacs-04-search-nl.png");
        click(row.x + 40, row.cy());
        auto retrieve = wait_widget(map, "button", "retrieve", 5);
        BOOST_REQUIRE(retrieve);
        click(*retrieve);
        settle(4000);
        screenshot(shots / "pacs-05-retrieved-again-nl.png");
        auto close = wait_widget(map, "button", "close", 5);
        BOOST_REQUIRE(close);
        click(*close);
        settle(1000);
        xdo({"windowfocus", "--sync", find_window("^Consilium", 5)});  // no window manager moves the focus back
        key("ctrl+q");
        BOOST_TEST(app.wait_exit(20) == 0);
    }
    BOOST_TEST(held(ws, spec.study_uid).instances == spec.slices);  // nothing doubled
}
