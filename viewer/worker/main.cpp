// consilium-dicom-worker: decodes DICOM frames into a shared voxel buffer for the viewer library.
// Untrusted files are decoded here, never in the workstation's own process (GDCM aborts the
// process on some valid files). Limits are set before the first file is opened.
// Each slice is decoded into memory of its own, totalled, and copied into the buffer (a memfd) with
// pwrite(), not written through a mapping: on a virtual machine every first touch of a mapped page
// costs a page fault of ~8 us, which for a 150 MiB CT was ~0.8 s of CPU in the workers; the
// kernel's copy costs ~0.05 s.
//
//   consilium-dicom-worker --buffer-fd FD --buffer-bytes N --pixel float32|int16 --memory-mb M --cpu-seconds S
//                          [--padding VALUE]
// stdin, one job per line:  slice, frame, rows, columns, slope, intercept, bits allocated, bits stored,
//                           pixel representation, frames in the file, path - TAB-separated
// stdout, per job:          "start SLICE", then "ok SLICE<TAB>count<TAB>min<TAB>max<TAB>sum" (the slice's
//                           voxels other than VALUE, totalled while they are in the cache) or
//                           "error SLICE<TAB>reason"
#include "frame_decoder.h"
#include "voxel_sums.h"

#include <sys/resource.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>

#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <iostream>
#include <optional>
#include <sstream>
#include <string>
#include <vector>

using consilium::viewer::worker::FrameJob;

namespace {

void limit(int resource, rlim_t value) {
    rlimit r{value, value};
    setrlimit(resource, &r);
}

bool parse_job(const std::string& line, FrameJob& job) {
    std::istringstream in(line);
    std::string field;
    auto next = [&](auto& v) {
        if (!std::getline(in, field, '\t')) return false;
        std::istringstream f(field);
        return static_cast<bool>(f >> v);
    };
    if (!next(job.slice) || !next(job.frame) || !next(job.rows) || !next(job.columns) || !next(job.slope) ||
        !next(job.intercept) || !next(job.bits_allocated) || !next(job.bits_stored) || !next(job.pixel_representation) ||
        !next(job.frames))
        return false;
    return static_cast<bool>(std::getline(in, job.path)) && !job.path.empty();
}

// All `size` bytes at `offset`, or the reason why not.
std::string write_all(int fd, const char* data, std::size_t size, std::size_t offset) {
    while (size > 0) {
        const ssize_t n = ::pwrite(fd, data, size, static_cast<off_t>(offset));
        if (n < 0 && errno == EINTR) continue;
        if (n <= 0) return std::string("cannot write the voxel buffer: ") + (n < 0 ? std::strerror(errno) : "no space");
        data += n;
        size -= static_cast<std::size_t>(n);
        offset += static_cast<std::size_t>(n);
    }
    return {};
}

}  // namespace

int main(int argc, char** argv) {
    int fd = -1;
    std::size_t bytes = 0;
    bool as_float = false;
    long memory_mb = 2048, cpu_seconds = 120;
    std::optional<double> padding;
    for (int i = 1; i + 1 < argc; i += 2) {
        std::string k = argv[i], v = argv[i + 1];
        if (k == "--buffer-fd") fd = std::atoi(v.c_str());
        else if (k == "--buffer-bytes") bytes = std::strtoull(v.c_str(), nullptr, 10);
        else if (k == "--pixel") as_float = v == "float32";
        else if (k == "--memory-mb") memory_mb = std::atol(v.c_str());
        else if (k == "--cpu-seconds") cpu_seconds = std::atol(v.c_str());
        else if (k == "--padding") padding = std::strtod(v.c_str(), nullptr);
    }
    if (fd < 0 || bytes == 0) {
        std::fprintf(stderr, "usage: consilium-dicom-worker --buffer-fd FD --buffer-bytes N ...\n");
        return 2;
    }
    struct stat st{};
    if (fstat(fd, &st) != 0 || static_cast<std::size_t>(st.st_size) < bytes) {
        std::fprintf(stderr, "the voxel buffer (fd %d) is not %zu bytes\n", fd, bytes);
        return 2;
    }
    // The buffer is not mapped here: the decoder gets memory_mb of address space, its slice included.
    limit(RLIMIT_AS, static_cast<rlim_t>(memory_mb) * 1024 * 1024);
    limit(RLIMIT_CPU, static_cast<rlim_t>(cpu_seconds));
    limit(RLIMIT_CORE, 0);

    const std::size_t voxel = as_float ? 4 : 2;
    std::vector<char> slice;  // reused: its pages are touched once
    std::string line;
    while (std::getline(std::cin, line)) {
        FrameJob job;
        if (!parse_job(line, job)) {
            std::cout << "error -1\tmalformed job line" << std::endl;
            continue;
        }
        std::cout << "start " << job.slice << std::endl;
        const std::size_t slice_bytes = static_cast<std::size_t>(job.rows) * static_cast<std::size_t>(job.columns) * voxel;
        const std::size_t offset = static_cast<std::size_t>(job.slice) * slice_bytes;
        std::string problem;
        if (job.rows <= 0 || job.columns <= 0 || offset + slice_bytes > bytes) {
            problem = "the slice does not fit the volume";
        } else {
            try {
                slice.resize(slice_bytes);
                problem = consilium::viewer::worker::decode_frame(job, as_float, slice.data());
            } catch (const std::bad_alloc&) {
                problem = "the decoder ran out of memory (limit " + std::to_string(memory_mb) + " MB)";
            } catch (const std::exception& e) {
                problem = e.what();
            }
        }
        if (problem.empty()) problem = write_all(fd, slice.data(), slice_bytes, offset);
        if (problem.empty()) {
            const std::size_t n = slice_bytes / voxel;
            const auto sums = as_float ? consilium::viewer::sums_of(reinterpret_cast<const float*>(slice.data()), n, padding)
                                       : consilium::viewer::sums_of(reinterpret_cast<const std::int16_t*>(slice.data()), n, padding);
            char answer[160];
            std::snprintf(answer, sizeof answer, "ok %d\t%zu\t%.17g\t%.17g\t%.17g", job.slice, sums.count, sums.min, sums.max, sums.sum);
            std::cout << answer << std::endl;
        } else {
            std::cout << "error " << job.slice << '\t' << problem << std::endl;
        }
    }
    return 0;
}
