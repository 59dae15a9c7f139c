// The real workstation under Xvfb on patients imported from DICOM in many character sets plus one
// recorded without a name: the banner, the title bar and the worklist never show an empty
// identity, and a Japanese name is shown in all three of its forms - in English and in Dutch.
// The banner is drawn, not a control: its text is read from the widget map (CONSILIUM_WIDGET_MAP),
// where the panel gives what it drew as its label. Screenshots in <build>/test-artifacts/gui.
#include "app_driver.h"

#include "consilium/decision/store.h"
#include "consilium/decision/workspace.h"

#include <boost/test/unit_test.hpp>

#include <cstdlib>

namespace fs = std::filesystem;
using namespace consilium;
using namespace consilium::test;
using namespace consilium::test::gui;

namespace {

struct Charsets {
    ScratchDir dir{"identity-gui"};
    fs::path ws = dir / "ws";
    std::string cli = std::string(std::getenv("CONSILIUM_BIN")) + "/consilium-cli";

    Charsets() {
        auto r = run_program({cli, "--workspace", ws.string(), "init", "--demo"});
        BOOST_REQUIRE_MESSAGE(r.exit_code == 0, r.err);
        const char* generator = std::getenv("CONSILIUM_CHARSET_GENERATOR");
        BOOST_REQUIRE_MESSAGE(generator, "CONSILIUM_CHARSET_GENERATOR is not set: run this suite through ctest");
        const fs::path dicom = dir / "dicom";
        fs::create_directories(dicom);
        r = run_program({"/usr/bin/python3", generator, dicom.string()});
        BOOST_REQUIRE_MESSAGE(r.exit_code == 0, r.err);
        // One patient with an empty PatientName, written by the generator's own writer.
        const std::string noname = "import sys; sys.path.insert(0, sys.argv[1]); import make_charset_dicom as m; "
                                   "m.image(sys.argv[2], 'NONAME-1', 'ISO_IR 192', '', 'Thorax', 'Axial')";
        r = run_program({"/usr/bin/python3", "-c", noname, fs::path(generator).parent_path().string(), dicom.string()});
        BOOST_REQUIRE_MESSAGE(r.exit_code == 0, r.err);
        r = run_program({cli, "--workspace", ws.string(), "--user", "admin", "import", dicom.string()},
                        {{"CONSILIUM_PASSWORD", "admin"}});
        BOOST_REQUIRE_MESSAGE(r.exit_code == 0, r.err);
        auto w = decision::Workspace::open(ws);
        const auto nameless = w.store().patients().find_by_mrn("NONAME-1");
        BOOST_REQUIRE_MESSAGE(nameless && nameless->name.empty(), "NONAME-1 should be imported with no name");
    }
};

std::string banner_text(const fs::path& map) {
    for (const auto& w : read_widget_map(map))
        if (w.kind == "banner") return w.label;
    return "";
}

struct Seen {
    std::string banner;
    std::vector<std::string> rows;  // the worklist's name column
    std::string title_found;        // xdotool's window id for the expected title; "" when not found
    int banner_spread = 0;
};

// Starts the app on `mrn` in `lang`, logs in with real key presses, waits for the banner to name
// the patient (`expect` in its text), takes a screenshot and quits.
Seen open_patient(const Charsets& c, const std::string& mrn, const std::string& lang, const std::string& expect,
                  const std::string& title_regex, const std::string& shot) {
    Seen seen;
    const fs::path map = c.dir / ("widgets-" + lang + "-" + mrn + ".tsv");
    ::setenv("CONSILIUM_WIDGET_MAP", map.c_str(), 1);
    const auto shots = artifacts();
    fs::create_directories(shots);
    App app({"--workspace", c.ws.string(), "--patient", "mrn:" + mrn, "--lang", lang}, shots / (shot + ".log"));
    const auto login = find_window(lang == "nl" ? "Aanmelden|Log in" : "Log in", 30);
    BOOST_REQUIRE_MESSAGE(!login.empty(), "no log-in window within 30 s: " << read_all(shots / (shot + ".log")));
    settle(500);
    xdo({"windowfocus", "--sync", login});
    type("radiologist");
    key("Tab");
    type("radiologist");
    key("Return");
    BOOST_REQUIRE_MESSAGE(!find_window("Consilium - ", 30).empty(), "the main window did not open: " << read_all(shots / (shot + ".log")));
    for (int i = 0; i < 80 && seen.banner.find(expect) == std::string::npos; ++i) {
        settle(250);
        seen.banner = banner_text(map);
    }
    settle(2000);  // the series loads; the list selects the row
    for (const auto& w : read_widget_map(map))
        if (w.kind == "list-row") seen.rows.push_back(w.label);
    seen.title_found = find_window(title_regex, 5);
    const auto s = screenshot(shots / (shot + ".png"));
    for (const auto& w : read_widget_map(map))
        if (w.kind == "banner") seen.banner_spread = static_cast<int>(s.spread(w.x, w.y, w.w, w.h));
    key("ctrl+q");
    BOOST_TEST(app.wait_exit(20) == 0);
    return seen;
}

bool has_row(const Seen& s, const std::string& label) {
    for (const auto& r : s.rows)
        if (r == label) return true;
    return false;
}

}  // namespace

BOOST_AUTO_TEST_CASE(banner_title_and_worklist_name_a_nameless_and_a_japanese_patient_in_english_and_dutch) {
    Charsets c;

    const auto nameless = open_patient(c, "NONAME-1", "en", "(no name recorded)", "^Consilium - \\(no name recorded\\) MRN NONAME-1$",
                                       "identity-01-no-name-en");
    BOOST_TEST_MESSAGE("banner: " << nameless.banner);
    BOOST_TEST(nameless.banner.rfind("(no name recorded)  ", 0) == 0, nameless.banner);
    BOOST_TEST(nameless.banner.find("born 1960-01-01") != std::string::npos, nameless.banner);
    BOOST_TEST(nameless.banner.find("other") != std::string::npos, nameless.banner);  // the sex
    BOOST_TEST(nameless.banner.find("MRN NONAME-1") != std::string::npos, nameless.banner);
    BOOST_TEST(!nameless.title_found.empty(), "the title bar does not name the nameless patient by MRN");
    BOOST_TEST(has_row(nameless, "(no name recorded) MRN NONAME-1"), "no worklist row for the nameless patient");
    BOOST_TEST(nameless.banner_spread > 10, "the banner looks blank");

    const auto yamada = open_patient(c, "CS-12", "en", "YAMADA, Tarou", "^Consilium - YAMADA, Tarou$", "identity-02-japanese-en");
    BOOST_TEST_MESSAGE("banner: " << yamada.banner);
    BOOST_TEST(yamada.banner.rfind("YAMADA, Tarou  山田 太郎 · やまだ たろう  ", 0) == 0, yamada.banner);
    BOOST_TEST(yamada.banner.find("MRN CS-12") != std::string::npos, yamada.banner);
    BOOST_TEST(!yamada.title_found.empty());
    BOOST_TEST(has_row(yamada, "Tarou Yamada (山田 太郎 · やまだ たろう)"));
    // Every imported patient has a row, and none of them is blank.
    BOOST_TEST(yamada.rows.size() == 29u);
    for (const auto& r : yamada.rows) BOOST_TEST(!r.empty());

    const auto dutch = open_patient(c, "NONAME-1", "nl", "(geen naam vastgelegd)",
                                    "^Consilium - \\(geen naam vastgelegd\\) MRN NONAME-1$", "identity-03-no-name-nl");
    BOOST_TEST_MESSAGE("banner: " << dutch.banner);
    BOOST_TEST(dutch.banner.rfind("(geen naam vastgelegd)  ", 0) == 0, dutch.banner);
    BOOST_TEST(dutch.banner.find("MRN NONAME-1") != std::string::npos, dutch.banner);
    BOOST_TEST(dutch.banner.find("1960-01-01") != std::string::npos, dutch.banner);
    BOOST_TEST(!dutch.title_found.empty());
    BOOST_TEST(has_row(dutch, "(geen naam vastgelegd) MRN NONAME-1"));

    const auto dutch_yamada = open_patient(c, "CS-12", "nl", "山田", "^Consilium - YAMADA, Tarou$", "identity-04-japanese-nl");
    BOOST_TEST(dutch_yamada.banner.rfind("YAMADA, Tarou  山田 太郎 · やまだ たろう  ", 0) == 0, dutch_yamada.banner);
}
