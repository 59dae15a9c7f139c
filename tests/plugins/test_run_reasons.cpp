// A failed run says why in the plugin's own words - its exit code or signal and the last lines
// of its stderr, in the reason, the stored run and the audit entry; failures of the host (cannot
// start, cannot write the inputs) never count toward quarantine; and every path handed to a
// plugin is absolute, so runs work whatever the caller's working directory and relative paths.
#include "approval_fixture.h"
#include "run_fixture.h"

#include <algorithm>
#include <csignal>

namespace {

using namespace consilium::test::runtest;

// Changes the working directory for the life of the object (run_plugin must not depend on it).
struct InDirectory {
    fs::path before = fs::current_path();
    explicit InDirectory(const fs::path& dir) { fs::current_path(dir); }
    ~InDirectory() { fs::current_path(before); }
};

BOOST_FIXTURE_TEST_SUITE(run_reasons, RunFixture)

BOOST_AUTO_TEST_CASE(a_failed_run_keeps_the_exit_code_and_the_last_20_lines_of_stderr) {
    auto r = run(command_plugin("weights", R"SH(i=1; while [ $i -le 25 ]; do echo "loading layer $i" >&2; echo "PROGRESS 0.$i" >&2; i=$((i+1)); done
echo 'model weights missing: weights-7f3a.pt' >&2
exit 3
)SH"));
    expect_failure(r, RunStatus::failed, "the plugin exited with code 3: model weights missing: weights-7f3a.pt");
    BOOST_TEST(r.exit_code.value_or(-1) == 3);
    BOOST_TEST(!r.exit_signal);
    // 20 lines: layers 7..25 and the last line; no PROGRESS lines.
    BOOST_TEST(r.stderr_tail.rfind("loading layer 7\n", 0) == 0u);
    BOOST_TEST(r.stderr_tail.find("loading layer 6\n") == std::string::npos);
    BOOST_TEST(r.stderr_tail.find("PROGRESS") == std::string::npos);
    BOOST_TEST(std::count(r.stderr_tail.begin(), r.stderr_tail.end(), '\n') == 19);
    BOOST_TEST(r.reason.find("last lines of its stderr:\nloading layer 7\n") != std::string::npos);
    auto stored = store->suggestions().find_run(r.run_id);
    BOOST_REQUIRE(stored);
    BOOST_TEST(stored->exit_code.value_or(-1) == 3);
    BOOST_TEST(!stored->exit_signal);
    BOOST_TEST(stored->stderr_tail.value_or("") == r.stderr_tail);
    auto d = json::parse(runs_audited().back().record.details);
    BOOST_TEST(d["exit_code"] == 3);
    BOOST_TEST(d["exit_signal"].is_null());
    BOOST_TEST(d["stderr_tail"] == r.stderr_tail);
    BOOST_TEST(failures_in_a_row("org.test.cmd.weights") == 1);  // the plugin's own failure counts
}

BOOST_AUTO_TEST_CASE(stderr_that_is_not_utf8_is_kept_readable_and_audited) {
    // Latin-1 bytes and a stray continuation byte: the host neither throws nor stores them raw.
    auto r = run(command_plugin("latin1", "printf 'Gewichte f\\374r M\\374ller fehlen \\200\\n' >&2\nexit 4\n"));
    expect_failure(r, RunStatus::failed, "the plugin exited with code 4: Gewichte f\xEF\xBF\xBDr M\xEF\xBF\xBDller fehlen \xEF\xBF\xBD");
    auto d = json::parse(runs_audited().back().record.details);
    BOOST_TEST(d["stderr_tail"] == r.stderr_tail);
    BOOST_TEST(store->audit().verify().intact);
}

BOOST_AUTO_TEST_CASE(a_long_stderr_is_cut_to_its_last_4_kb) {
    auto r = run(command_plugin("chatty", R"SH(head -c 10000 /dev/zero | tr '\0' 'x' >&2
echo >&2
echo 'the end' >&2
exit 1
)SH"));
    BOOST_TEST(r.status == RunStatus::failed);
    BOOST_TEST(r.stderr_tail.size() <= 4096u);
    BOOST_TEST(r.stderr_tail == "the end");  // the long line does not fit beside it
    auto lone = run(command_plugin("oneline", "head -c 10000 /dev/zero | tr '\\0' 'y' >&2\nexit 1\n"));
    BOOST_TEST(lone.stderr_tail == std::string(4096, 'y'));  // one long line: its end
}

BOOST_AUTO_TEST_CASE(a_crash_keeps_its_signal) {
    auto r = run(plugin("segv"));
    BOOST_TEST(r.status == RunStatus::crashed);
    BOOST_TEST(r.exit_signal.value_or(-1) == SIGSEGV);
    BOOST_TEST(!r.exit_code);
    BOOST_TEST(store->suggestions().find_run(r.run_id)->exit_signal.value_or(-1) == SIGSEGV);
    BOOST_TEST(json::parse(runs_audited().back().record.details)["exit_signal"] == SIGSEGV);
}

BOOST_AUTO_TEST_CASE(a_program_that_cannot_be_started_is_the_hosts_failure) {
    auto m = valid_command("org.test.cmd.missing");
    m["command"] = {"no-such-interpreter-7f3a", "run.py"};
    write_plugin(dir / "missing", "missing", m);
    auto p = cp::discover_plugins(cp::SearchPath{{dir / "missing"}}).at(0);
    for (int i = 0; i < cp::kQuarantineAfter + 1; ++i) {
        auto r = run(p);
        BOOST_TEST(r.status == RunStatus::failed);
        BOOST_TEST(r.host_fault);
        BOOST_TEST(r.reason == "cannot start the plugin: its program 'no-such-interpreter-7f3a' was not found on the PATH");
    }
    BOOST_TEST(!quarantined(p.id));
    BOOST_TEST(failures_in_a_row(p.id) == 0);
    BOOST_TEST(json::parse(runs_audited().back().record.details)["host_fault"] == true);
}

BOOST_AUTO_TEST_CASE(inputs_that_cannot_be_written_are_the_hosts_failure) {
    consilium::test::write_file(dir / "a-file", "not a folder");
    cp::RunOptions o;
    o.work_dir = dir / "a-file" / "work";  // cannot be created: its parent is a file
    for (auto p : {plugin("good"), command_plugin("good", "exit 0\n")})
        for (int i = 0; i < cp::kQuarantineAfter + 1; ++i) {
            auto r = consilium::test::run_approved(*store, *session, p, patient, std::nullopt, o);
            BOOST_TEST(r.status == RunStatus::failed);
            BOOST_TEST(r.host_fault);
            BOOST_TEST(r.reason.find("the run could not be set up") == 0u);
            BOOST_TEST(!quarantined(p.id));
        }
    // The plugin's own failures still count: three crashes quarantine it.
    auto segv = plugin("segv");
    for (int i = 0; i < 3; ++i) run(segv);
    BOOST_TEST(quarantined(segv.id));
}

BOOST_AUTO_TEST_CASE(relative_paths_work_from_any_working_directory) {
    const InDirectory here(dir.path());
    auto command = command_plugin("paths", R"SH(case "$in" in /*) ;; *) echo "input not absolute: $in" >&2; exit 5;; esac
case "$out" in /*) ;; *) echo "output not absolute: $out" >&2; exit 6;; esac
test -f "$in/context.json" || { echo "cannot read $in/context.json" >&2; exit 7; }
printf '%s' '{"suggestions":[]}' > "$out/suggestions.json"
)SH");
    command.folder = fs::relative(command.folder, dir.path());  // "cmdplugins/paths", as a caller might hold it
    auto native = plugin("good");
    native.folder = fs::relative(native.folder, dir.path());
    BOOST_REQUIRE(command.folder.is_relative());
    cp::RunOptions o;
    o.work_dir = "ws/plugin-work/1";
    o.evidence_dir = "ws/evidence";
    for (const auto& p : {command, native})
        for (int i = 0; i < 4; ++i) {
            auto r = consilium::test::run_approved(*store, *session, p, patient, std::nullopt, o);
            BOOST_TEST_INFO(p.id << " run " << i << ": " << r.reason);
            BOOST_TEST(r.status == RunStatus::succeeded);
        }
    BOOST_TEST(!quarantined(command.id));
    BOOST_TEST(!quarantined(native.id));
}

BOOST_AUTO_TEST_CASE(stderr_tail_rules) {
    // The same rules the reason quotes: PROGRESS lines and trailing blank lines left out, CR removed.
    auto r = run(command_plugin("crlf", "printf 'first\\r\\nPROGRESS 0.5\\nsecond\\r\\n\\n\\n' >&2\nexit 2\n"));
    BOOST_TEST(r.stderr_tail == "first\nsecond");
    BOOST_TEST(r.reason.find("the plugin exited with code 2: second") == 0u);
}

BOOST_AUTO_TEST_SUITE_END()

}  // namespace
