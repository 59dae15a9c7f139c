#pragma once
// Command-line parsing for one command: positional words, options that take a value, and flags.
#include <cstdint>
#include <map>
#include <optional>
#include <set>
#include <stdexcept>
#include <string>
#include <vector>

namespace consilium::cli {

// Bad usage: exit code 2 with the message and the command's usage line.
class UsageError : public std::runtime_error {
    using std::runtime_error::runtime_error;
};

struct Args {
    std::vector<std::string> positional;
    std::map<std::string, std::vector<std::string>> values;  // --option VALUE (repeatable)
    std::set<std::string> flags;

    bool flag(const std::string& name) const { return flags.count(name) > 0; }
    std::optional<std::string> value(const std::string& name) const;
    std::vector<std::string> all(const std::string& name) const;
    const std::string& at(std::size_t i, const char* what) const;
};

// `value_options` take an argument ("--role"), `flag_options` do not ("--demo"). Anything else
// starting with "--" is a UsageError naming it.
Args parse_args(const std::vector<std::string>& words, const std::set<std::string>& value_options,
                const std::set<std::string>& flag_options = {});

// A suggestion named on the command line: a positive number, else a UsageError naming the word.
std::int64_t suggestion_id(const std::string& word);

}  // namespace consilium::cli
