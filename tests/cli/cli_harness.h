#pragma once
// The harness of the black-box CLI suites: the real consilium-cli ($CONSILIUM_CLI) run on real
// workspaces in scratch folders, with an explicit environment, and checks on what it printed.
#include "test_support.h"

#include <boost/test/unit_test.hpp>
#include <nlohmann/json.hpp>

#include <algorithm>
#include <cstdlib>
#include <filesystem>
#include <map>
#include <regex>
#include <sstream>
#include <string>
#include <vector>

namespace consilium::test::clitest {

namespace fs = std::filesystem;
using consilium::test::RunResult;
using consilium::test::ScratchDir;
using nlohmann::json;

// ---------------------------------------------------------------- running the CLI

inline std::string cli_binary() {
    const char* p = std::getenv("CONSILIUM_CLI");
    BOOST_REQUIRE_MESSAGE(p && *p, "CONSILIUM_CLI is not set: run this suite through ctest");
    return p;
}

inline const std::vector<std::string> kUnsetEnv = {"CONSILIUM_USER", "CONSILIUM_PASSWORD", "CONSILIUM_WORKSPACE"};

inline std::string joined(const std::vector<std::string>& words) {
    std::string out;
    for (const auto& w : words) out += (out.empty() ? "" : " ") + w;
    return out;
}

inline std::string shown(const RunResult& r) {
    return "exit " + std::to_string(r.exit_code) + "; stderr: " + r.err.substr(0, 600) + "; stdout: " + r.out.substr(0, 300);
}

// Each runs `result` (usually a command) exactly once.
#define CHECK_EXIT(result, code)                                                                           \
    do {                                                                                                   \
        const RunResult& checked_ = (result);                                                              \
        BOOST_CHECK_MESSAGE(checked_.exit_code == (code), "expected exit " << (code) << ", got " << shown(checked_)); \
    } while (0)
#define REQUIRE_EXIT(result, code)                                                                         \
    do {                                                                                                   \
        const RunResult& checked_ = (result);                                                              \
        BOOST_REQUIRE_MESSAGE(checked_.exit_code == (code), "expected exit " << (code) << ", got " << shown(checked_)); \
    } while (0)
#define CHECK_CONTAINS(text, part) \
    BOOST_CHECK_MESSAGE((text).find(part) != std::string::npos, "'" << (part) << "' not in: " << (text))

inline json parse_json(const std::string& text, const std::string& what) {
    json j = json::parse(text, nullptr, false);
    BOOST_REQUIRE_MESSAGE(!j.is_discarded(), what << ": not one JSON document: " << text.substr(0, 400));
    return j;
}

// The CLI bound to one workspace folder, with XDG_DATA_HOME in scratch and no CONSILIUM_* leaking in.
struct Cli {
    fs::path workspace;
    fs::path xdg;

    explicit Cli(const fs::path& scratch, const std::string& name = "ws") : workspace(scratch / name), xdg(scratch / "xdg") {}

    std::map<std::string, std::string> env(const std::string& password = "") const {
        std::map<std::string, std::string> e{{"XDG_DATA_HOME", xdg.string()}};
        if (!password.empty()) e["CONSILIUM_PASSWORD"] = password;
        return e;
    }

    RunResult run(const std::vector<std::string>& args, const std::string& user = "", const std::string& password = "",
                  const std::string& input = "") const {
        std::vector<std::string> argv{cli_binary(), "--workspace", workspace.string()};
        if (!user.empty()) argv.insert(argv.end(), {"--user", user});
        argv.insert(argv.end(), args.begin(), args.end());
        return consilium::test::run_program(argv, env(password), input, kUnsetEnv);
    }

    // Runs `--json ARGS...` as a user, requires exit 0 and returns the parsed stdout.
    json json_of(std::vector<std::string> args, const std::string& user, const std::string& password) const {
        args.insert(args.begin(), "--json");
        auto r = run(args, user, password);
        BOOST_REQUIRE_MESSAGE(r.exit_code == 0, joined(args) << " as " << user << ": " << shown(r));
        return parse_json(r.out, joined(args));
    }

    fs::path db() const { return workspace / "consilium.db"; }
};

// Runs the CLI without --workspace (for usage errors and the default workspace).
inline RunResult run_bare(const std::vector<std::string>& args, const fs::path& xdg) {
    std::vector<std::string> argv{cli_binary()};
    argv.insert(argv.end(), args.begin(), args.end());
    return consilium::test::run_program(argv, {{"XDG_DATA_HOME", xdg.string()}}, "", kUnsetEnv);
}

// A workspace with an admin, a physician and a developer; each password is NAME-pw.
struct Team {
    ScratchDir dir{"cli"};
    Cli cli{dir.path()};

    Team() {
        REQUIRE_EXIT(cli.run({"init"}), 0);
        REQUIRE_EXIT(cli.run({"user", "add", "admin", "--role", "admin"}, "", "", "admin-pw\n"), 0);
        REQUIRE_EXIT(cli.run({"user", "add", "doc", "--role", "physician"}, "admin", "admin-pw", "doc-pw\n"), 0);
        REQUIRE_EXIT(cli.run({"user", "add", "dev", "--role", "developer"}, "admin", "admin-pw", "dev-pw\n"), 0);
    }
    RunResult as(const std::string& user, const std::vector<std::string>& args, const std::string& input = "") const {
        return cli.run(args, user, user + "-pw", input);
    }
    json json_as(const std::string& user, const std::vector<std::string>& args) const {
        return cli.json_of(args, user, user + "-pw");
    }
    json patients() const { return json_as("doc", {"patients"}); }
    json audit_log() const { return json_as("admin", {"audit", "log"}); }
    fs::path write(const std::string& name, const std::string& text) const {
        auto file = dir / name;
        fs::create_directories(file.parent_path());
        consilium::test::write_file(file, text);
        return file;
    }
};

inline std::vector<std::string> kinds_of(const json& timeline) {
    std::vector<std::string> out;
    for (const auto& e : timeline) out.push_back(e.at("kind").get<std::string>());
    return out;
}

inline std::vector<std::string> actions_of(const json& log) {
    std::vector<std::string> out;
    for (const auto& e : log) out.push_back(e.at("action").get<std::string>());
    return out;
}

inline bool has(const std::vector<std::string>& list, const std::string& item) {
    return std::find(list.begin(), list.end(), item) != list.end();
}

inline std::vector<std::string> lines_of(const std::string& text) {
    std::vector<std::string> out;
    std::istringstream in(text);
    for (std::string line; std::getline(in, line);)
        if (!line.empty()) out.push_back(line);
    return out;
}

// "audit chain intact: 12 entries, ..." -> 12 (the first number on stdout).
inline long entry_count(const RunResult& verify) {
    std::smatch m;
    BOOST_REQUIRE_MESSAGE(std::regex_search(verify.out, m, std::regex(R"((\d+) entr)")),
                          "audit verify printed no entry count: " << verify.out);
    return std::stol(m[1]);
}

// Runs SQL on a database with the sqlite3 command-line tool; requires success.
inline void sqlite(const fs::path& db, const std::string& sql) {
    auto r = consilium::test::run_program({"sqlite3", "-bail", db.string(), sql});
    BOOST_REQUIRE_MESSAGE(r.exit_code == 0, "sqlite3 " << sql << ": " << shown(r));
}

inline std::string sqlite_value(const fs::path& db, const std::string& sql) {
    auto r = consilium::test::run_program({"sqlite3", "-bail", db.string(), sql});
    BOOST_REQUIRE_MESSAGE(r.exit_code == 0, "sqlite3 " << sql << ": " << shown(r));
    auto out = r.out;
    while (!out.empty() && (out.back() == '\n' || out.back() == '\r')) out.pop_back();
    return out;
}

}  // namespace consilium::test::clitest
