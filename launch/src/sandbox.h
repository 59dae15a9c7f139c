#pragma once
// Private to launch/: the bubblewrap command line and the seccomp program for a sandboxed run.
#include "consilium/launch/launcher.h"

#include <string>
#include <vector>

namespace consilium::launch::detail {

inline constexpr const char* kBwrap = "/usr/bin/bwrap";
inline constexpr int kSeccompFd = 4;  // where the child finds the seccomp program (fd 3 is the volume)
inline constexpr int kInfoFd = 5;     // where bubblewrap writes the namespace init's PID

// The fixed environment every plugin gets, as NAME=value.
const std::vector<std::string>& clean_environment();

// bwrap's arguments up to and including "--", then spec.argv.
std::vector<std::string> bwrap_argv(const Spec& spec);

// A memfd (close-on-exec, at offset 0) holding the compiled seccomp filter for bwrap --seccomp.
// Throws LaunchError.
int seccomp_program_fd();

}  // namespace consilium::launch::detail
