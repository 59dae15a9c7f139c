#include "consilium/viewer/thread_priority.h"

#include <sys/resource.h>
#include <sys/syscall.h>
#include <unistd.h>

namespace consilium::viewer {

void lower_thread_priority() {
    // On Linux a thread's nice value is its own (PRIO_PROCESS with a thread id). Failure changes nothing.
    const auto tid = static_cast<id_t>(::syscall(SYS_gettid));
    const int current = ::getpriority(PRIO_PROCESS, tid);
    if (current < 10) ::setpriority(PRIO_PROCESS, tid, 10);
}

}  // namespace consilium::viewer
