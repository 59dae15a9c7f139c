#pragma once
// The one contiguous block of voxels a Volume owns. Shared memory (memfd) by default, so a
// decoder worker or a plugin worker can write or read it without a copy; VTK is handed a view
// over the same memory.
#include <cstddef>
#include <functional>
#include <memory>

namespace consilium::viewer {

class VoxelBuffer {
public:
    virtual ~VoxelBuffer() = default;
    virtual void* data() = 0;
    virtual const void* data() const = 0;
    virtual std::size_t size() const = 0;
    // A file descriptor another process can map (shared memory), or -1.
    virtual int descriptor() const { return -1; }
    // Makes the voxels read-only for good, in this process too: shared memory is remapped
    // read-only and its descriptor sealed (F_SEAL_WRITE, SHRINK, GROW), so no process it is
    // handed to (a plugin) can map it writable. True when the descriptor is sealed. Call once
    // nothing writes any more (after loading).
    virtual bool seal() { return false; }
};

// Anonymous shared memory of `bytes`, zero-filled; `name` shows in /proc/PID/fd for debugging.
std::shared_ptr<VoxelBuffer> make_shared_buffer(std::size_t bytes, const char* name = "consilium-voxels");

// Takes ownership of memory allocated elsewhere (e.g. by ITK), freed with `release`.
std::shared_ptr<VoxelBuffer> adopt_buffer(void* data, std::size_t bytes, std::function<void(void*)> release);

}  // namespace consilium::viewer
