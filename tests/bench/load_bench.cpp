// Loading a 512x512x300 CT series: consilium's loader beside dcm2niix on the same files, in one run.
//
//   load_bench [--slices N] [--runs R] [--keep DIR]
// Prints one "name value unit" line per figure. The series is a chest-like phantom written with
// DCMTK (seeded, deterministic): body ellipse, lungs, spine and ribs, noise. dcm2niix writes to /dev/shm.
// Three ways are timed in each round, one after the other so that drift on a shared machine hits
// all alike: the library alone (load_path in a forked child of this process, whose libraries are
// already loaded), the whole `consilium-cli volume` process (exec, dynamic linking, start-up,
// scan, load, statistics, output: what a user or script waits for), and dcm2niix.
#include "consilium/viewer/ct_phantom.h"
#include "consilium/viewer/load.h"

#include <fcntl.h>
#include <spawn.h>
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

extern char** environ;

namespace fs = std::filesystem;
using Clock = std::chrono::steady_clock;

namespace {

double seconds_since(Clock::time_point t0) { return std::chrono::duration<double>(Clock::now() - t0).count(); }

double peak_rss_mb(int who) {
    rusage u{};
    getrusage(who, &u);
    return u.ru_maxrss / 1024.0;
}

fs::path own_folder() {
    std::error_code ec;
    return fs::read_symlink("/proc/self/exe", ec).parent_path();
}

// Wall time of a program run to its end, stdout and stderr to /dev/null; -1 if it failed.
double time_process(const std::vector<std::string>& args) {
    posix_spawn_file_actions_t actions;
    posix_spawn_file_actions_init(&actions);
    posix_spawn_file_actions_addopen(&actions, 1, "/dev/null", O_WRONLY, 0);
    posix_spawn_file_actions_addopen(&actions, 2, "/dev/null", O_WRONLY, 0);
    std::vector<char*> argv;
    for (const auto& a : args) argv.push_back(const_cast<char*>(a.c_str()));
    argv.push_back(nullptr);
    pid_t pid = -1;
    const auto t0 = Clock::now();
    int rc = posix_spawnp(&pid, argv[0], &actions, nullptr, argv.data(), environ);
    posix_spawn_file_actions_destroy(&actions);
    if (rc != 0) return -1;
    int status = 0;
    waitpid(pid, &status, 0);
    const double s = seconds_since(t0);
    return WIFEXITED(status) && WEXITSTATUS(status) == 0 ? s : -1;
}

// Wall time of dcm2niix converting the folder into a fresh folder in /dev/shm.
double time_dcm2niix(const fs::path& input) {
    fs::path out = fs::path("/dev/shm") / ("consilium-dcm2niix-" + std::to_string(getpid()));
    fs::remove_all(out);
    fs::create_directories(out);
    double s = time_process({"dcm2niix", "-z", "n", "-b", "n", "-o", out.string(), input.string()});
    fs::remove_all(out);
    return s;
}

// Our loader in a child process, so its peak memory is its own: seconds, peak RSS of the loader
// and of its largest decoder worker. The child starts with nothing of DCMTK loaded, as a program
// would (its data dictionary is read on first use, in the timed part).
struct LoadRun {
    double seconds = -1, loader_mb = 0, worker_mb = 0;
};
LoadRun time_library(const fs::path& input) {
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

// Over the runs that worked (a failed run is -1 and is counted, not timed).
std::vector<double> worked(std::vector<double> v) {
    v.erase(std::remove_if(v.begin(), v.end(), [](double s) { return s < 0; }), v.end());
    std::sort(v.begin(), v.end());
    return v;
}
double median(const std::vector<double>& runs) {
    const auto v = worked(runs);
    return v.empty() ? -1 : v[v.size() / 2];
}
double best(const std::vector<double>& runs) {
    const auto v = worked(runs);
    return v.empty() ? -1 : v.front();
}
std::string failures(const std::vector<double>& runs) {
    const std::size_t failed = runs.size() - worked(runs).size();
    return failed ? "; " + std::to_string(failed) + " failed" : "";
}
double ratio(double a, double b) { return a > 0 && b > 0 ? a / b : -1; }
const char* verdict(double r, double goal) { return r > 0 && r <= goal ? "met" : "NOT met"; }

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
    const fs::path cli = own_folder() / "consilium-cli";
    std::printf("# load_bench: 512x512x%d CT phantom; consilium load_path, the whole consilium-cli volume process, "
                "dcm2niix -z n (output in /dev/shm)\n", slices);
    if (!fs::exists(dir / "CT0001.dcm")) {
        // Written by a child: had this process loaded DCMTK's data dictionary (~20 ms, text files),
        // every forked library load would inherit it and the figure would depend on --keep.
        auto t0 = Clock::now();
        const pid_t pid = fork();
        if (pid == 0) {
            consilium::viewer::PhantomOptions options;
            options.slices = slices;
            consilium::viewer::write_ct_phantom(dir, options);
            _exit(0);
        }
        int status = 0;
        waitpid(pid, &status, 0);
        if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) {
            std::fprintf(stderr, "load_bench: writing the phantom failed\n");
            return 1;
        }
        std::printf("# wrote %d files to %s in %.2f s\n", slices, dir.c_str(), seconds_since(t0));
    }
    const double voxel_mb = 512.0 * 512.0 * slices * 2 / (1024 * 1024);
    const std::vector<std::string> cli_volume = {cli.string(), "volume", dir.string()};
    const std::vector<std::string> cli_version = {cli.string(), "--version"};
    // Warm the page cache (and the CLI's libraries) before timing.
    time_dcm2niix(dir);
    if (time_process(cli_volume) < 0) std::printf("# %s volume failed: load_cli figures are -1\n", cli.c_str());
    std::vector<double> library, process, startup, theirs;
    LoadRun last;
    for (int r = 0; r < runs; ++r) {  // alternate, so drift on a shared machine hits all alike
        last = time_library(dir);
        library.push_back(last.seconds);
        process.push_back(time_process(cli_volume));
        startup.push_back(time_process(cli_version));
        theirs.push_back(time_dcm2niix(dir));
    }
    const double lib = median(library), cli_s = median(process), start = median(startup), d2n = median(theirs);
    std::printf("load_dcm2niix_seconds %.3f s (median of %d; best %.3f%s)\n", d2n, runs, best(theirs), failures(theirs).c_str());
    std::printf("load_consilium_seconds %.3f s (library load_path; median of %d; best %.3f%s)\n", lib, runs, best(library),
                failures(library).c_str());
    std::printf("load_cli_seconds %.3f s (consilium-cli volume, whole process; median of %d; best %.3f%s)\n", cli_s, runs,
                best(process), failures(process).c_str());
    std::printf("load_cli_startup_seconds %.3f s (consilium-cli --version: exec, linking, start-up and exit; median of %d%s)\n",
                start, runs, failures(startup).c_str());
    std::printf("load_ratio %.3f library/dcm2niix (bar <= 1.0, goal <= 0.5: %s)\n", ratio(lib, d2n), verdict(ratio(lib, d2n), 0.5));
    std::printf("load_cli_ratio %.3f consilium-cli volume/dcm2niix (goal <= 0.6: %s)\n", ratio(cli_s, d2n),
                verdict(ratio(cli_s, d2n), 0.6));
    std::printf("load_peak_rss_loader %.1f MiB\n", last.loader_mb);
    std::printf("load_peak_rss_worker %.1f MiB (largest decoder process; it copies slices into the voxel buffer, never maps it)\n",
                last.worker_mb);
    std::printf("load_voxel_bytes %.1f MiB\n", voxel_mb);
    std::printf("load_memory_bar %.1f MiB (1.3 x voxels + 150)\n", 1.3 * voxel_mb + 150);
    if (keep.empty()) fs::remove_all(dir);
    return 0;
}
