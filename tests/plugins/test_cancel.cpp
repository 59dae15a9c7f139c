// Cancelling a plugin run from another thread (as a GUI's Cancel button does) and from the CLI
// with SIGINT/SIGTERM: the run ends as `cancelled`, audited, nothing stored, no quarantine; and
// progress reaches the caller's callback on the thread that runs the plugin.
#include "approval_fixture.h"
#include "run_fixture.h"

#include <fcntl.h>
#include <signal.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <cerrno>
#include <chrono>
#include <map>
#include <memory>
#include <fstream>
#include <iterator>
#include <thread>

extern char** environ;

namespace {

using namespace consilium::test::runtest;
using namespace std::chrono_literals;
using Clock = std::chrono::steady_clock;

// Sets a run's cancel flag from another thread after `delay`.
struct CancelLater {
    std::shared_ptr<std::atomic<bool>> flag = std::make_shared<std::atomic<bool>>(false);
    std::thread thread;
    explicit CancelLater(std::chrono::milliseconds delay)
        : thread([f = flag, delay] {
              std::this_thread::sleep_for(delay);
              f->store(true);
          }) {}
    ~CancelLater() { thread.join(); }
};

std::int64_t ms_since(Clock::time_point t) {
    return std::chrono::duration_cast<std::chrono::milliseconds>(Clock::now() - t).count();
}

struct CancelFixture : RunFixture {
    std::int64_t elapsed_ms = 0;
    RunResult run_cancelled(const cp::DiscoveredPlugin& p, std::chrono::milliseconds delay = 300ms) {
        const auto t0 = Clock::now();
        CancelLater cancel(delay);
        cp::RunOptions o;
        o.cancel = cancel.flag;
        auto r = consilium::test::run_approved(*store, *session, p, patient, std::nullopt, o);
        elapsed_ms = ms_since(t0);
        return r;
    }
};

BOOST_FIXTURE_TEST_SUITE(cancel_run, CancelFixture)

BOOST_AUTO_TEST_CASE(hanging_native_plugin_is_cancelled) {
    auto r = run_cancelled(plugin("hang"));  // ignores SIGTERM's request: killed after the grace
    expect_failure(r, RunStatus::cancelled, "cancelled by doc");
    BOOST_TEST(r.reason == "cancelled by doc");
    BOOST_TEST(elapsed_ms < 3000);
}

BOOST_AUTO_TEST_CASE(cooperative_native_plugin_stops_at_once) {
    auto r = run_cancelled(plugin("cooperative"));  // sees is_cancelled() after SIGTERM
    expect_failure(r, RunStatus::cancelled, "cancelled by doc");
    BOOST_TEST(elapsed_ms < 1500);
}

BOOST_AUTO_TEST_CASE(hanging_command_plugin_is_cancelled_with_its_children) {
    // The plugin runs in the sandbox's PID namespace: its child `sleep` is found by its unique
    // argument among the host's processes, and must be gone when run_plugin returns.
    const std::string marker = "600." + std::to_string(::getpid());
    auto sleeping = [&] {
        for (const auto& e : std::filesystem::directory_iterator("/proc")) {
            std::ifstream cmdline(e.path() / "cmdline");
            std::string text((std::istreambuf_iterator<char>(cmdline)), std::istreambuf_iterator<char>());
            if (text.find("sleep") != std::string::npos && text.find(marker) != std::string::npos) return true;
        }
        return false;
    };
    auto r = run_cancelled(command_plugin("hang", "sleep " + marker + " & wait\n"));
    expect_failure(r, RunStatus::cancelled, "cancelled by doc");
    BOOST_TEST(elapsed_ms < 3000);
    BOOST_TEST(!sleeping());
}

BOOST_AUTO_TEST_CASE(cancelled_before_the_start_runs_nothing) {
    cp::RunOptions o;
    o.cancel = std::make_shared<std::atomic<bool>>(true);
    int progress_calls = 0;
    o.progress = [&](double) { ++progress_calls; };
    auto r = consilium::test::run_approved(*store, *session, plugin("good"), patient, std::nullopt, o);
    expect_failure(r, RunStatus::cancelled, "cancelled by doc");
    BOOST_TEST(progress_calls == 0);
}

BOOST_AUTO_TEST_CASE(cancellations_do_not_quarantine) {
    auto p = plugin("cooperative");
    for (int i = 0; i < 3; ++i) BOOST_TEST(run_cancelled(p, 100ms).status == RunStatus::cancelled);
    auto state = store->plugin_states().find(p.id).value_or(default_plugin_state(p.id));
    BOOST_TEST(!state.quarantined);
    BOOST_TEST(state.failures_in_a_row == 0);
    BOOST_TEST(store->audit().entries({.action = "plugin.quarantine"}).empty());
    BOOST_TEST(run_cancelled(p, 100ms).status == RunStatus::cancelled);  // still allowed to run
    BOOST_TEST(runs_audited().size() == 4u);
}

BOOST_AUTO_TEST_CASE(native_progress_reaches_the_running_thread) {
    std::vector<double> values;
    std::vector<std::thread::id> threads;
    cp::RunOptions o;
    o.progress = [&](double f) {
        values.push_back(f);
        threads.push_back(std::this_thread::get_id());
    };
    auto r = consilium::test::run_approved(*store, *session, plugin("progress"), patient, std::nullopt, o);
    BOOST_TEST_INFO("reason: " << r.reason);
    BOOST_TEST(r.status == RunStatus::succeeded);
    BOOST_TEST(values == (std::vector<double>{0.5, 0.75, 1.0}), boost::test_tools::per_element());
    for (auto id : threads) BOOST_TEST((id == std::this_thread::get_id()));
}

BOOST_AUTO_TEST_CASE(command_progress_reaches_the_running_thread) {
    auto p = command_plugin("progress", "echo 'PROGRESS 0.25'\necho 'PROGRESS 0.5' >&2\n"
                                        "echo '{\"suggestions\":[]}' > \"$out/suggestions.json\"\n");
    std::vector<double> values;
    std::vector<std::thread::id> threads;
    cp::RunOptions o;
    o.progress = [&](double f) {
        values.push_back(f);
        threads.push_back(std::this_thread::get_id());
    };
    auto r = consilium::test::run_approved(*store, *session, p, patient, std::nullopt, o);
    BOOST_TEST_INFO("reason: " << r.reason);
    BOOST_TEST(r.status == RunStatus::succeeded);
    BOOST_TEST(values == (std::vector<double>{0.25, 0.5}), boost::test_tools::per_element());
    for (auto id : threads) BOOST_TEST((id == std::this_thread::get_id()));
}

BOOST_AUTO_TEST_SUITE_END()

// ---------------------------------------------------------------- the CLI
// `consilium-cli plugins run` on a real workspace, stopped by a signal once the plugin has started.
struct CliFixture {
    ScratchDir dir{"cancel-cli"};
    std::string cli = std::string(std::getenv("CONSILIUM_BIN") ? std::getenv("CONSILIUM_BIN") : ".") + "/consilium-cli";
    std::map<std::string, std::string> env{{"XDG_DATA_HOME", (dir / "xdg").string()},
                                           {"CONSILIUM_PLUGIN_PATH", (dir / "plugins").string()}};
    const std::vector<std::string> unset{"CONSILIUM_USER", "CONSILIUM_PASSWORD", "CONSILIUM_WORKSPACE"};

    consilium::test::RunResult as(const std::string& user, std::vector<std::string> args, const std::string& input = "") {
        std::vector<std::string> argv{cli, "--workspace", (dir / "ws").string()};
        auto e = env;
        if (!user.empty()) {
            argv.insert(argv.end(), {"--user", user});
            e["CONSILIUM_PASSWORD"] = user;
        }
        argv.insert(argv.end(), args.begin(), args.end());
        return consilium::test::run_program(argv, e, input, unset);
    }

    CliFixture() {
        BOOST_REQUIRE(as("", {"init"}).exit_code == 0);
        BOOST_REQUIRE(as("", {"user", "add", "admin", "--role", "admin"}, "admin\n").exit_code == 0);
        BOOST_REQUIRE(as("admin", {"user", "add", "doc", "--role", "physician"}, "doc\n").exit_code == 0);
        consilium::test::write_file(dir / "patient.json",
                                    R"({"resourceType":"Patient","id":"p1","identifier":[{"type":{"coding":)"
                                    R"([{"code":"MR"}]},"value":"RUN-1"}],"name":[{"family":"Doe","given":["Ann"]}]})");
        BOOST_REQUIRE(as("doc", {"import", (dir / "patient.json").string()}).exit_code == 0);
        auto m = valid_command("org.test.cmd.wait");
        m["command"] = {"sh", "run.sh"};
        auto file = write_plugin(dir / "plugins", "wait", m);
        consilium::test::write_file(file.parent_path() / "run.sh",
                                    "touch \"$4/started\"\nsleep 600\n");  // $4: its output folder
        BOOST_REQUIRE(as("admin", {"plugins", "approve", "org.test.cmd.wait"}).exit_code == 0);  // content_hash.h
    }

    // Whether the plugin has started: it touches `started` in its output folder (in the sandbox it
    // sees nothing else of ours), somewhere under the workspace's plugin-work.
    bool started() const {
        std::error_code ec;
        for (auto it = std::filesystem::recursive_directory_iterator(dir / "ws" / "plugin-work", ec);
             !ec && it != std::filesystem::recursive_directory_iterator(); it.increment(ec))
            if (it->path().filename() == "started") return true;
        return false;
    }

    // Starts `plugins run` as doc, sends `sig` once the plugin has started; the exit code and stdout.
    std::pair<int, std::string> run_and_signal(int sig) {
        const auto out_file = dir / "out.json";
        std::vector<std::string> args{cli,  "--workspace", (dir / "ws").string(), "--user", "doc", "--json", "plugins",
                                      "run", "org.test.cmd.wait", "--patient", "RUN-1"};
        std::vector<std::string> env_s;
        for (char** e = environ; *e; ++e) {
            std::string kv = *e, key = kv.substr(0, kv.find('='));
            if (!env.count(key) && key != "CONSILIUM_PASSWORD" &&
                std::find(unset.begin(), unset.end(), key) == unset.end())
                env_s.push_back(kv);
        }
        for (const auto& [k, v] : env) env_s.push_back(k + "=" + v);
        env_s.push_back("CONSILIUM_PASSWORD=doc");
        std::vector<char*> argv, envp;
        for (auto& a : args) argv.push_back(a.data());
        for (auto& e : env_s) envp.push_back(e.data());
        argv.push_back(nullptr);
        envp.push_back(nullptr);
        posix_spawn_file_actions_t actions;
        posix_spawn_file_actions_init(&actions);
        posix_spawn_file_actions_addopen(&actions, 1, out_file.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
        pid_t pid = -1;
        BOOST_REQUIRE(posix_spawn(&pid, cli.c_str(), &actions, nullptr, argv.data(), envp.data()) == 0);
        posix_spawn_file_actions_destroy(&actions);
        for (int i = 0; i < 200 && !started(); ++i) std::this_thread::sleep_for(50ms);
        BOOST_CHECK(started());
        const auto t0 = Clock::now();
        ::kill(pid, sig);
        int status = 0;
        while (::waitpid(pid, &status, WNOHANG) == 0) {
            if (ms_since(t0) > 10000) {
                ::kill(pid, SIGKILL);
                ::waitpid(pid, &status, 0);
                BOOST_FAIL("consilium-cli did not end within 10 s of the signal");
            }
            std::this_thread::sleep_for(20ms);
        }
        BOOST_TEST(ms_since(t0) < 3000);
        BOOST_REQUIRE_MESSAGE(WIFEXITED(status), "consilium-cli died of signal " << WTERMSIG(status));
        return {WEXITSTATUS(status), consilium::test::read_file(out_file)};
    }
};

BOOST_FIXTURE_TEST_CASE(cli_sigint_and_sigterm_cancel_the_run, CliFixture) {
    for (int sig : {SIGINT, SIGTERM}) {
        BOOST_TEST_CONTEXT("signal " << sig) {
            auto [code, out] = run_and_signal(sig);
            BOOST_TEST(code == 2);
            auto j = json::parse(out, nullptr, false);
            BOOST_REQUIRE(j.is_object());
            BOOST_TEST(j["status"] == "cancelled");
            BOOST_TEST(j["reason"] == "cancelled by doc");
            BOOST_TEST(j["suggestions"].empty());
        }
    }
    auto log = as("admin", {"--json", "audit", "log", "--action", "plugin.run"});
    BOOST_REQUIRE(log.exit_code == 0);
    auto entries = json::parse(log.out);
    BOOST_REQUIRE(entries.size() == 2u);
    for (const auto& e : entries) BOOST_TEST(e.dump().find("cancelled by doc") != std::string::npos);
}

}  // namespace
