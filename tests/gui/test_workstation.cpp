// The real workstation, started on a demo workspace under Xvfb and driven with real X input
// events: log-in (a wrong password first), the patient opened with its CT, scrolling, window/level,
// presets, maximising a view, quitting. Assertions on the pixels and on the store; a screenshot of
// every step is kept in <build>/test-artifacts/gui.
#include "app_driver.h"

#include "consilium/decision/store.h"
#include "consilium/decision/workspace.h"

#include <boost/test/unit_test.hpp>

#include <cstdlib>
#include <fstream>
#include <sstream>

namespace fs = std::filesystem;
using namespace consilium;
using namespace consilium::test;
using namespace consilium::test::gui;

namespace {

// The viewer's quadrants in the default layout on a 1600x1000 screen (worklist left, AI
// suggestions right, timeline below): generous margins keep them inside each pane.
struct Pane {
    int x, y, w, h;
    int cx() const { return x + w / 2; }
    int cy() const { return y + h / 2; }
};
constexpr Pane kAxial{460, 130, 330, 260};
constexpr Pane kCoronal{840, 130, 330, 260};

std::vector<decision::AuditEntry> audit_of(const fs::path& ws, const std::string& user) {
    auto w = decision::Workspace::open(ws);
    decision::AuditFilter f;
    std::vector<decision::AuditEntry> out;
    for (auto& e : w.store().audit().entries(f))
        if (e.record.user == user) out.push_back(e);
    return out;
}

bool has_action(const std::vector<decision::AuditEntry>& entries, const std::string& action) {
    for (const auto& e : entries)
        if (e.record.action == action) return true;
    return false;
}

}  // namespace

BOOST_AUTO_TEST_CASE(a_radiologist_logs_in_reads_the_ct_and_quits) {
    ScratchDir dir("gui");
    const fs::path ws = dir / "ws";
    const std::string cli = std::string(std::getenv("CONSILIUM_BIN")) + "/consilium-cli";
    auto init = run_program({cli, "--workspace", ws.string(), "init", "--demo"});
    BOOST_REQUIRE_MESSAGE(init.exit_code == 0, init.err);
    std::int64_t patient = 0;
    {
        auto w = decision::Workspace::open(ws);
        for (const auto& p : w.store().patients().list())
            if (p.study_count > 0) patient = p.id;
    }
    BOOST_REQUIRE(patient > 0);
    const auto shots = artifacts();
    fs::create_directories(shots);

    const fs::path map = dir / "widgets.tsv";
    ::setenv("CONSILIUM_WIDGET_MAP", map.c_str(), 1);
    App app({"--workspace", ws.string(), "--patient", std::to_string(patient), "--watchdog", "--lang", "en"},
            shots / "workstation.log");
    const auto login = find_window("Log in", 30);
    BOOST_REQUIRE_MESSAGE(!login.empty(), "no log-in window within 30 s");
    settle(500);
    xdo({"windowfocus", "--sync", login});
    screenshot(shots / "01-login.png");

    // A wrong password: a message, the dialog stays, the program runs on.
    type("radiologist");
    key("Tab");
    type("not-the-password");
    key("Return");
    settle(1500);
    auto s = screenshot(shots / "02-wrong-password.png");
    BOOST_TEST(app.running());
    BOOST_TEST(!find_window("Log in", 2).empty());
    // The right one (the password field has the focus again and is empty).
    type("radiologist");
    key("Return");
    const auto main = find_window("Consilium - ", 30);
    BOOST_REQUIRE_MESSAGE(!main.empty(), "the main window did not open with a patient: " << read_all(shots / "workstation.log"));
    settle(6000);  // the CT loads and the four views draw
    s = screenshot(shots / "03-patient-open.png");
    BOOST_TEST(s.width == 1600);
    BOOST_TEST(s.spread(kAxial.x, kAxial.y, kAxial.w, kAxial.h) > 15.0, "the axial view looks blank");
    BOOST_TEST(s.spread(kCoronal.x, kCoronal.y, kCoronal.w, kCoronal.h) > 15.0, "the coronal view looks blank");

    // Wheel over the axial view: another slice.
    xdo({"mousemove", "--sync", std::to_string(kAxial.cx()), std::to_string(kAxial.cy())});
    for (int i = 0; i < 12; ++i) xdo({"click", "5"});
    settle(1500);
    auto scrolled = screenshot(shots / "04-scrolled.png");
    BOOST_TEST(scrolled.changed_fraction(s, kAxial.x, kAxial.y, kAxial.w, kAxial.h) > 0.001, "scrolling changed nothing");

    // Right-drag: window/level changes the picture.
    drag(kAxial.cx(), kAxial.cy(), kAxial.cx() + 80, kAxial.cy() + 40, 3);
    settle(1500);
    auto leveled = screenshot(shots / "05-window-level.png");
    BOOST_TEST(leveled.changed_fraction(scrolled, kAxial.x, kAxial.y, kAxial.w, kAxial.h) > 0.05, "window/level changed nothing");

    // Key 3: the lung window.
    key("3");
    settle(1500);
    auto lung = screenshot(shots / "06-lung-preset.png");
    BOOST_TEST(lung.changed_fraction(leveled, kAxial.x, kAxial.y, kAxial.w, kAxial.h) > 0.05, "the lung preset changed nothing");

    // Double-click maximises the axial view over the whole viewer; again restores the 2x2.
    xdo({"mousemove", "--sync", std::to_string(kAxial.cx()), std::to_string(kAxial.cy())});
    xdo({"click", "--repeat", "2", "--delay", "80", "1"});
    settle(2000);
    auto maxed = screenshot(shots / "07-axial-maximised.png");
    BOOST_TEST(maxed.changed_fraction(lung, kCoronal.x, kCoronal.y, kCoronal.w, kCoronal.h) > 0.2,
               "the coronal pane is still there after maximising the axial view");
    xdo({"click", "--repeat", "2", "--delay", "80", "1"});
    settle(2000);
    screenshot(shots / "08-restored.png");

    // Run NEWS2 from the plugins pane and accept its score (a lung-nodule finding is rejected below).
    key("ctrl+p");
    settle(2000);  // the pane docks and lays out; rows are where the map says after that
    auto news2 = wait_widget(map, "list-row", "NEWS2", 15, true);
    BOOST_REQUIRE_MESSAGE(news2, "the plugins pane shows no NEWS2 row");
    click(news2->x + 60, news2->cy());  // rows are as wide as all columns: click near their start
    settle(500);
    auto run = wait_widget(map, "button", "plugin-run", 10);
    BOOST_REQUIRE_MESSAGE(run, "no enabled 'Run on this patient' button");
    screenshot(shots / "09-plugins-pane.png");
    click(*run);
    // The run is done when its suggestions are in the store (the card list follows).
    std::vector<std::string> proposed;
    for (int i = 0; i < 120 && proposed.empty(); ++i) {
        settle(500);
        proposed.clear();
        auto w = decision::Workspace::open(ws);
        for (const auto& sg : w.store().suggestions().list_for_patient(patient))
            if (sg.status == decision::ReviewStatus::proposed) proposed.push_back(std::to_string(sg.id));
    }
    settle(1000);
    key("ctrl+p");  // the plugins pane away: the cards have the whole height
    settle(1500);
    BOOST_REQUIRE_MESSAGE(!proposed.empty(), "NEWS2 should give a risk score");
    screenshot(shots / "10-news2-suggestions.png");
    // A card's buttons may be below the panel's fold: wheel the panel until they are in sight.
    auto in_sight = [&](const std::string& name) {
        if (auto w = wait_widget(map, "button", name, 1)) return w;
        xdo({"mousemove", "--sync", "1400", "500"});
        for (int i = 0; i < 15; ++i) xdo({"click", "4"});  // back to the top of the cards
        for (int i = 0; i < 15; ++i) {
            if (auto w = wait_widget(map, "button", name, 1)) return w;
            xdo({"mousemove", "--sync", "1400", "500"});
            xdo({"click", "5"});
        }
        return wait_widget(map, "button", name, 1);
    };
    auto accept = in_sight("accept-" + proposed[0]);
    BOOST_REQUIRE_MESSAGE(accept, "the Accept button of suggestion " << proposed[0] << " cannot be brought into sight");
    click(*accept);
    settle(2000);
    screenshot(shots / "11-accepted.png");

    // The lung-nodule plugin on the CT; "Show on image" draws the mask in the views.
    key("ctrl+p");
    settle(2000);
    auto nodules = wait_widget(map, "list-row", "Lung nodule", 10, true);
    BOOST_REQUIRE(nodules);
    click(nodules->x + 60, nodules->cy());
    run = wait_widget(map, "button", "plugin-run", 10);
    BOOST_REQUIRE(run);
    click(*run);
    std::size_t findings = 0;
    std::int64_t finding_id = 0;
    for (int i = 0; i < 180 && findings == 0; ++i) {
        settle(500);
        auto w = decision::Workspace::open(ws);
        for (const auto& sg : w.store().suggestions().list_for_patient(patient))
            if (sg.kind == decision::SuggestionKind::finding) {
                ++findings;
                if (!finding_id) finding_id = sg.id;
            }
    }
    BOOST_REQUIRE_MESSAGE(findings > 0, "the lung-nodule run stored no finding");
    settle(1000);
    key("ctrl+p");  // the plugins pane away: the viewer has its place back
    settle(1500);
    auto before_show = screenshot(shots / "14-nodules-found.png");
    auto show = in_sight("show-");
    BOOST_REQUIRE(show);
    click(*show);
    // The mask is read on a worker thread: give it time on a loaded machine.
    auto reddish = [](int r, int g, int b) { return r > 140 && r > g + 50 && r > b + 50; };
    const int red_before = count_pixels(before_show, kAxial.x, kAxial.y, kAxial.w, kAxial.h, reddish);
    int red_after = 0;
    for (int i = 0; i < 8 && red_after <= red_before + 20; ++i) {
        settle(2000);
        auto shown = screenshot(shots / "15-show-on-image.png");
        red_after = count_pixels(shown, kAxial.x, kAxial.y, kAxial.w, kAxial.h, reddish);
    }
    BOOST_TEST(red_after > red_before + 20, "the nodule mask is not drawn in the axial view (" << red_before << " -> " << red_after << " red pixels)");

    // Reject a nodule finding with a coded reason and words.
    auto reject = in_sight("reject-" + std::to_string(finding_id));
    BOOST_REQUIRE(reject);
    click(*reject);
    auto reason = wait_widget(map, "listbox-row", "reasons", 10);
    BOOST_REQUIRE_MESSAGE(reason, "the review dialog did not open");
    click(*reason);  // the first coded reason: clinically incorrect
    auto words = wait_widget(map, "text", "reason-text", 5);
    BOOST_REQUIRE(words);
    click(*words);
    type("a vessel seen end-on");
    screenshot(shots / "12-reject-dialog.png");
    auto record = wait_widget(map, "button", "record-decision", 5);
    BOOST_REQUIRE_MESSAGE(record, "the dialog's record button is not enabled with a reason chosen");
    click(*record);
    settle(2000);
    screenshot(shots / "13-rejected.png");

    BOOST_TEST(app.running());
    key("ctrl+q");
    const int rc = app.wait_exit(20);
    BOOST_TEST(rc == 0, "exit status " << rc);

    const auto log = read_all(shots / "workstation.log");
    BOOST_TEST_MESSAGE(log);
    BOOST_TEST(log.find("ui-watchdog: longest stall") != std::string::npos);

    const auto entries = audit_of(ws, "radiologist");
    BOOST_TEST(has_action(entries, "login"));
    BOOST_TEST(has_action(entries, "patient.open"));
    BOOST_TEST(has_action(entries, "series.view"));
    BOOST_TEST(has_action(entries, "logout"));
    auto w = decision::Workspace::open(ws);
    BOOST_TEST(w.store().audit().verify().intact);
    const auto accepted = w.store().suggestions().find(std::stoll(proposed[0]));
    const auto rejected = w.store().suggestions().find(finding_id);
    BOOST_REQUIRE(accepted && rejected);
    BOOST_TEST((accepted->status == decision::ReviewStatus::accepted));
    BOOST_TEST(accepted->reviewed_by.value_or("") == "radiologist");
    BOOST_TEST((rejected->status == decision::ReviewStatus::rejected));
    BOOST_TEST(rejected->reason_text.value_or("") == "a vessel seen end-on");
    BOOST_TEST((rejected->reason_code == decision::ReasonCode::clinically_incorrect));
    BOOST_TEST(has_action(entries, "suggestion.review"));
    BOOST_TEST(has_action(entries, "plugin.run"));
    bool failed_attempt = false;
    for (const auto& e : w.store().audit().entries({}))
        if (e.record.action == "login.failed" && e.record.object_id == "radiologist") failed_attempt = true;
    BOOST_TEST(failed_attempt, "the wrong password is not in the audit log");
}
