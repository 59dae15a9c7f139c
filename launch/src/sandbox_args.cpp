// The bubblewrap command line of a sandboxed run, and whether sandboxed runs work here at all.
#include "sandbox.h"

#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <mutex>

namespace consilium::launch::detail {
namespace fs = std::filesystem;

const std::vector<std::string>& clean_environment() {
    static const std::vector<std::string> env = {"PATH=/usr/local/bin:/usr/bin:/bin", "LANG=C.UTF-8", "HOME=/tmp",
                                                 "TMPDIR=/tmp"};
    return env;
}

std::vector<std::string> bwrap_argv(const Spec& spec) {
    std::vector<std::string> a = {
        kBwrap,
        // The system read-only; Debian's merged /usr makes /bin, /lib... symlinks into it.
        "--ro-bind", "/usr", "/usr", "--symlink", "usr/bin", "/bin", "--symlink", "usr/sbin", "/sbin",
        "--symlink", "usr/lib", "/lib", "--symlink", "usr/lib64", "/lib64", "--symlink", "usr/lib32", "/lib32",
        // What the dynamic loader and Python read from /etc; nothing else of it (no passwd, no hosts).
        "--ro-bind-try", "/etc/ld.so.cache", "/etc/ld.so.cache", "--ro-bind-try", "/etc/alternatives", "/etc/alternatives",
        "--ro-bind-try", "/etc/localtime", "/etc/localtime",
        "--proc", "/proc", "--dev", "/dev"};
    if (spec.sandbox->tmp_bytes) a.insert(a.end(), {"--size", std::to_string(spec.sandbox->tmp_bytes)});
    a.insert(a.end(), {"--tmpfs", "/tmp",
        // Every namespace new (no network, not even loopback); no further user namespaces; the
        // run ends when its launcher does; a new session (no terminal to inject input into).
        "--unshare-all", "--unshare-user", "--disable-userns", "--die-with-parent", "--new-session", "--cap-drop", "ALL",
        "--hostname", "consilium-plugin", "--clearenv"});
    for (const auto& kv : clean_environment()) {
        const auto eq = kv.find('=');
        a.insert(a.end(), {"--setenv", kv.substr(0, eq), kv.substr(eq + 1)});
    }
    // Parents before children, so a read-only bind inside a writable one stays read-only.
    auto binds = spec.sandbox->binds;
    std::stable_sort(binds.begin(), binds.end(), [](const Bind& x, const Bind& y) {
        auto depth = [](const fs::path& p) { return std::distance(p.begin(), p.end()); };
        return depth(x.inside.lexically_normal()) < depth(y.inside.lexically_normal());
    });
    for (const auto& b : binds) a.insert(a.end(), {b.writable ? "--bind" : "--ro-bind", b.host.string(), b.inside.string()});
    // The sandbox's own pid 1 (bubblewrap's reaper) out of sight, and the root read-only: only
    // /tmp and the writable binds take writes.
    a.insert(a.end(), {"--tmpfs", "/proc/1", "--remount-ro", "/"});
    a.insert(a.end(), {"--chdir", spec.cwd.empty() ? std::string("/") : spec.cwd.string()});
    a.insert(a.end(), {"--seccomp", std::to_string(kSeccompFd), "--info-fd", std::to_string(kInfoFd), "--"});
    a.insert(a.end(), spec.argv.begin(), spec.argv.end());
    return a;
}

}  // namespace consilium::launch::detail

namespace consilium::launch {

const std::string& sandbox_unavailable_reason() {
    static std::once_flag once;
    static std::string reason;
    std::call_once(once, [] {
        if (access(detail::kBwrap, X_OK) != 0) {
            reason = "bubblewrap is not installed (" + std::string(detail::kBwrap) + "; Debian package bubblewrap)";
            return;
        }
        // A real sandboxed run of /usr/bin/true: user namespaces may be switched off by the kernel.
        try {
            Spec probe;
            probe.argv = {"/usr/bin/true"};
            probe.sandbox = Sandbox{};
            auto child = start(probe);
            std::string err;
            char buf[512];
            for (ssize_t n; (n = ::read(child->stderr_fd(), buf, sizeof buf)) > 0;) err.append(buf, static_cast<std::size_t>(n));
            const auto end = child->wait();
            if (end.code != 0) {
                while (!err.empty() && (err.back() == '\n' || err.back() == ' ')) err.pop_back();
                reason = "bubblewrap cannot make a sandbox here (user namespaces disabled?)" + (err.empty() ? "" : ": " + err);
            }
        } catch (const std::exception& e) {
            reason = std::string("bubblewrap cannot be started: ") + e.what();
        }
    });
    return reason;
}

}  // namespace consilium::launch
