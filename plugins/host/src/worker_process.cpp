// run_worker: starting a worker, reading its lines, stopping it on timeout or cancellation.
#include "worker_process.h"

#include "consilium/text/utf8.h"

#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <sstream>
#include <vector>

namespace consilium::plugins {
namespace {

using decision::RunStatus;
using Clock = std::chrono::steady_clock;

constexpr std::size_t kStderrKeep = 64 * 1024;
constexpr auto kGrace = std::chrono::seconds(2);  // between SIGTERM and SIGKILL

std::string signal_description(int sig) {
    const char* d = strsignal(sig);
#if defined(__GLIBC__) && (__GLIBC__ > 2 || (__GLIBC__ == 2 && __GLIBC_MINOR__ >= 32))
    const char* abbrev = sigabbrev_np(sig);
    if (abbrev) return std::string(d ? d : "signal") + " (SIG" + abbrev + ")";
#endif
    return std::string(d ? d : "signal") + " (signal " + std::to_string(sig) + ")";
}


// Reads what the (non-blocking) pipe holds into on_data; false once the writer has closed it, so
// that poll stops watching it (a closed pipe is always "readable": polling it would spin).
template <class F>
bool drain(int fd, F&& on_data) {
    char buf[65536];
    for (;;) {
        const ssize_t n = ::read(fd, buf, sizeof buf);
        if (n > 0) on_data(buf, static_cast<std::size_t>(n));
        else return n != 0;
    }
}

// Appends data to `pending` and hands over each complete line; an endless line is dropped.
template <class F>
void split_lines(std::string& pending, const char* data, std::size_t n, F&& on_line) {
    pending.append(data, n);
    std::size_t start = 0, nl;
    while ((nl = pending.find('\n', start)) != std::string::npos) {
        on_line(pending.substr(start, nl - start));
        start = nl + 1;
    }
    pending.erase(0, start);
    if (pending.size() > kStderrKeep) pending.clear();
}

// Where the reason quotes the plugin's stderr: its last line in the first line of the reason,
// the whole tail below it when there is more than that line.
std::string with_stderr(std::string why, const std::string& tail) {
    if (tail.empty()) return why;
    const auto last_nl = tail.rfind('\n');
    why += ": " + (last_nl == std::string::npos ? tail : tail.substr(last_nl + 1));
    if (last_nl != std::string::npos) why += "\nlast lines of its stderr:\n" + tail;
    return why;
}

}  // namespace

std::string stderr_tail(const std::string& raw) {
    std::vector<std::string> lines;
    std::size_t start = 0;
    // A plugin's stderr is whatever bytes it wrote: kept, shown and audited as UTF-8.
    const std::string text = consilium::text::valid_utf8(raw);
    while (start < text.size()) {
        auto nl = text.find('\n', start);
        std::string line = text.substr(start, nl == std::string::npos ? std::string::npos : nl - start);
        start = nl == std::string::npos ? text.size() : nl + 1;
        while (!line.empty() && (line.back() == '\r' || line.back() == ' ' || line.back() == '\t')) line.pop_back();
        if (line.rfind("PROGRESS ", 0) == 0) continue;
        lines.push_back(std::move(line));
    }
    while (!lines.empty() && lines.back().empty()) lines.pop_back();
    std::string out;
    std::size_t taken = 0;
    for (auto it = lines.rbegin(); it != lines.rend() && taken < kStderrTailLines; ++it, ++taken) {
        const std::size_t room = kStderrTailBytes - std::min(out.size(), kStderrTailBytes);
        if (it->size() + (out.empty() ? 0 : 1) > room) {
            if (out.empty()) {  // one long line: its end, from a character's first byte
                std::size_t cut = it->size() - room;
                while (cut < it->size() && (static_cast<unsigned char>((*it)[cut]) & 0xc0) == 0x80) ++cut;
                out = it->substr(cut);
            }
            break;
        }
        out = out.empty() ? *it : *it + "\n" + out;
    }
    return out;
}

WorkerOutcome run_worker(const launch::Spec& spec, std::chrono::milliseconds timeout, const RunOptions& options,
                         bool command) {
    auto cancel_requested = [&] { return options.cancel && options.cancel->load(); };
    if (cancel_requested()) return {RunStatus::cancelled, "cancelled"};  // before anything started
    std::unique_ptr<launch::Child> child;
    try {
        child = launch::start(spec);
    } catch (const launch::LaunchError& e) {
        WorkerOutcome o{RunStatus::failed, std::string(command ? "cannot start the plugin: " : "cannot start the plugin worker: ") + e.what()};
        o.host_fault = true;
        return o;
    }
    const pid_t pid = child->pid();
    const int out_fd = child->stdout_fd(), err_fd = child->stderr_fd();
    for (int fd : {out_fd, err_fd}) fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) | O_NONBLOCK);
    // Readable when the worker ends, so its end is seen at once; -1 on old kernels (50 ms steps then).
    // (The syscall: glibc 2.36's <sys/pidfd.h> lacks extern "C".)
    const int pidfd = static_cast<int>(::syscall(SYS_pidfd_open, pid, 0));

    std::string out_pending, err_pending, err_text;
    auto handle_line = [&](const std::string& line) {
        if (line.rfind("PROGRESS ", 0) == 0) {
            if (options.progress) options.progress(std::strtod(line.c_str() + 9, nullptr));
        } else if (line.rfind("LOG ", 0) == 0) {
            auto sp = line.find(' ', 4);
            if (options.log)
                options.log(line.substr(4, sp == std::string::npos ? std::string::npos : sp - 4),
                            sp == std::string::npos ? "" : line.substr(sp + 1));
        }
    };
    auto on_out = [&](const char* data, std::size_t n) { split_lines(out_pending, data, n, handle_line); };
    auto on_err = [&](const char* data, std::size_t n) {
        err_text.append(data, n);
        if (err_text.size() > kStderrKeep) err_text.erase(0, err_text.size() - kStderrKeep);
        if (command)
            split_lines(err_pending, data, n, [&](const std::string& line) {
                if (line.rfind("PROGRESS ", 0) == 0) handle_line(line);
            });
    };

    enum class Stop { none, timed_out, cancel, processes } stop = Stop::none;
    const auto start = Clock::now();
    Clock::time_point kill_at, counted_at = start;
    bool out_open = true, err_open = true, killed = false;
    std::optional<launch::Exit> end;
    // Counted between polls (a /proc walk): bounds a fork bomb whatever the kernel's RLIMIT_NPROC
    // does (it exempts uid 0 and counts the user's other processes).
    const std::size_t max_processes = spec.limits.processes ? spec.limits.processes + 2 : 0;  // + bubblewrap's two
    for (;;) {
        pollfd fds[3] = {{out_open ? out_fd : -1, POLLIN, 0},
                         {err_open ? err_fd : -1, POLLIN, 0},
                         {pidfd, POLLIN, 0}};
        poll(fds, 3, 50);  // 50 ms: how soon a cancellation or the timeout is acted on
        if (out_open) out_open = drain(out_fd, on_out);
        if (err_open) err_open = drain(err_fd, on_err);
        if ((end = child->poll_exit())) break;
        const auto now = Clock::now();
        if (stop == Stop::none) {
            if (cancel_requested()) stop = Stop::cancel;
            else if (now - start >= timeout) stop = Stop::timed_out;
            else if (max_processes && now - counted_at >= std::chrono::milliseconds(20)) {
                counted_at = now;
                if (child->processes() > max_processes) stop = Stop::processes;
            }
            if (stop != Stop::none) {
                child->signal(stop == Stop::processes ? SIGKILL : SIGTERM);
                kill_at = now + kGrace;
            }
        } else if (!killed && now >= kill_at) {
            child->signal(SIGKILL);
            killed = true;
        }
    }
    if (out_open) drain(out_fd, on_out);
    if (err_open) drain(err_fd, on_err);
    if (pidfd >= 0) ::close(pidfd);

    // Asked while the worker was ending: still the user's cancellation, nothing of it is kept.
    if (stop == Stop::none && cancel_requested()) stop = Stop::cancel;
    WorkerOutcome o;
    o.stderr_tail = stderr_tail(err_text);
    o.exit_code = end->code;
    o.exit_signal = end->signal;
    if (stop == Stop::cancel) {
        o.status = RunStatus::cancelled;
        o.reason = "cancelled";
        return o;
    }
    if (stop == Stop::processes) {
        o.status = RunStatus::failed;
        o.reason = with_stderr("stopped: the plugin started more than the site's limit of " +
                                   std::to_string(spec.limits.processes) + " processes (policy plugin.processes)",
                               o.stderr_tail);
        return o;
    }
    if (stop == Stop::timed_out) {
        std::ostringstream s;
        s << "timed out after " << timeout.count() / 1000.0 << " s"
          << (killed ? " (killed: it did not stop within 2 s of SIGTERM)" : " (stopped by SIGTERM)");
        o.status = RunStatus::timeout;
        o.reason = with_stderr(s.str(), o.stderr_tail);
        return o;
    }
    if (o.exit_signal) {
        o.status = RunStatus::crashed;
        o.reason = with_stderr("the plugin crashed: " + signal_description(*o.exit_signal), o.stderr_tail);
        return o;
    }
    const int code = o.exit_code.value_or(-1);
    if (code == 0) {
        o.status = RunStatus::succeeded;
        return o;
    }
    if (command) {
        o.status = RunStatus::failed;
        o.reason = with_stderr("the plugin exited with code " + std::to_string(code), o.stderr_tail);
        return o;
    }
    // The native worker's own exit codes (worker/main.cpp): 2 is a set-up failure of the host's
    // (the context, output or volume could not be read, written or mapped); 5 output over its limit.
    o.status = code == 5 ? RunStatus::invalid_output : RunStatus::failed;
    o.host_fault = code == 2;
    const auto last_nl = o.stderr_tail.rfind('\n');
    const std::string last = last_nl == std::string::npos ? o.stderr_tail : o.stderr_tail.substr(last_nl + 1);
    o.reason = last.empty() ? "the plugin worker exited with code " + std::to_string(code) : last;
    o.reason += " (worker exit code " + std::to_string(code) + ")";
    if (last_nl != std::string::npos) o.reason += "\nlast lines of its stderr:\n" + o.stderr_tail;
    return o;
}

}  // namespace consilium::plugins
