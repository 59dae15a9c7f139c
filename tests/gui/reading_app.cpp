#include "reading_app.h"

#include "consilium/decision/store.h"
#include "consilium/decision/workspace.h"

#include <boost/test/unit_test.hpp>

#include <csignal>
#include <fcntl.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

extern char** environ;

namespace fs = std::filesystem;

namespace consilium::test::gui {

DemoReading::DemoReading() {
    auto r = run_program({cli, "--workspace", ws.string(), "init", "--demo"});
    BOOST_REQUIRE_MESSAGE(r.exit_code == 0, r.err);
    std::string series;
    {
        auto w = decision::Workspace::open(ws);
        for (const auto& p : w.store().patients().list()) {
            if (p.study_count > 0 && !ct_patient) {
                ct_patient = p.id;
                ct_name = p.name;
                for (const auto& study : w.store().imaging().studies_of(p.id))
                    for (const auto& s : w.store().imaging().series_of(study.id))
                        if (series.empty()) series = s.series_uid;
            } else if (p.study_count == 0 && !no_images) {
                no_images = p.id;
                no_images_name = p.name;
            }
        }
    }
    BOOST_REQUIRE(ct_patient > 0 && no_images > 0 && !series.empty());
    r = run_program({cli, "--workspace", ws.string(), "--user", "radiologist", "plugins", "run", "org.consilium.lung-nodules",
                     "--patient", std::to_string(ct_patient), "--series", series},
                    {{"CONSILIUM_PASSWORD", "radiologist"}});
    BOOST_REQUIRE_MESSAGE(r.exit_code == 0, r.out << r.err);
}

std::unique_ptr<App> start_reading(const DemoReading& d, const fs::path& map, const std::string& lang,
                                   const std::string& log_name) {
    ::setenv("CONSILIUM_WIDGET_MAP", map.c_str(), 1);
    const auto shots = artifacts();
    fs::create_directories(shots);
    const std::vector<std::string> args{"--workspace", d.ws.string(), "--patient", std::to_string(d.ct_patient), "--lang", lang};
    auto app = std::make_unique<App>(args, shots / (log_name + ".log"));
    // Once in a full run the X server refused the connection right after the previous app quit
    // (Xvfb resets when its last client leaves): such a start is tried once more.
    if (app->wait_exit(2) >= 0 && read_all(shots / (log_name + ".log")).find("Unable to initialize GTK") != std::string::npos) {
        BOOST_TEST_MESSAGE("the X server refused the first connection; starting again");
        settle(2000);
        app = std::make_unique<App>(args, shots / (log_name + ".log"));
    }
    const auto login = find_window(lang == "nl" ? "Aanmelden|Log in" : "Log in", 30);
    BOOST_REQUIRE_MESSAGE(!login.empty(), "no log-in window within 30 s: " << read_all(shots / (log_name + ".log")));
    settle(500);
    xdo({"windowfocus", "--sync", login});
    type("radiologist");
    key("Tab");
    type("radiologist");
    key("Return");
    BOOST_REQUIRE_MESSAGE(!find_window("Consilium - ", 30).empty(),
                          "the main window did not open: " << read_all(shots / (log_name + ".log")));
    return app;
}

std::optional<Widget> widget(const fs::path& map, const std::string& kind, const std::string& name) {
    for (auto& w : read_widget_map(map))
        if (w.kind == kind && w.name == name) return w;
    return std::nullopt;
}

Display::Display(int width, int height) {
    const std::string display = ":" + std::to_string(300 + ::getpid() % 600);
    const std::string screen = std::to_string(width) + "x" + std::to_string(height) + "x24";
    std::vector<std::string> argv{"Xvfb", display, "-screen", "0", screen, "-nolisten", "tcp"};
    std::vector<char*> cargv;
    for (auto& a : argv) cargv.push_back(a.data());
    cargv.push_back(nullptr);
    posix_spawn_file_actions_t actions;
    posix_spawn_file_actions_init(&actions);
    posix_spawn_file_actions_addopen(&actions, 2, "/dev/null", O_WRONLY, 0);
    const int rc = posix_spawnp(&pid_, "Xvfb", &actions, nullptr, cargv.data(), environ);
    posix_spawn_file_actions_destroy(&actions);
    BOOST_REQUIRE_MESSAGE(rc == 0, "cannot start Xvfb");
    if (const char* d = std::getenv("DISPLAY")) previous_ = d;
    ::setenv("DISPLAY", display.c_str(), 1);
    for (int i = 0; i < 40 && run_program({"xdotool", "getdisplaygeometry"}).exit_code != 0; ++i) settle(250);
}

Display::~Display() {
    if (previous_.empty()) ::unsetenv("DISPLAY");
    else ::setenv("DISPLAY", previous_.c_str(), 1);
    if (pid_ > 0) {
        ::kill(pid_, SIGTERM);
        ::waitpid(pid_, nullptr, 0);
    }
}

}  // namespace consilium::test::gui
