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

fs::path artifacts() {
    const char* bin = std::getenv("CONSILIUM_BIN");
    return fs::path(bin ? bin : ".").parent_path() / "test-artifacts" / "gui";
}

std::string read_all(const fs::path& p) {
    std::ifstream in(p);
    std::stringstream s;
    s << in.rdbuf();
    return s.str();
}

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
    bool failed_attempt = false;
    for (const auto& e : w.store().audit().entries({}))
        if (e.record.action == "login.failed" && e.record.object_id == "radiologist") failed_attempt = true;
    BOOST_TEST(failed_attempt, "the wrong password is not in the audit log");
}
