#pragma once
// One way to start a helper process: the plugin worker, command plugins and the DICOM decoder
// workers. A launched process gets only the descriptors named here, its own limits (rlimits set
// before exec), and, when a Sandbox is given, runs inside bubblewrap (sandbox.h) with a seccomp
// filter. Below viewer/ and plugins/host: it knows neither.
#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <memory>
#include <optional>
#include <stdexcept>
#include <string>
#include <vector>

#include <sys/types.h>

namespace consilium::launch {

class LaunchError : public std::runtime_error {
public:
    using std::runtime_error::runtime_error;
};

// 0: not limited.
struct Limits {
    std::uint64_t address_space_bytes = 0;  // RLIMIT_AS
    std::uint64_t cpu_seconds = 0;          // RLIMIT_CPU
    std::uint64_t processes = 0;            // processes of the run (Child::processes() and RLIMIT_NPROC)
    std::uint64_t file_size_bytes = 0;      // RLIMIT_FSIZE
};

// What the sandboxed process sees besides the system (/usr read-only, the loader's cache, a
// fresh /proc and /dev, a private /tmp): these binds, each host path at its own place inside.
// Everything else inside is read-only, and nothing of the host's layout shows (a write to the
// host path of the output's parent fails: that path does not exist inside).
struct Bind {
    std::filesystem::path host;
    std::filesystem::path inside;  // absolute, e.g. /run/consilium/output
    bool writable = false;
};

struct Sandbox {
    std::vector<Bind> binds;
    std::uint64_t tmp_bytes = 0;  // size of the private /tmp (0: the kernel's default, half the RAM)
};

struct Spec {
    // argv[0]: an absolute path, or (sandboxed) a name found on the sandbox's PATH.
    std::vector<std::string> argv;
    std::filesystem::path cwd;       // empty: the caller's (unsandboxed) or / (sandboxed)
    std::optional<Sandbox> sandbox;  // none: unconfined, in its own process group
    Limits limits;
    bool stdin_pipe = false;         // else /dev/null
    bool stderr_pipe = true;         // else /dev/null
    int fd3 = -1;                    // handed over as descriptor 3 (a volume's memfd)
    // The fixed minimal environment (PATH, LANG, HOME, TMPDIR) instead of the caller's; always
    // so inside a sandbox.
    bool clean_environment = true;
};

// How a process ended.
struct Exit {
    std::optional<int> code;
    std::optional<int> signal;
};

// A running process; the destructor kills what is left of it and reaps it.
class Child {
public:
    Child(pid_t pid, bool sandboxed, int in, int out, int err, int ns_init_pidfd = -1)
        : pid_(pid), sandboxed_(sandboxed), in_(in), out_(out), err_(err), ns_init_(ns_init_pidfd) {}
    ~Child();
    Child(const Child&) = delete;
    Child& operator=(const Child&) = delete;

    pid_t pid() const { return pid_; }
    bool sandboxed() const { return sandboxed_; }
    int stdin_fd() const { return in_; }  // -1 unless Spec::stdin_pipe; close_stdin() to send EOF
    int stdout_fd() const { return out_; }
    int stderr_fd() const { return err_; }
    void close_stdin();

    // To every process of the run: sandboxed, its PID namespace ends with bubblewrap (any signal
    // that stops bubblewrap kills them all, setsid or not); else its process group.
    void signal(int sig);
    // The exit once it has ended (non-blocking), or wait for it. Sandboxed, either returns only
    // once every process of its PID namespace is gone too (setsid or not).
    std::optional<Exit> poll_exit();
    Exit wait();
    // Processes the run has now (it and its descendants, orphans adopted in its namespace too).
    std::size_t processes() const;

private:
    pid_t pid_;
    bool sandboxed_;
    int in_, out_, err_;
    int ns_init_;  // pidfd of the sandbox's PID namespace init, or -1
    bool reaped_ = false;
    void wait_for_namespace();
};

// Starts it; LaunchError when it cannot (no program, no bubblewrap, out of descriptors...).
std::unique_ptr<Child> start(const Spec& spec);

// "" when sandboxed runs work here (bubblewrap present and user namespaces allowed), else why
// not, in words for the user. Checked once per process.
const std::string& sandbox_unavailable_reason();

}  // namespace consilium::launch
