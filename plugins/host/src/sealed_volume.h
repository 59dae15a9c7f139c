#pragma once
// The volume's descriptor as a plugin gets it (private to plugins/host): one that cannot be
// written or mapped writable (a memfd sealed with F_SEAL_WRITE, SHRINK and GROW). The caller's own
// when it is sealed so already (the viewer seals a loaded series), else a sealed copy.
#include "consilium/plugins/run.h"

namespace consilium::plugins::detail {

class SealedVolume {
public:
    // Throws std::runtime_error when no copy can be made (out of memory).
    explicit SealedVolume(const VolumeInput& volume);
    ~SealedVolume();
    SealedVolume(const SealedVolume&) = delete;
    SealedVolume& operator=(const SealedVolume&) = delete;
    int fd() const { return fd_; }
    bool copied() const { return own_ >= 0; }

private:
    int fd_ = -1;
    int own_ = -1;
};

// True when `fd` is sealed against writes, shrinking and growing.
bool sealed_read_only(int fd);

}  // namespace consilium::plugins::detail
