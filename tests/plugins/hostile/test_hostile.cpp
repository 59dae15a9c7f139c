// The hostile-plugin suite: real plugins (C against the SDK, Python command plugins) that try to
// escape the sandbox, change the images, or outgrow their limits. Each must fail; the host (this
// process) survives; nothing is stored but the audited failure; no process of the run remains.
#define BOOST_TEST_MODULE hostile
#include <boost/test/unit_test.hpp>

#include "test_support.h"

#include "consilium/decision/plugin_state.h"
#include "consilium/decision/session.h"
#include "consilium/decision/site_policy.h"
#include "consilium/decision/store.h"
#include "consilium/decision/errors.h"
#include "consilium/plugins/discovery.h"
#include "consilium/plugins/limits.h"
#include "consilium/plugins/run.h"

#include <nlohmann/json.hpp>

#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <sys/mman.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <cstdlib>
#include <fstream>
#include <ostream>
#include <numeric>

namespace consilium::decision {
inline std::ostream& operator<<(std::ostream& os, RunStatus s) { return os << to_string(s); }
}  // namespace consilium::decision

namespace {

namespace fs = std::filesystem;
namespace cp = consilium::plugins;
using namespace consilium::decision;
using nlohmann::json;

// The processes a run could leave behind, by the names the hostile plugins give them.
bool any_process_named(const std::string& name) {
    for (const auto& e : fs::directory_iterator("/proc")) {
        std::ifstream comm(e.path() / "comm");
        std::string c;
        if (std::getline(comm, c) && c == name) return true;
    }
    return false;
}

std::string dashed(std::string s) {
    std::replace(s.begin(), s.end(), '_', '-');  // an id is reverse-DNS
    return s;
}

struct Hostile {
    consilium::test::ScratchDir dir{"hostile"};
    std::unique_ptr<Store> store;
    std::optional<Session> admin, doc;
    std::int64_t patient = 0;

    Hostile() {
        store = open_sqlite_store(dir / "consilium.db", {.create = true});
        add_user(*store, nullptr, "admin", Role::admin, "admin");
        admin = login(*store, "admin", "admin");
        add_user(*store, &*admin, "doc", Role::physician, "doc");
        doc = login(*store, "doc", "doc");
        Patient p;
        p.mrn = "MRN1";
        p.family = "Test";
        p.name = "Test";
        auto tx = store->begin();
        patient = store->patients().insert(p);
        tx->commit();
    }

    json manifest(const std::string& id, const std::string& kind, bool volume) {
        json m = {{"id", id}, {"name", id}, {"version", "1.0.0"}, {"kind", kind},
                  {"inputs", {{"volume", volume}, {"modalities", json::array()}, {"timeline", false}}},
                  {"outputs", {"risk"}}, {"limits", {{"timeout_s", 30}, {"memory_mb", 512}}},
                  {"model", {{"version", "m1"}, {"intended_use", "tests"}, {"training_data", "none"},
                             {"performance", "none"}, {"limitations", "none"}, {"references", json::array()}}}};
        return m;
    }

    cp::DiscoveredPlugin discover_approved(const fs::path& folder, const std::string& id) {
        for (auto& p : cp::discover_plugins(cp::SearchPath{{folder.parent_path()}}))
            if (p.id == id) {
                if (p.available) approve_plugin(*store, *admin, id, p.sha256);
                return p;
            }
        BOOST_FAIL("plugin not discovered: " + id);
        return {};
    }

    cp::DiscoveredPlugin native(const std::string& attack, bool volume = false) {
        const char* libs = std::getenv("CONSILIUM_HOSTILE_PLUGINS");
        BOOST_REQUIRE(libs);
        auto m = manifest("org.hostile." + dashed(attack), "native", volume);
        m["library"] = attack + ".so";
        m["abi_version"] = 1;
        const auto folder = dir / "plugins" / attack;
        fs::create_directories(folder);
        consilium::test::write_file(folder / "plugin.json", m.dump());
        fs::copy_file(fs::path(libs) / (attack + ".so"), folder / (attack + ".so"), fs::copy_options::overwrite_existing);
        return discover_approved(folder, m["id"]);
    }

    // A Python command plugin: run.py with --input/--output parsed, then `body`.
    cp::DiscoveredPlugin python(const std::string& name, const std::string& body, int output_mb = 16) {
        auto m = manifest("org.hostile.py." + dashed(name), "command", false);
        m["command"] = {"python3", "run.py"};
        m["limits"]["output_mb"] = output_mb;
        const auto folder = dir / "plugins" / name;
        fs::create_directories(folder);
        consilium::test::write_file(folder / "plugin.json", m.dump());
        consilium::test::write_file(folder / "run.py",
                                    "import os, sys, json, socket\n"
                                    "out = sys.argv[sys.argv.index('--output') + 1]\n"
                                    "inp = sys.argv[sys.argv.index('--input') + 1]\n"
                                    "def escaped(how):\n"
                                    "    json.dump({'suggestions': [{'kind': 'risk', 'summary': 'escaped: ' + how}]},\n"
                                    "              open(os.path.join(out, 'suggestions.json'), 'w'))\n"
                                    "    sys.exit(0)\n" +
                                        body);
        return discover_approved(folder, m["id"]);
    }

    cp::RunResult run(const cp::DiscoveredPlugin& p, const std::optional<cp::VolumeInput>& v = std::nullopt) {
        cp::RunOptions o;
        o.work_dir = dir / "work";
        fs::remove_all(o.work_dir);
        return cp::run_plugin(*store, *doc, p, patient, v, o);
    }

    // The run failed (not succeeded), said why in words, stored nothing, and its failure is audited.
    void expect_stopped(const cp::RunResult& r, const std::string& words = "") {
        BOOST_TEST_INFO("status " << to_string(r.status) << ", reason: " << r.reason);
        BOOST_TEST(r.status != RunStatus::succeeded);
        BOOST_TEST(r.reason.find("escaped") == std::string::npos);
        if (!words.empty()) BOOST_TEST(r.reason.find(words) != std::string::npos);
        BOOST_TEST(store->suggestions().list_for_patient(patient).empty());
        auto audited = store->audit().entries({.action = "plugin.run"});
        BOOST_REQUIRE(!audited.empty());
        BOOST_TEST(json::parse(audited.back().record.details)["status"] == std::string(to_string(r.status)));
    }
};

// A volume in a plain memfd the host must not hand over writable: 32^3 int16, a known pattern.
struct TestVolume {
    cp::VolumeInput in;
    std::int16_t* data = nullptr;
    TestVolume(bool sealed) {
        in.dims = {32, 32, 32};
        in.bytes = 32 * 32 * 32 * 2;
        in.modality = "CT";
        in.series_uid = "1.2.3";
        in.fd = memfd_create("hostile-volume", MFD_CLOEXEC | MFD_ALLOW_SEALING);
        BOOST_REQUIRE(in.fd >= 0);
        BOOST_REQUIRE(ftruncate(in.fd, static_cast<off_t>(in.bytes)) == 0);
        void* w = mmap(nullptr, in.bytes, PROT_READ | PROT_WRITE, MAP_SHARED, in.fd, 0);
        for (std::size_t i = 0; i < in.bytes / 2; ++i) static_cast<std::int16_t*>(w)[i] = static_cast<std::int16_t>(i % 977);
        if (sealed) {  // as the viewer hands over a loaded series
            munmap(w, in.bytes);  // no shared mapping that could be made writable may remain
            const int ro = ::open(("/proc/self/fd/" + std::to_string(in.fd)).c_str(), O_RDONLY | O_CLOEXEC);
            w = mmap(nullptr, in.bytes, PROT_READ, MAP_SHARED, ro, 0);
            ::close(ro);
            BOOST_REQUIRE(fcntl(in.fd, F_ADD_SEALS, F_SEAL_WRITE | F_SEAL_SHRINK | F_SEAL_GROW) == 0);
        }
        data = static_cast<std::int16_t*>(w);
    }
    ~TestVolume() {
        munmap(data, in.bytes);
        ::close(in.fd);
    }
    bool intact() const {
        for (std::size_t i = 0; i < in.bytes / 2; ++i)
            if (data[i] != static_cast<std::int16_t>(i % 977)) return false;
        return true;
    }
};

}  // namespace

BOOST_FIXTURE_TEST_SUITE(hostile, Hostile)

BOOST_AUTO_TEST_CASE(mprotect_and_write_of_the_volume_fails_and_the_voxels_are_unchanged) {
    for (bool sealed : {false, true}) {
        BOOST_TEST_CONTEXT(std::string(sealed ? "a sealed volume" : "an unsealed one (the host hands over a sealed copy)")) {
            TestVolume v(sealed);
            auto r = run(native("mprotect_write", true), v.in);
            expect_stopped(r, "the volume cannot be written");
            BOOST_TEST(v.intact());
        }
    }
}

BOOST_AUTO_TEST_CASE(ptrace_of_the_host_is_refused) { expect_stopped(run(native("ptrace_host")), "ptrace refused"); }

BOOST_AUTO_TEST_CASE(no_other_process_is_readable) {
    expect_stopped(run(native("read_processes")), "no other process readable");
}

BOOST_AUTO_TEST_CASE(a_fork_bomb_is_stopped_at_the_process_limit) {
    auto r = run(native("fork_bomb"));
    expect_stopped(r, "processes");
    BOOST_TEST(!any_process_named("hostile-bomb"));
}

BOOST_AUTO_TEST_CASE(filling_the_disk_stops_at_the_file_size_limit) {
    set_site_policy(*store, *admin, "plugin.file_size_mb", "8");
    auto r = run(native("fill_disk"));
    expect_stopped(r);
    BOOST_TEST((r.reason.find("File size limit") != std::string::npos || r.reason.find("file size limit") != std::string::npos),
               r.reason);
}

BOOST_AUTO_TEST_CASE(a_setsid_child_does_not_outlive_the_run) {
    auto r = run(native("setsid_child"));
    expect_stopped(r);
    BOOST_TEST(!any_process_named("hostile-setsid"));
}

BOOST_AUTO_TEST_CASE(no_secret_and_no_variable_of_the_caller_reaches_a_plugin) {
    setenv("CONSILIUM_PASSWORD", "doc", 1);
    setenv("HOSTILE_CANARY", "canary-77", 1);
    auto r = run(python("environment",
                        "extra = sorted(set(os.environ) - {'PATH', 'LANG', 'HOME', 'TMPDIR', 'PWD', 'LC_CTYPE'})\n"
                        "if extra or 'canary-77' in repr(os.environ): escaped('environment: ' + ' '.join(extra))\n"
                        "sys.exit('clean environment: ' + ' '.join(sorted(os.environ)))\n"));
    unsetenv("CONSILIUM_PASSWORD");
    unsetenv("HOSTILE_CANARY");
    expect_stopped(r, "clean environment");
}

BOOST_AUTO_TEST_CASE(the_workspace_database_cannot_be_found) {
    const auto db = (dir / "consilium.db").string();
    auto r = run(python("database",
                        "for start in (inp, out, os.getcwd(), '/'):\n"
                        "    d = start\n"
                        "    while True:\n"
                        "        if os.path.exists(os.path.join(d, 'consilium.db')): escaped('found in ' + d)\n"
                        "        if d == '/': break\n"
                        "        d = os.path.dirname(d)\n"
                        "try: open('" + db + "', 'rb').read(16); escaped('opened')\n"
                        "except OSError as e: sys.exit('no database: ' + type(e).__name__)\n"));
    expect_stopped(r, "no database");
}

BOOST_AUTO_TEST_CASE(no_loopback_connection_reaches_a_listener_of_the_host) {
    const int s = socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK, 0);
    sockaddr_in a{};
    a.sin_family = AF_INET;
    a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    BOOST_REQUIRE(bind(s, reinterpret_cast<sockaddr*>(&a), sizeof a) == 0);
    BOOST_REQUIRE(listen(s, 8) == 0);
    socklen_t len = sizeof a;
    getsockname(s, reinterpret_cast<sockaddr*>(&a), &len);
    auto r = run(python("network", "try: socket.create_connection(('127.0.0.1', " + std::to_string(ntohs(a.sin_port)) +
                                       "), timeout=2); escaped('connected')\n"
                                       "except OSError as e: sys.exit('no network: ' + type(e).__name__)\n"));
    expect_stopped(r, "no network");
    BOOST_TEST(accept(s, nullptr, nullptr) < 0);  // nothing waiting in the backlog
    ::close(s);
}

BOOST_AUTO_TEST_CASE(nothing_is_written_outside_the_output) {
    const auto outside = dir / "outside.txt";
    auto r = run(python("write",
                        "wrote = []\n"
                        "for p in ('" + outside.string() + "', os.path.join(inp, 'x'), 'run.py', '/usr/x', '/x'):\n"
                        "    try: open(p, 'a').write('x'); wrote.append(p)\n"
                        "    except OSError: pass\n"
                        "if wrote: escaped('wrote ' + ' '.join(wrote))\n"
                        "sys.exit('nothing written outside')\n"));
    expect_stopped(r, "nothing written outside");
    BOOST_TEST(!fs::exists(outside));
}

BOOST_AUTO_TEST_CASE(four_gigabytes_of_output_asked_for_is_refused_at_discovery) {
    auto p = python("huge", "open(os.path.join(out, 'big'), 'wb').truncate(4 << 30)\n", 65536);
    BOOST_TEST(p.available);  // discovery alone knows no site; the site's policy refuses it:
    cp::apply_site_policy(p, read_site_policy(*store));
    BOOST_TEST(!p.available);
    BOOST_TEST(p.reason == "limits.output_mb 65536 is above the site's cap of 256 (policy plugin.output_mb)");
    auto r = run(p);
    BOOST_TEST(r.status == RunStatus::rejected);
    expect_stopped(r, "limits.output_mb 65536 is above the site's cap of 256");
}

BOOST_AUTO_TEST_CASE(output_over_its_limit_is_refused) {
    auto r = run(python("bigout",
                        "open(os.path.join(out, 'pad.bin'), 'wb').write(b'x' * (3 << 20))\n"
                        "json.dump({'suggestions': []}, open(os.path.join(out, 'suggestions.json'), 'w'))\n",
                        2));
    expect_stopped(r, "exceeds its limit of 2 MB");
}

BOOST_AUTO_TEST_CASE(a_symlink_in_the_output_pointing_at_the_database_is_refused) {
    const auto db = (dir / "consilium.db").string();
    auto r = run(python("symlink", "os.symlink('" + db + "', os.path.join(out, 'suggestions.json'))\n"));
    expect_stopped(r, "symbolic link");
}

BOOST_AUTO_TEST_CASE(without_the_sandbox_runs_are_refused_unless_the_site_turns_it_off) {
    // Turning it off is an admin's audited decision, recorded with every run it affects.
    BOOST_CHECK_THROW(set_site_policy(*store, *doc, "plugin.sandbox", "off"), NotPermitted);
    BOOST_TEST(cp::sandbox_warning(read_site_policy(*store)).empty());  // bubblewrap works here
    set_site_policy(*store, *admin, "plugin.sandbox", "off");
    // The workstation's plugins pane shows this in red.
    BOOST_TEST(cp::sandbox_warning(read_site_policy(*store)).find("WITHOUT the sandbox") != std::string::npos);
    auto set = store->audit().entries({.action = "policy.set"});
    BOOST_REQUIRE(set.size() == 1u);
    BOOST_TEST(json::parse(set.back().record.details)["new"] == "off");
    auto r = run(python("unboxed", "sys.exit('ran')\n"));
    BOOST_TEST(r.reason.find("ran") != std::string::npos);
    BOOST_TEST(json::parse(store->audit().entries({.action = "plugin.run"}).back().record.details)["sandbox"] == "off");
}

BOOST_AUTO_TEST_SUITE_END()
