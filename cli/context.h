#pragma once
// What every command gets: the global options, where the workspace is, how to log in, and how
// to print (human text or one JSON document on stdout; errors always on stderr).
#include "args.h"

#include "consilium/decision/session.h"
#include "consilium/decision/workspace.h"

#include <nlohmann/json_fwd.hpp>

#include <filesystem>
#include <iosfwd>
#include <optional>
#include <string>

namespace consilium::cli {

// $CONSILIUM_PASSWORD, removed from the environment as it is read: no child of this program (a
// plugin, a decoder, a shell) can inherit the clinician's password. Read once per program, by the
// Context every command gets, before anything is started.
std::optional<std::string> take_password_from_environment();

struct Context {
    std::optional<std::string> workspace_option;
    std::optional<std::string> user_option;
    bool json = false;
    std::filesystem::path executable;
    std::optional<std::string> environment_password = take_password_from_environment();

    // --workspace, else $CONSILIUM_WORKSPACE, else $XDG_DATA_HOME/consilium/workspace.
    std::filesystem::path workspace_folder() const;
    decision::Workspace open_workspace() const;

    // The acting user: --user or $CONSILIUM_USER; password from $CONSILIUM_PASSWORD or the terminal.
    // NotPermitted when there is no user, no password, or the login fails.
    decision::Session login(decision::Store& store) const;
    std::optional<std::string> user_name() const;

    // The product's data folder: <prefix>/share/consilium (the build tree mirrors it).
    std::filesystem::path share_folder() const;

    void print_json(const nlohmann::json& document) const;
};

// Reads a secret from the controlling terminal without echo; nullopt when there is no terminal.
std::optional<std::string> read_secret_from_terminal(const std::string& prompt);
bool stdin_is_terminal();

}  // namespace consilium::cli
