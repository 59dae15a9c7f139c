#pragma once
// A scratch workspace for the MDT, audit-viewer and import tests: users of every role
// (password = name) and two patients, opened as a Workstation.
#include "model/workstation.h"

#include "test_support.h"

#include <memory>

namespace consilium::test {

struct MdtWorkspace {
    MdtWorkspace();
    ScratchDir dir{"mdt-ws"};
    std::filesystem::path folder;
    std::unique_ptr<gui::Workstation> workstation;
    std::int64_t jane = 0, piet = 0;
    // Logs the workstation in as `user` (password = name); fails the test if refused.
    void login(const std::string& user);
    long long audit_count(const std::string& action);
};

}  // namespace consilium::test
