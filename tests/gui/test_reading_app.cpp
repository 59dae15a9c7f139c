// The real workstation under Xvfb as a radiologist reads (issue 12): keys typed into the worklist
// search stay there (1), hidden AI outlines are said on the views and come back for the next
// patient (1), a click or an arrow key on a worklist row opens that patient (4), a patient without
// images says so in the view area (12), and at 1280x800 and 1366x768 every viewer control is on
// screen with its label whole (8). Screenshots in <build>/test-artifacts/gui (reading-*.png).
#include "reading_app.h"

#include "consilium/decision/mdt.h"
#include "consilium/decision/session.h"
#include "consilium/decision/store.h"
#include "consilium/decision/workspace.h"

#include <boost/test/unit_test.hpp>

#include <fstream>
#include <map>

namespace fs = std::filesystem;
using namespace consilium;
using namespace consilium::test;
using namespace consilium::test::gui;

namespace {

std::string state_of(const fs::path& map) {
    std::string s;
    for (const char* name : {"viewer-tool", "viewer-status"})
        for (const char* kind : {"choice", "label"})
            if (auto w = widget(map, kind, name)) s += std::string(name) + "=" + w->label + " ";
    if (auto w = widget(map, "checkbox", "ai-overlays")) s += "overlays=" + w->value;
    return s;
}

std::optional<Widget> selected_row(const fs::path& map) {
    for (auto& w : read_widget_map(map))
        if (w.kind == "list-row" && w.name == "worklist" && w.value == "selected") return w;
    return std::nullopt;
}

std::string last_opened(const fs::path& ws) {
    auto w = decision::Workspace::open(ws);
    decision::AuditFilter f;
    f.action = "patient.open";
    const auto entries = w.store().audit().entries(f);
    return entries.empty() ? "" : entries.back().record.object_id;
}

std::string name_of(const fs::path& ws, const std::string& id) {
    auto w = decision::Workspace::open(ws);
    for (const auto& p : w.store().patients().list())
        if (std::to_string(p.id) == id) return p.name;
    return "";
}

}  // namespace

BOOST_AUTO_TEST_CASE(typed_names_stay_in_the_search_hidden_outlines_are_said_and_a_click_opens_the_patient) {
    DemoReading d;
    const fs::path map = d.dir / "widgets.tsv";
    const auto shots = artifacts();
    auto app = start_reading(d, map, "en", "reading-keys");
    BOOST_REQUIRE_MESSAGE(wait_for(map, 30, [](const auto&) { return true; }), "no widget map");
    settle(5000);  // the CT loads, the cards fill in

    // The findings' outlines on the image.
    auto show = wait_widget(map, "button", "show-", 20);
    BOOST_REQUIRE_MESSAGE(show, "no 'Show on image' button on the nodule cards");
    click(*show);
    settle(3000);
    const std::string before = state_of(map);
    BOOST_TEST_MESSAGE("before typing: " << before);
    BOOST_TEST(before.find("overlays=1") != std::string::npos, before);

    // The radiologist searches by name, MRN letters and digits: every key lands in the field.
    auto search = wait_widget(map, "text", "worklist-search", 10);
    BOOST_REQUIRE_MESSAGE(search, "the worklist search field is not in the widget map");
    click(*search);
    settle(300);
    const std::string typed = "Bernier ROMBN rombn 123456";
    type(typed);
    settle(1500);
    screenshot(shots / "reading-01-typed-into-search.png");
    const auto field = widget(map, "text", "worklist-search");
    BOOST_REQUIRE(field);
    BOOST_TEST(field->value == typed, "the search field holds '" << field->value << "'");
    BOOST_TEST(state_of(map) == before, "typing changed the viewer: " << state_of(map));
    // "Bernier" alone finds the patient of that name: the letters reached the worklist's filter.
    key("ctrl+a");
    type("Bernier");
    settle(1000);
    int rows = 0;
    for (const auto& w : read_widget_map(map))
        if (w.kind == "list-row" && w.name == "worklist") {
            ++rows;
            BOOST_TEST(w.label.find("Bernier") != std::string::npos, w.label);
        }
    BOOST_TEST(rows == 1);
    key("ctrl+a");
    key("BackSpace");
    settle(1000);
    BOOST_TEST(state_of(map) == before);

    // In a view, O hides the outlines, and the views say so.
    auto axial = widget(map, "view", "view-axial");
    BOOST_REQUIRE(axial);
    click(axial->cx(), axial->cy());
    settle(500);
    key("o");
    bool said = wait_for(map, 10, [&](const auto&) {
        auto a = widget(map, "view", "view-axial");
        auto c = widget(map, "checkbox", "ai-overlays");
        return a && c && c->value == "0" && a->label == "AI overlays hidden - O shows them";
    });
    screenshot(shots / "reading-02-overlays-hidden.png");
    BOOST_TEST(said, "after O in the axial view: " << state_of(map) << " / view says '"
                                                     << widget(map, "view", "view-axial").value_or(Widget{}).label << "'");

    // One click on another patient's row opens that patient: the highlighted row is the open record.
    std::optional<Widget> other;
    for (const auto& w : read_widget_map(map))
        if (w.kind == "list-row" && w.name == "worklist" && w.label == d.no_images_name) other = w;
    BOOST_REQUIRE_MESSAGE(other, "no worklist row for " << d.no_images_name);
    click(other->x + 40, other->cy());
    const bool opened = wait_for(map, 15, [&](const auto&) { return last_opened(d.ws) == std::to_string(d.no_images); });
    settle(1500);
    screenshot(shots / "reading-03-clicked-patient-without-images.png");
    BOOST_TEST(opened, "a single click on " << d.no_images_name << " did not open them");
    auto highlighted = selected_row(map);
    BOOST_TEST((highlighted && highlighted->label == d.no_images_name), "the highlighted row is not the open patient");
    // The next patient's view starts with the AI outlines shown, and says there are no images.
    BOOST_TEST(widget(map, "checkbox", "ai-overlays").value_or(Widget{}).value == "1");
    BOOST_TEST(widget(map, "view", "view-axial").value_or(Widget{}).label == "No images for this patient");

    // The arrow keys move through the worklist, and each row they land on is the open patient.
    key("Down");
    settle(2500);
    highlighted = selected_row(map);
    BOOST_REQUIRE_MESSAGE(highlighted, "no row highlighted after the down arrow");
    BOOST_TEST(highlighted->label != d.no_images_name, "the down arrow did not move");
    BOOST_TEST(name_of(d.ws, last_opened(d.ws)) == highlighted->label, "highlighted: " << highlighted->label);
    screenshot(shots / "reading-04-arrow-down.png");

    key("ctrl+q");
    BOOST_TEST(app->wait_exit(20) == 0);
}

namespace {

// Every control of the viewer's tool row is on screen, inside the viewer, and no button, check
// box or label of the main window is narrower than its text.
void check_small_screen(int width, int height, const std::string& lang) {
    Display display(width, height);
    DemoReading d;
    const std::string name = "reading-" + std::to_string(width) + "x" + std::to_string(height) + "-" + lang;
    const fs::path map = d.dir / (name + ".tsv");
    auto app = start_reading(d, map, lang, name);
    settle(7000);
    const auto s = screenshot(artifacts() / (name + ".png"));
    BOOST_TEST(s.width == width);
    const auto all = read_widget_map(map);
    for (const auto& [kind, control] : std::vector<std::pair<std::string, std::string>>{
             {"choice", "viewer-series"}, {"checkbox", "ai-overlays"}, {"choice", "viewer-tool"},
             {"button", "clear-measurements"}, {"text", "worklist-search"}}) {
        auto w = widget(map, kind, control);
        BOOST_TEST((w && w->w > 20 && w->h > 10 && w->x >= 0 && w->x + w->w <= width && w->y + w->h <= height),
                   name << ": " << control << " is not on screen");
        if (w && kind != "text") BOOST_TEST(w->w >= (kind == "checkbox" ? 60 : 40), name << ": " << control << " is squeezed");
    }
    // The series picker is the one exception: a series' label is data of any length, shown whole in
    // the picker's list and tooltip.
    for (const auto& w : all)
        if (w.clipped && w.w > 0 && w.name != "viewer-series") BOOST_ERROR(name << ": '" << w.label << "' (" << w.kind << " " << w.name << ") is clipped");
    auto axial = widget(map, "view", "view-axial");
    BOOST_TEST((axial && axial->w > 200 && axial->h > 150), name << ": the axial view is too small");
    key("ctrl+q");
    BOOST_TEST(app->wait_exit(20) == 0);
}

}  // namespace

BOOST_AUTO_TEST_CASE(every_viewer_control_is_whole_at_1280x800) {
    check_small_screen(1280, 800, "en");
    check_small_screen(1280, 800, "nl");
}

BOOST_AUTO_TEST_CASE(every_viewer_control_is_whole_at_1366x768) {
    check_small_screen(1366, 768, "en");
}

namespace {

// msgid -> msgstr of the Dutch catalogue (plain entries; plural forms by their singular).
std::map<std::string, std::string> dutch_catalogue() {
    const char* source = std::getenv("CONSILIUM_SOURCE");
    BOOST_REQUIRE_MESSAGE(source, "CONSILIUM_SOURCE is not set: run this suite through ctest");
    std::ifstream in(fs::path(source) / "gui/i18n/nl.po");
    std::map<std::string, std::string> out;
    std::string line, id, str, *into = nullptr;
    auto unquote = [](const std::string& s) {
        const auto a = s.find('"'), b = s.rfind('"');
        std::string raw = a == std::string::npos || b <= a ? "" : s.substr(a + 1, b - a - 1), v;
        for (std::size_t i = 0; i < raw.size(); ++i) {
            if (raw[i] == '\\' && i + 1 < raw.size()) {
                ++i;
                v += raw[i] == 'n' ? ' ' : raw[i];
            } else v += raw[i];
        }
        return v;
    };
    auto flush = [&] {
        if (!id.empty() && !str.empty()) out[id] = str;
        id.clear();
        str.clear();
        into = nullptr;
    };
    while (std::getline(in, line)) {
        if (line.rfind("msgid ", 0) == 0) {
            flush();
            id = unquote(line);
            into = &id;
        } else if (line.rfind("msgstr ", 0) == 0 || line.rfind("msgstr[0] ", 0) == 0) {
            str = unquote(line);
            into = &str;
        } else if (line.rfind("msgid_plural", 0) == 0 || line.rfind("msgstr[", 0) == 0) {
            into = nullptr;
        } else if (!line.empty() && line[0] == '"' && into) {
            *into += unquote(line);
        } else if (line.empty()) {
            flush();
        }
    }
    flush();
    return out;
}

// Controls of the Dutch workstation whose text is an English msgid that has another Dutch
// translation: words that never went through the catalogue.
std::vector<std::string> english_on_screen(const fs::path& map, const std::map<std::string, std::string>& nl) {
    std::vector<std::string> out;
    for (const auto& w : read_widget_map(map)) {
        if (w.kind == "window" || w.kind == "text" || w.label.empty()) continue;
        std::string label;  // without mnemonics ("&Cancel", GTK's "_Cancel")
        for (char ch : w.label)
            if (ch != '&' && ch != '_') label += ch;
        const auto hit = nl.find(label);
        if (hit != nl.end() && hit->second != hit->first) out.push_back(w.kind + " " + w.name + ": '" + w.label + "'");
    }
    return out;
}

}  // namespace

BOOST_AUTO_TEST_CASE(in_dutch_no_control_shows_an_english_text_that_has_a_translation) {
    const auto nl = dutch_catalogue();
    BOOST_REQUIRE(nl.size() > 200u);
    BOOST_REQUIRE(nl.at("Cancel") == "Annuleren");
    DemoReading d;
    const fs::path map = d.dir / "widgets-nl.tsv";
    auto app = start_reading(d, map, "nl", "reading-dutch");
    settle(6000);
    screenshot(artifacts() / "reading-dutch-01-main.png");
    std::vector<std::string> english = english_on_screen(map, nl);

    // The plugins pane (Ctrl+P) with a plugin chosen.
    key("ctrl+p");
    settle(2000);
    if (auto row = wait_widget(map, "list-row", "Lung nodule", 10, true)) {
        click(row->x + 60, row->cy());
        settle(1500);
    }
    screenshot(artifacts() / "reading-dutch-02-plugins.png");
    for (auto& e : english_on_screen(map, nl)) english.push_back("plugins pane: " + e);
    key("ctrl+p");
    settle(1500);

    // The reject dialog of a nodule finding.
    auto reject = wait_widget(map, "button", "reject-", 15);
    BOOST_REQUIRE_MESSAGE(reject, "no reject button on the nodule cards");
    click(*reject);
    auto reasons = wait_widget(map, "listbox-row", "reasons", 10);
    BOOST_REQUIRE_MESSAGE(reasons, "the reject dialog did not open");
    settle(800);
    // Its heading names the kind in Dutch ("AI-gegenereerde finding" once).
    bool heading = false;
    for (const auto& w : read_widget_map(map))
        if (w.kind == "label" && w.label.rfind("AI-gegenereerde ", 0) == 0) {
            heading = true;
            BOOST_TEST(w.label.rfind("AI-gegenereerde bevinding: ", 0) == 0, w.label);
        }
    BOOST_TEST(heading, "the reject dialog has no 'AI-gegenereerde ...' heading");
    screenshot(artifacts() / "reading-dutch-03-reject.png");
    for (auto& e : english_on_screen(map, nl)) english.push_back("reject dialog: " + e);
    for (const auto& w : read_widget_map(map))
        if (w.clipped && w.w > 0 && w.name != "viewer-series") english.push_back("clipped: " + w.kind + " '" + w.label + "'");
    key("Escape");
    settle(800);

    for (const auto& e : english) BOOST_ERROR("English in the Dutch workstation: " << e);
    key("ctrl+q");
    BOOST_TEST(app->wait_exit(20) == 0);
}

BOOST_AUTO_TEST_CASE(a_meeting_is_presented_page_by_page_and_the_board_decision_is_shown_in_its_words) {
    DemoReading d;
    {
        auto w = decision::Workspace::open(d.ws);
        const auto session = decision::login(w.store(), "radiologist", "radiologist");
        const auto m = decision::create_meeting(w.store(), session, "Thoracic MDT", "2026-05-02");
        decision::add_meeting_case(w.store(), session, m.id, d.ct_patient, "Nodule: follow-up or biopsy?");
        decision::add_meeting_case(w.store(), session, m.id, d.no_images, "");
    }
    const fs::path map = d.dir / "widgets-mdt.tsv";
    const auto shots = artifacts();
    auto app = start_reading(d, map, "en", "reading-mdt");
    settle(4000);
    key("alt+m");
    settle(700);
    key("o");
    const auto chooser = find_window("Open meeting", 10);
    BOOST_REQUIRE_MESSAGE(!chooser.empty(), "Meeting > Open meeting... did not ask which meeting");
    key("Return");
    settle(1500);

    // F5, then at once Page Down: the next case is opened (nothing clicked in between).
    key("F5");
    settle(3000);
    screenshot(shots / "reading-mdt-01-presenting.png");
    key("Next");
    BOOST_TEST(wait_for(map, 10, [&](const auto&) { return last_opened(d.ws) == std::to_string(d.no_images); }),
               "Page Down right after F5 did not present the second case");
    key("Prior");
    BOOST_TEST(wait_for(map, 10, [&](const auto&) { return last_opened(d.ws) == std::to_string(d.ct_patient); }),
               "Page Up did not go back to the first case");
    settle(2000);

    // Ctrl+B: the board's decision, in the presentation's type.
    key("ctrl+b");
    BOOST_REQUIRE_MESSAGE(!find_window("Record board decision", 10).empty(), "Ctrl+B did not open the board-decision dialog");
    settle(1000);
    type("Follow-up CT in 3 months");
    screenshot(shots / "reading-mdt-02-decision-dialog.png");
    std::optional<Widget> ok;
    for (const auto& w : read_widget_map(map))
        if (w.kind == "button" && w.label == "Record") ok = w;
    BOOST_REQUIRE_MESSAGE(ok, "no Record button in the dialog");
    BOOST_TEST(ok->h >= 34, "the dialog's buttons are not in presentation type (" << ok->h << " px high)");
    click(*ok);
    const bool shown = wait_for(map, 10, [&](const auto& all) {
        for (const auto& w : all)
            if (w.kind == "list-cell" && w.name == "meeting-cases" && w.label == "Follow-up CT in 3 months") return true;
        return false;
    });
    settle(1500);
    screenshot(shots / "reading-mdt-03-decided.png");
    BOOST_TEST(shown, "the case list does not show the recorded decision's words");
    key("Escape");
    settle(1000);
    key("ctrl+q");
    BOOST_TEST(app->wait_exit(20) == 0);
}
