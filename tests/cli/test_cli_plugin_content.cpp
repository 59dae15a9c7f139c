// A plugin is its content (content_hash.h), and it sees only what it asked for (run_scope.h):
// approval by an admin of the folder's hash, no shadowing of a shipped id, symlinks refused, the
// context cut to the manifest's inputs, and runs a killed host left `running` marked abandoned.
#include "cli_harness.h"

#include <boost/test/unit_test.hpp>

#include <unistd.h>

namespace {

using namespace consilium::test::clitest;

// A command plugin whose one suggestion's rationale lists the context's resources ("Patient,
// Observation:8867-4, ...").
std::string manifest(const std::string& id, const std::string& inputs) {
    return R"({"id": ")" + id + R"(", "name": "Context probe", "version": "1.0.0", "kind": "command",
 "command": ["python3", "-B", "probe.py"], "inputs": )" + inputs + R"(, "outputs": ["risk"],
 "model": {"version": "1", "intended_use": "test"}})";
}
const char* kProbe = R"(import json, os, sys
inp = sys.argv[sys.argv.index("--input") + 1]; out = sys.argv[sys.argv.index("--output") + 1]
ctx = json.load(open(os.path.join(inp, "context.json")))
seen = []
for e in ctx["entry"]:
    r = e["resource"]
    seen.append(r["resourceType"] + (":" + r["code"]["coding"][0]["code"] if "code" in r else ""))
json.dump({"suggestions": [{"kind": "risk", "summary": "probe", "rationale": ",".join(seen)}]},
          open(os.path.join(out, "suggestions.json"), "w"))
)";

struct Probe : Team {
    Probe() {
        const std::string patient = R"({"resourceType":"Bundle","type":"collection","entry":[
 {"fullUrl":"urn:uuid:5a1e0000-0000-4000-8000-000000000001","resource":{"resourceType":"Patient","id":"p1",
  "identifier":[{"type":{"coding":[{"code":"MR"}]},"value":"LEAST-1"}],"name":[{"family":"Least","given":["Ann"]}],
  "gender":"female","birthDate":"1950-01-01"}},
 {"resource":{"resourceType":"Observation","id":"hr","status":"final","subject":{"reference":"urn:uuid:5a1e0000-0000-4000-8000-000000000001"},
  "code":{"coding":[{"system":"http://loinc.org","code":"8867-4"}]},"effectiveDateTime":"2026-11-01T08:00:00Z","valueQuantity":{"value":80}}},
 {"resource":{"resourceType":"Observation","id":"rr","status":"final","subject":{"reference":"urn:uuid:5a1e0000-0000-4000-8000-000000000001"},
  "code":{"coding":[{"system":"http://loinc.org","code":"9279-1"}]},"effectiveDateTime":"2026-11-01T08:00:00Z","valueQuantity":{"value":18}}}]})";
        REQUIRE_EXIT(as("doc", {"import", write("least.json", patient).string()}), 0);
    }
    void plugin(const std::string& folder, const std::string& id, const std::string& inputs) const {
        write("ws/plugins/" + folder + "/plugin.json", manifest(id, inputs));
        write("ws/plugins/" + folder + "/probe.py", kProbe);
    }
    json listed(const std::string& id) const {
        for (const auto& p : json_as("doc", {"plugins", "list"}))
            if (p.at("id") == id && p.at("path").get<std::string>().find("/ws/plugins/") != std::string::npos) return p;
        BOOST_FAIL("plugin " << id << " not listed from the workspace");
        return {};
    }
    // The rationale of a succeeded run: what the plugin saw.
    std::string seen_by(const std::string& id) const {
        auto run = json_as("doc", {"plugins", "run", id, "--patient", "LEAST-1"});
        BOOST_REQUIRE_MESSAGE(run.at("status") == "succeeded", run.dump());
        for (const auto& s : json_as("doc", {"suggestions", "LEAST-1"}))
            if (s.at("id") == run.at("suggestions").at(0)) return s.at("rationale").get<std::string>();
        return "";
    }
};

}  // namespace

BOOST_AUTO_TEST_SUITE(cli_plugin_content)

BOOST_FIXTURE_TEST_CASE(a_new_plugin_runs_only_after_an_admin_approves_its_hash_and_not_once_it_changes, Probe) {
    plugin("probe", "org.example.probe", R"({"timeline": true})");
    auto p = listed("org.example.probe");
    BOOST_TEST(p.at("available") == false);
    CHECK_CONTAINS(p.at("reason").get<std::string>(), "needs approval");
    auto info = json_as("doc", {"plugins", "info", "org.example.probe"});
    const auto hash = info.at("sha256").get<std::string>();
    BOOST_TEST(hash.size() == 64u);
    BOOST_TEST(info.at("approved") == false);

    auto refused = as("doc", {"--json", "plugins", "run", "org.example.probe", "--patient", "LEAST-1"});
    CHECK_EXIT(refused, 2);
    auto r = parse_json(refused.out, "unapproved run");
    BOOST_TEST(r.at("status") == "rejected");
    CHECK_CONTAINS(r.at("reason").get<std::string>(), "needs approval");

    CHECK_EXIT(as("doc", {"plugins", "approve", "org.example.probe"}), 3);  // clinicians may not
    CHECK_EXIT(as("dev", {"plugins", "approve", "org.example.probe"}), 3);  // nor developers
    REQUIRE_EXIT(as("admin", {"plugins", "approve", "org.example.probe"}), 0);
    BOOST_TEST(json_as("doc", {"plugins", "info", "org.example.probe"}).at("approved") == true);
    bool audited = false;
    for (const auto& e : audit_log())
        if (e.at("action") == "plugin.approve") {
            audited = true;
            BOOST_TEST(e.at("user") == "admin");
            BOOST_TEST(e.at("details").at("sha256") == hash);
        }
    BOOST_TEST(audited);

    seen_by("org.example.probe");
    BOOST_TEST(sqlite_value(cli.db(), "SELECT plugin_sha256 FROM plugin_run WHERE status = 'succeeded'") == hash);
    bool run_audited = false;
    for (const auto& e : audit_log())
        if (e.at("action") == "plugin.run" && e.at("details").at("status") == "succeeded")
            run_audited = e.at("details").at("plugin_sha256") == hash;
    BOOST_TEST(run_audited);

    write("ws/plugins/probe/weights.bin", "changed");  // any file of the folder: the content changed
    auto changed = parse_json(as("doc", {"--json", "plugins", "run", "org.example.probe", "--patient", "LEAST-1"}).out, "changed");
    BOOST_TEST(changed.at("status") == "rejected");
    CHECK_CONTAINS(changed.at("reason").get<std::string>(), "changed since its approval");
}

BOOST_FIXTURE_TEST_CASE(no_folder_takes_a_shipped_plugins_id_and_symlinks_are_refused, Probe) {
    plugin("fake-news2", "org.consilium.news2", R"({"timeline": true})");
    auto fake = listed("org.consilium.news2");
    BOOST_TEST(fake.at("available") == false);
    CHECK_CONTAINS(fake.at("reason").get<std::string>(), "shipped plugin");
    CHECK_EXIT(as("admin", {"plugins", "approve", "org.consilium.news2"}), 0);  // approves the shipped one
    auto shipped = json_as("doc", {"plugins", "info", "org.consilium.news2"});
    BOOST_TEST(shipped.at("path").get<std::string>().find("/ws/plugins/") == std::string::npos);
    BOOST_TEST(shipped.at("available") == true);

    plugin("linked", "org.example.linked", R"({"timeline": true})");
    fs::create_symlink(cli.db(), dir / "ws/plugins/linked/data.db");
    auto linked = listed("org.example.linked");
    BOOST_TEST(linked.at("available") == false);
    CHECK_CONTAINS(linked.at("reason").get<std::string>(), "symlink");
    CHECK_EXIT(as("admin", {"plugins", "approve", "org.example.linked"}), 2);
}

BOOST_FIXTURE_TEST_CASE(the_context_holds_only_what_the_inputs_ask_for, Probe) {
    plugin("none", "org.example.none", R"({"timeline": false})");
    plugin("some", "org.example.some", R"({"timeline": true, "observation_codes": ["8867-4"]})");
    plugin("all", "org.example.all", R"({"timeline": true})");
    for (const char* id : {"org.example.none", "org.example.some", "org.example.all"})
        REQUIRE_EXIT(as("admin", {"plugins", "approve", id}), 0);
    BOOST_TEST(seen_by("org.example.none") == "Patient");
    BOOST_TEST(seen_by("org.example.some") == "Patient,Observation:8867-4");
    const auto all = seen_by("org.example.all");
    CHECK_CONTAINS(all, "Observation:8867-4");
    CHECK_CONTAINS(all, "Observation:9279-1");
}

BOOST_FIXTURE_TEST_CASE(runs_a_killed_host_left_running_are_abandoned_and_their_folders_removed, Probe) {
    // A run recorded on this machine by a process that no longer exists (pid 4194304 is above
    // Linux's pid_max limit, and the boot id is not this boot's).
    char host[256] = {};
    BOOST_REQUIRE(::gethostname(host, sizeof host - 1) == 0);
    sqlite(cli.db(), "INSERT INTO plugin_run(plugin_id, plugin_version, user_name, started_at, status, host) "
                     "VALUES ('org.example.gone', '1', 'doc', '2026-01-01T00:00:00Z', 'running', '" + std::string(host) +
                         " not-this-boot 4194304 1')");
    write("ws/plugin-work/4194304/input/context.json", "{\"patient\": \"data\"}");
    REQUIRE_EXIT(as("doc", {"patients"}), 0);
    BOOST_TEST(sqlite_value(cli.db(), "SELECT status FROM plugin_run WHERE plugin_id = 'org.example.gone'") == "abandoned");
    BOOST_TEST(!fs::exists(dir / "ws/plugin-work/4194304"));
    bool audited = false;
    for (const auto& e : audit_log()) audited = audited || e.at("action") == "plugin.run.abandoned";
    BOOST_TEST(audited);
    // A run recorded on another machine sharing the record cannot be checked: left alone.
    sqlite(cli.db(), "INSERT INTO plugin_run(plugin_id, plugin_version, user_name, started_at, status, host) "
                     "VALUES ('org.example.live', '1', 'doc', '2026-01-01T00:00:00Z', 'running', 'other-machine b 1 1')");
    REQUIRE_EXIT(as("doc", {"patients"}), 0);
    BOOST_TEST(sqlite_value(cli.db(), "SELECT status FROM plugin_run WHERE plugin_id = 'org.example.live'") == "running");
}

BOOST_AUTO_TEST_SUITE_END()
