// Loading a 512x512x300 CT series: consilium's loader beside dcm2niix on the same files, in one run.
//
//   load_bench [--slices N] [--runs R] [--keep DIR]
// Prints one "name value unit" line per figure. The series is a chest-like phantom written with
// DCMTK (seeded, deterministic): body ellipse, lungs, spine and ribs, noise. dcm2niix writes to /dev/shm.
#include "consilium/viewer/ct_phantom.h"
#include "consilium/viewer/load.h"


#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <string>
#include <vector>

namespace fs = std::filesystem;
using Clock = std::chrono::steady_clock;

namespace {

double seconds_since(Clock::time_point t0) { return std::chrono::duration<double>(Clock::now() - t0).count(); }

double peak_rss_mb(int who) {
    rusage u{};
    getrusage(who, &u);
    return u.ru_maxrss / 1024.0;
}

// Wall time of dcm2niix converting the folder into a fresh folder in /dev/shm.
double time_dcm2niix(const fs::path& input) {
    fs::path out = fs::path("/dev/shm") / ("consilium-dcm2niix-" + std::to_string(getpid()));
    fs::remove_all(out);
    fs::create_directories(out);
    std::string cmd = "dcm2niix -z n -b n -o '" + out.string() + "' '" + input.string() + "' >/dev/null 2>&1";
    auto t0 = Clock::now();
    int rc = std::system(cmd.c_str());
    double s = seconds_since(t0);
    fs::remove_all(out);
    return rc == 0 ? s : -1;
}

// Our loader in a child process, so its peak memory is its own: seconds, peak RSS of the loader
// and of its largest decoder worker.
struct LoadRun {
    double seconds = -1, loader_mb = 0, worker_mb = 0;
};
LoadRun time_consilium(const fs::path& input) {
    int pipefd[2];
    if (pipe(pipefd) != 0) return {};
    pid_t pid = fork();
    if (pid == 0) {
        close(pipefd[0]);
        LoadRun r;
        auto t0 = Clock::now();
        try {
            auto v = consilium::viewer::load_path(input);
            r.seconds = seconds_since(t0);
        } catch (const std::exception& e) {
            std::fprintf(stderr, "load failed: %s\n", e.what());
        }
        r.loader_mb = peak_rss_mb(RUSAGE_SELF);
        r.worker_mb = peak_rss_mb(RUSAGE_CHILDREN);
        [[maybe_unused]] auto w = write(pipefd[1], &r, sizeof r);
        _exit(0);
    }
    close(pipefd[1]);
    LoadRun r;
    [[maybe_unused]] auto got = read(pipefd[0], &r, sizeof r);
    close(pipefd[0]);
    waitpid(pid, nullptr, 0);
    return r;
}

double median(std::vector<double> v) {
    std::sort(v.begin(), v.end());
    return v.empty() ? -1 : v[v.size() / 2];
}

}  // namespace

int main(int argc, char** argv) {
    int slices = 300, runs = 5;
    std::string keep;
    for (int i = 1; i + 1 < argc; i += 2) {
        std::string a = argv[i];
        if (a == "--slices") slices = std::atoi(argv[i + 1]);
        else if (a == "--runs") runs = std::atoi(argv[i + 1]);
        else if (a == "--keep") keep = argv[i + 1];
    }
    const fs::path dir = keep.empty() ? fs::temp_directory_path() / ("consilium-load-bench-" + std::to_string(getpid())) : fs::path(keep);
    std::printf("# load_bench: 512x512x%d CT phantom, consilium load_path vs dcm2niix -z n (output in /dev/shm)\n", slices);
    if (!fs::exists(dir / "CT0001.dcm")) {
        auto t0 = Clock::now();
        consilium::viewer::PhantomOptions options;
        options.slices = slices;
        consilium::viewer::write_ct_phantom(dir, options);
        std::printf("# wrote %d files to %s in %.2f s\n", slices, dir.c_str(), seconds_since(t0));
    }
    const double voxel_mb = 512.0 * 512.0 * slices * 2 / (1024 * 1024);
    // Warm the page cache for both (each reads the same files).
    time_dcm2niix(dir);
    std::vector<double> ours, theirs;
    LoadRun last;
    for (int r = 0; r < runs; ++r) {  // alternate, so drift on a shared machine hits both
        last = time_consilium(dir);
        ours.push_back(last.seconds);
        theirs.push_back(time_dcm2niix(dir));
    }
    const double a = median(ours), b = median(theirs);
    std::printf("load_consilium_seconds %.3f s (median of %d; best %.3f)\n", a, runs, *std::min_element(ours.begin(), ours.end()));
    std::printf("load_dcm2niix_seconds %.3f s (median of %d; best %.3f)\n", b, runs, *std::min_element(theirs.begin(), theirs.end()));
    std::printf("load_ratio %.3f consilium/dcm2niix (bar <= 1.0, goal <= 0.5)\n", b > 0 ? a / b : -1);
    std::printf("load_peak_rss_loader %.1f MiB\n", last.loader_mb);
    std::printf("load_peak_rss_worker %.1f MiB (largest decoder process; the voxel buffer is shared with it)\n", last.worker_mb);
    std::printf("load_voxel_bytes %.1f MiB\n", voxel_mb);
    std::printf("load_memory_bar %.1f MiB (1.3 x voxels + 150)\n", 1.3 * voxel_mb + 150);
    if (keep.empty()) fs::remove_all(dir);
    return 0;
}
