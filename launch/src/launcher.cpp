// start(): a process with exactly the descriptors, limits and environment of its Spec; sandboxed
// through bubblewrap (sandbox_args.cpp) with the seccomp filter (seccomp_filter.cpp).
#include "consilium/launch/launcher.h"

#include "sandbox.h"

#include <dirent.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <sys/resource.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <algorithm>
#include <fstream>

extern char** environ;

namespace consilium::launch {
namespace {

// Descriptors the parent opened for the child; closed when start() returns.
struct Fds {
    std::vector<int> fds;
    int keep(int fd) {
        if (fd >= 0) fds.push_back(fd);
        return fd;
    }
    void close_all() {
        for (int fd : fds) ::close(fd);
        fds.clear();
    }
    ~Fds() { close_all(); }
};

// A copy at 64 or above, so that moving it onto 0..4 in the child never overwrites another source.
int high_copy(Fds& fds, int fd) {
    const int c = fcntl(fd, F_DUPFD_CLOEXEC, 64);
    if (c < 0) throw LaunchError(std::string("cannot duplicate a descriptor: ") + std::strerror(errno));
    return fds.keep(c);
}

// Processes of this real user now, for RLIMIT_NPROC: the kernel counts every process of the
// user, so the run's allowance goes on top of what the user already has.
std::uint64_t processes_of_user(uid_t uid) {
    std::uint64_t n = 0;
    DIR* d = opendir("/proc");
    if (!d) return 0;
    while (dirent* e = readdir(d)) {
        if (e->d_name[0] < '0' || e->d_name[0] > '9') continue;
        std::ifstream status(std::string("/proc/") + e->d_name + "/status");
        std::string line;
        while (std::getline(status, line))
            if (line.rfind("Uid:", 0) == 0) {
                if (std::strtoul(line.c_str() + 4, nullptr, 10) == uid) ++n;
                break;
            }
    }
    closedir(d);
    return n;
}

void set_limit(int resource, std::uint64_t value) {
    if (value == 0) return;
    rlimit r{static_cast<rlim_t>(value), static_cast<rlim_t>(value)};
    setrlimit(resource, &r);  // in the child: async-signal-safe
}

// bubblewrap's --info-fd JSON names the namespace's init ("child-pid"): a pidfd of it becomes
// readable only once the kernel has ended every process of the namespace. -1 when unknown.
int namespace_init(int info_fd) {
    std::string text;
    char buf[256];
    pollfd p{info_fd, POLLIN, 0};
    while (text.find('}') == std::string::npos && poll(&p, 1, 5000) > 0) {
        const ssize_t n = ::read(info_fd, buf, sizeof buf);
        if (n <= 0) break;
        text.append(buf, static_cast<std::size_t>(n));
    }
    const auto at = text.find("\"child-pid\"");
    if (at == std::string::npos) return -1;
    const auto colon = text.find(':', at);
    const long pid = colon == std::string::npos ? 0 : std::strtol(text.c_str() + colon + 1, nullptr, 10);
    return pid > 0 ? static_cast<int>(::syscall(SYS_pidfd_open, static_cast<pid_t>(pid), 0)) : -1;
}

}  // namespace

std::unique_ptr<Child> start(const Spec& spec) {
    if (spec.argv.empty()) throw LaunchError("nothing to start");
    const bool sandboxed = spec.sandbox.has_value();
    std::vector<std::string> args = sandboxed ? detail::bwrap_argv(spec) : spec.argv;
    std::vector<char*> argv;
    for (auto& a : args) argv.push_back(a.data());
    argv.push_back(nullptr);
    std::vector<std::string> env_s = detail::clean_environment();
    std::vector<char*> envp;
    for (auto& e : env_s) envp.push_back(e.data());
    envp.push_back(nullptr);
    char** env = (spec.clean_environment || sandboxed) ? envp.data() : environ;

    Fds parent_side, child_side;  // ends kept by the parent are released into the Child below
    int in[2] = {-1, -1}, out[2], err[2] = {-1, -1}, failed[2], info[2] = {-1, -1};
    if (pipe2(out, O_CLOEXEC) || pipe2(failed, O_CLOEXEC) || (spec.stdin_pipe && pipe2(in, O_CLOEXEC)) ||
        (spec.stderr_pipe && pipe2(err, O_CLOEXEC)) || (sandboxed && pipe2(info, O_CLOEXEC)))
        throw LaunchError(std::string("cannot create pipes: ") + std::strerror(errno));
    parent_side.keep(out[0]);
    parent_side.keep(failed[0]);
    child_side.keep(out[1]);
    child_side.keep(failed[1]);
    if (spec.stdin_pipe) parent_side.keep(in[1]), child_side.keep(in[0]);
    if (spec.stderr_pipe) parent_side.keep(err[0]), child_side.keep(err[1]);
    if (sandboxed) parent_side.keep(info[0]), child_side.keep(info[1]);
    const int null_fd = child_side.keep(::open("/dev/null", O_RDWR | O_CLOEXEC));
    // Sources at high numbers; targets 0 stdin, 1 stdout, 2 stderr, 3 volume, 4 seccomp program,
    // 5 bubblewrap's information (the PID of the namespace's init).
    const int src[6] = {high_copy(child_side, spec.stdin_pipe ? in[0] : null_fd), high_copy(child_side, out[1]),
                        high_copy(child_side, spec.stderr_pipe ? err[1] : null_fd),
                        spec.fd3 >= 0 ? high_copy(child_side, spec.fd3) : -1,
                        sandboxed ? child_side.keep(detail::seccomp_program_fd()) : -1,
                        sandboxed ? high_copy(child_side, info[1]) : -1};
    const int used = sandboxed ? 6 : (spec.fd3 >= 0 ? 4 : 3);
    Limits limits = spec.limits;
    std::uint64_t nproc = 0;
    if (limits.processes && getuid() != 0) nproc = processes_of_user(getuid()) + limits.processes;  // root is exempt
    const std::string cwd = sandboxed ? std::string() : spec.cwd.string();
    const int report = high_copy(child_side, failed[1]);

    const pid_t pid = fork();
    if (pid < 0) throw LaunchError(std::string("cannot fork: ") + std::strerror(errno));
    if (pid == 0) {
        // The child: async-signal-safe calls only, then exec.
        setpgid(0, 0);  // its own group: a terminal's Ctrl-C reaches the caller, which then cancels
        for (int t = 0; t < 6; ++t)
            if (src[t] >= 0 && dup2(src[t], t) < 0) _exit(127);
        if (dup2(report, used) < 0) _exit(127);  // the exec-failure pipe, just above the last target
        fcntl(used, F_SETFD, FD_CLOEXEC);
        syscall(SYS_close_range, used + 1, ~0U, 0);  // nothing else is inherited
        set_limit(RLIMIT_AS, limits.address_space_bytes);
        set_limit(RLIMIT_CPU, limits.cpu_seconds);
        set_limit(RLIMIT_FSIZE, limits.file_size_bytes);
        set_limit(RLIMIT_NPROC, nproc);
        signal(SIGPIPE, SIG_DFL);
        if (!cwd.empty() && chdir(cwd.c_str()) != 0) {
            int e = errno;
            (void)!::write(used, &e, sizeof e);
            _exit(127);
        }
        execve(argv[0], argv.data(), env);
        int e = errno;
        (void)!::write(used, &e, sizeof e);
        _exit(127);
    }
    child_side.close_all();  // the child's ends: only the child holds them now
    // Closed on a successful exec; holds errno when chdir or exec failed.
    int e = 0;
    ssize_t n;
    do n = ::read(failed[0], &e, sizeof e);
    while (n < 0 && errno == EINTR);
    if (n == static_cast<ssize_t>(sizeof e)) {
        Child reap(pid, sandboxed, -1, -1, -1);  // its destructor reaps it
        throw LaunchError("cannot start " + args[0] + (cwd.empty() ? "" : " in " + cwd) + ": " + std::strerror(e));
    }
    const int ns_init = sandboxed ? namespace_init(info[0]) : -1;
    auto release = [&](int fd) {
        if (fd < 0) return -1;
        parent_side.fds.erase(std::find(parent_side.fds.begin(), parent_side.fds.end(), fd));
        return fd;
    };
    return std::make_unique<Child>(pid, sandboxed, release(spec.stdin_pipe ? in[1] : -1), release(out[0]),
                                   release(spec.stderr_pipe ? err[0] : -1), ns_init);
}

}  // namespace consilium::launch
