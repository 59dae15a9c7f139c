// The worklist order, the banner, the review form and the launch options.
#include "model/launch_options.h"
#include "model/patient_banner.h"
#include "model/patient_list.h"
#include "model/preferences.h"
#include "model/review_form.h"
#include "model/stall_meter.h"

#include "test_support.h"

#include <boost/test/unit_test.hpp>

#include <fstream>

using namespace consilium;
using namespace consilium::gui;

namespace {
PatientRow row(std::int64_t id, std::string name, std::optional<std::string> band, int open, std::string last = "") {
    PatientRow r;
    r.id = id;
    r.name = std::move(name);
    r.mrn = "MRN" + std::to_string(id);
    r.news2_band = std::move(band);
    r.open_suggestions = open;
    r.last_activity = std::move(last);
    return r;
}
std::vector<std::int64_t> ids(const PatientList& l) {
    std::vector<std::int64_t> out;
    for (const auto& r : l.visible()) out.push_back(r.id);
    return out;
}
}  // namespace

BOOST_AUTO_TEST_CASE(worklist_puts_the_highest_news2_band_first_then_open_suggestions) {
    PatientList l;
    l.set_rows({row(1, "Anna Bakker", "low", 0), row(2, "Cees de Vries", "high", 0), row(3, "Bram Jansen", std::nullopt, 5),
                row(4, "Dirk Smit", "medium", 1), row(5, "Eva Visser", "low-medium", 0), row(6, "Fleur Mulder", "medium", 3)});
    BOOST_TEST(ids(l) == (std::vector<std::int64_t>{2, 6, 4, 5, 1, 3}), boost::test_tools::per_element());
    l.set_sort(PatientSort::name);
    BOOST_TEST(ids(l) == (std::vector<std::int64_t>{1, 3, 2, 4, 5, 6}), boost::test_tools::per_element());
    l.set_sort(PatientSort::open_suggestions);
    BOOST_TEST(l.visible().front().id == 3);
}

BOOST_AUTO_TEST_CASE(worklist_search_matches_name_words_and_mrn_case_insensitively) {
    PatientList l;
    l.set_rows({row(1, "Anna Bakker", "low", 0), row(2, "Cees de Vries", "high", 0), row(22, "Bram Jansen", std::nullopt, 0)});
    l.set_search("VRIES");
    BOOST_TEST(ids(l) == (std::vector<std::int64_t>{2}), boost::test_tools::per_element());
    l.set_search("mrn22");
    BOOST_TEST(ids(l) == (std::vector<std::int64_t>{22}), boost::test_tools::per_element());
    l.set_search("nobody");
    BOOST_TEST(l.visible().empty());
    l.set_search("");
    BOOST_TEST(l.visible().size() == 3u);
}

BOOST_AUTO_TEST_CASE(banner_shows_age_in_completed_years_and_a_colour_per_patient) {
    BOOST_TEST(*age_in_years("1989-07-27", "2026-07-26") == 36);
    BOOST_TEST(*age_in_years("1989-07-27", "2026-07-27") == 37);
    BOOST_TEST(*age_in_years("1989", "2026-01-01") == 37);
    BOOST_TEST(!age_in_years("garbage", "2026-01-01").has_value());
    BOOST_TEST(!age_in_years("2030-01-01", "2026-01-01").has_value());
    decision::Patient p;
    p.id = 3;
    p.family = "Erdman";
    p.given = "Louis";
    p.name = "Louis Erdman";
    p.mrn = "55bb";
    p.birth_date = "1989-07-27";
    p.sex = "male";
    const auto b = make_banner(p, "2026-11-27");
    BOOST_TEST(b.name == "ERDMAN, Louis");
    BOOST_TEST(*b.age == 37);
    BOOST_TEST(b.identifier == "MRN 55bb");
    // Neighbouring ids never share a colour.
    for (std::int64_t id = 1; id < 20; ++id) {
        const auto a = banner_colour(id), c = banner_colour(id + 1);
        BOOST_TEST(!(a.r == c.r && a.g == c.g && a.b == c.b));
    }
}

namespace {
decision::Patient identity(std::int64_t id, std::string family, std::string given, std::string name) {
    decision::Patient p;
    p.id = id;
    p.family = std::move(family);
    p.given = std::move(given);
    p.name = std::move(name);
    p.mrn = "MRN-" + std::to_string(id);
    p.birth_date = "1960-01-01";
    p.sex = "other";
    return p;
}
}  // namespace

BOOST_AUTO_TEST_CASE(banner_of_a_patient_without_a_name_still_identifies_them) {
    const auto b = make_banner(identity(7, "", "", ""), "2026-01-01");
    // The view words the empty name; the model must not invent one or drop what else is known.
    BOOST_TEST(b.name.empty());
    BOOST_TEST(b.other_names.empty());
    BOOST_TEST(b.identifier == "MRN MRN-7");
    BOOST_TEST(b.birth_date == "1960-01-01");
    BOOST_TEST(*b.age == 66);
    BOOST_TEST(b.sex == "other");
    // Without an MRN the store's id stands in: never an empty identifier.
    auto bare = identity(8, "", "", "");
    bare.mrn.clear();
    bare.birth_date.reset();
    bare.sex.reset();
    const auto c = make_banner(bare, "2026-01-01");
    BOOST_TEST(c.identifier == "id 8");
    BOOST_TEST(c.birth_date == "unknown");
    BOOST_TEST(!c.age.has_value());
    BOOST_TEST(c.sex == "unknown");
    BOOST_TEST(shown_name(bare).empty());  // the list row then says "(no name recorded) MRN ..."
}

BOOST_AUTO_TEST_CASE(banner_shows_ideographic_and_phonetic_forms_beside_the_alphabetic_name) {
    auto p = identity(9, "Yamada", "Tarou", "Tarou Yamada");
    p.name_ideographic = "山田 太郎";
    p.name_phonetic = "やまだ たろう";
    const auto b = make_banner(p, "2026-01-01");
    BOOST_TEST(b.name == "YAMADA, Tarou");
    BOOST_TEST(b.other_names == "山田 太郎 · やまだ たろう");
    BOOST_TEST(shown_name(p) == "Tarou Yamada (山田 太郎 · やまだ たろう)");
    // A name recorded only in kanji is the name (import puts it there): not repeated beside itself.
    auto kanji = identity(10, "山田", "太郎", "太郎 山田");
    kanji.name_ideographic = "太郎 山田";
    BOOST_TEST(make_banner(kanji, "2026-01-01").name == "山田, 太郎");
    BOOST_TEST(make_banner(kanji, "2026-01-01").other_names.empty());
    BOOST_TEST(shown_name(kanji) == "太郎 山田");
    // Only the phonetic form recorded: it alone stands beside the name.
    auto phonetic = identity(11, "Yamada", "Tarou", "Tarou Yamada");
    phonetic.name_phonetic = "やまだ たろう";
    BOOST_TEST(make_banner(phonetic, "2026-01-01").other_names == "やまだ たろう");
}

BOOST_AUTO_TEST_CASE(upper_casing_the_family_name_never_mangles_non_ascii_letters) {
    // Byte-wise toupper on UTF-8 would corrupt "ü" (0xC3 0xBC) in some locales: such names stay as recorded.
    BOOST_TEST(make_banner(identity(1, "Müller", "Hans", "Hans Müller"), "2026-01-01").name == "Müller, Hans");
    BOOST_TEST(make_banner(identity(2, "Иванов", "Пётр", "Пётр Иванов"), "2026-01-01").name == "Иванов, Пётр");
    BOOST_TEST(make_banner(identity(3, "de Vries", "Cees", "Cees de Vries"), "2026-01-01").name == "DE VRIES, Cees");
    // The family name alone, or only the assembled name.
    BOOST_TEST(make_banner(identity(4, "Smit", "", "Smit"), "2026-01-01").name == "SMIT");
    BOOST_TEST(make_banner(identity(5, "", "", "Anonymous 5"), "2026-01-01").name == "Anonymous 5");
}

BOOST_AUTO_TEST_CASE(worklist_search_finds_a_patient_by_any_form_of_the_name_or_the_mrn_of_a_nameless_one) {
    auto yamada = identity(1, "Yamada", "Tarou", "Tarou Yamada");
    yamada.name_ideographic = "山田 太郎";
    yamada.name_phonetic = "やまだ たろう";
    const auto nameless = identity(2, "", "", "");
    const auto muller = identity(3, "Müller", "Hans", "Hans Müller");
    std::vector<PatientRow> rows;
    for (const decision::Patient* p : std::initializer_list<const decision::Patient*>{&yamada, &nameless, &muller}) {
        PatientRow r;  // as Workstation::refresh_patients fills it
        r.id = p->id;
        r.name = shown_name(*p);
        r.mrn = p->mrn;
        rows.push_back(r);
    }
    PatientList l;
    l.set_rows(rows);
    l.set_search("山田");
    BOOST_TEST(ids(l) == (std::vector<std::int64_t>{1}), boost::test_tools::per_element());
    l.set_search("たろう");
    BOOST_TEST(ids(l) == (std::vector<std::int64_t>{1}), boost::test_tools::per_element());
    l.set_search("YAMADA");
    BOOST_TEST(ids(l) == (std::vector<std::int64_t>{1}), boost::test_tools::per_element());
    l.set_search("mrn-2");
    BOOST_TEST(ids(l) == (std::vector<std::int64_t>{2}), boost::test_tools::per_element());
    l.set_search("Müller");
    BOOST_TEST(ids(l) == (std::vector<std::int64_t>{3}), boost::test_tools::per_element());
    // Sorting by name keeps the nameless row in the list.
    l.set_search("");
    l.set_sort(PatientSort::name);
    BOOST_TEST(l.visible().size() == 3u);
}

BOOST_AUTO_TEST_CASE(reject_and_modify_need_a_reason_accept_does_not) {
    ReviewForm f;
    f.set_decision(decision::ReviewStatus::accepted);
    BOOST_TEST(f.problem().empty());
    f.set_decision(decision::ReviewStatus::rejected);
    BOOST_TEST(!f.problem().empty());
    f.set_reason_code(decision::ReasonCode::other);
    BOOST_TEST(!f.problem().empty());  // "other" needs words
    f.set_reason_text("   ");
    BOOST_TEST(!f.problem().empty());
    f.set_reason_text("artefact from the pacemaker lead");
    BOOST_TEST(f.problem().empty());
    f.set_reason_code(decision::ReasonCode::already_known);
    f.set_reason_text("");
    BOOST_TEST(f.problem().empty());
    BOOST_TEST((f.to_decision().reason_code == decision::ReasonCode::already_known));
    f.set_decision(decision::ReviewStatus::modified);
    BOOST_TEST(!f.problem().empty());  // a reject reason does not fit a modification
    f.set_reason_code(decision::ReasonCode::other);
    BOOST_TEST(!f.problem().empty());  // modify: say what instead
    f.set_reason_text("8 mm, not 12 mm");
    BOOST_TEST(f.problem().empty());
}

BOOST_AUTO_TEST_CASE(only_clinicians_decide_and_only_once) {
    decision::Suggestion s;
    BOOST_TEST(why_cannot_decide(decision::Role::radiologist, s).empty());
    BOOST_TEST(why_cannot_decide(decision::Role::physician, s).empty());
    BOOST_TEST(why_cannot_decide(decision::Role::developer, s).find("only radiologists and physicians") != std::string::npos);
    BOOST_TEST(!why_cannot_decide(decision::Role::admin, s).empty());
    s.status = decision::ReviewStatus::rejected;
    s.reviewed_by = "doc";
    BOOST_TEST(why_cannot_decide(decision::Role::physician, s).find("doc") != std::string::npos);
}

BOOST_AUTO_TEST_CASE(launch_options_are_checked) {
    auto o = parse_launch_options({"--workspace", "/tmp/w", "--patient", "3", "--lang", "nl"});
    BOOST_TEST(o.workspace == "/tmp/w");
    BOOST_TEST(*o.patient == "3");
    BOOST_TEST(*o.language == "nl");
    BOOST_CHECK_THROW(parse_launch_options({"--lang", "fr"}), std::invalid_argument);
    BOOST_CHECK_THROW(parse_launch_options({"--patient"}), std::invalid_argument);
    BOOST_CHECK_THROW(parse_launch_options({"--bogus"}), std::invalid_argument);
}

BOOST_AUTO_TEST_CASE(preferences_survive_a_round_trip_and_damage_gives_defaults) {
    consilium::test::ScratchDir dir("prefs");
    const auto file = preferences_file(dir.path(), "dr/evil..name");
    BOOST_TEST(file.parent_path() == dir.path() / "preferences");
    Preferences p;
    p.layout = "layout2|name=viewer";
    p.language = "nl";
    save_preferences(file, p);
    const auto back = load_preferences(file);
    BOOST_TEST(back.layout == p.layout);
    BOOST_TEST(*back.language == "nl");
    std::ofstream(file) << "{not json";
    const auto damaged = load_preferences(file);
    BOOST_TEST(damaged.layout.empty());
    BOOST_TEST(!damaged.language.has_value());
}

BOOST_AUTO_TEST_CASE(stall_meter_reports_the_longest_late_tick) {
    using namespace std::chrono;
    StallMeter m(milliseconds(10));
    const auto t0 = StallMeter::Clock::time_point{};
    m.tick(t0);
    m.tick(t0 + milliseconds(10));
    m.tick(t0 + milliseconds(95));  // 75 ms late
    m.tick(t0 + milliseconds(105));
    BOOST_TEST(m.longest_stall().count() == 75);
    BOOST_TEST(m.report().find("75 ms") != std::string::npos);
    m.restart();
    m.tick(t0 + milliseconds(5000));  // after a pause that is not a stall
    BOOST_TEST(m.longest_stall().count() == 75);
}

BOOST_AUTO_TEST_CASE(stall_meter_counts_nothing_while_paused) {
    using namespace std::chrono;
    StallMeter m(milliseconds(10));
    const auto t0 = StallMeter::Clock::time_point{};
    m.tick(t0);
    m.pause();  // the main window being built: start-up, not a stall
    m.tick(t0 + milliseconds(400));
    m.tick(t0 + milliseconds(900));
    BOOST_TEST(m.longest_stall().count() == 0);
    m.restart();
    m.tick(t0 + milliseconds(1000));
    m.tick(t0 + milliseconds(1070));  // 60 ms late: counted again
    BOOST_TEST(m.longest_stall().count() == 60);
    BOOST_TEST(m.stalls_over(milliseconds(50)) == 1);
}
