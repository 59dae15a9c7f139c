#include "consilium/viewer/voxel_buffer.h"

#include <fcntl.h>
#include <sys/mman.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <stdexcept>
#include <string>

namespace consilium::viewer {
namespace {

class SharedBuffer final : public VoxelBuffer {
public:
    SharedBuffer(std::size_t bytes, const char* name) : size_(bytes) {
        fd_ = memfd_create(name, MFD_CLOEXEC | MFD_ALLOW_SEALING);
        if (fd_ < 0) throw std::runtime_error(std::string("cannot create shared memory: ") + std::strerror(errno));
        if (ftruncate(fd_, static_cast<off_t>(bytes ? bytes : 1)) != 0) {
            int e = errno;
            ::close(fd_);
            throw std::runtime_error("cannot size shared memory to " + std::to_string(bytes) + " bytes: " + std::strerror(e));
        }
        data_ = mmap(nullptr, bytes ? bytes : 1, PROT_READ | PROT_WRITE, MAP_SHARED, fd_, 0);
        if (data_ == MAP_FAILED) {
            int e = errno;
            ::close(fd_);
            throw std::runtime_error(std::string("cannot map shared memory: ") + std::strerror(e));
        }
    }
    ~SharedBuffer() override {
        munmap(data_, size_ ? size_ : 1);
        ::close(fd_);
    }
    void* data() override { return data_; }
    const void* data() const override { return data_; }
    std::size_t size() const override { return size_; }
    int descriptor() const override { return fd_; }
    bool seal() override {
        // Read-only in place (the address stays) through a read-only descriptor, then sealed: the
        // kernel refuses F_SEAL_WRITE while any shared mapping could be made writable, which one
        // made through our read-write descriptor could (the decoders' have ended by now).
        const int ro = ::open(("/proc/self/fd/" + std::to_string(fd_)).c_str(), O_RDONLY | O_CLOEXEC);
        if (ro < 0) return false;
        void* p = mmap(data_, size_ ? size_ : 1, PROT_READ, MAP_SHARED | MAP_FIXED, ro, 0);
        ::close(ro);
        if (p == MAP_FAILED) return false;
        return fcntl(fd_, F_ADD_SEALS, F_SEAL_SHRINK | F_SEAL_GROW | F_SEAL_WRITE | F_SEAL_SEAL) == 0;
    }

private:
    std::size_t size_;
    int fd_ = -1;
    void* data_ = nullptr;
};

class AdoptedBuffer final : public VoxelBuffer {
public:
    AdoptedBuffer(void* data, std::size_t bytes, std::function<void(void*)> release)
        : data_(data), size_(bytes), release_(std::move(release)) {}
    ~AdoptedBuffer() override {
        if (release_) release_(data_);
    }
    void* data() override { return data_; }
    const void* data() const override { return data_; }
    std::size_t size() const override { return size_; }

private:
    void* data_;
    std::size_t size_;
    std::function<void(void*)> release_;
};

}  // namespace

std::shared_ptr<VoxelBuffer> make_shared_buffer(std::size_t bytes, const char* name) {
    return std::make_shared<SharedBuffer>(bytes, name);
}

std::shared_ptr<VoxelBuffer> adopt_buffer(void* data, std::size_t bytes, std::function<void(void*)> release) {
    return std::make_shared<AdoptedBuffer>(data, bytes, std::move(release));
}

}  // namespace consilium::viewer
