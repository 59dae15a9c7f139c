// A launched process: signals to the whole run, its exit, and how many processes it has.
#include "consilium/launch/launcher.h"

#include <poll.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <filesystem>
#include <fstream>
#include <vector>

namespace consilium::launch {
namespace {

// bubblewrap exits with 128 + N when the program it ran was ended by signal N.
Exit decode(int status, bool sandboxed) {
    Exit e;
    if (WIFSIGNALED(status)) e.signal = WTERMSIG(status);
    else if (WIFEXITED(status)) {
        const int code = WEXITSTATUS(status);
        if (sandboxed && code > 128 && code < 128 + NSIG) e.signal = code - 128;
        else e.code = code;
    }
    return e;
}

}  // namespace

Child::~Child() {
    if (!reaped_) {
        signal(SIGKILL);
        wait();
    }
    for (int fd : {in_, out_, err_, ns_init_})
        if (fd >= 0) ::close(fd);
}

void Child::wait_for_namespace() {
    if (ns_init_ < 0) return;
    // bubblewrap has ended; --die-with-parent now kills the namespace's init, whose exit the
    // kernel completes only after every process of the namespace has ended.
    pollfd p{ns_init_, POLLIN, 0};
    poll(&p, 1, 10000);
    ::close(ns_init_);
    ns_init_ = -1;
}

void Child::close_stdin() {
    if (in_ >= 0) ::close(in_);
    in_ = -1;
}

void Child::signal(int sig) {
    if (reaped_) return;
    // Sandboxed: bubblewrap leads the group; when it ends, --die-with-parent ends the namespace's
    // init and with it every process of the namespace.
    ::kill(-pid_, sig);
    ::kill(pid_, sig);
}

std::optional<Exit> Child::poll_exit() {
    if (reaped_) return std::nullopt;
    int status = 0;
    if (waitpid(pid_, &status, WNOHANG) != pid_) return std::nullopt;
    reaped_ = true;
    ::kill(-pid_, SIGKILL);  // whatever it left in its group (unsandboxed)
    wait_for_namespace();
    return decode(status, sandboxed_);
}

Exit Child::wait() {
    if (reaped_) return {};
    int status = 0;
    pid_t r;
    do r = waitpid(pid_, &status, 0);
    while (r < 0 && errno == EINTR);
    reaped_ = true;
    ::kill(-pid_, SIGKILL);
    wait_for_namespace();
    return decode(status, sandboxed_);
}

std::size_t Child::processes() const {
    // Its descendants through /proc/PID/task/TID/children (orphans in a PID namespace are adopted
    // by the namespace's init, a descendant too).
    std::size_t n = 0;
    std::vector<pid_t> todo = {pid_};
    std::error_code ec;
    while (!todo.empty() && n < 1'000'000) {
        const pid_t p = todo.back();
        todo.pop_back();
        ++n;
        for (const auto& task : std::filesystem::directory_iterator("/proc/" + std::to_string(p) + "/task", ec)) {
            std::ifstream children(task.path() / "children");
            for (pid_t c; children >> c;) todo.push_back(c);
        }
    }
    return n;
}

}  // namespace consilium::launch
