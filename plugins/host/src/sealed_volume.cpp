// SealedVolume: a plugin never gets a descriptor of the displayed voxels it could remap writable.
#include "sealed_volume.h"

#include <fcntl.h>
#include <sys/mman.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <stdexcept>
#include <string>

namespace consilium::plugins::detail {
namespace {

constexpr int kSeals = F_SEAL_WRITE | F_SEAL_SHRINK | F_SEAL_GROW;

[[noreturn]] void fail(const std::string& what) {
    throw std::runtime_error("cannot hand the volume over read-only: " + what + ": " + std::strerror(errno));
}

}  // namespace

bool sealed_read_only(int fd) {
    const int seals = fcntl(fd, F_GET_SEALS);
    return seals >= 0 && (seals & kSeals) == kSeals;
}

SealedVolume::SealedVolume(const VolumeInput& volume) {
    if (sealed_read_only(volume.fd)) {
        fd_ = volume.fd;
        return;
    }
    own_ = memfd_create("consilium-volume-sealed", MFD_CLOEXEC | MFD_ALLOW_SEALING);
    if (own_ < 0) fail("memfd_create");
    try {
        const std::size_t n = volume.bytes;
        const void* src = n ? mmap(nullptr, n, PROT_READ, MAP_SHARED, volume.fd, 0) : nullptr;
        if (src == MAP_FAILED) fail("mmap");
        std::size_t done = 0;
        while (done < n) {  // write(), not a writable mapping: sealing needs none to exist
            const ssize_t w = ::write(own_, static_cast<const char*>(src) + done, n - done);
            if (w < 0 && errno == EINTR) continue;
            if (w <= 0) {
                munmap(const_cast<void*>(src), n);
                fail("write");
            }
            done += static_cast<std::size_t>(w);
        }
        if (n) munmap(const_cast<void*>(src), n);
        if (fcntl(own_, F_ADD_SEALS, kSeals | F_SEAL_SEAL) != 0) fail("F_ADD_SEALS");
    } catch (...) {
        ::close(own_);
        throw;
    }
    fd_ = own_;
}

SealedVolume::~SealedVolume() {
    if (own_ >= 0) ::close(own_);
}

}  // namespace consilium::plugins::detail
