#include "context.h"

#include "import_sources.h"

#include "consilium/text/json_text.h"

#include "consilium/decision/errors.h"
#include "consilium/plugins/stale_runs.h"

#include <nlohmann/json.hpp>

#include <cstdlib>
#include <fcntl.h>
#include <iostream>
#include <termios.h>
#include <unistd.h>

namespace consilium::cli {

namespace {
std::optional<std::string> env(const char* name) {
    const char* v = std::getenv(name);
    if (!v || !*v) return std::nullopt;
    return std::string(v);
}
}  // namespace

std::optional<std::string> take_password_from_environment() {
    auto password = env("CONSILIUM_PASSWORD");
    ::unsetenv("CONSILIUM_PASSWORD");
    return password;
}

std::filesystem::path Context::workspace_folder() const {
    if (workspace_option) return *workspace_option;
    if (auto w = env("CONSILIUM_WORKSPACE")) return *w;
    if (auto xdg = env("XDG_DATA_HOME")) return std::filesystem::path(*xdg) / "consilium" / "workspace";
    if (auto home = env("HOME")) return std::filesystem::path(*home) / ".local" / "share" / "consilium" / "workspace";
    throw UsageError("no workspace: give --workspace DIR or set CONSILIUM_WORKSPACE");
}

decision::Workspace Context::open_workspace() const {
    auto ws = decision::Workspace::open(workspace_folder());
    if (auto note = repair_workspace(ws); !note.empty()) std::cerr << "note: " << note << '\n';
    // Runs a killed program left `running`: marked abandoned, their work folders removed.
    if (int n = plugins::abandon_stale_runs(ws.store(), ws.folder() / "plugin-work"))
        std::cerr << "note: " << n << " plugin run(s) left running by a program that ended were marked abandoned\n";
    return ws;
}

std::optional<std::string> Context::user_name() const {
    if (user_option) return user_option;
    return env("CONSILIUM_USER");
}

decision::Session Context::login(decision::Store& store) const {
    auto name = user_name();
    if (!name) throw decision::NotPermitted("this command needs a logged-in user: give --user NAME or set CONSILIUM_USER");
    auto password = environment_password;
    if (!password) password = read_secret_from_terminal("Password for " + *name + ": ");
    if (!password)
        throw decision::NotPermitted("no password for user '" + *name +
                                     "': set CONSILIUM_PASSWORD or run the command on a terminal");
    return decision::login(store, *name, *password);
}

std::filesystem::path Context::share_folder() const {
    if (auto d = env("CONSILIUM_SHARE_DIR")) return *d;
    return executable.parent_path().parent_path() / "share" / "consilium";
}

void Context::print_json(const nlohmann::json& document) const { std::cout << text::json_text(document, 1) << '\n'; }

bool stdin_is_terminal() { return isatty(STDIN_FILENO) == 1; }

std::optional<std::string> read_secret_from_terminal(const std::string& prompt) {
    int fd = ::open("/dev/tty", O_RDWR | O_NOCTTY);
    if (fd < 0) return std::nullopt;
    termios old{};
    bool have_termios = tcgetattr(fd, &old) == 0;
    if (!have_termios) {
        ::close(fd);
        return std::nullopt;
    }
    termios quiet = old;
    quiet.c_lflag &= ~static_cast<tcflag_t>(ECHO);
    tcsetattr(fd, TCSAFLUSH, &quiet);
    [[maybe_unused]] auto w = ::write(fd, prompt.data(), prompt.size());
    std::string secret;
    char c;
    while (::read(fd, &c, 1) == 1 && c != '\n' && c != '\r') secret += c;
    tcsetattr(fd, TCSAFLUSH, &old);
    w = ::write(fd, "\n", 1);
    ::close(fd);
    return secret;
}

}  // namespace consilium::cli
