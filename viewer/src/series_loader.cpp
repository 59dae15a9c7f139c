#include "consilium/viewer/load.h"

#include "helper_path.h"
#include "consilium/launch/launcher.h"
#include "voxel_sums.h"

#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <cstring>
#include <map>
#include <sstream>
#include <thread>

namespace consilium::viewer {
namespace {

std::filesystem::path default_worker() {
    if (const char* w = std::getenv("CONSILIUM_DICOM_WORKER"); w && *w) return w;
    return helper_path("consilium-dicom-worker");
}

// int16 holds the rescaled values exactly when rescale is integral and the stored range fits.
PixelType choose_pixel_type(const ScanResult& scan, const Series& s) {
    for (const auto& ref : s.slices) {
        const DicomFile& f = scan.files[ref.file];
        const Frame& fr = f.frames[static_cast<std::size_t>(ref.frame)];
        if (f.bits_allocated == 32 || f.bits_allocated > 16) return PixelType::float32;
        if (fr.rescale_slope != std::floor(fr.rescale_slope) || fr.rescale_intercept != std::floor(fr.rescale_intercept))
            return PixelType::float32;
        const int bits = std::clamp(f.bits_stored, 1, 16);
        const double lo = f.pixel_representation ? -std::ldexp(1.0, bits - 1) : 0.0;
        const double hi = f.pixel_representation ? std::ldexp(1.0, bits - 1) - 1 : std::ldexp(1.0, bits) - 1;
        for (double v : {lo * fr.rescale_slope + fr.rescale_intercept, hi * fr.rescale_slope + fr.rescale_intercept})
            if (v < -32768 || v > 32767) return PixelType::float32;
    }
    return PixelType::int16;
}

struct Worker {
    std::unique_ptr<launch::Child> child;  // started by the one launcher (launch/)
    int in = -1, out = -1;                 // the child's stdin and stdout, ours to close
    std::string pending;                // partial stdout line
    std::optional<int> current_slice;   // "start" seen, no "ok"/"error" yet
    bool finished = false;
    std::string outbox;                 // job lines handed to it, not yet written to its stdin
    int in_flight = 0;                  // job lines handed to it, not yet answered
};

void close_fd(int& fd) {
    if (fd >= 0) ::close(fd);
    fd = -1;
}

Worker spawn_worker(const std::filesystem::path& program, const VoxelBuffer& buffer, PixelType type,
                    const std::optional<double>& padding, const LoadOptions& o) {
    // Not sandboxed: our own decoder, which limits its memory and CPU itself; a sandbox would cost
    // ~13 ms per start (bubblewrap, measured) and need every series folder bound in (docs/security.md).
    launch::Spec spec;
    spec.argv = {program.string(), "--buffer-fd", "3", "--buffer-bytes", std::to_string(buffer.size()),
                 "--pixel", to_string(type), "--memory-mb", std::to_string(o.worker_memory_mb),
                 "--cpu-seconds", std::to_string(o.timeout.count() + 5)};
    if (padding) {
        std::ostringstream value;
        value.precision(17);
        value << *padding;
        spec.argv.insert(spec.argv.end(), {"--padding", value.str()});
    }
    spec.stdin_pipe = true;
    spec.stderr_pipe = false;
    spec.fd3 = buffer.descriptor();
    spec.clean_environment = false;
    Worker w;
    try {
        w.child = launch::start(spec);
    } catch (const launch::LaunchError& e) {
        throw LoadError("cannot start the DICOM decoder " + program.string() + ": " + e.what());
    }
    // Our own copies, closed by the loop as it goes; the child's are given up now, so that closing
    // ours ends its input.
    w.in = fcntl(w.child->stdin_fd(), F_DUPFD_CLOEXEC, 0);
    w.out = fcntl(w.child->stdout_fd(), F_DUPFD_CLOEXEC, 0);
    w.child->close_stdin();
    return w;
}

void stop(std::vector<Worker>& workers) {
    for (auto& w : workers) {
        close_fd(w.in);
        close_fd(w.out);
        w.child.reset();  // killed and reaped
    }
}

// The totals after "ok SLICE": nothing when a worker did not send them.
std::optional<VoxelSums> parse_sums(const std::string& line) {
    VoxelSums s;
    const char* p = std::strchr(line.c_str(), '\t');
    if (!p) return std::nullopt;
    char* end = nullptr;
    s.count = std::strtoull(p + 1, &end, 10);
    double* fields[] = {&s.min, &s.max, &s.sum};
    for (double* f : fields) {
        if (!end || *end != '\t') return std::nullopt;
        *f = std::strtod(end + 1, &end);
    }
    return s;
}

std::string signal_name(int sig) {
    const char* d = strsignal(sig);
    return std::string(d ? d : "signal") + " (" + std::to_string(sig) + ")";
}

// Slices with no image (gaps) hold the volume's padding, else its lowest value.
void fill_gaps(Volume& v, const Series& series) {
    std::vector<bool> present(static_cast<std::size_t>(v.dims[2]), false);
    for (const auto& ref : series.slices) present[static_cast<std::size_t>(ref.index)] = true;
    auto s = statistics(v);
    const double blank = v.padding_value.value_or(s.min);
    const std::size_t per_slice = static_cast<std::size_t>(v.dims[0]) * static_cast<std::size_t>(v.dims[1]);
    for (std::size_t k = 0; k < present.size(); ++k) {
        if (present[k]) continue;
        if (v.pixel_type == PixelType::int16) {
            auto* p = static_cast<std::int16_t*>(v.voxels->data()) + k * per_slice;
            std::fill(p, p + per_slice, static_cast<std::int16_t>(blank));
        } else {
            auto* p = static_cast<float*>(v.voxels->data()) + k * per_slice;
            std::fill(p, p + per_slice, static_cast<float>(blank));
        }
    }
}

}  // namespace

Volume load_series(const ScanResult& scan, const Series& series, const LoadOptions& options) {
    if (series.slices.empty()) throw LoadError("series " + series.series_uid + " has no images");
    const DicomFile& first = scan.files[series.slices.front().file];
    Volume v;
    v.dims = series.dims;
    v.spacing_mm = series.spacing_mm;
    v.origin_lps = series.origin_lps;
    v.direction = series.direction;
    v.modality = series.modality;
    v.series_uid = series.series_uid;
    v.description = series.description;
    v.warnings = series.warnings;
    v.pixel_type = choose_pixel_type(scan, series);
    if (first.pixel_padding_value) {
        const Frame& fr = first.frames.front();
        v.padding_value = *first.pixel_padding_value * fr.rescale_slope + fr.rescale_intercept;
    }
    const std::size_t slice_bytes = static_cast<std::size_t>(v.dims[0]) * static_cast<std::size_t>(v.dims[1]) * bytes_per_voxel(v.pixel_type);
    v.voxels = make_shared_buffer(slice_bytes * static_cast<std::size_t>(v.dims[2]), "consilium-volume");
    if (options.volume_allocated) options.volume_allocated(v);

    // The middle slice first, then outwards: a viewer can show it while the rest arrives.
    const int n = static_cast<int>(series.slices.size());
    std::vector<int> order(static_cast<std::size_t>(n));
    for (int i = 0; i < n; ++i) order[static_cast<std::size_t>(i)] = i;
    std::stable_sort(order.begin(), order.end(), [n](int a, int b) { return std::abs(2 * a - n + 1) < std::abs(2 * b - n + 1); });
    const int middle = order.front();

    const unsigned cores = std::max(1u, std::thread::hardware_concurrency());
    const int count = std::clamp(options.workers > 0 ? options.workers : static_cast<int>(cores), 1, n);
    const auto program = options.worker.empty() ? default_worker() : options.worker;
    std::vector<Worker> workers;
    try {
        for (int i = 0; i < count; ++i) workers.push_back(spawn_worker(program, *v.voxels, v.pixel_type, v.padding_value, options));
    } catch (...) {
        stop(workers);
        throw;
    }
    // One job line per slice, middle first. A worker is handed a few at a time and more as it
    // answers, so a worker slowed down (by other processes, or by harder files) takes fewer: with
    // the jobs dealt out in advance, one worker was seen finishing 0.17 s after the other.
    std::vector<std::string> jobs;
    jobs.reserve(order.size());
    for (std::size_t k = 0; k < order.size(); ++k) {
        const SliceRef& ref = series.slices[static_cast<std::size_t>(order[k])];
        const int slice = ref.index;
        const DicomFile& f = scan.files[ref.file];
        const Frame& fr = f.frames[static_cast<std::size_t>(ref.frame)];
        std::ostringstream line;
        line.precision(17);
        line << slice << '\t' << ref.frame << '\t' << f.rows << '\t' << f.columns << '\t' << fr.rescale_slope << '\t'
             << fr.rescale_intercept << '\t' << f.bits_allocated << '\t' << f.bits_stored << '\t' << f.pixel_representation
             << '\t' << f.number_of_frames << '\t' << f.path.string() << '\n';
        jobs.push_back(line.str());
    }
    // Writes are non-blocking, so neither side ever waits on a full pipe. A worker that dies early
    // makes the write fail (EPIPE); its exit status then explains why. When no job is left, each
    // worker's stdin is closed: it finishes what it holds and exits.
    constexpr int kInFlight = 4;
    std::size_t next_job = 0;
    signal(SIGPIPE, SIG_IGN);
    for (auto& w : workers) fcntl(w.in, F_SETFL, O_NONBLOCK);
    auto feed = [&](std::size_t i) {
        Worker& w = workers[i];
        while (w.in >= 0 && w.in_flight < kInFlight && next_job < jobs.size()) {
            w.outbox += jobs[next_job++];
            ++w.in_flight;
        }
        while (w.in >= 0 && !w.outbox.empty()) {
            ssize_t r = ::write(w.in, w.outbox.data(), w.outbox.size());
            if (r > 0) w.outbox.erase(0, static_cast<std::size_t>(r));
            else if (r < 0 && errno == EAGAIN) return;
            else close_fd(w.in);
        }
        if (next_job == jobs.size()) close_fd(w.in);
    };
    for (std::size_t i = 0; i < workers.size(); ++i) feed(i);

    const auto deadline = std::chrono::steady_clock::now() + options.timeout;
    std::size_t done = 0;
    // Each slice's totals as its worker reported them ("ok SLICE<TAB>count<TAB>min<TAB>max<TAB>sum").
    std::vector<std::optional<VoxelSums>> slice_sums(static_cast<std::size_t>(v.dims[2]));
    std::string failure;
    auto path_of = [&](int slice) {
        for (const auto& ref : series.slices)
            if (ref.index == slice) return scan.files[ref.file].path.string();
        return std::string("slice ") + std::to_string(slice);
    };
    const int middle_index = series.slices[static_cast<std::size_t>(middle)].index;
    while (done < static_cast<std::size_t>(n) && failure.empty()) {
        if (options.cancel && options.cancel->load()) {
            stop(workers);
            throw LoadError("loading series " + series.series_uid + " was cancelled");
        }
        if (std::chrono::steady_clock::now() > deadline) {
            std::string where;
            for (auto& w : workers)
                if (w.current_slice) where = " (decoding " + path_of(*w.current_slice) + ")";
            failure = "the decoder took longer than " + std::to_string(options.timeout.count()) + " s" + where;
            break;
        }
        std::vector<pollfd> fds;
        for (auto& w : workers) fds.push_back({w.out, POLLIN, 0});
        for (auto& w : workers) fds.push_back({w.outbox.empty() ? -1 : w.in, POLLOUT, 0});  // else it would spin
        poll(fds.data(), fds.size(), 100);
        for (std::size_t i = 0; i < workers.size(); ++i)
            if (workers[i].in >= 0 && (fds[workers.size() + i].revents & (POLLOUT | POLLERR | POLLHUP))) feed(i);
        for (std::size_t i = 0; i < workers.size() && failure.empty(); ++i) {
            Worker& w = workers[i];
            if (w.out < 0 || !(fds[i].revents & (POLLIN | POLLHUP | POLLERR))) continue;
            char buf[4096];
            ssize_t r = ::read(w.out, buf, sizeof buf);
            if (r > 0) {
                w.pending.append(buf, static_cast<std::size_t>(r));
                std::size_t nl;
                while ((nl = w.pending.find('\n')) != std::string::npos) {
                    std::string line = w.pending.substr(0, nl);
                    w.pending.erase(0, nl + 1);
                    if (line.rfind("start ", 0) == 0) {
                        w.current_slice = std::atoi(line.c_str() + 6);
                    } else if (line.rfind("ok ", 0) == 0) {
                        int slice = std::atoi(line.c_str() + 3);
                        w.current_slice.reset();
                        w.in_flight = std::max(0, w.in_flight - 1);
                        feed(i);
                        if (auto sums = parse_sums(line); sums && slice >= 0 && slice < v.dims[2])
                            slice_sums[static_cast<std::size_t>(slice)] = sums;
                        ++done;
                        if (options.cancel && options.cancel->load()) continue;  // nothing more is reported
                        if (slice == middle_index && options.middle_slice_ready) options.middle_slice_ready(slice);
                        if (options.progress) options.progress(done, static_cast<std::size_t>(n));
                    } else if (line.rfind("error ", 0) == 0) {
                        auto tab = line.find('\t');
                        int slice = std::atoi(line.c_str() + 6);
                        std::string reason = tab == std::string::npos ? "unknown error" : line.substr(tab + 1);
                        failure = (slice >= 0 ? path_of(slice) + ": " : std::string()) + reason;
                    }
                }
                continue;
            }
            // End of output: the worker has exited; find out how.
            close_fd(w.out);
            const auto end = w.child->wait();
            if (w.current_slice || end.code != 0) {
                std::string how = end.signal ? "crashed (" + signal_name(*end.signal) + ")"
                                             : "exited with status " + std::to_string(end.code.value_or(-1));
                if (end.signal && (*end.signal == SIGXCPU || *end.signal == SIGKILL))
                    how += " (time or memory limit)";
                failure = (w.current_slice ? path_of(*w.current_slice) + ": " : std::string()) + "the decoder " + how;
            }
        }
        bool all_gone = std::all_of(workers.begin(), workers.end(), [](const Worker& w) { return w.out < 0; });
        if (all_gone && done < static_cast<std::size_t>(n) && failure.empty())
            failure = "the decoder stopped after " + std::to_string(done) + " of " + std::to_string(n) + " slices";
    }
    stop(workers);
    if (options.cancel && options.cancel->load()) throw LoadError("loading series " + series.series_uid + " was cancelled");
    if (!failure.empty()) throw LoadError(failure);
    // Blank slices filling gaps show as the lowest value (air, for CT).
    const bool gaps = static_cast<std::size_t>(n) < static_cast<std::size_t>(v.dims[2]);
    if (gaps) fill_gaps(v, series);
    if (options.statistics) {
        // The workers' slice totals, added in slice order as statistics() adds them; reading the
        // voxels back here (every page touched once more, in this process) only when they are missing.
        const bool complete = !gaps && std::all_of(slice_sums.begin(), slice_sums.end(), [](const auto& s) { return s.has_value(); });
        if (complete) {
            VoxelSums total;
            for (const auto& s : slice_sums) total.add(*s);
            *options.statistics = to_statistics(total);
        } else {
            *options.statistics = statistics(v);
        }
    }
    v.voxels->seal();  // the images as loaded, for good: no plugin handed them can change them
    return v;
}

}  // namespace consilium::viewer
