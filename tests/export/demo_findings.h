#pragma once
// One demo workspace for the whole suite (making it and running the plugin takes seconds): the demo
// chest CT, the lung-nodule plugin run on it, one nodule accepted by the radiologist, one modified
// by the physician, one left proposed. Everything through the real consilium-cli.
#include "../cli/cli_harness.h"

#include <cstdint>
#include <filesystem>
#include <string>

namespace consilium::test::exporting {

using clitest::json;

struct DemoFindings {
    ScratchDir dir{"export"};
    clitest::Cli cli{dir.path()};
    std::string patient;      // store id, as text
    std::string series_uid;   // the CT the plugin ran on
    std::string study_uid;
    std::filesystem::path series_folder;
    json accepted, modified, proposed;  // suggestions as `suggestions --json` lists them

    // user = password in a demo workspace
    json json_as(const std::string& user, std::vector<std::string> args) const { return cli.json_of(std::move(args), user, user); }
    RunResult as(const std::string& user, const std::vector<std::string>& args) const { return cli.run(args, user, user); }
    json suggestion(std::int64_t id) const;
};

// Made on first use, shared by every case.
DemoFindings& demo();

}  // namespace consilium::test::exporting
