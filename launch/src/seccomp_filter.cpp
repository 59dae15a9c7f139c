// The seccomp filter every sandboxed run gets (a second layer under bubblewrap's namespaces):
// system calls a plugin has no use for and that widen the kernel's attack surface or reach other
// processes fail with EPERM. Compiled by libseccomp, loaded by bubblewrap (--seccomp FD).
#include "sandbox.h"

#include <seccomp.h>
#include <sched.h>
#include <sys/mman.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <mutex>

namespace consilium::launch::detail {
namespace {

constexpr const char* kDenied[] = {
    "ptrace", "process_vm_readv", "process_vm_writev", "kcmp", "pidfd_getfd",       // other processes' memory
    "mount", "umount2", "pivot_root", "chroot", "move_mount", "open_tree", "fsopen", "fsmount", "fsconfig",
    "fspick", "mount_setattr",                                                          // file system layout
    "unshare", "setns",                                                                 // new namespaces
    "kexec_load", "kexec_file_load", "reboot", "init_module", "finit_module", "delete_module",
    "bpf", "perf_event_open", "userfaultfd", "io_uring_setup",                          // kernel attack surface
    "keyctl", "add_key", "request_key",                                                 // kernel keyrings
    "personality", "acct", "swapon", "swapoff", "syslog", "quotactl", "lookup_dcookie",
    "open_by_handle_at", "name_to_handle_at", "settimeofday", "clock_settime", "adjtimex", "clock_adjtime",
};

void add(scmp_filter_ctx ctx, const char* name) {
    const int nr = seccomp_syscall_resolve_name(name);
    if (nr == __NR_SCMP_ERROR) return;  // not on this architecture
    if (seccomp_rule_add(ctx, SCMP_ACT_ERRNO(EPERM), nr, 0) != 0)
        throw LaunchError(std::string("seccomp: cannot add a rule for ") + name);
}

// Built once per process: the program does not change.
std::string compile() {
    scmp_filter_ctx ctx = seccomp_init(SCMP_ACT_ALLOW);
    if (!ctx) throw LaunchError("seccomp: cannot initialise a filter");
    try {
        for (const char* name : kDenied) add(ctx, name);
        // clone() making namespaces is refused like unshare(); clone3's flags sit behind a
        // pointer the filter cannot read, so it reports ENOSYS and the C library falls back to clone().
        constexpr auto ns_flags = static_cast<scmp_datum_t>(CLONE_NEWUSER | CLONE_NEWNS | CLONE_NEWPID | CLONE_NEWNET |
                                                            CLONE_NEWIPC | CLONE_NEWUTS | CLONE_NEWCGROUP);
        for (scmp_datum_t flag = 1; flag <= ns_flags; flag <<= 1) {
            if (!(flag & ns_flags)) continue;
            if (seccomp_rule_add(ctx, SCMP_ACT_ERRNO(EPERM), SCMP_SYS(clone), 1, SCMP_A0(SCMP_CMP_MASKED_EQ, flag, flag)) != 0)
                throw LaunchError("seccomp: cannot add the clone rule");
        }
        if (seccomp_rule_add(ctx, SCMP_ACT_ERRNO(ENOSYS), SCMP_SYS(clone3), 0) != 0)
            throw LaunchError("seccomp: cannot add the clone3 rule");
        const int fd = memfd_create("consilium-seccomp", MFD_CLOEXEC);
        if (fd < 0) throw LaunchError(std::string("seccomp: memfd_create: ") + std::strerror(errno));
        if (seccomp_export_bpf(ctx, fd) != 0) {
            ::close(fd);
            throw LaunchError("seccomp: cannot export the filter");
        }
        std::string bytes;
        char buf[4096];
        lseek(fd, 0, SEEK_SET);
        for (ssize_t n; (n = ::read(fd, buf, sizeof buf)) > 0;) bytes.append(buf, static_cast<std::size_t>(n));
        ::close(fd);
        seccomp_release(ctx);
        return bytes;
    } catch (...) {
        seccomp_release(ctx);
        throw;
    }
}

}  // namespace

int seccomp_program_fd() {
    static std::once_flag once;
    static std::string program;
    static std::string error;
    std::call_once(once, [] {
        try {
            program = compile();
        } catch (const std::exception& e) {
            error = e.what();
        }
    });
    if (!error.empty()) throw LaunchError(error);
    const int fd = memfd_create("consilium-seccomp", MFD_CLOEXEC);
    if (fd < 0) throw LaunchError(std::string("seccomp: memfd_create: ") + std::strerror(errno));
    if (::write(fd, program.data(), program.size()) != static_cast<ssize_t>(program.size()) || lseek(fd, 0, SEEK_SET) != 0) {
        ::close(fd);
        throw LaunchError("seccomp: cannot write the filter");
    }
    return fd;
}

}  // namespace consilium::launch::detail
