#pragma once
// Shared by the test suites: scratch folders, the shared test data, and running programs.
#include <boost/test/unit_test.hpp>

#include <filesystem>
#include <map>
#include <optional>
#include <string>
#include <vector>

namespace consilium::test {

// A fresh, empty folder under the build tree's test-tmp (or /tmp), removed when the object dies.
class ScratchDir {
public:
    explicit ScratchDir(const std::string& name = "t");
    ~ScratchDir();
    ScratchDir(const ScratchDir&) = delete;
    ScratchDir& operator=(const ScratchDir&) = delete;
    const std::filesystem::path& path() const { return path_; }
    std::filesystem::path operator/(const std::string& leaf) const { return path_ / leaf; }
private:
    std::filesystem::path path_;
};

// ../shared/data, or nullopt when the folder is absent (a fresh clone).
std::optional<std::filesystem::path> shared_data();

// Precondition for cases labelled shared_data: skips them, saying why, when the data is absent.
struct SharedDataAvailable {
    boost::test_tools::assertion_result operator()(boost::unit_test::test_unit_id) const;
};

std::string read_file(const std::filesystem::path& file);
void write_file(const std::filesystem::path& file, const std::string& text);

// Runs a program, feeding `input` on stdin; captures stdout and stderr separately.
struct RunResult {
    int exit_code = -1;  // 128+signal when killed by a signal
    std::string out;
    std::string err;
};
RunResult run_program(const std::vector<std::string>& argv, const std::map<std::string, std::string>& env = {},
                      const std::string& input = "", const std::vector<std::string>& unset_env = {});

}  // namespace consilium::test

// Labels a case as needing ../shared/data (see consilium_add_test's SHARED_DATA).
#define CONSILIUM_SHARED_DATA \
    *boost::unit_test::label("shared_data") * boost::unit_test::precondition(consilium::test::SharedDataAvailable())
