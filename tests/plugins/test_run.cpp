// run_plugin: native plugins run out of process; faults (crash, abort, hang, memory, garbage,
// invalid suggestions, oversized output, missing entry, wrong ABI) give a failed run with a clear
// reason, nothing stored, the run audited; quarantine after 3 failures in a row.
#include "approval_fixture.h"
#include "run_fixture.h"

#include <fcntl.h>
#include <unistd.h>

namespace {

using namespace consilium::test::runtest;

BOOST_FIXTURE_TEST_SUITE(run_plugin, RunFixture)

BOOST_AUTO_TEST_CASE(good_plugin_is_stored_and_audited) {
    std::vector<double> progress;
    cp::RunOptions o;
    o.progress = [&](double f) { progress.push_back(f); };
    auto r = consilium::test::run_approved(*store, *session, plugin("good"), patient, std::nullopt, o);
    BOOST_TEST_INFO("reason: " << r.reason);
    BOOST_TEST(r.status == RunStatus::succeeded);
    BOOST_REQUIRE(r.suggestions.size() == 1u);
    BOOST_TEST(progress.size() == 1u);
    auto list = store->suggestions().list_for_patient(patient);
    BOOST_REQUIRE(list.size() == 1u);
    BOOST_TEST(list[0].id == r.suggestions[0]);
    BOOST_TEST(list[0].kind == SuggestionKind::risk);
    BOOST_TEST(list[0].summary == "NEWS2 3");
    BOOST_TEST(list[0].confidence.value_or(-1) == 0.8);
    BOOST_TEST(list[0].band.value_or("") == "low-medium");
    BOOST_TEST(list[0].plugin_id == "org.test.good");
    BOOST_TEST(list[0].model_version.value_or("") == "RCP-2017");
    auto run = store->suggestions().find_run(r.run_id);
    BOOST_REQUIRE(run);
    BOOST_TEST(run->status == RunStatus::succeeded);
    BOOST_TEST(run->outputs_hash.value_or("").size() == 64u);
    auto audited = runs_audited();
    BOOST_REQUIRE(audited.size() == 1u);
    auto d = json::parse(audited[0].record.details);
    BOOST_TEST(d["status"] == "succeeded");
    BOOST_TEST(d["plugin_version"] == "1.2.0");
    BOOST_TEST(d["model_version"] == "RCP-2017");
    BOOST_TEST(d["outputs_hash"] == *run->outputs_hash);
    BOOST_TEST(store->audit().verify().intact);
}

BOOST_AUTO_TEST_CASE(segfault_is_a_crash) { expect_failure(run(plugin("segv")), RunStatus::crashed, "SIGSEGV"); }
BOOST_AUTO_TEST_CASE(abort_is_a_crash) { expect_failure(run(plugin("abort")), RunStatus::crashed, "SIGABRT"); }
BOOST_AUTO_TEST_CASE(hang_times_out) {
    expect_failure(run(plugin("hang", 2)), RunStatus::timeout, "timed out after 2 s");
}
BOOST_AUTO_TEST_CASE(unbounded_allocation_hits_the_memory_limit) {
    expect_failure(run(plugin("hog", 30, 128)), RunStatus::failed, "memory limit 128 MB");
}
BOOST_AUTO_TEST_CASE(garbage_is_invalid_output) {
    expect_failure(run(plugin("garbage")), RunStatus::invalid_output, "not valid JSON");
}
BOOST_AUTO_TEST_CASE(confidence_above_one_is_invalid_output) {
    expect_failure(run(plugin("confidence")), RunStatus::invalid_output, "confidence 1.7 is outside 0..1");
}
BOOST_AUTO_TEST_CASE(fifty_megabytes_is_over_the_output_limit) {
    expect_failure(run(plugin("big")), RunStatus::invalid_output, "exceeds its limit");
}
BOOST_AUTO_TEST_CASE(missing_entry_symbol_fails) {
    expect_failure(run(plugin("noentry")), RunStatus::failed, "does not export consilium_plugin_entry");
}
BOOST_AUTO_TEST_CASE(unsupported_abi_fails) {
    expect_failure(run(plugin("abi99")), RunStatus::failed, "unsupported plugin ABI version 99");
}

BOOST_AUTO_TEST_CASE(roi_outside_the_volume_is_invalid_output) {
    auto buffer = fs::path(dir.path()) / "voxels";
    consilium::test::write_file(buffer, std::string(10 * 10 * 10 * 2, '\0'));
    cp::VolumeInput v;
    v.dims = {10, 10, 10};
    v.fd = ::open(buffer.c_str(), O_RDONLY | O_CLOEXEC);
    v.bytes = 2000;
    v.modality = "CT";
    v.series_uid = "1.2.3";
    expect_failure(run(plugin("roi"), v), RunStatus::invalid_output, "outside the volume");
    ::close(v.fd);
}

BOOST_AUTO_TEST_CASE(three_failures_in_a_row_quarantine) {
    auto p = plugin("abort");
    for (int i = 0; i < 3; ++i) BOOST_TEST(run(p).status == RunStatus::crashed);
    auto state = store->plugin_states().find(p.id);
    BOOST_REQUIRE(state);
    BOOST_TEST(state->quarantined);
    BOOST_TEST(state->reason.value_or("") == "quarantined after 3 failed runs");
    expect_failure(run(p), RunStatus::rejected, "quarantined after 3 failed runs");
    BOOST_TEST(runs_audited().size() == 4u);
    set_plugin_enabled(*store, login(*store, "admin", "admin"), p.id, true);
    BOOST_TEST(run(p).status == RunStatus::crashed);  // runs again after an admin re-enabled it
}

BOOST_AUTO_TEST_CASE(disabled_plugin_is_rejected_and_audited) {
    auto p = plugin("good");
    set_plugin_enabled(*store, login(*store, "admin", "admin"), p.id, false, std::string("stop"));
    expect_failure(run(p), RunStatus::rejected, "plugin disabled: stop");
}

BOOST_AUTO_TEST_CASE(command_plugin_is_stored_and_audited) {
    auto p = command_plugin("good", R"(test -f "$in/context.json" || exit 9
test -f run.sh || exit 8
echo "PROGRESS 0.5"
echo "PROGRESS 0.9" >&2
printf '%s' '{"suggestions":[{"kind":"risk","confidence":0.6,"summary":"CHA2DS2-VASc 2","rationale":"age"}]}' > "$out/suggestions.json"
)");
    std::vector<double> progress;
    cp::RunOptions o;
    o.progress = [&](double f) { progress.push_back(f); };
    auto r = consilium::test::run_approved(*store, *session, p, patient, std::nullopt, o);
    BOOST_TEST_INFO("reason: " << r.reason);
    BOOST_TEST(r.status == RunStatus::succeeded);
    BOOST_REQUIRE(r.suggestions.size() == 1u);
    BOOST_TEST(progress.size() == 2u);
    auto list = store->suggestions().list_for_patient(patient);
    BOOST_REQUIRE(list.size() == 1u);
    BOOST_TEST(list[0].summary == "CHA2DS2-VASc 2");
    BOOST_TEST(list[0].plugin_id == "org.test.cmd.good");
    auto audited = runs_audited();
    BOOST_REQUIRE(audited.size() == 1u);
    BOOST_TEST(json::parse(audited[0].record.details)["status"] == "succeeded");
}

BOOST_AUTO_TEST_CASE(command_plugin_gets_the_volume_as_nrrd) {
    auto m = valid_command("org.test.cmd.vol");
    m["command"] = {"sh", "run.sh"};
    m["inputs"]["volume"] = true;
    auto file = write_plugin(dir / "volplugins", "vol", m);
    consilium::test::write_file(file.parent_path() / "run.sh",
                                "while [ $# -gt 0 ]; do case $1 in --input) in=$2;; --output) out=$2;; esac; shift; done\n"
                                "grep -a -q 'space: left-posterior-superior' \"$in/volume.nrrd\" || exit 4\n"
                                "grep -a -q 'type: short' \"$in/volume.nrrd\" || exit 5\n"
                                "grep -q '1.2.3' \"$in/series.json\" || exit 6\n"
                                "echo '{\"suggestions\":[]}' > \"$out/suggestions.json\"\n");
    auto found = cp::discover_plugins(cp::SearchPath{{dir / "volplugins"}});
    BOOST_REQUIRE(found.size() == 1u);
    auto buffer = fs::path(dir.path()) / "voxels";
    consilium::test::write_file(buffer, std::string(4 * 4 * 4 * 2, '\0'));
    cp::VolumeInput v;
    v.dims = {4, 4, 4};
    v.fd = ::open(buffer.c_str(), O_RDONLY | O_CLOEXEC);
    v.bytes = 128;
    v.modality = "CT";
    v.series_uid = "1.2.3";
    auto r = run(found[0], v);
    ::close(v.fd);
    BOOST_TEST_INFO("reason: " << r.reason);
    BOOST_TEST(r.status == RunStatus::succeeded);
}

BOOST_AUTO_TEST_CASE(command_plugin_exit_1_fails_with_its_stderr) {
    expect_failure(run(command_plugin("exit1", "echo starting >&2\necho 'no model file' >&2\nexit 1\n")),
                   RunStatus::failed, "no model file");
}
BOOST_AUTO_TEST_CASE(command_plugin_hang_times_out) {
    expect_failure(run(command_plugin("hang", "sleep 600\n", 1)), RunStatus::timeout, "timed out after 1 s");
}
BOOST_AUTO_TEST_CASE(command_plugin_without_output_fails) {
    expect_failure(run(command_plugin("nofile", "exit 0\n")), RunStatus::failed, "no suggestions.json");
}
BOOST_AUTO_TEST_CASE(command_plugin_invalid_json_is_invalid_output) {
    expect_failure(run(command_plugin("badjson", "echo 'not json' > \"$out/suggestions.json\"\n")),
                   RunStatus::invalid_output, "not valid JSON");
}
BOOST_AUTO_TEST_CASE(command_plugin_killed_by_a_signal_crashes) {
    expect_failure(run(command_plugin("segv", "kill -SEGV $$\n")), RunStatus::crashed, "SIGSEGV");
}

BOOST_AUTO_TEST_SUITE_END()

}  // namespace
