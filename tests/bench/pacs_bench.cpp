// WADO-RS retrieve of a 512x512x300 CT series from a local Orthanc, beside `curl` fetching the
// same multipart response to /dev/null in the same run.
//
//   pacs_bench [--slices N] [--runs R]
// Prints one "name value unit" line per figure. Figures:
//   pacs_curl_median            curl -o /dev/null of the series' WADO-RS multipart (the floor)
//   pacs_curl_to_file_median    curl -o FILE beside the workspace folders (the floor once the bytes must reach the disk)
//   pacs_retrieve_median        consilium::pacs retrieve into a staging folder inside a workspace folder:
//                               multipart parsed as it streams, each instance written, checked to parse, renamed
//   pacs_cli_retrieve_median    consilium-cli pacs retrieve into a fresh workspace, end to end
//                               (log-in KDF, retrieve, the same import as `import`: scan, copy into images/, index, audit)
// Orthanc runs with TCP_NODELAY=1, storage uncompressed, on loopback; the series is the viewer's
// chest phantom written to /dev/shm.
#include "../pacs/orthanc.h"

#include "consilium/pacs/client.h"
#include "consilium/viewer/ct_phantom.h"

#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <string>
#include <vector>

namespace fs = std::filesystem;
using Clock = std::chrono::steady_clock;

namespace {

double seconds_since(Clock::time_point t0) { return std::chrono::duration<double>(Clock::now() - t0).count(); }

double median(std::vector<double> v) {
    std::sort(v.begin(), v.end());
    return v.size() % 2 ? v[v.size() / 2] : (v[v.size() / 2 - 1] + v[v.size() / 2]) / 2;
}

int run(const std::vector<std::string>& argv, const std::string& input = "", bool quiet = true) {
    std::fflush(stdout);
    int in[2];
    if (pipe(in) != 0) return -1;
    pid_t pid = fork();
    if (pid == 0) {
        dup2(in[0], 0);
        close(in[0]);
        close(in[1]);
        if (quiet) {
            FILE* f = std::freopen("/dev/null", "w", stdout);
            (void)f;
        }
        std::vector<char*> args;
        for (const auto& a : argv) args.push_back(const_cast<char*>(a.c_str()));
        args.push_back(nullptr);
        execvp(args[0], args.data());
        _exit(127);
    }
    close(in[0]);
    if (!input.empty() && write(in[1], input.data(), input.size()) < 0) {}
    close(in[1]);
    int status = 0;
    waitpid(pid, &status, 0);
    return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
}

fs::path own_folder() {
    std::error_code ec;
    return fs::read_symlink("/proc/self/exe", ec).parent_path();
}

}  // namespace

int main(int argc, char** argv) {
    int slices = 300, runs = 5;
    for (int i = 1; i + 1 < argc; i += 2) {
        std::string a = argv[i];
        if (a == "--slices") slices = std::atoi(argv[i + 1]);
        else if (a == "--runs") runs = std::atoi(argv[i + 1]);
    }
    try {
        const fs::path shm = fs::exists("/dev/shm") ? fs::path("/dev/shm") : fs::temp_directory_path();
        const fs::path series = shm / ("consilium-pacs-bench-" + std::to_string(getpid()));
        consilium::viewer::PhantomOptions phantom;
        phantom.slices = slices;
        consilium::viewer::write_ct_phantom(series, phantom);
        std::vector<fs::path> files;
        std::uintmax_t bytes = 0;
        for (const auto& e : fs::directory_iterator(series)) {
            files.push_back(e.path());
            bytes += e.file_size();
        }
        std::printf("# series: %d slices of 512x512, %.1f MB\n", slices, static_cast<double>(bytes) / 1e6);

        consilium::test::pacs::Orthanc orthanc;
        auto t0 = Clock::now();
        int accepted = orthanc.upload(files);
        std::printf("# uploaded %d instance(s) to Orthanc in %.1f s\n", accepted, seconds_since(t0));
        fs::remove_all(series);
        auto node = orthanc.web_node();
        auto studies = consilium::pacs::connect(node)->find_studies({});
        if (studies.size() != 1) throw std::runtime_error("expected one study in Orthanc");
        const std::string study = studies[0].study_uid;
        auto series_list = consilium::pacs::connect(node)->find_series(study);
        const std::string url = node.url + "/studies/" + study + "/series/" + series_list.at(0).series_uid;

        consilium::test::ScratchDir scratch("pacs-bench");
        const fs::path cli = own_folder() / "consilium-cli";
        std::vector<double> curl_s, curl_disk_s, lib_s, cli_s;
        for (int r = 0; r < runs; ++r) {
            t0 = Clock::now();
            int rc = run({"curl", "-sf", "-o", "/dev/null", "-H", "Accept: multipart/related; type=\"application/dicom\"", url});
            curl_s.push_back(seconds_since(t0));
            if (rc != 0) throw std::runtime_error("curl failed");
            const fs::path disk_copy = scratch / ("curl-" + std::to_string(r) + ".multipart");
            t0 = Clock::now();
            run({"curl", "-sf", "-o", disk_copy.string(), "-H", "Accept: multipart/related; type=\"application/dicom\"", url});
            curl_disk_s.push_back(seconds_since(t0));
            fs::remove(disk_copy);

            const fs::path staging = scratch / ("ws-lib-" + std::to_string(r)) / ".staging" / "bench";
            t0 = Clock::now();
            auto got = consilium::pacs::connect(node)->retrieve(study, "", staging, {});
            lib_s.push_back(seconds_since(t0));
            if (static_cast<int>(got.stored.size()) != slices) throw std::runtime_error("retrieve returned too few instances");
            fs::remove_all(staging.parent_path().parent_path());

            if (fs::exists(cli)) {
                const fs::path ws = scratch / ("ws-cli-" + std::to_string(r));
                const std::string w = ws.string();
                run({cli.string(), "--workspace", w, "init"});
                run({cli.string(), "--workspace", w, "user", "add", "admin", "--role", "admin"}, "admin\n");
                setenv("CONSILIUM_PASSWORD", "admin", 1);
                run({cli.string(), "--workspace", w, "--user", "admin", "pacs", "add", "web", "--dicomweb", node.url});
                t0 = Clock::now();
                rc = run({cli.string(), "--workspace", w, "--user", "admin", "pacs", "retrieve", "web", study});
                cli_s.push_back(seconds_since(t0));
                if (rc != 0) throw std::runtime_error("consilium-cli pacs retrieve failed");
                fs::remove_all(ws);
            }
        }
        const double c = median(curl_s), l = median(lib_s);
        std::printf("pacs_curl_median %.3f s\n", c);
        std::printf("pacs_curl_to_file_median %.3f s\n", median(curl_disk_s));
        std::printf("pacs_retrieve_median %.3f s\n", l);
        std::printf("pacs_retrieve_rate %.0f MB/s\n", static_cast<double>(bytes) / 1e6 / l);
        std::printf("pacs_retrieve_vs_curl %.2f x\n", l / c);
        std::printf("pacs_retrieve_vs_curl_to_file %.2f x\n", l / median(curl_disk_s));
        std::printf("# goal retrieve <= 1.5x curl to /dev/null: %s\n", l / c <= 1.5 ? "met" : "NOT met");
        if (!cli_s.empty()) {
            const double e = median(cli_s);
            std::printf("pacs_cli_retrieve_median %.3f s\n", e);
            std::printf("pacs_cli_retrieve_vs_curl %.2f x\n", e / c);
        } else {
            std::printf("pacs_cli_retrieve_median skipped: %s not built\n", cli.c_str());
        }
    } catch (const std::exception& e) {
        std::printf("pacs_bench_error failed: %s\n", e.what());
        return 1;
    }
    return 0;
}
